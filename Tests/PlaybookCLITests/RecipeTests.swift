import Foundation
import Testing

/// The recipes in docs/recipes: each playbook validates, has tests that pass, and is shown in its
/// page as it is in the file.
@Suite struct RecipeTests {
    static let folder = CLI.repositoryRoot.appendingPathComponent("docs/recipes")

    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".test.yaml") }
            .map { String($0.dropLast(".yaml".count)) }
            .sorted()
    }

    @Test func everyRecipeValidatesWithoutWarnings() async throws {
        let names = try Self.names()
        #expect(names.count >= 2)
        for name in names {
            let output = try await CLI.run(["validate", "--strict", "docs/recipes/\(name).yaml"])
            #expect(output.status == 0, "\(name): \(output.stdout)\(output.stderr)")
            #expect(output.stdout.contains("no problems found"), "\(name): \(output.stdout)")
        }
    }

    @Test func everyRecipeHasAPageAndTestsThatPass() async throws {
        let names = try Self.names()
        let index = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
        for name in names {
            #expect(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("\(name).test.yaml").path), "\(name) has no tests")
            #expect(index.contains("(\(name).md)"), "docs/recipes/README.md does not list \(name)")
        }
        let output = try await CLI.run(["test", "docs/recipes/"])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("in \(names.count) files: "), "\(output.stdout)")
        #expect(output.stdout.contains(" 0 failed"), "\(output.stdout)")
    }

    @Test func theYAMLShownInEachPageIsThePlaybooks() throws {
        for name in try Self.names() {
            let playbook = try String(contentsOf: Self.folder.appendingPathComponent("\(name).yaml"), encoding: .utf8)
            let page = try String(contentsOf: Self.folder.appendingPathComponent("\(name).md"), encoding: .utf8)
            let blocks = page.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
            #expect(!blocks.isEmpty, "\(name).md shows none of its playbook")
            for block in blocks {
                #expect(playbook.contains(block), "\(name).md shows YAML that is not in \(name).yaml:\n\(block)")
            }
        }
    }
}
