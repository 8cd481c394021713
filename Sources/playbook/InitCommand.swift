import ArgumentParser
import Diagnostics
import Foundation

/// `playbook init [TEMPLATE]`: writes a starter playbook, its test file and the sample files it
/// reads into a folder, never over an existing file, and says what to do next.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a playbook from a template of a common job, with its test file.",
        discussion: """
            Writes TEMPLATE.yaml, tests/TEMPLATE.test.yaml and any sample file the playbook reads into the \
            current folder (or --into DIR). A file that already exists is never overwritten: nothing is \
            written then. Without TEMPLATE, or with --list, lists the templates. Exit status: 0 written or \
            listed, 1 a file already exists or cannot be written, 2 unknown template.
            """
    )

    @Argument(help: "The template, such as form-to-mailing-list; --list shows them all.",
              completion: .list(StarterTemplate.all.map(\.name)))
    var template: String?

    @Flag(help: "List the templates.")
    var list = false

    @Option(help: ArgumentHelp("The folder to write into (default: the current folder).", valueName: "DIR"))
    var into = "."

    func run() throws {
        guard let template, !list else {
            printTemplates()
            return
        }
        guard let starter = StarterTemplate.named(template) else {
            let names = StarterTemplate.all.map(\.name)
            let hint = Suggestions.didYouMean(template, in: names).map { "; \($0)" } ?? ""
            printError("error: no template named '\(template)'\(hint)\nThe templates: \(names.joined(separator: ", ")) (see 'playbook init --list').")
            throw ExitCode(2)
        }
        try write(starter)
        print(nextSteps(for: starter))
    }

    private func printTemplates() {
        let width = (StarterTemplate.all.map(\.name.count).max() ?? 0) + 2
        var text = "Templates (write one with `playbook init NAME`):\n\n"
        for starter in StarterTemplate.all {
            text += "  " + starter.name.padding(toLength: width, withPad: " ", startingAt: 0) + starter.summary + "\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes every file of the template, or none when one of them is already there.
    private func write(_ starter: StarterTemplate) throws {
        let folder = URL(fileURLWithPath: into, isDirectory: true)
        let targets = starter.files.map { (file: $0, url: folder.appendingPathComponent($0.path)) }
        let existing = targets.filter { FileManager.default.fileExists(atPath: $0.url.path) }.map { shown($0.file.path) }
        guard existing.isEmpty else {
            printError("error: \(existing.joined(separator: ", ")) already \(existing.count == 1 ? "exists" : "exist"); nothing was written. "
                + "Move \(existing.count == 1 ? "it" : "them") away, or write the template into another folder with --into DIR.")
            throw ExitCode(1)
        }
        for target in targets {
            do {
                try FileManager.default.createDirectory(at: target.url.deletingLastPathComponent(), withIntermediateDirectories: true)
                // withoutOverwriting: a file that appeared since the check above is still not replaced.
                try Data(target.file.bytes).write(to: target.url, options: .withoutOverwriting)
            } catch {
                printError("error: cannot write \(shown(target.file.path)): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
    }

    /// A template file's path as the user would type it from the current folder.
    private func shown(_ path: String) -> String {
        into == "." ? path : (into as NSString).appendingPathComponent(path)
    }

    private func nextSteps(for starter: StarterTemplate) -> String {
        var lines = ["Wrote " + starter.files.map { shown($0.path) }.joined(separator: ", ") + ".", "", "Next:"]
        let playbook = shown(starter.playbookPath)
        lines.append("  1. Read \(playbook): the comments say what it does and what to change for your accounts.")
        lines.append("  2. Check it:                     playbook validate \(playbook)")
        if starter.test != nil {
            lines.append("  3. Run its tests (no accounts):  playbook test \(shown(starter.testPath))")
        }
        let payload = starter.samplePayload.map { " --payload \(shown($0))" } ?? ""
        lines.append("  \(starter.test != nil ? 4 : 3). Try it on the sandbox:        playbook run \(playbook) --sandbox\(payload)")
        lines.append("")
        lines.append("Then set its secrets (docs/secrets.md) and run it for real with `playbook run \(playbook)`.")
        return lines.joined(separator: "\n")
    }
}
