import Diagnostics
import PlaybookLanguage
import Testing

/// A sync to the resource an incremental fetch reads makes every written record "changed", so it is
/// read and written again on every run; the checker warns at the sync unless a filter stops the loop.
struct IncrementalWriteBackTests {
    private static func playbook(cursor: String = "updated_at", mode: String = "update", resource: String = "contacts",
                                 connection: String = "crm", between: String = "") -> String {
        """
        version: 1
        name: example
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
          other: { connector: hubspot, auth: { token: { secret: OTHER_TOKEN } } }
        steps:
          changed:
            fetch: { connection: crm, resource: contacts, incremental: { cursor: \(cursor) } }
          touch:
            fetch: { connection: other, resource: contacts }
        \(between)
          save:
            sync:
              from: \(between.isEmpty ? "changed" : "picked")
              connection: \(connection)
              resource: \(resource)
              mode: \(mode)
              match_on: email
              fields: { email: record.email, lifecycle_stage: '"customer"' }
          copy:
            sync: { from: touch, connection: other, resource: companies, mode: upsert, match_on: domain, fields: { domain: record.company } }
        """
    }

    private func writeBackWarnings(_ text: String) -> [String] {
        let file = SourceFile(path: "playbook.yaml", text: text)
        return validate(text).diagnostics.filter { $0.code == LanguageDiagnosticCode.incrementalWriteBack }.map { summary($0, in: file) }
    }

    @Test func aSyncToTheResourceReadIncrementallyIsWarnedAtItsResource() throws {
        let text = Self.playbook()
        let warnings = validate(text).diagnostics.filter { $0.code == LanguageDiagnosticCode.incrementalWriteBack }
        let warning = try #require(warnings.first)
        #expect(warnings.count == 1)
        #expect(warning.severity == .warning)
        let file = SourceFile(path: "playbook.yaml", text: text)
        #expect(summary(warning, in: file).hasPrefix("16:17 PB0499 this step writes to crm contacts, which step 'changed' reads incrementally"))
        #expect(warning.notes.map { $0.range.map { file.location(of: $0.start).line } } == [8])
        #expect(warning.help?.contains("where: record.lead_score != record.new_score") == true)
    }

    @Test(arguments: [
        ("another connection", playbook(connection: "other")),
        ("another resource", playbook(resource: "companies")),
        ("a creation-time cursor and an update", playbook(cursor: "created_at")),
    ])
    func aSyncThatDoesNotFeedTheIncrementalReadIsNotWarned(_ situation: String, _ text: String) {
        #expect(writeBackWarnings(text) == [], "\(situation)")
    }

    @Test func withoutCheckingExpressionsTheFiltersAreUnknownSoNothingIsSaid() {
        // A filter ends the loop, and which fields it reads is known only from checking it.
        let validator = PlaybookValidator(checksExpressions: false)
        let unfiltered = validator.validate(SourceFile(path: "playbook.yaml", text: Self.playbook())).diagnostics
        #expect(!unfiltered.contains { $0.code == LanguageDiagnosticCode.incrementalWriteBack })
    }

    @Test func insertingIntoTheResourceLoopsEvenWithACreationTimeCursor() {
        #expect(writeBackWarnings(Self.playbook(cursor: "created_at", mode: "insert")).count == 1)
    }

    @Test func aFilterOnAWrittenFieldBeforeTheSyncEndsTheLoop() {
        let filtered = Self.playbook(between: """
              picked:
                segment: { from: changed, where: 'record.lifecycle_stage != "customer"' }
            """)
        #expect(writeBackWarnings(filtered) == [])
    }

    @Test func aFilterOnAFieldSetBeforeTheSyncEndsTheLoop() {
        let filtered = Self.playbook(between: """
              scored:
                transform: { from: changed, set: { lead_status: '"OPEN"' } }
              picked:
                segment: { from: scored, where: 'record.lead_status != "OPEN"' }
            """)
        #expect(writeBackWarnings(filtered) == [])
    }

    @Test func aFilterOnAFieldTheSyncDoesNotWriteLeavesTheWarning() {
        let unrelated = Self.playbook(between: """
              picked:
                segment: { from: changed, where: 'record.page_views > 10' }
            """)
        #expect(writeBackWarnings(unrelated).count == 1)
    }
}
