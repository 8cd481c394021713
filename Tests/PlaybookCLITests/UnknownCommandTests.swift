import Foundation
import Testing

/// A mistyped command name is answered with the closest command, with the usage-error status.
struct UnknownCommandTests {
    @Test func aTypoSuggestsTheClosestCommand() async throws {
        let output = try await CLI.run(["valdiate", "playbooks"])
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("error: unknown command 'valdiate'; did you mean 'validate'?\n"), "\(output.stderr)")
    }

    @Test func aWordFarFromEveryCommandListsThemAll() async throws {
        let output = try await CLI.run(["deploy"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("error: unknown command 'deploy'; the commands are 'validate', 'plan', 'run'"), "\(output.stderr)")
        #expect(!output.stderr.contains("did you mean"))
    }

    @Test func realCommandsAndOptionsAreNotTakenForTypos() async throws {
        let version = try await CLI.run(["--version"])
        #expect(version.status == 0, "\(version.stderr)")
        let help = try await CLI.run(["help", "validate"])
        #expect(help.status == 0, "\(help.stderr)")
        #expect(help.stdout.contains("playbook validate"))
        let list = try await CLI.run(["connectors"])
        #expect(list.status == 0, "\(list.stderr)")
    }
}
