import Foundation
import Testing

/// The getting-started guide shows the tool's real output: its playbook validates clean and
/// `playbook plan` prints exactly the plan the guide shows.
struct GettingStartedTests {
    static let guide = CLI.repositoryRoot.appendingPathComponent("docs/getting-started.md")

    /// The fenced blocks of a language in the guide, in order.
    static func blocks(_ language: String, in text: String) -> [String] {
        text.components(separatedBy: "```\(language)\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    }

    @Test func theGuidesPlanIsWhatPlaybookPlanPrints() async throws {
        let text = try String(contentsOf: Self.guide, encoding: .utf8)
        let playbook = try #require(Self.blocks("yaml", in: text).first)
        let section = try #require(text.components(separatedBy: "## 5. See the plan").last)
        let shownPlan = try #require(Self.blocks("text", in: section).first)
        let directory = try CLI.temporaryDirectory(files: ["playbooks/engaged-to-slack.yaml": playbook])
        defer { try? FileManager.default.removeItem(at: directory) }

        let validation = try await CLI.run(["validate", "playbooks/engaged-to-slack.yaml"], in: directory)
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
        let plan = try await CLI.run(["plan", "playbooks/engaged-to-slack.yaml"], in: directory)
        #expect(plan.status == 0)
        #expect(plan.stdout == shownPlan)
    }
}
