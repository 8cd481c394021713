import ArgumentParser
import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookServer
import YAML

/// `playbook fmt PATH…`: rewrites playbooks in the canonical layout, keeping their values and comments.
struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Rewrite playbooks in the canonical layout and quoting, keeping every comment.",
        discussion: """
            Rewrites each file in place (folders are searched for *.yaml and *.yml, as validate searches \
            them) and lists the files it changed. With --check nothing is written: the files that would \
            change are listed. With - the playbook is read from standard input and written to standard \
            output. A file with YAML errors is never rewritten; its errors are printed as validate prints \
            them. Exit status: 0 nothing to change (or done), 1 with --check when a file would change, 2 \
            when a file cannot be read, does not parse, or the command line is wrong.
            """
    )

    @Argument(help: "Playbook files or folders, or - for standard input.")
    var paths: [String]

    @Flag(help: "Write nothing; list the files that would change and exit 1 if any would.")
    var check = false

    func validate() throws {
        if paths.contains("-"), paths.count > 1 {
            throw ValidationError("- (standard input) cannot be combined with other paths.")
        }
    }

    func run() throws {
        if paths == ["-"] {
            try formatStandardInput()
            return
        }
        let files = try playbookFilesOrExit(in: paths)
        var failed = false
        var changed = false
        for path in files {
            guard let bytes = FileCollection.contents(of: path) else {
                printError("error: cannot read \(path)")
                failed = true
                continue
            }
            let source = SourceFile(path: path, bytes: bytes)
            guard let formatted = formatted(source) else {
                failed = true
                continue
            }
            guard formatted != bytes else { continue }
            changed = true
            if !check {
                do {
                    try write(formatted, to: path)
                } catch {
                    printError("error: cannot write \(path): \(error.localizedDescription)")
                    failed = true
                    continue
                }
            }
            print(path)
        }
        if failed { throw ExitCode(2) }
        if check, changed { throw ExitCode(1) }
    }

    private func formatStandardInput() throws {
        let bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        let source = SourceFile(path: "<stdin>", bytes: bytes)
        guard let formatted = formatted(source) else { throw ExitCode(2) }
        if check {
            if formatted != bytes {
                print("<stdin>")
                throw ExitCode(1)
            }
            return
        }
        FileHandle.standardOutput.write(Data(formatted))
    }

    /// The file's canonical layout, or nil after printing why there is none.
    private func formatted(_ source: SourceFile) -> [UInt8]? {
        switch YAMLFormatter().format(source) {
        case .success(let bytes):
            return bytes
        case .failure(.invalid(let diagnostics)):
            let report = DiagnosticReport(files: [FileDiagnostics(file: source, diagnostics: diagnostics)], catalogue: PlaybookDiagnostics.catalogue)
            let colour = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            FileHandle.standardError.write(Data(DiagnosticFormat.text.renderer(colour: colour).render(report).utf8))
            return nil
        case .failure(.unchanged(let reason, let offset)):
            let location = source.location(of: offset)
            printError("\(source.path):\(location.line):\(location.column): error: \(reason); the file was left as it is")
            return nil
        }
    }

    /// Replaces the file's contents, through a symbolic link to the file it names, keeping its permissions.
    private func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        try Data(bytes).write(to: url, options: .atomic)
        if let permissions = attributes?[.posixPermissions] {
            try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: url.path)
        }
    }
}
