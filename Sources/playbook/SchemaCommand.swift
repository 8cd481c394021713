import ArgumentParser
import Foundation
import PlaybookLanguage

/// `playbook schema`: the JSON Schema of playbook files, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of playbook files (for editor completion)."
    )

    func run() throws {
        FileHandle.standardOutput.write(Data(JSONSchemaGenerator.text().utf8))
    }
}
