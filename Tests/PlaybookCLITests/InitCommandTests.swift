import Foundation
import Testing

/// `playbook init`: starter playbooks from the example jobs, each one valid and its tests passing.
struct InitCommandTests {
    /// The template names as `playbook init --list` prints them.
    static func templateNames() async throws -> [String] {
        let output = try await CLI.run(["init", "--list"])
        #expect(output.status == 0, "\(output.stderr)")
        return output.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }.compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    @Test func thereIsATemplateForEveryExampleJob() async throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: CLI.repositoryRoot.appendingPathComponent("playbooks").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) }.sorted()
        #expect(try await Self.templateNames().sorted() == examples)
    }

    @Test func listingShowsWhatEachTemplateDoes() async throws {
        let output = try await CLI.run(["init"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("form-to-mailing-list"))
        #expect(output.stdout.contains("Add newsletter sign-ups from the website form to the Mailchimp audience."), "\(output.stdout)")
    }

    @Test func everyTemplateIsWrittenWithItsTestAndBothPass() async throws {
        let names = try await Self.templateNames()
        #expect(names.count >= 10)
        for name in names {
            let directory = try CLI.temporaryDirectory(files: [:])
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let written = try await CLI.run(["init", name], in: directory)
            #expect(written.status == 0, "\(name): \(written.stderr)")
            let playbook = directory.appendingPathComponent("\(name).yaml")
            #expect(FileManager.default.fileExists(atPath: playbook.path), "\(name)")
            let example = try Data(contentsOf: CLI.repositoryRoot.appendingPathComponent("playbooks/\(name).yaml"))
            #expect(try Data(contentsOf: playbook) == example, "\(name) differs from playbooks/\(name).yaml")
            #expect(written.stdout.contains("playbook validate \(name).yaml"), "\(written.stdout)")

            let validated = try await CLI.run(["validate", "--strict", "."], in: directory)
            #expect(validated.status == 0, "\(name):\n\(validated.stdout)\(validated.stderr)")
            let tested = try await CLI.run(["test", "tests"], in: directory)
            #expect(tested.status == 0, "\(name):\n\(tested.stdout)\(tested.stderr)")
        }
    }

    @Test func anExistingFileIsNeverOverwrittenAndNothingIsWritten() async throws {
        let directory = try CLI.temporaryDirectory(files: ["tests/hot-lead-alerts.test.yaml": "# my own tests\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["init", "hot-lead-alerts"], in: directory)
        #expect(output.status == 1)
        #expect(output.stderr.contains("tests/hot-lead-alerts.test.yaml already exists; nothing was written"), "\(output.stderr)")
        #expect(try String(contentsOf: directory.appendingPathComponent("tests/hot-lead-alerts.test.yaml"), encoding: .utf8) == "# my own tests\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("hot-lead-alerts.yaml").path))
    }

    @Test func intoWritesIntoAnotherFolderAndTheStepsNameIt() async throws {
        let directory = try CLI.temporaryDirectory(files: [:])
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["init", "form-to-mailing-list", "--into", "jobs"], in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        for path in ["jobs/form-to-mailing-list.yaml", "jobs/tests/form-to-mailing-list.test.yaml", "jobs/data/newsletter-form.json"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path), "\(path)")
        }
        #expect(output.stdout.contains("playbook run jobs/form-to-mailing-list.yaml --sandbox --payload jobs/data/newsletter-form.json"), "\(output.stdout)")
    }

    @Test func theGettingStartedGuideShowsWhatInitPrints() async throws {
        let guide = try String(contentsOf: GettingStartedTests.guide, encoding: .utf8)
        let section = try #require(guide.components(separatedBy: "## Start your own from a template").last)
        let shown = try #require(GettingStartedTests.blocks("text", in: section).first)
        let directory = try CLI.temporaryDirectory(files: [:])
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["init", "form-to-mailing-list"], in: directory)
        #expect(output.stdout == shown)
    }

    @Test func anUnknownTemplateSuggestsTheClosest() async throws {
        let output = try await CLI.run(["init", "hot-lead-alert"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("no template named 'hot-lead-alert'; did you mean 'hot-lead-alerts'?"), "\(output.stderr)")
    }
}
