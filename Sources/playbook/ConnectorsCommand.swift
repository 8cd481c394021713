import ArgumentParser
import Diagnostics
import Foundation
import PlaybookLanguage

/// `playbook connectors [NAME]`: the connectors, or one connector's resources and fields.
struct ConnectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connectors",
        abstract: "List the connectors, or show one connector's auth fields, options, resources and fields."
    )

    @Argument(help: "A connector name, such as hubspot.")
    var name: String?

    func run() throws {
        let catalog = ConnectorCatalog.builtIn
        guard let name else {
            FileHandle.standardOutput.write(Data(catalog.summaryTable().utf8))
            return
        }
        guard let connector = catalog[name] else {
            let hint = Suggestions.didYouMean(name, in: catalog.names).map { " (\($0))" } ?? ""
            printError("error: unknown connector '\(name)'\(hint); known: \(catalog.names.joined(separator: ", "))")
            throw ExitCode(2)
        }
        FileHandle.standardOutput.write(Data(catalog.markdownReference(for: connector).utf8))
    }
}
