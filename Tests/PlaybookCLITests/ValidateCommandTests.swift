import Foundation
import Testing

/// `playbook validate`, `plan` and `schema` end to end, through the built executable.
struct ValidateCommandTests {
    static let clean = """
        version: 1
        name: hot-leads
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts, incremental: { cursor: updated_at } }
          engaged:
            segment: { from: contacts, where: 'record.page_views > 10 && record.lifecycle_stage != "salesqualifiedlead"' }
          update_crm:
            sync: { from: engaged, connection: crm, resource: contacts, mode: update, match_on: email, fields: { email: record.email, lifecycle_stage: '"salesqualifiedlead"' } }

        """

    static let broken = """
        version: 1
        name: hot-leads
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contact }
          update_crm:
            sync: { from: contatcs, connection: crm, resource: contacts, mode: upsert, match_on: email }

        """

    @Test func cleanFileExitsZero() async throws {
        let directory = try CLI.temporaryDirectory(files: ["clean.yaml": Self.clean])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["validate", "clean.yaml"], in: directory)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("no problems"))
    }

    @Test func errorsExitOneAndAreAllLocated() async throws {
        let directory = try CLI.temporaryDirectory(files: ["broken.yaml": Self.broken])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["validate", "broken.yaml"], in: directory)
        #expect(output.status == 1)
        #expect(output.stdout.contains("broken.yaml:7:41: error[PB0404]"), "\(output.stdout)")
        #expect(output.stdout.contains("broken.yaml:9:19: error[PB0401]"), "\(output.stdout)")
        #expect(output.stdout.contains("did you mean 'contacts'?"))
        // The misspelt reference does not also make 'contacts' look unused.
        #expect(!output.stdout.contains("PB0406"))
        #expect(output.stdout.hasSuffix("2 errors in 1 file\n"))
    }

    @Test func directoriesAreSearchedInAStableOrder() async throws {
        let directory = try CLI.temporaryDirectory(files: [
            "b/second.yaml": Self.broken, "a/first.yml": Self.broken, "notes.txt": "not a playbook",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["validate", "--format", "json", "."], in: directory)
        #expect(output.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["path"] as? String } == ["./a/first.yml", "./b/second.yaml"])
    }

    @Test func aCopiedPlaybookIsReportedAtItsNameAndThenAtItsWebhookPath() async throws {
        let withWebhook = Self.clean.replacingOccurrences(of: "connections:\n", with: """
            triggers:
              - webhook: { path: /hooks/leads, verify: hubspot-v3, signing_secret: { secret: HUBSPOT_APP_SECRET } }
            connections:

            """)
        let renamedCopy = withWebhook.replacingOccurrences(of: "name: hot-leads", with: "name: warm-leads")
        let directory = try CLI.temporaryDirectory(files: [
            "a-hot-leads.yaml": withWebhook, "b-hot-leads-copy.yaml": withWebhook, "c-warm-leads.yaml": renamedCopy,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["validate", "."], in: directory)
        #expect(output.status == 1, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("./b-hot-leads-copy.yaml:2:7: error[PB0423]: the name 'hot-leads' is already the name of ./a-hot-leads.yaml"), "\(output.stdout)")
        #expect(output.stdout.contains("./c-warm-leads.yaml:4:22: error[PB0423]: the webhook path '/hooks/leads' is already used by ./a-hot-leads.yaml"), "\(output.stdout)")
        #expect(!output.stdout.contains("./a-hot-leads.yaml:"), "\(output.stdout)")
        #expect(output.stdout.hasSuffix("2 errors in 3 files\n"), "\(output.stdout)")

        // Each file on its own is valid: the rule is about files checked together.
        let alone = try await CLI.run(["validate", "b-hot-leads-copy.yaml"], in: directory)
        #expect(alone.status == 0, "\(alone.stdout)")
    }

    @Test func missingFileExitsTwo() async throws {
        let output = try await CLI.run(["validate", "/nonexistent/playbook.yaml"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("no such file or directory: /nonexistent/playbook.yaml"))
    }

    @Test func unknownOptionExitsTwo() async throws {
        let output = try await CLI.run(["validate", "--frmat", "json", "x.yaml"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--frmat"))
    }

    @Test func strictTurnsWarningsIntoFailure() async throws {
        let withWarning = Self.clean.replacingOccurrences(of: "connections:\n", with: "connections:\n  unused: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }\n")
        let directory = try CLI.temporaryDirectory(files: ["warn.yaml": withWarning])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await CLI.run(["validate", "warn.yaml"], in: directory).status == 0)
        let strict = try await CLI.run(["validate", "--strict", "warn.yaml"], in: directory)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("warning[PB0407]"))
    }

    @Test func githubFormatPrintsAnnotations() async throws {
        let directory = try CLI.temporaryDirectory(files: ["broken.yaml": Self.broken])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["validate", "--format", "github", "broken.yaml"], in: directory)
        #expect(output.stdout.contains("::error file=broken.yaml,line=7,col=41,"), "\(output.stdout)")
    }

    @Test func sarifFormatIsSARIF210() async throws {
        let directory = try CLI.temporaryDirectory(files: ["broken.yaml": Self.broken])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["validate", "--format", "sarif", "broken.yaml"], in: directory)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(json["version"] as? String == "2.1.0")
        let runs = try #require(json["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(Set(results.compactMap { $0["ruleId"] as? String }) == ["PB0401", "PB0404"])
    }

    @Test(arguments: ["text", "json", "mermaid", "dot"])
    func planPrintsEveryFormat(_ format: String) async throws {
        let directory = try CLI.temporaryDirectory(files: ["clean.yaml": Self.clean])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["plan", "--format", format, "clean.yaml"], in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        switch format {
        case "text":
            #expect(output.stdout.contains("1. contacts [fetch, level 0]"))
            #expect(output.stdout.contains("read hubspot contacts via 'crm', incrementally by updated_at"))
            #expect(output.stdout.contains("up to 5 attempts, exponential backoff from 1s ×2 to 1m"))
        case "json":
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
            let steps = try #require(json["steps"] as? [[String: Any]])
            #expect(steps.compactMap { $0["id"] as? String } == ["contacts", "engaged", "update_crm"])
            #expect(json["levels"] as? [[String]] == [["contacts"], ["engaged"], ["update_crm"]])
        case "mermaid":
            #expect(output.stdout.hasPrefix("flowchart TD"))
            #expect(output.stdout.contains("contacts --> engaged"))
        default:
            #expect(output.stdout.contains("\"engaged\" -> \"update_crm\";"))
        }
    }

    @Test func planOfABrokenFileShowsTheErrors() async throws {
        let directory = try CLI.temporaryDirectory(files: ["broken.yaml": Self.broken])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["plan", "broken.yaml"], in: directory)
        #expect(output.status == 1)
        #expect(output.stderr.contains("error[PB0404]"))
        #expect(output.stdout.isEmpty)
    }

    @Test func schemaMatchesTheCheckedInGrammarFile() async throws {
        let output = try await CLI.run(["schema"])
        #expect(output.status == 0)
        let checkedIn = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("grammar/playbook.schema.json"), encoding: .utf8)
        #expect(output.stdout == checkedIn, "grammar/playbook.schema.json is out of date: run `playbook schema > grammar/playbook.schema.json`")
    }
}

