import Foundation
import Testing
@testable import PlaybookTesting

/// Tests run on the real executor with fixtures; failures show what differs, field by field.
struct TestRunnerTests {
    private func run(_ test: String) async throws -> TestFileResult {
        let workspace = try Workspace(["scoring.yaml": scoringPlaybook, "scoring.test.yaml": test])
        defer { workspace.remove() }
        let loaded = try workspace.load("scoring.test.yaml")
        #expect(!loaded.hasErrors, "\(described(loaded))")
        return try #require(try await workspace.run("scoring.test.yaml"))
    }

    private func failureText(_ result: TestFileResult) -> String {
        TestReportFormat.text.render(TestReport(files: [result]))
            .split(separator: "\n").filter { $0.hasPrefix("      ") || $0.hasPrefix("          ") }
            .map { $0.replacingOccurrences(of: result.file.path, with: "FILE") }.joined(separator: "\n")
    }

    @Test func passingTestChecksRecordsWritesAndMessages() async throws {
        let result = try await run("""
            playbook: scoring.yaml
            params: { min_score: 20 }
            tests:
              - name: hot leads
                fixtures:
                  contacts:
                    - { id: "1", email: Ann@Example.com, page_views: 50 }
                    - { id: "2", email: bo@example.com, page_views: 3 }
                expect:
                  steps:
                    scored:
                      records: [ { id: "1", email: ann@example.com, score: 100 }, { id: "2", email: bo@example.com, score: 6 } ]
                    hot: { count: 1, records_in: 2 }
                    save: { written: [ { id: "1", hubspot_score: 100 } ] }
                    tell: { messages: [ "Hot lead ann@example.com (100)" ] }
            """)
        #expect(result.tests.map(\.passed) == [true], "\(failureText(result))")
    }

    @Test func failingTestShowsAFieldByFieldDiffAtTheExpectation() async throws {
        let result = try await run("""
            playbook: scoring.yaml
            tests:
              - name: wrong
                fixtures:
                  contacts: [ { id: "1", email: ann@example.com, page_views: 50 } ]
                expect:
                  steps:
                    scored:
                      records:
                        - { id: "1", mail: ann@example.com, score: 100.0 }
                        - { id: "2", email: x@example.com, score: 1 }
                    tell:
                      messages: [ { text: "Hot lead ann@example.com", to: sales@example.com } ]
            """)
        #expect(result.tests.map(\.passed) == [false])
        #expect(failureText(result) == """
                  FILE:10:15: steps.scored.records: the step passed on 1 record, expected 2
                      record 1:
                        mail: expected "ann@example.com", but the record has no such field
                        score: expected 100.0 (double), got 100 (int)
                        email: not expected, got "ann@example.com"
                      record 2 is missing: expected {"id":"2","email":"x@example.com","score":1}
                  FILE:13:23: steps.tell.messages: the messages differ
                      message 1:
                        text: expected "Hot lead ann@example.com", got "Hot lead ann@example.com (100)"
                        to: expected "sales@example.com", got none
            """)
    }

    @Test func runStatusDeadLettersAndUnorderedComparison() async throws {
        let result = try await run("""
            playbook: scoring.yaml
            fixtures:
              contacts:
                - { id: "1", email: ann@example.com, page_views: 50 }
                - { id: "2", email: bo@example.com }
                - { id: "3", email: cy@example.com, page_views: 40 }
            tests:
              - name: skipped record
                expect:
                  dead_letters: 1
                  steps:
                    scored: { dead_letters: 1, count: 2 }
                    save:
                      ordered: false
                      fields: [id]
                      written: [ { id: "3" }, { id: "1" } ]
              - name: expected failure that does not happen
                expect: { status: failed }
            """)
        #expect(result.tests.map(\.passed) == [true, false])
        let text = failureText(result)
        #expect(text.contains("FILE:18:23: the run succeeded, expected it to have failed"), "\(text)")
        #expect(text.contains("step 'scored' set a record aside: "), "\(text)")
    }

    @Test func valuesKeepTheirTypes() {
        #expect(ValueMatching.matches(.int(80), .int(80)))
        #expect(!ValueMatching.matches(.int(80), .double(80)))
        #expect(!ValueMatching.matches(.string("80"), .int(80)))
        #expect(ValueMatching.matches(.double(0.3), .double(0.1 + 0.2)))
        #expect(ValueMatching.matches(.string("2026-03-02T10:00:00+01:00"), .timestamp(.init(rfc3339: "2026-03-02T09:00:00Z")!)))
        #expect(ValueMatching.matches(.string("1h30m"), .duration(.init(milliseconds: 5_400_000))))
        #expect(!ValueMatching.matches(.null, .string("")))
    }
}
