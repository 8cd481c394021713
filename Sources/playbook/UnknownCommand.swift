import Diagnostics

extension PlaybookCommand {
    /// The names `playbook` accepts as its first word.
    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }

    /// When the first argument reads as a command name but is none (`playbook valdiate`), the error
    /// to print instead of the argument parser's "unexpected argument": it names the closest command,
    /// or lists them all.
    static func unknownCommandError(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first) else { return nil }
        let hint = Suggestions.didYouMean(first, in: commandNames)
            ?? "the commands are " + Suggestions.list(commandNames, conjunction: "and")
        return "error: unknown command '\(first)'; \(hint)\nSee 'playbook --help'."
    }
}
