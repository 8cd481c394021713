import ArgumentParser
import Foundation
import PlaybookLanguage
import PlaybookTesting

/// `playbook schema`: the JSON Schema of playbook files, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of playbook files, of playbook test files or of connector specs (for editor completion)."
    )

    @Flag(help: "Print the schema of test files (*.test.yaml) instead.")
    var test = false

    @Flag(help: "Print the schema of connector spec files instead.")
    var connector = false

    func validate() throws {
        if test && connector { throw ValidationError("give --test or --connector, not both") }
    }

    func run() throws {
        let text = connector ? ConnectorSpecSchema.text() : test ? TestFileGrammar.schemaText() : JSONSchemaGenerator.text()
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
