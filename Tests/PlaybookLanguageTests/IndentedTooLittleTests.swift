import Diagnostics
import PlaybookLanguage
import Testing

/// A key written at its parent's column at the end of a block is valid YAML, but a field of the
/// wrong mapping: when it is a field of the block just above, the message says to indent it.
struct IndentedTooLittleTests {
    private static func playbook(_ lastLine: String) -> String {
        """
        version: 1
        name: example
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts }
          copy:
            sync:
              from: contacts
              connection: crm
              resource: contacts
              mode: upsert
              match_on: email
        \(lastLine)
        """
    }

    private func unknownFields(_ text: String) -> [Diagnostic] {
        validate(text).diagnostics.filter { $0.code == LanguageDiagnosticCode.unknownField }
    }

    @Test func aFieldOfTheKindAboveIsSaidToBeIndentedTooLittle() throws {
        let text = Self.playbook("    batch_size: 50")
        let diagnostics = validate(text).diagnostics
        let problem = try #require(diagnostics.first)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(summary(problem, in: SourceFile(path: "playbook.yaml", text: text))
            == "15:5 PB0201 'batch_size' is indented too little: it belongs under 'sync:' above, not beside it")
        #expect(problem.help == "indent 'batch_size:' by 2 more spaces, to line up with 'from:' and the other fields of 'sync:'")
    }

    @Test func aRequiredFieldIndentedTooLittleIsNotAlsoMissing() {
        let text = Self.playbook("    batch_size: 50\n    on_record_error: skip").replacingOccurrences(of: "      mode: upsert\n", with: "") + "\n    mode: upsert"
        let file = SourceFile(path: "playbook.yaml", text: text)
        #expect(validate(text).diagnostics.map { summary($0, in: file) } == [
            "14:5 PB0201 'batch_size' is indented too little: it belongs under 'sync:' above, not beside it",
            "15:5 PB0201 'on_record_error' is indented too little: it belongs under 'sync:' above, not beside it",
            "16:5 PB0201 'mode' is indented too little: it belongs under 'sync:' above, not beside it",
        ])
    }

    @Test func matchOnIndentedTooLittleIsOneMessageNotAlsoAMissingMatchOn() {
        let text = Self.playbook("    match_on: email").replacingOccurrences(of: "      match_on: email\n", with: "")
        let file = SourceFile(path: "playbook.yaml", text: text)
        #expect(validate(text).diagnostics.map { summary($0, in: file) } == [
            "14:5 PB0201 'match_on' is indented too little: it belongs under 'sync:' above, not beside it",
        ])
    }

    @Test func aKeyThatIsNoFieldOfTheBlockAboveIsStillUnknown() throws {
        let problem = try #require(unknownFields(Self.playbook("    batch: 50")).first)
        #expect(problem.message == "unknown field 'batch' in step")
    }

    @Test func aKeyAfterAFlowMappingIsNotTakenForIndentation() throws {
        let text = """
            version: 1
            name: example
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
                batch_size: 50
            """
        let problem = try #require(unknownFields(text).first)
        #expect(problem.message == "unknown field 'batch_size' in step")
    }
}
