import Foundation
import Testing

struct ConnectorsCommandTests {
    @Test func listsEveryConnectorWithWhatItCanDo() async throws {
        let output = try await CLI.run(["connectors"])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.count == 12)
        #expect(lines.contains { $0.hasPrefix("hubspot") && $0.hasSuffix("HubSpot CRM (read, write)") })
        #expect(lines.contains { $0.hasPrefix("slack") && $0.hasSuffix("(notify)") })
    }

    @Test func showsOneConnectorsResourcesAndFields() async throws {
        let output = try await CLI.run(["connectors", "hubspot"])
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("## hubspot"))
        #expect(output.stdout.contains("`contacts`"))
        #expect(output.stdout.contains("`email`"))
    }

    @Test func unknownConnectorSuggestsTheClosest() async throws {
        let output = try await CLI.run(["connectors", "hubspt"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("did you mean 'hubspot'?"))
    }

    @Test func listsTheConnectorsAsJSON() async throws {
        let output = try await CLI.run(["connectors", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let connectors = try #require(json["connectors"] as? [[String: Any]])
        let text = try await CLI.run(["connectors"])
        #expect(connectors.count == text.stdout.split(separator: "\n").count)
        let hubspot = try #require(connectors.first { $0["name"] as? String == "hubspot" })
        #expect(hubspot["capabilities"] as? [String] == ["read", "write"])
        #expect((hubspot["resources"] as? [String])?.contains("contacts") == true)
    }

    @Test func showsOneConnectorAsJSON() async throws {
        let output = try await CLI.run(["connectors", "hubspot", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(json["name"] as? String == "hubspot")
        let resources = try #require(json["resources"] as? [[String: Any]])
        let contacts = try #require(resources.first { $0["name"] as? String == "contacts" })
        #expect((contacts["match_on"] as? [String])?.contains("email") == true)
        let fields = try #require(contacts["fields"] as? [[String: Any]])
        let email = try #require(fields.first { $0["name"] as? String == "email" })
        #expect(email["type"] as? String == "string")
        #expect((json["auth"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test func aSpecFileIsShownAsJSONToo() async throws {
        let output = try await CLI.run(["connectors", "--spec", "playbooks/connectors/acme-crm.yaml", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(json["name"] as? String == "acme_crm")
    }

    @Test func anUnknownFormatIsAUsageError() async throws {
        let output = try await CLI.run(["connectors", "--format", "yaml"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("yaml"))
    }

    @Test func checksASpecFileAndShowsItLikeABuiltIn() async throws {
        let output = try await CLI.run(["connectors", "--spec", "playbooks/connectors/acme-crm.yaml"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("## acme_crm"))
        #expect(output.stdout.contains("- API: `https://{options.region}.api.acme-crm.example`"))
        #expect(output.stdout.contains("- `api_key`: header `X-Acme-Key: {auth.api_key}`"))
    }

    @Test func aBrokenSpecFileIsReportedWithItsLocation() async throws {
        let directory = try CLI.temporaryDirectory(files: ["broken.yaml": """
            name: broken
            title: Broken
            summary: A spec with a typo.
            capabilities: [read]
            auth: []
            resources:
              - name: things
                summary: Things.
                fields:
                  - { name: id, type: strng }
            """])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["connectors", "--spec", "broken.yaml"], in: directory)
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("broken.yaml:10:27: error[PB0704]: unknown type 'strng'"), "\(output.stderr)")
    }

    @Test func schemaOfConnectorSpecsMatchesTheCheckedInFile() async throws {
        let output = try await CLI.run(["schema", "--connector"])
        #expect(output.status == 0)
        let checkedIn = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("grammar/connector-spec.schema.json"), encoding: .utf8)
        #expect(output.stdout == checkedIn, "regenerate with: playbook schema --connector > grammar/connector-spec.schema.json")
    }

    @Test func aPlaybookUsesItsOwnConnectorSpecAndReportsItsProblemsInTheSpecFile() async throws {
        let playbook = """
            version: 1
            name: acme
            connections:
              acme: { connector: ./connectors/acme.yaml, auth: { token: { secret: ACME_TOKEN } } }
            steps:
              people:
                fetch: { connection: acme, resource: contacts }
              copy:
                sync: { from: people, connection: acme, resource: contacts, mode: upsert, match_on: email }
            """
        let spec = """
            name: acme
            title: Acme
            summary: Acme contacts.
            capabilities: [read, write]
            auth:
              - { name: bearer, summary: A token., fields: [token] }
            resources:
              - name: contacts
                summary: People.
                sync_modes: [upsert]
                match_fields: [email]
                fields:
                  - { name: email, type: string }
            http:
              base_url: https://api.acme.example
              auth:
                bearer: { header: { Authorization: "Bearer {auth.token}" } }
            """
        let directory = try CLI.temporaryDirectory(files: ["flows/acme.yaml": playbook, "flows/connectors/acme.yaml": spec])
        defer { try? FileManager.default.removeItem(at: directory) }
        // The folder holds a playbook and, in `connectors/`, a spec that validation leaves to the playbook.
        let valid = try await CLI.run(["validate", "--strict", "flows"], in: directory)
        #expect(valid.status == 0, "\(valid.stdout)")
        #expect(valid.stdout.contains("in 1 file"))
        let plan = try await CLI.run(["plan", "flows/acme.yaml"], in: directory)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("acme: acme"))

        try spec.replacingOccurrences(of: "Bearer {auth.token}", with: "Bearer {auth.tokn}")
            .write(to: directory.appendingPathComponent("flows/connectors/acme.yaml"), atomically: true, encoding: .utf8)
        let broken = try await CLI.run(["validate", "flows"], in: directory)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("flows/acme.yaml:4:22: error[PB0710]: the connector spec './connectors/acme.yaml' has 1 error"), "\(broken.stdout)")
        #expect(broken.stdout.contains("flows/connectors/acme.yaml:17:48: error[PB0707]: placeholder '{auth.tokn}' names no auth field of this connector"), "\(broken.stdout)")
    }
}
