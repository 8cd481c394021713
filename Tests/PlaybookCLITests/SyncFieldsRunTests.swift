import Diagnostics
import Foundation
import PlaybookSandbox
import Testing

/// What a sync sends to the platform, run against the sandbox: custom properties inside
/// `properties`, and read-only fields left out of records written without `fields:`.
@Suite(.serialized) struct SyncFieldsRunTests {
    private func hubSpotWrites(_ server: SandboxServer) -> [JSONValue] {
        server.journal.entries().filter { $0.platform == "hubspot" && $0.applied && $0.operation == "upsert" }
            .flatMap { entry -> [JSONValue] in
                if case .array(let inputs)? = entry.body["inputs"] { return inputs }
                return []
            }
    }

    @Test func aCustomPropertyIsWrittenInsidePropertiesBesideTheStandardOnes() async throws {
        let playbook = """
            version: 1
            name: save-scores
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              scores:
                fetch: { file: scores.jsonl, fields: { email: string, score: int } }
              save:
                sync:
                  from: scores
                  connection: crm
                  resource: contacts
                  mode: upsert
                  match_on: email
                  fields:
                    email: record.email
                    properties: '{"lead_score_custom": string(record.score)}'
            """
        let folder = try CLI.temporaryDirectory(files: [
            "save.yaml": playbook, "scores.jsonl": #"{"email":"ann@example.com","score":87}"# + "\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = SandboxServer()
        let origin = try await server.start(port: 0).absoluteString
        let run = try await CLI.run(["run", "save.yaml", "--sandbox-url", origin, "--state", "state.sqlite", "--no-progress"], in: folder)
        let writes = hubSpotWrites(server)
        await server.stop()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(writes.count == 1)
        let properties = writes.first?["properties"]
        #expect(properties?["lead_score_custom"] == .string("87"))
        #expect(properties?["email"] == .string("ann@example.com"))
    }

    @Test func contactsReadFromHubSpotAreWrittenBackWithoutTheirReadOnlyProperties() async throws {
        let playbook = """
            version: 1
            name: copy-back
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts, max_records: 5 }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """
        let folder = try CLI.temporaryDirectory(files: ["copy.yaml": playbook])
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = SandboxServer()
        let origin = try await server.start(port: 0).absoluteString
        let run = try await CLI.run(["run", "copy.yaml", "--sandbox-url", origin, "--state", "state.sqlite", "--no-progress"], in: folder)
        let writes = hubSpotWrites(server)
        await server.stop()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(writes.count == 5)
        for input in writes {
            #expect(input["properties"]?["email"] != nil)
            for readOnly in ["hs_analytics_num_page_views", "hs_email_open", "hs_email_last_open_date", "hs_analytics_source"] {
                #expect(input["properties"]?[readOnly] == nil, "\(readOnly) in \(input)")
            }
            #expect(input["createdAt"] == nil && input["updatedAt"] == nil && input["archived"] == nil)
        }
    }
}
