import ArgumentParser
import CEL
import Diagnostics
import Foundation

/// `playbook eval`: evaluates one CEL expression, or a stream of JSON-lines requests.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a CEL expression.",
        discussion: """
        Variables are JSON: integers become int, other numbers double, objects maps, arrays lists.
        With --jsonl, each stdin line is {"expr": "...", "vars": {...}, "typed": false, "check": true}
        and each output line is {"type": "...", "value": <typed value>} or {"error": "..."}.
        Exit status: 0 success, 1 expression error, 2 usage error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The expression to evaluate.")
    var expression: String?

    @Option(name: .customLong("var"), help: ArgumentHelp("A variable as name=JSON; repeatable.", valueName: "name=JSON"))
    var variables: [String] = []

    @Option(name: .customLong("vars"), help: ArgumentHelp("A JSON file whose object members are variables.", valueName: "FILE.json"))
    var variablesFile: String?

    @Option(help: "Output format.")
    var format: Format = .text

    @Flag(help: "Read JSON-lines requests from stdin and answer one line each.")
    var jsonl = false

    @Flag(name: .customLong("no-check"), help: "Evaluate without type-checking.")
    var noCheck = false

    func run() throws {
        if jsonl {
            guard expression == nil else { throw usage("--jsonl reads expressions from stdin; do not pass EXPR") }
            while let line = readLine() {
                if line.allSatisfy(\.isWhitespace) { continue }
                let response: JSONValue
                do {
                    response = try CELEvalRequest(jsonLine: line).run().json
                } catch {
                    response = .object([("error", .string(error.message))])
                }
                print(response.text)
            }
            return
        }
        guard let expression else { throw usage("missing expression; usage: playbook eval EXPR [--var name=JSON]…") }
        let request = CELEvalRequest(expression: expression, variables: try loadVariables(), check: !noCheck)
        let response = request.run()
        switch (response, format) {
        case (.value(let value), .text):
            print(value.rendered)
        case (.value, .json):
            print(response.json.text)
        case (.failure(_, let message), .text):
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        case (.failure, .json):
            print(response.json.text)
        }
        if case .failure = response { throw ExitCode(1) }
    }

    private func loadVariables() throws -> [String: CELValue] {
        var result: [String: CELValue] = [:]
        if let variablesFile {
            guard let data = FileManager.default.contents(atPath: variablesFile) else { throw usage("cannot read \(variablesFile)") }
            do {
                guard case .object(let members) = try JSONValue.parse(String(decoding: data, as: UTF8.self)) else {
                    throw usage("\(variablesFile) must hold a JSON object")
                }
                for (name, value) in members { result[name] = CELValue(plainJSON: value) }
            } catch let error as CELError {
                throw usage("\(variablesFile): \(error.message)")
            }
        }
        for assignment in variables {
            guard let equals = assignment.firstIndex(of: "=") else { throw usage("--var needs name=JSON, got '\(assignment)'") }
            let name = String(assignment[..<equals])
            do {
                result[name] = CELValue(plainJSON: try JSONValue.parse(String(assignment[assignment.index(after: equals)...])))
            } catch {
                throw usage("--var \(name): \(error.message)")
            }
        }
        return result
    }

    /// Prints a usage problem and exits with status 2.
    private func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(2)
    }
}
