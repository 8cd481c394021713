@testable import Diagnostics
import Foundation
import Testing

/// The renderers over one shared report: snapshots of each format, plus the properties CI relies on.
struct RendererTests {
    static let playbook = SourceFile(path: "playbooks/hot leads.yaml", bytes: Array("""
        version: 1
        name: hot-leads
        steps:
          contacts:
            fetch: { connection: crm, resourse: contacts }
          notify:
        \tnotify: { message: "Zażółć {{ record.emial }}" }
        """.utf8))

    static let second = SourceFile(path: "playbooks/weekly.yaml", text: "version: 2\nname: weekly\n")

    static var report: DiagnosticReport {
        let text = playbook
        func range(of needle: String, in file: SourceFile) -> SourceRange {
            let haystack = file.bytes
            let bytes = Array(needle.utf8)
            let start = (0...(haystack.count - bytes.count)).first { haystack[$0..<($0 + bytes.count)].elementsEqual(bytes) }!
            return SourceRange(start: start, end: start + bytes.count)
        }
        let resourse = range(of: "resourse", in: text)
        let emial = range(of: "emial", in: text)
        let contacts = range(of: "contacts:", in: text)
        let diagnostics: [Diagnostic] = [
            .error("PB0201", "unknown field 'resourse' in fetch step", at: resourse, help: "did you mean 'resource'?",
                   fixIts: [.replace(resourse, with: "resource", "rename to 'resource'")]),
            .error("PB0301", "unknown field 'emial' on record of contacts", at: emial,
                   notes: [DiagnosticNote("records come from step 'contacts'", at: contacts)], help: "did you mean 'email'?"),
            .warning("PB0406", "the records of step 'contacts' go nowhere", at: SourceRange(start: contacts.start, end: contacts.end - 1),
                     notes: [DiagnosticNote("steps without 'from:' start the graph")]),
            .error("PB0202", "playbook is missing the required field 'connections'", at: .at(text.bytes.count)),
            .error("PB0203", "expected a mapping", at: SourceRange(start: range(of: "notify:\n", in: text).start, end: emial.end)),
        ]
        return DiagnosticReport(
            files: [
                FileDiagnostics(file: text, diagnostics: diagnostics),
                FileDiagnostics(file: second, diagnostics: [.error("PB0212", "playbook language version 2 is not supported", at: SourceRange(start: 9, end: 10), help: "this build of Playbook reads version 1")]),
            ],
            catalogue: DiagnosticCatalogue([
                DiagnosticDescriptor("PB0201", .error, "unknown field", "The mapping has a field the language does not define."),
                DiagnosticDescriptor("PB0406", .warning, "output goes nowhere", "A step's records are not read."),
            ])
        )
    }

    @Test(arguments: DiagnosticFormat.allCases)
    func formatMatchesSnapshot(_ format: DiagnosticFormat) throws {
        let output = format.renderer(colour: false, toolVersion: "1.2.3").render(Self.report)
        try assertSnapshot(output, named: "report.\(format.rawValue == "text" ? "txt" : format.rawValue == "github" ? "github.txt" : format.rawValue == "sarif" ? "sarif.json" : "json")")
    }

    @Test func textUnderlinesTheRangeUnderMultiByteTextAndTabs() {
        let output = TextRenderer().render(Self.report)
        // The tab before `notify:` is shown as four spaces, and the caret sits under `emial` after 'Zażółć'.
        let lines = output.split(separator: "\n").map(String.init)
        let header = try! #require(lines.firstIndex { $0.hasPrefix("playbooks/hot leads.yaml:7:39: error[PB0301]") })
        let shown = lines[header + 2]
        let underline = lines[header + 3]
        #expect(shown == " 7 |     notify: { message: \"Zażółć {{ record.emial }}\" }")
        let caret = underline.unicodeScalars.firstIndex(of: "^").map { underline.unicodeScalars.distance(from: underline.unicodeScalars.startIndex, to: $0) }
        let field = shown.unicodeScalars.distance(from: shown.unicodeScalars.startIndex, to: shown.range(of: "emial")!.lowerBound.samePosition(in: shown.unicodeScalars)!)
        #expect(caret == field)
        #expect(underline.hasSuffix("^~~~~"))
    }

    @Test func emptyRangeAtEndOfFileGetsOneCaret() {
        let output = TextRenderer().render(Self.report)
        let lines = output.split(separator: "\n").map(String.init)
        let header = try! #require(lines.firstIndex { $0.hasPrefix("playbooks/hot leads.yaml:7:50: error[PB0202]") })
        #expect(lines[header + 3].hasSuffix(" ^"))
        #expect(lines[header + 3].count == lines[header + 2].count + 1)
    }

