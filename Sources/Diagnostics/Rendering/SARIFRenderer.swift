/// SARIF 2.1.0, the format GitHub code scanning and other analysis dashboards read.
public struct SARIFRenderer: DiagnosticRenderer {
    public var toolVersion: String
    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

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
                .object([("location", .object([("uri", .string(Self.uri(file.file.path))), ("uriBaseId", .string("%SRCROOT%"))]))])
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
        // Code scanning needs a non-empty region: an empty range is widened to one column.
        let endColumn = range.end.line == range.start.line ? max(range.end.column, range.start.column + 1) : range.end.column
        return .object([
            ("ruleId", .string(diagnostic.code.rawValue)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(Self.level(diagnostic.severity))),
            ("message", .object([("text", .string(text))])),
            ("locations", .array([.object([
                ("physicalLocation", .object([
                    ("artifactLocation", .object([("uri", .string(Self.uri(file.path))), ("uriBaseId", .string("%SRCROOT%"))])),
                    ("region", .object([
                        ("startLine", .int(range.start.line)),
                        ("startColumn", .int(range.start.column)),
                        ("endLine", .int(range.end.line)),
                        ("endColumn", .int(endColumn)),
                    ])),
                ])),
            ])])),
        ])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// A relative URI with forward slashes and no leading `./`, as code scanning expects.
    static func uri(_ path: String) -> String {
        var uri = path.replacing("\\", with: "/")
        while uri.hasPrefix("./") { uri.removeFirst(2) }
        return uri.replacing(" ", with: "%20")
    }

    /// `unknown field` → `UnknownField`.
    static func ruleName(_ title: String) -> String {
        title.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
