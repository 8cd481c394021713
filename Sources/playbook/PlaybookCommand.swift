import ArgumentParser
import Foundation

/// The `playbook` command line: thin; it parses arguments and calls the library modules.
@main
struct PlaybookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook",
        abstract: "Validate, plan, run and test marketing automation playbooks, and try expressions.",
        version: PlaybookVersion.current,
        subcommands: [ValidateCommand.self, PlanCommand.self, RunCommand.self, RunsCommand.self, DeadLettersCommand.self, TestCommand.self, EvalCommand.self, ConnectorsCommand.self, SchemaCommand.self, SandboxCommand.self, ServeCommand.self, ScheduleCommand.self, BackfillCommand.self, InitCommand.self, FmtCommand.self, LSPCommand.self]
    )

    /// Runs the command, with one exit status for every usage error: 2, as CI scripts expect
    /// (the argument parser's own default is 64).
    static func main() async {
        if let message = unknownCommandError(Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            guard code.rawValue == 64 else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

enum PlaybookVersion {
    static let current = "0.1.0"
}