    @Test func colourOnlyWhenAsked() {
        #expect(!TextRenderer(colour: false).render(Self.report).contains("\u{1B}["))
        #expect(TextRenderer(colour: true).render(Self.report).contains("\u{1B}[1;31merror[PB0201]"))
    }

    @Test func capSaysHowManyMoreThereWere() {
        var report = Self.report
        report.maxPerFile = 2
        let text = TextRenderer().render(report)
        #expect(text.contains("note: 3 more diagnostics in playbooks/hot leads.yaml not shown"))
        let json = try! JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as! [String: Any]
        let files = json["files"] as! [[String: Any]]
        #expect(files[0]["not_shown"] as? Int == 3)
        #expect((files[0]["diagnostics"] as! [Any]).count == 2)
    }

    @Test(arguments: [
        (0, 0, 1, "no problems found in 1 file"),
        (1, 0, 2, "1 error in 2 files"),
        (2, 1, 1, "2 errors and 1 warning in 1 file"),
        (0, 3, 3, "3 warnings in 3 files"),
    ])
    func summaryIsGrammatical(errors: Int, warnings: Int, files: Int, expected: String) {
        let file = SourceFile(path: "a.yaml", text: "x")
        let diagnostics = (0..<errors).map { _ in Diagnostic.error("PB0001", "e", at: .at(0)) }
            + (0..<warnings).map { _ in Diagnostic.warning("PB0002", "w", at: .at(0)) }
        let report = DiagnosticReport(
            files: [FileDiagnostics(file: file, diagnostics: diagnostics)] + Array(repeating: FileDiagnostics(file: file, diagnostics: []), count: files - 1),
            catalogue: DiagnosticCatalogue([])
        )
        #expect(report.summary == expected)
    }

    @Test func githubEscapesDataAndProperties() {
        #expect(GitHubRenderer.escapeData("50% done\r\nnext") == "50%25 done%0D%0Anext")
        #expect(GitHubRenderer.escapeProperty("a:b,c%") == "a%3Ab%2Cc%25")
        let output = GitHubRenderer().render(Self.report)
        #expect(output.contains("::error file=playbooks/hot leads.yaml,line=5,col=31,endLine=5,endColumn=39,title=PB0201 unknown field::unknown field 'resourse' in fetch step%0Ahelp: did you mean 'resource'?"))
        #expect(output.contains("::warning file="))
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(Self.report).utf8)) as? [String: Any])
        #expect(json["version"] as? Int == 1)
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["files": 2, "errors": 5, "warnings": 1])
        let diagnostics = try #require((json["files"] as? [[String: Any]])?.first?["diagnostics"] as? [[String: Any]])
        let unknown = try #require(diagnostics.first { $0["code"] as? String == "PB0201" })
        #expect(Set(unknown.keys) == ["file", "line", "column", "end_line", "end_column", "severity", "code", "message", "notes", "help", "fix_its"])
        #expect(unknown["line"] as? Int == 5 && unknown["column"] as? Int == 31 && unknown["end_column"] as? Int == 39)
        #expect(unknown["severity"] as? String == "error" && unknown["help"] as? String == "did you mean 'resource'?")
    }

    @Test func sarifHasRulesResultsAndRegions() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(SARIFRenderer(toolVersion: "1.2.3").render(Self.report).utf8)) as? [String: Any])
        #expect(json["version"] as? String == "2.1.0")
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == ["PB0406", "PB0201", "PB0203", "PB0301", "PB0202", "PB0212"])
        #expect(rules[1]["name"] as? String == "UnknownField")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 6)
        let unknownField = try #require(results.first { $0["ruleId"] as? String == "PB0201" })
        let fix = try #require((unknownField["fixes"] as? [[String: Any]])?.first)
        let change = try #require((fix["artifactChanges"] as? [[String: Any]])?.first)
        let replacement = try #require((change["replacements"] as? [[String: Any]])?.first)
        #expect((replacement["insertedContent"] as? [String: Any])?["text"] as? String == "resource")
        let withNote = try #require(results.first { $0["ruleId"] as? String == "PB0301" })
        #expect((withNote["relatedLocations"] as? [[String: Any]])?.first?["id"] as? Int == 1)
        for result in results {
            let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let artifact = try #require(location["artifactLocation"] as? [String: Any])
            #expect((artifact["uri"] as? String)?.hasPrefix("playbooks/") == true)
            let region = try #require(location["region"] as? [String: Int])
            #expect(region["startLine"]! >= 1 && region["endColumn"]! > (region["endLine"] == region["startLine"] ? region["startColumn"]! : 0))
        }
    }

    @Test(arguments: [
        ("abc\ndef", 5, 2, 2),
        ("żółw\nx", 6, 1, 4),
        ("a\n", 2, 2, 1),
        ("", 0, 1, 1),
    ])
    func locationsCountScalarsFromLineStarts(text: String, offset: Int, line: Int, column: Int) {
        let location = SourceFile(path: "x", text: text).location(of: offset)
        #expect(location.line == line && location.column == column)
    }
}

