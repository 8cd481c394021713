import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

private let lookupPlaybook = """
    version: 1
    name: lookups
    connections:
      files: { connector: file }
      crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
    steps:
      events:
        fetch: { file: events.jsonl, fields: { form: string } }
      submissions:
        fetch: { from: events, connection: crm, resource: form_submissions, params: { form_id: record.form }, on_record_error: skip }
      out:
        sync: { from: submissions, connection: files, resource: out.jsonl, mode: insert }
    """

@Suite struct LookupTests {
    @Test func eachRecordIsLookedUpAndARecordWithoutMatchIsSetAside() async throws {
        let (summary, connectors) = try await Runtime.run(lookupPlaybook, records: [
            "events": [#"{"form": "f1"}"#, #"{"form": "zz"}"#, #"{"form": "f2"}"#],
            "submissions": [
                #"{"form_id": "f1", "email": "a@example.com"}"#,
                #"{"form_id": "f2", "email": "b@example.com"}"#,
                #"{"form_id": "f1", "email": "c@example.com"}"#,
            ],
        ])
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        let emails = (connectors.written["out"] ?? []).compactMap { $0["email"] }.map { JSONText.string($0) }
        #expect(emails == [#""a@example.com""#, #""c@example.com""#, #""b@example.com""#])
        #expect(summary.deadLetterCount == 1)
        #expect(summary.step("submissions")?.recordsIn == 3)
    }

    @Test func aLookupParameterIsCheckedAgainstTheRecordsItReads() {
        let result = PlaybookValidator().validate(SourceFile(path: "lookup.yaml", text: lookupPlaybook.replacingOccurrences(of: "record.form }", with: "record.frm }")))
        let errors = result.fileDiagnostics.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("frm") == true)
    }

    @Test func aLookupCannotAlsoReadAFile() {
        let text = lookupPlaybook.replacingOccurrences(of: "fetch: { from: events, connection: crm, resource: form_submissions,", with: "fetch: { from: events, file: other.jsonl,")
        let result = PlaybookValidator().validate(SourceFile(path: "lookup.yaml", text: text))
        #expect(result.fileDiagnostics.diagnostics.contains { $0.severity == .error })
    }
}

@Suite struct WebhookPayloadTests {
    private let playbook = """
        version: 1
        name: signups
        triggers:
          - webhook: { path: /hooks/signups, verify: standard-webhooks, signing_secret: { secret: SIGNUP_SECRET } }
        connections:
          files: { connector: file }
        steps:
          signups:
            fetch:
              webhook: /hooks/signups
              records: trigger.payload.users
              fields: { email: string, seats: int }
              on_record_error: skip
          out:
            sync: { from: signups, connection: files, resource: out.jsonl, mode: insert }
        """

    @Test func theRequestBodyIsReadByRecordsAndLaidOutOnTheDeclaredFields() async throws {
        let plan = try #require(Runtime.plan(playbook))
        let payload = try JSONText.decode(Array(#"{"users":[{"email":"a@example.com","seats":3,"extra":"x"},{"email":"b@example.com","seats":"many"},{"email":"c@example.com"}]}"#.utf8))
        let connectors = FixtureConnectors(records: [:])
        let options = RunOptions(trigger: .webhook(path: "/hooks/signups", payload: payload, headers: [:]),
                                 baseDirectory: FileManager.default.temporaryDirectory.path + "/playbook-webhook-\(UUID().uuidString)")
        let summary = await Executor(plan: plan, options: options, connectors: connectors).run()
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        #expect(Runtime.json(connectors.written["out"]) == [#"{"email":"a@example.com","seats":3}"#, #"{"email":"c@example.com"}"#])
        #expect(summary.deadLetterCount == 1)
    }
}
