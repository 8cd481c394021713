import ArgumentParser
import Diagnostics
import Foundation
import PlaybookServer
import PlaybookLanguage

extension PlanFormat: ExpressibleByArgument {}

/// `playbook plan FILE`: the compiled DAG and what each step will call.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the steps a playbook will run, in order, with what each calls.",
        discussion: "The playbook is validated first; when it has errors they are printed instead and the exit status is 1."
    )

    @Argument(help: "The playbook file.")
    var file: String

    @Option(help: "Output format: text, json, mermaid or dot.")
    var format: PlanFormat = .text

    func run() throws {
        guard let bytes = FileCollection.contents(of: file) else {
            printError("error: cannot read \(file)")
            throw ExitCode(2)
        }
        let result = PlaybookValidator().validate(SourceFile(path: file, bytes: bytes))
        guard let plan = result.plan else {
            let report = DiagnosticReport(files: result.allFileDiagnostics, catalogue: PlaybookDiagnostics.catalogue, maxPerFile: 50)
            let colour = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            FileHandle.standardError.write(Data(DiagnosticFormat.text.renderer(colour: colour, toolVersion: PlaybookVersion.current).render(report).utf8))
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data(PlanRenderer.render(plan, as: format).utf8))
    }
}
