import ArgumentParser
import Diagnostics
import Foundation
import PlaybookServer
import PlaybookLanguage

/// `playbook connectors [NAME]`: the connectors, or one connector's resources and fields;
/// `playbook connectors --spec FILE` checks a connector spec file and shows it the same way.
struct ConnectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connectors",
        abstract: "List the connectors, or show one connector's auth fields, options, resources and fields.",
        discussion: "With --spec, check a connector spec file and show the connector it declares. With --format json, print the same as JSON."
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "A connector name, such as hubspot.", completion: .list(ConnectorCatalog.builtIn.names))
    var name: String?

    @Option(help: "A connector spec file to check and show.")
    var spec: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if name != nil && spec != nil { throw ValidationError("give a connector name or --spec, not both") }
    }

    func run() throws {
        let catalog = ConnectorCatalog.builtIn
        if let spec {
            try show(spec: spec, catalog: catalog)
            return
        }
        guard let name else {
            write(format == .json ? ConnectorJSON.list(catalog).serialized() + "\n" : catalog.summaryTable())
            return
        }
        guard let connector = catalog[name] else {
            let hint = Suggestions.didYouMean(name, in: catalog.names).map { " (\($0))" } ?? ""
            printError("error: unknown connector '\(name)'\(hint); known: \(catalog.names.joined(separator: ", "))")
            throw ExitCode(2)
        }
        show(connector, catalog: catalog)
    }

    private func show(_ connector: ConnectorDescriptor, catalog: ConnectorCatalog) {
        write(format == .json ? ConnectorJSON.connector(connector).serialized() + "\n" : catalog.markdownReference(for: connector))
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private func show(spec path: String, catalog: ConnectorCatalog) throws {
        guard let bytes = FileCollection.contents(of: path) else {
            printError("error: cannot read \(path)")
            throw ExitCode(2)
        }
        let result = ConnectorSpecLoader().load(SourceFile(path: path, bytes: bytes))
        if !result.diagnostics.isEmpty {
            let report = DiagnosticReport(files: [result.fileDiagnostics], catalogue: PlaybookDiagnostics.catalogue, maxPerFile: 50)
            let colour = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            FileHandle.standardError.write(Data(DiagnosticFormat.text.renderer(colour: colour, toolVersion: PlaybookVersion.current).render(report).utf8))
        }
        guard let connector = result.connector else { throw ExitCode(1) }
        show(connector, catalog: catalog)
    }
}
