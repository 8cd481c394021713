import CEL
import Diagnostics
import PlaybookLanguage
import Testing

/// Mistakes a marketer makes when writing a first playbook get one message that names the fix.
struct MarketerMistakeTests {
    private static let header = """
        version: 1
        name: example
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }

        """

    @Test func aParamWithoutItsPrefixIsToldToBeWrittenWithIt() throws {
        let diagnostics = validate(Self.header + """
            params:
              min_views: { type: int, default: 10 }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: record.page_views > min_views }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """).diagnostics
        #expect(diagnostics.map(\.code) == [CELDiagnosticCode.unknownVariable])
        #expect(diagnostics.first?.help == "'min_views' is a parameter of this playbook: write params.min_views")
    }

    @Test func anUnknownNameThatIsNotAParamKeepsItsSuggestion() throws {
        let diagnostics = validate(Self.header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: recrod.page_views > 10 }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """).diagnostics
        #expect(diagnostics.map(\.code) == [CELDiagnosticCode.unknownVariable])
        #expect(diagnostics.first?.help?.contains("record") == true)
    }

    @Test(arguments: ["schedule", "timezone", "webhook"])
    func aTriggerFieldAtTheTopIsToldToGoUnderTriggers(field: String) throws {
        let diagnostics = validate(Self.header + """
            \(field): x
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """).diagnostics
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.unknownField])
        #expect(diagnostics.first?.help?.hasPrefix("'\(field)' belongs to a trigger: put it under 'triggers:'") == true, "\(diagnostics.first?.help ?? "")")
    }
}

extension MarketerMistakeTests {
    @Test func aMisspeltStepKindIsReportedOnceAndNotAgainWhereTheStepIsRead() throws {
        let text = Self.header + """
            steps:
              contacts:
                fetchh: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """
        let file = SourceFile(path: "playbook.yaml", text: text)
        #expect(validate(text).diagnostics.map { summary($0, in: file) } == ["7:5 PB0201 unknown field 'fetchh' in step"])
    }

    @Test func aStepThatIsNotWrittenAnywhereIsStillUnknown() throws {
        let text = Self.header + """
            steps:
              contacts:
                fetchh: { connection: crm, resource: contacts }
              copy:
                sync: { from: contatcs, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """
        #expect(validate(text).diagnostics.map(\.code) == [LanguageDiagnosticCode.unknownField, LanguageDiagnosticCode.unknownStep])
    }
}
