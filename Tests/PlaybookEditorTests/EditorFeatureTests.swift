import Diagnostics
import Foundation
import Testing
@testable import PlaybookEditor

@Suite struct CompletionTests {
    private func labels(_ marked: String) -> [String] {
        let client = TestClient()
        client.initialize()
        // Open the valid sample first, so that step ids and record types are known even when the
        // marked text does not parse.
        _ = client.open(Samples.playbook)
        return client.request("textDocument/completion", at: marked).labels
    }

    private func sample(replacing line: String, with marked: String) -> String {
        precondition(Samples.playbook.contains(line))
        return Samples.playbook.replacingOccurrences(of: line, with: marked)
    }

    @Test func topLevelKeysComeFromTheGrammar() {
        let found = labels("version: 1\n‸\nname: x\n")
        #expect(Set(found) == Set(["version", "name", "description", "labels", "triggers", "params", "connections", "defaults", "steps", "alerts"]))
    }

    @Test func stepKindsAreOfferedUnderAStepId() {
        let found = labels(sample(replacing: "  tell:\n", with: "  new_step:\n    ‸\n  tell:\n"))
        #expect(Set(found) == Set(["description", "fetch", "transform", "segment", "sync", "notify"]))
    }

    @Test func fieldsOfAStepKindAreOffered() {
        let found = labels(sample(replacing: "      where: record.page_views > 20\n", with: "      where: record.page_views > 20\n      ‸\n"))
        #expect(found.contains("segments"))
        #expect(found.contains("otherwise"))
        #expect(found.contains("on_record_error"))
        #expect(!found.contains("resource"))
    }

    @Test func keysOfAListItemAreThoseOfItsElement() {
        let found = labels("version: 1\ntriggers:\n  - schedule: \"@daily\"\n    ‸\n")
        #expect(found.contains("timezone"))
        #expect(found.contains("catch_up"))
        #expect(!found.contains("steps"))
        #expect(labels("version: 1\ntriggers:\n  - ‸\n").contains("webhook"))
    }

    @Test func stepIdsAfterFromAndAfter() {
        #expect(Set(labels(sample(replacing: "from: hot", with: "from: ‸"))) == Set(["contacts", "hot", "tell"]))
        #expect(labels(sample(replacing: "      from: hot\n", with: "      from: hot\n      after:\n        - ‸\n")).contains("contacts"))
        #expect(labels(sample(replacing: "from: hot", with: "from: [contacts, ‸]")).contains("hot"))
    }

    @Test func connectionNamesAfterConnection() {
        #expect(Set(labels(sample(replacing: "connection: sales", with: "connection: ‸"))) == Set(["crm", "sales"]))
    }

    @Test func resourcesOfTheConnectionsConnector() {
        let found = labels(sample(replacing: "resource: contacts", with: "resource: ‸"))
        #expect(found.contains("contacts"))
        #expect(found.contains("companies"))
        #expect(found.contains("deals"))
    }

    @Test func choicesAndConnectors() {
        #expect(labels(sample(replacing: "connector: slack", with: "connector: ‸")).contains("mailchimp"))
        let found = labels(sample(replacing: "      where: record.page_views > 20\n", with: "      where: record.page_views > 20\n      on_record_error: ‸\n"))
        #expect(Set(found) == Set(["fail", "skip"]))
    }

    @Test func recordFieldsAfterRecordDot() {
        let found = labels(sample(replacing: "where: record.page_views > 20", with: "where: record.‸"))
        #expect(found.contains("page_views"))
        #expect(found.contains("email"))
        #expect(!found.contains("size"))
        let inTemplate = labels(sample(replacing: "{{ record.email }}", with: "{{ record.em‸"))
        #expect(inTemplate.contains("email"))
    }

    @Test func recordFieldsOnTheLinesOfABlockScalar() {
        let found = labels(sample(replacing: "where: record.page_views > 20", with: "where: >-\n        record.page_views > 20\n        && record.‸"))
        #expect(found.contains("email"))
        #expect(!found.contains("segments"))
    }

    @Test func recordFieldsInATemplateBlockWhoseLineLooksLikeAKey() {
        // `{{ record.email }}: …` on a line of `message: >-` is text of the message, not a key.
        let found = labels(sample(replacing: "\"Hot lead: {{ record.email }}\"", with: ">-\n        {{ record.email }}: scored {{ record.‸"))
        #expect(found.contains("page_views"))
        #expect(!found.contains("segments"))
    }

