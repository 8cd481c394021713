import Foundation
import Testing

/// `playbook fmt`: rewriting, `--check` and its exit statuses, standard input, and files left alone.
@Suite struct FmtCommandTests {
    static let messy = """
        version: 1
        name: tidy-me
        # the trigger
        triggers:
        -   manual: true      # by hand
        steps:
            contacts:
                fetch: {connection: crm,resource: contacts}

        """

    static let canonical = """
        version: 1
        name: tidy-me
        # the trigger
        triggers:
          - manual: true      # by hand
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts }

        """

    private func contents(_ directory: URL, _ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func checkListsTheFilesThatWouldChangeAndWritesNothing() async throws {
        let directory = try CLI.temporaryDirectory(files: ["a.yaml": Self.messy, "b.yaml": Self.canonical])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["fmt", "--check", directory.path])
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stdout == directory.appendingPathComponent("a.yaml").path + "\n")
        #expect(try contents(directory, "a.yaml") == Self.messy)
    }

    @Test func checkPassesWhenEveryFileIsCanonical() async throws {
        let directory = try CLI.temporaryDirectory(files: ["b.yaml": Self.canonical])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["fmt", "--check", directory.appendingPathComponent("b.yaml").path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    @Test func formattingRewritesTheFileOnceAndListsIt() async throws {
        let directory = try CLI.temporaryDirectory(files: ["a.yaml": Self.messy])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("a.yaml").path
        let first = try await CLI.run(["fmt", path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == path + "\n")
        #expect(try contents(directory, "a.yaml") == Self.canonical)
        let second = try await CLI.run(["fmt", path])
        #expect(second.status == 0)
        #expect(second.stdout.isEmpty)
    }

    @Test func standardInputIsFormattedToStandardOutput() async throws {
        let output = try await CLI.run(["fmt", "-"], stdin: Self.messy)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == Self.canonical)
        let check = try await CLI.run(["fmt", "--check", "-"], stdin: Self.messy)
        #expect(check.status == 1)
    }

    @Test(arguments: [
        ("version: 1\nsteps:\n\tcontacts: {}\n", "indented with a tab"),
        ("version: 1\ndefaults: &base { timeout: 1m }\n", "anchors"),
        ("version: 1\nname: [unclosed\n", "bad.yaml:"),
    ])
    func aFileWithYAMLErrorsIsReportedAsValidateReportsItAndLeftAlone(_ text: String, _ wording: String) async throws {
        let directory = try CLI.temporaryDirectory(files: ["bad.yaml": text])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.yaml").path
        let validate = try await CLI.run(["validate", path])
        for arguments in [["fmt", path], ["fmt", "--check", path]] {
            let output = try await CLI.run(arguments)
            #expect(output.status == 2)
            #expect(output.stderr.contains(wording), "\(output.stderr)")
            // The report is validate's, location and message alike.
            let firstLine = try #require(output.stderr.split(separator: "\n").first)
            #expect(validate.stdout.contains(firstLine), "\(validate.stdout)")
            #expect(try contents(directory, "bad.yaml") == text)
        }
    }

    @Test func nonUTF8BytesAreReportedWithTheirLineAndTheFileIsLeftAlone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("latin1.yaml")
        let bytes = Array("version: 1\nname: caf".utf8) + [0xE9] + Array("\n".utf8)
        try Data(bytes).write(to: url)
        let output = try await CLI.run(["fmt", url.path])
        #expect(output.status == 2)
        #expect(output.stderr.contains("latin1.yaml:2:"), "\(output.stderr)")
        #expect(Array(try Data(contentsOf: url)) == bytes)
    }

    @Test func standardInputCannotBeMixedWithFiles() async throws {
        let output = try await CLI.run(["fmt", "-", "playbooks/lead-scoring.yaml"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("standard input"))
    }

    @Test func theShippedPlaybooksAreInCanonicalLayout() async throws {
        let output = try await CLI.run(["fmt", "--check", "playbooks/"])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
    }
}
