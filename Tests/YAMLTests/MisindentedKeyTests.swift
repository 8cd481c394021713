import Diagnostics
import Testing
@testable import YAML

/// A key indented differently from the other keys of its mapping is reported at that key, saying
/// which key to line it up under, instead of libyaml's "did not find expected key" or "mapping
/// values are not allowed in this context" (which speaks of quoting).
struct MisindentedKeyTests {
    private static let lead = """
        steps:
          copy:
            sync:

        """

    private func firstDiagnostic(_ text: String) throws -> (line: Int, text: String, message: String, help: String?, notes: Int) {
        let file = SourceFile(path: "t.yaml", text: text)
        let result = YAMLLoader().load(file)
        #expect(result.diagnostics.count == 1, "\(result.diagnostics.map(\.message))")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == YAMLDiagnosticCode.syntaxError)
        return (file.location(of: diagnostic.range.start).line, file.text(in: diagnostic.range), diagnostic.message, diagnostic.help, diagnostic.notes.count)
    }

    @Test(arguments: [
        // One space less than the keys above, on the second key and on a later one.
        ("      from: contacts\n     connection: crm\n      resource: contacts\n", 5, "connection", "less than the keys above it", "line it up under 'from' (column 7)"),
        ("      from: contacts\n      connection: crm\n     resource: contacts\n      mode: upsert\n", 6, "resource", "less than the keys above it", "line it up under 'connection' (column 7)"),
        // Two spaces less, in line with the mapping's own key: libyaml stops on the next line.
        ("      from: contacts\n    connection: crm\n      resource: contacts\n", 5, "connection", "less than the keys above it", "line it up under 'from' (column 7)"),
        // The first key one space less than the keys below it.
        ("     from: contacts\n      connection: crm\n      resource: contacts\n", 4, "from", "less than the keys below it", "line it up with 'connection' (column 7)"),
        // Two spaces more than the keys above.
        ("      from: contacts\n        connection: crm\n      resource: contacts\n", 5, "connection", "more than the keys above it", "line it up under 'from' (column 7)"),
        // Below a nested mapping, the key lines up with the mapping's keys, not the nested ones.
        ("      from: contacts\n      params:\n        list_id: \"42\"\n     mode: upsert\n", 7, "mode", "less than the keys above it", "line it up under 'params' (column 7)"),
    ])
    func aMisplacedKeyIsNamedWithTheKeyToLineUpUnder(body: String, line: Int, key: String, message: String, help: String) throws {
        let reported = try firstDiagnostic(Self.lead + body)
        #expect(reported.line == line)
        #expect(reported.text == key)
        #expect(reported.message.hasPrefix("'\(key)' is indented \(message)"), "\(reported.message)")
        #expect(reported.help?.hasPrefix(help) == true, "\(reported.help ?? "no help")")
        #expect(reported.notes == 0)
    }

    @Test(arguments: [
        ("      message: Note: the list is ready\n", "\"Note: the list is ready\""),
        ("      from: contacts\n      message: Hello: world\n", "\"Hello: world\""),
        ("    - schedule: every day: 9am\n", "\"every day: 9am\""),
    ])
    func aValueWithAColonIsStillToldToBeQuoted(body: String, quoted: String) throws {
        let reported = try firstDiagnostic(Self.lead + body)
        #expect(reported.message == "mapping values are not allowed in this context")
        #expect(reported.help == "a value that contains ': ' must be quoted, e.g. \(quoted)")
    }
}
