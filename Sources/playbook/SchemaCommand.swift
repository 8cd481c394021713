import ArgumentParser
import Foundation
import PlaybookLanguage
import PlaybookTesting

/// `playbook schema`: the JSON Schema of playbook files, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of playbook files, or of playbook test files (for editor completion)."
    )

    @Flag(help: "Print the schema of test files (*.test.yaml) instead.")
    var test = false

    func run() throws {
        let text = test ? TestFileGrammar.schemaText() : JSONSchemaGenerator.text()
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
