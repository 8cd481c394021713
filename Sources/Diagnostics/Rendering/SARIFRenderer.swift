/// SARIF 2.1.0, the format GitHub code scanning and other analysis dashboards read.
public struct SARIFRenderer: DiagnosticRenderer {
    /// The version of `playbook` named in the SARIF run's `tool.driver`.
    public var toolVersion: String
    /// A SARIF renderer naming the given tool version.
    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    /// The report as one SARIF log with one run.
    public func render(_ report: DiagnosticReport) -> String {
        var ruleCodes: [DiagnosticCode] = []
        var ruleIndex: [DiagnosticCode: Int] = [:]
        var results: [JSONValue] = []
        for file in report.files {
            let (shown, _) = report.shown(file)
            for diagnostic in shown {
                if ruleIndex[diagnostic.code] == nil {
                    ruleIndex[diagnostic.code] = ruleCodes.count
                    ruleCodes.append(diagnostic.code)
                }
                results.append(result(diagnostic, in: file.file, ruleIndex: ruleIndex[diagnostic.code]!))
            }
        }
        let rules = ruleCodes.map { code -> JSONValue in
            let descriptor = report.catalogue[code]
            let title = descriptor?.title ?? code.rawValue
            return .object([
                ("id", .string(code.rawValue)),
                ("name", .string(Self.ruleName(title))),
                ("shortDescription", .object([("text", .string(title))])),
                ("fullDescription", .object([("text", .string(descriptor?.explanation ?? title))])),
                ("help", .object([("text", .string("\(descriptor?.explanation ?? title) See \(code.rawValue) in docs/diagnostics.md."))])),
                ("defaultConfiguration", .object([("level", .string(Self.level(descriptor?.severity ?? .error)))])),
            ])
        }
        let run: JSONValue = .object([
            ("tool", .object([("driver", .object([
                ("name", .string("playbook")),
                ("version", .string(toolVersion)),
                ("semanticVersion", .string(toolVersion)),
                ("rules", .array(rules)),
            ]))])),
            ("columnKind", .string("unicodeCodePoints")),
            ("artifacts", .array(report.files.map { file in
                .object([("location", Self.artifactLocation(file.file.path))])
            })),
            ("results", .array(results)),
        ])
        let document: JSONValue = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ])
        return document.serialized() + "\n"
    }

    private func result(_ diagnostic: Diagnostic, in file: SourceFile, ruleIndex: Int) -> JSONValue {
        let range = PrintedRange(diagnostic.range, in: file)
        var text = diagnostic.message
        for note in diagnostic.notes { text += "\nnote: \(note.message)" }
        if let help = diagnostic.help { text += "\nhelp: \(help)" }
        var members: [(String, JSONValue)] = [
            ("ruleId", .string(diagnostic.code.rawValue)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(Self.level(diagnostic.severity))),
            ("message", .object([("text", .string(text))])),
            ("locations", .array([.object([("physicalLocation", physicalLocation(range, in: file))])])),
        ]
        // Notes that point somewhere become related locations, so a dashboard can link to them.
        let related = diagnostic.notes.compactMap { note -> (DiagnosticNote, SourceRange)? in note.range.map { (note, $0) } }
        if !related.isEmpty {
            members.append(("relatedLocations", .array(related.enumerated().map { index, item in
                .object([
                    ("id", .int(index + 1)),
                    ("message", .object([("text", .string(item.0.message))])),
                    ("physicalLocation", physicalLocation(PrintedRange(item.1, in: file), in: file)),
                ])
            })))
        }
        if !diagnostic.fixIts.isEmpty {
            members.append(("fixes", .array(diagnostic.fixIts.map { fixIt in
                .object([
                    ("description", .object([("text", .string(fixIt.message))])),
                    ("artifactChanges", .array([.object([
                        ("artifactLocation", Self.artifactLocation(file.path)),
                        ("replacements", .array(fixIt.edits.map { edit in
                            .object([
                                ("deletedRegion", region(PrintedRange(edit.range, in: file), widenEmpty: false)),
                                ("insertedContent", .object([("text", .string(edit.replacement))])),
                            ])
                        })),
                    ])])),
                ])
            })))
        }
        return .object(members)
    }

    private func physicalLocation(_ range: PrintedRange, in file: SourceFile) -> JSONValue {
        .object([
            ("artifactLocation", Self.artifactLocation(file.path)),
            ("region", region(range, widenEmpty: true)),
        ])
    }

    /// A region; code scanning needs a non-empty one for results, so an empty range is widened to one
    /// column there (a fix's deleted region may be empty: an insertion).
    private func region(_ range: PrintedRange, widenEmpty: Bool) -> JSONValue {
        let endColumn = widenEmpty && range.end.line == range.start.line ? max(range.end.column, range.start.column + 1) : range.end.column
        return .object([
            ("startLine", .int(range.start.line)),
            ("startColumn", .int(range.start.column)),
            ("endLine", .int(range.end.line)),
            ("endColumn", .int(endColumn)),
        ])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// Where a file is: relative paths against the repository root (`%SRCROOT%`), absolute ones as
    /// `file://` URIs, since a base id only makes sense for a relative reference.
    static func artifactLocation(_ path: String) -> JSONValue {
        let uri = self.uri(path)
        if uri.hasPrefix("file://") { return .object([("uri", .string(uri))]) }
        return .object([("uri", .string(uri)), ("uriBaseId", .string("%SRCROOT%"))])
    }

    /// A URI reference for a path: forward slashes, no leading `./`, and every character outside
    /// RFC 3986's path characters percent-encoded (so `#`, `?`, `%`, spaces and non-ASCII survive).
    static func uri(_ path: String) -> String {
        var path = path.replacing("\\", with: "/")
        while path.hasPrefix("./") { path.removeFirst(2) }
        var encoded = ""
        for byte in path.utf8 {
            let allowed = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || "-._~/!$&'()*+,;=:@".utf8.contains(byte)
            if allowed {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    /// `unknown field` → `UnknownField`.
    static func ruleName(_ title: String) -> String {
        title.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