struct TextRendererLineTests {
    @Test func longLinesAreShownAsAWindowAroundTheRange() {
        let line = String(repeating: "a", count: 5000) + "BAD" + String(repeating: "b", count: 5000)
        let file = SourceFile(path: "x.yaml", text: line)
        let output = TextRenderer().render(DiagnosticReport(
            files: [FileDiagnostics(file: file, diagnostics: [.error("PB0101", "bad", at: SourceRange(start: 5000, end: 5003))])],
            catalogue: DiagnosticCatalogue([])
        ))
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines[2].count < 200 && lines[2].contains("BAD") && lines[2].contains("…"))
        let caret = lines[3].firstIndex(of: "^").map { lines[3].distance(from: lines[3].startIndex, to: $0) }
        let bad = lines[2].range(of: "BAD").map { lines[2].distance(from: lines[2].startIndex, to: $0.lowerBound) }
        #expect(caret == bad)
        #expect(lines[3].hasSuffix("^~~"))
    }

    @Test func controlCharactersAreShownAsPictures() {
        let file = SourceFile(path: "x.yaml", bytes: Array("a: 1".utf8) + [0] + Array(" b".utf8))
        let output = TextRenderer().render(DiagnosticReport(
            files: [FileDiagnostics(file: file, diagnostics: [.error("PB0003", "nul", at: SourceRange(start: 4, end: 5))])],
            catalogue: DiagnosticCatalogue([])
        ))
        #expect(output.contains(" 1 | a: 1\u{2400} b"))
        #expect(output.contains("   |     ^\n"))
    }
}

struct SourceFileLocationTests {
    /// An offset inside a multi-byte character belongs to that character's column.
    @Test func offsetInsideAMultiByteCharacterMapsToThatCharacter() {
        let file = SourceFile(path: "x", text: "aż b")
        #expect(file.location(of: 1).column == 2)
        #expect(file.location(of: 2).column == 2)
        #expect(file.location(of: 3).column == 3)
    }
}

struct WideCharacterTests {
    @Test func caretsLineUpAfterWideCharacters() {
        let file = SourceFile(path: "x.yaml", text: "message: \"🔥 Hot 顧客 {{ record.emial }}\"")
        let start = Array(file.bytes).indices.first { file.bytes[$0...].starts(with: Array("emial".utf8)) }!
        let output = TextRenderer().render(DiagnosticReport(
            files: [FileDiagnostics(file: file, diagnostics: [.error("PB0301", "unknown field", at: SourceRange(start: start, end: start + 5))])],
            catalogue: DiagnosticCatalogue([])
        ))
        let lines = output.split(separator: "\n").map(String.init)
        // 🔥 and each ideograph take two terminal cells: the caret sits two cells further per wide character.
        let shownPrefix = lines[2].components(separatedBy: "emial")[0]
        let cells = shownPrefix.unicodeScalars.reduce(0) { $0 + ($1.properties.isEmojiPresentation || (0x4E00...0x9FFF).contains($1.value) ? 2 : 1) }
        #expect(lines[3].firstIndex(of: "^").map { lines[3].distance(from: lines[3].startIndex, to: $0) } == cells)
    }
}

struct SARIFLocationTests {
    @Test(arguments: [
        ("playbooks/a b.yaml", "playbooks/a%20b.yaml", true),
        ("./playbooks/#1?.yaml", "playbooks/%231%3F.yaml", true),
        ("playbooks/żółw.yaml", "playbooks/%C5%BC%C3%B3%C5%82w.yaml", true),
        ("/tmp/x.yaml", "file:///tmp/x.yaml", false),
    ])
    func pathsBecomeValidURIs(path: String, uri: String, relative: Bool) {
        #expect(SARIFRenderer.uri(path) == uri)
        let location = SARIFRenderer.artifactLocation(path).serialized()
        #expect(location.contains("%SRCROOT%") == relative)
    }

    @Test func aByteOrderMarkIsNotAColumn() {
        let file = SourceFile(path: "x", bytes: [0xEF, 0xBB, 0xBF] + Array("version: 2\nname: x\n".utf8))
        #expect(file.location(of: 12).column == 10)
        #expect(file.location(of: 3).column == 1)
        #expect(file.lineText(1) == "version: 2")
        #expect(file.location(of: 14).line == 2 && file.location(of: 14).column == 1)
    }
}
