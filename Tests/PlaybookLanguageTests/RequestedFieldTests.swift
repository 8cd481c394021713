import CEL
import Diagnostics
import PlaybookLanguage
import Testing

/// A GA4 report's rows hold only the dimensions and metrics the fetch requests: reading another
/// known one says to request it, with its API name, instead of calling it unknown.
struct RequestedFieldTests {
    private static func playbook(dimensions: String = "[date]", between: String = "", condition: String) -> String {
        """
        version: 1
        name: example
        connections:
          analytics: { connector: ga4, options: { property_id: "312345678" }, auth: { service_account_key: { secret: GA4_KEY } } }
          exports: { connector: file, options: { directory: out } }
        steps:
          traffic:
            fetch: { connection: analytics, resource: report, params: { dimensions: \(dimensions), metrics: [sessions] } }
        \(between)
          picked:
            segment: { from: \(between.isEmpty ? "traffic" : "shaped"), where: '\(condition)' }
          save:
            sync: { from: picked, connection: exports, resource: traffic.jsonl, mode: insert }
        """
    }

    private func problems(_ text: String) -> [Diagnostic] {
        validate(text).diagnostics.filter { $0.code == CELDiagnosticCode.unknownField }
    }

    @Test func aDimensionNotRequestedSaysToAddItsAPIName() throws {
        let found = problems(Self.playbook(condition: #"record.session_source == "google""#))
        let problem = try #require(found.first)
        #expect(found.count == 1)
        #expect(problem.message == "unknown field 'session_source': step 'traffic' does not request the dimension `sessionSource`")
        #expect(problem.help == "add `sessionSource` to `dimensions:` of step 'traffic': `dimensions: [date, sessionSource]`")
        #expect(problem.fixIts.isEmpty)
    }

    @Test func aMetricNotRequestedSaysToAddItToTheMetrics() throws {
        let problem = try #require(problems(Self.playbook(condition: "record.key_events > 0.0")).first)
        #expect(problem.message == "unknown field 'key_events': step 'traffic' does not request the metric `keyEvents`")
        #expect(problem.help == "add `keyEvents` to `metrics:` of step 'traffic': `metrics: [sessions, keyEvents]`")
    }

    @Test func aMisspeltFieldIsStillUnknownWithTheClosestName() throws {
        let problem = try #require(problems(Self.playbook(condition: "record.sesions > 0")).first)
        #expect(problem.message == "unknown field 'sesions' on the records from 'traffic'")
        #expect(problem.help == "did you mean 'sessions'?")
    }

    @Test func aTransformThatKeepsOnlySomeFieldsIsNotTakenForTheReport() throws {
        let text = Self.playbook(between: """
              shaped:
                transform: { from: traffic, select: [date, sessions] }
            """, condition: #"record.country == "Germany""#)
        let problem = try #require(problems(text).first)
        #expect(problem.message == "unknown field 'country' on the records from 'shaped'")
    }

    @Test func aRequestedDimensionIsAField() {
        #expect(validate(Self.playbook(dimensions: "[date, country]", condition: #"record.country == "Germany""#)).diagnostics.isEmpty)
    }
}