    @Test func functionsAndMacrosInExpressions() {
        let global = labels(sample(replacing: "where: record.page_views > 20", with: "where: ‸"))
        #expect(global.contains("has"))
        #expect(global.contains("size"))
        #expect(global.contains("record"))
        #expect(!global.contains("lowerAscii"))
        let member = labels(sample(replacing: "where: record.page_views > 20", with: "where: record.email.‸"))
        #expect(member.contains("lowerAscii"))
        #expect(member.contains("exists"))
        #expect(!member.contains("page_views"))
        let math = labels(sample(replacing: "where: record.page_views > 20", with: "where: math.‸"))
        #expect(math.contains("greatest"))
        #expect(!math.contains("size"))
        #expect(labels(sample(replacing: "\"Hot lead: {{ record.email }}\"", with: "\"Hot lead ‸\"")).isEmpty)
    }
}

@Suite struct HoverAndDefinitionTests {
    private func hover(_ marked: String) -> String? {
        let client = TestClient()
        client.initialize()
        return client.request("textDocument/hover", at: marked)["result"]?["contents"]?["value"]?.stringValue
    }

    private func marked(_ line: String, _ markedLine: String) -> String {
        precondition(Samples.playbook.contains(line))
        return Samples.playbook.replacingOccurrences(of: line, with: markedLine)
    }

    @Test func hoverOnAKeyShowsItsGrammarDescription() throws {
        let text = try #require(hover(marked("      resource: contacts", "      reso‸urce: contacts")))
        #expect(text.contains("The connector resource to read"))
        let top = try #require(hover(marked("steps:", "st‸eps:")))
        #expect(top.contains("(required)"))
    }

    @Test func hoverOnARecordFieldShowsItsTypeAndSummary() throws {
        let text = try #require(hover(marked("record.page_views > 20", "record.page_v‸iews > 20")))
        #expect(text.contains("`int`"))
        #expect(text.contains("Website page views"))
    }

    @Test func hoverOnAFunctionAConnectorAndAResource() throws {
        let function = try #require(hover(marked("record.page_views > 20", "record.email.lowerA‸scii() == \"\"")))
        #expect(function.contains("text.lowerAscii() -> string"))
        let macro = try #require(hover(marked("record.page_views > 20", "h‸as(record.email)")))
        #expect(macro.contains("macro"))
        let connector = try #require(hover(marked("connector: hubspot", "connector: hub‸spot")))
        #expect(connector.contains("HubSpot"))
        let resource = try #require(hover(marked("resource: contacts", "resource: cont‸acts")))
        #expect(resource.contains("/crm/v3/objects/contacts"))
        #expect(hover(marked("record.page_views > 20", "record.page_views > 2‸0")) == nil)
    }

    private func definition(_ marked: String) -> JSONValue? {
        let client = TestClient()
        client.initialize()
        return client.request("textDocument/definition", at: marked)["result"]
    }

    private func line(of text: String, in document: String) -> Int {
        document.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(text) } ?? -1
    }

    @Test func definitionOfFromGoesToTheStepKey() throws {
        let result = try #require(definition(marked("from: contacts", "from: conta‸cts")))
        #expect(result["uri"] == .string(TestClient.uri))
        #expect(result["range"]?["start"]?["line"] == .int(line(of: "  contacts:", in: Samples.playbook)))
        #expect(result["range"]?["start"]?["character"] == .int(2))
        #expect(result["range"]?["end"]?["character"] == .int(10))
    }

    @Test func definitionOfAfterAndOfAJoinStep() throws {
        let after = try #require(definition(marked("      from: hot\n", "      from: hot\n      after: [contacts, h‸ot]\n")))
        #expect(after["range"]?["start"]?["line"] == .int(line(of: "  hot:", in: Samples.playbook)))
        let join = """
            version: 1
            name: x
            steps:
              a:
                fetch: { file: a.jsonl }
              b:
                fetch: { file: b.jsonl }
              c:
                transform:
                  from: a
                  join:
                    with: ‸b
                    on: id
            """
        let result = try #require(definition(join))
        #expect(result["range"]?["start"]?["line"] == .int(5))
        #expect(definition(marked("connection: crm", "connection: c‸rm")) == .null)
    }
}