struct FileCollectionTests {
    @Test func symbolicLinksToFilesAndFoldersAreFollowedOnce() async throws {
        let directory = try CLI.temporaryDirectory(files: [
            "real/bad.yaml": "version: 1\nname: [\n",
            "walk/ok.yaml": ValidateCommandTests.clean,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let walk = directory.appendingPathComponent("walk")
        try FileManager.default.createSymbolicLink(atPath: walk.appendingPathComponent("link.yaml").path, withDestinationPath: "../real/bad.yaml")
        try FileManager.default.createSymbolicLink(atPath: walk.appendingPathComponent("linked").path, withDestinationPath: "../real")
        // A link back to the folder itself must not loop.
        try FileManager.default.createSymbolicLink(atPath: walk.appendingPathComponent("again").path, withDestinationPath: ".")
        let output = try await CLI.run(["validate", "--format", "json", "walk"], in: directory)
        #expect(output.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let paths = (json["files"] as? [[String: Any]])?.compactMap { $0["path"] as? String } ?? []
        #expect(paths == ["walk/link.yaml", "walk/linked/bad.yaml", "walk/ok.yaml"])
    }

    @Test func anEmptyStreamIsAnEmptyPlaybook() async throws {
        let output = try await CLI.run(["validate", "/dev/null"])
        #expect(output.status == 1)
        #expect(output.stdout.contains("error[PB0005]"))
    }
}
