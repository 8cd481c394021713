import ArgumentParser
import Diagnostics
import Foundation
import PlaybookServer
import PlaybookLanguage

extension DiagnosticFormat: ExpressibleByArgument {}

/// `playbook validate PATH…`: parse and check playbooks, with no network, credentials or state.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check playbooks for errors without running them.",
        discussion: """
            Reads each file (directories are searched for *.yaml and *.yml), checks it like a compiler \
            and prints every problem with its location. Exit status: 0 when there are no errors, 1 when \
            there are errors (or warnings with --strict), 2 when a file cannot be read or the command \
            line is wrong.
            """
    )

    @Argument(help: "Playbook files or directories.")
    var paths: [String]

    @Option(help: "Output format: text, json, github or sarif.")
    var format: DiagnosticFormat = .text

    @Flag(help: "Treat warnings as errors for the exit status.")
    var strict = false

    @Option(help: "Most diagnostics shown per file (0 for all).")
    var maxDiagnostics = 50

    @Flag(inversion: .prefixedNo, help: "Colour the text output (default: when writing to a terminal).")
    var color: Bool?

    func run() async throws {
        let files = try playbookFilesOrExit(in: paths)
        var sources: [SourceFile] = []
        var unreadable = false
        for path in files {
            guard let bytes = FileCollection.contents(of: path) else {
                printError("error: cannot read \(path)")
                unreadable = true
                continue
            }
            sources.append(SourceFile(path: path, bytes: bytes))
        }
        if sources.isEmpty { throw ExitCode(2) }
        let results = await PlaybookValidator().diagnostics(of: sources)
        let report = DiagnosticReport(
            files: results,
            catalogue: PlaybookDiagnostics.catalogue,
            maxPerFile: maxDiagnostics > 0 ? maxDiagnostics : nil
        )
        let useColour = color ?? (isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        let output = format.renderer(colour: useColour, toolVersion: PlaybookVersion.current).render(report)
        FileHandle.standardOutput.write(Data(output.utf8))
        if unreadable { throw ExitCode(2) }
        let errors = results.reduce(0) { $0 + $1.errorCount }
        let warnings = results.reduce(0) { $0 + $1.warningCount }
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The playbook files of the paths given (files as they are, folders searched); an unreadable
/// path, or none found, is a usage error: the message goes to stderr and the exit status is 2.
func playbookFilesOrExit(in paths: [String]) throws -> [String] {
    try filesOrExit(in: paths, kind: "playbook files (*.yaml, *.yml)", collect: FileCollection.playbookFiles)
}

/// The files `collect` finds in the paths given, as `playbookFilesOrExit` says; `kind` names them
/// in the message when there are none.
func filesOrExit(in paths: [String], kind: String, collect: ([String]) throws -> [String]) throws -> [String] {
    let files: [String]
    do {
        files = try collect(paths)
    } catch let unreadable as FileCollection.Unreadable {
        printError("error: \(unreadable.reason): \(unreadable.path)")
        throw ExitCode(2)
    }
    if files.isEmpty {
        printError("error: no \(kind) found in \(paths.joined(separator: ", "))")
        throw ExitCode(2)
    }
    return files
}
