import ArgumentParser

/// The `playbook` command line: thin; it parses arguments and calls the library modules.
@main
struct PlaybookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook",
        abstract: "Validate, plan and run marketing automation playbooks.",
        version: PlaybookVersion.current,
        subcommands: [ValidateCommand.self, PlanCommand.self, EvalCommand.self, ConnectorsCommand.self, SchemaCommand.self]
    )
}

enum PlaybookVersion {
    static let current = "0.1.0"
}
