import Foundation
import PlaybookSandbox
import Testing

/// A secret's value never leaves the run: a canary secret is searched for, as written, URL-encoded
/// and base64-encoded, in everything a run writes and in everything the platform recorded.
@Suite struct SecretCanaryTests {
    @Test func aCanarySecretAppearsInNoOutput() async throws {
        let canary = "canary+S3cr3t/value"
        let hookSecret = "hookCanary7Q2"
        let hook = "https://hooks.slack.com/services/T0/B0/\(hookSecret)"
        let server = SandboxServer()
        let origin = try await server.start(port: 0, seed: 2).absoluteString
        defer { Task { await server.stop() } }
        let folder = try CLI.temporaryDirectory(files: [
            "team.secrets": "HUBSPOT_TOKEN=\(canary)\nSLACK_HOOK=\(hook)\nBROKEN_HOOK=\(hook)\n",
            "canary.yaml": """
                version: 1
                name: canary
                connections:
                  crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } }, options: { base_url: "\(origin)/hubspot" } }
                  sales: { connector: slack, auth: { webhook_url: { secret: SLACK_HOOK } }, options: { base_url: "\(origin)/slack" } }
                  nowhere: { connector: slack, auth: { webhook_url: { secret: BROKEN_HOOK } }, options: { base_url: "http://127.0.0.1:9/slack" } }
                steps:
                  contacts:
                    fetch: { connection: crm, resource: contacts, max_records: 150 }
                  open:
                    sync: { from: contacts, connection: crm, resource: contacts, mode: update, match_on: id, fields: { id: record.id, lead_status: '"OPEN"' } }
                  tell:
                    notify: { from: contacts, connection: sales, message: "Lead {{ record.email }}", max_messages: 2 }
                  fail:
                    notify: { connection: nowhere, message: "this cannot be delivered", retry: { max_attempts: 2, initial_delay: 10ms }, timeout: 1s, on_error: continue }
                """,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let deadLetters = folder.appendingPathComponent("dead.jsonl")
        var outputs: [String] = []
        for format in ["text", "json"] {
            let output = try await CLI.run(["run", "canary.yaml", "--secrets", "team.secrets", "--format", format, "--progress",
                                      "--dead-letters", deadLetters.path], in: folder)
            outputs += [output.stdout, output.stderr]
            #expect(output.stdout.contains("fail") && output.stdout.contains("[secret]"), "\(output.stdout)\(output.stderr)")
        }
        if let written = try? String(contentsOf: deadLetters, encoding: .utf8) { outputs.append(written) }
        outputs.append(server.journal.jsonLines())
        #expect(server.journal.entries().contains { $0.platform == "slack" }, "the messages reached the sandbox")
        let forms = [canary, canary.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                     canary.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, Data(canary.utf8).base64EncodedString(), hookSecret]
        for output in outputs {
            for form in forms {
                #expect(!output.contains(form), "the secret appears as '\(form)' in:\n\(output.prefix(3000))")
            }
        }
    }
}
