import Foundation
import Testing

/// The completion scripts docs/shell-completion.md installs: one per shell, naming the commands and
/// completing connector and template names.
struct ShellCompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func theScriptNamesTheCommandsConnectorsAndTemplates(shell: String) async throws {
        let output = try await CLI.run(["--generate-completion-script", shell])
        #expect(output.status == 0, "\(output.stderr)")
        for word in ["validate", "connectors", "init", "fmt", "hubspot", "form-to-mailing-list"] {
            #expect(output.stdout.contains(word), "\(shell) script lacks \(word)")
        }
    }

    @Test func bashCompletesACommandFromItsStart() async throws {
        let script = try await CLI.run(["--generate-completion-script", "bash"])
        let directory = try CLI.temporaryDirectory(files: ["playbook.bash": script.stdout])
        defer { try? FileManager.default.removeItem(at: directory) }
        // What bash does on Tab after `playbook conn`: call the registered function and read COMPREPLY.
        let probe = """
            source playbook.bash
            function=$(complete -p playbook | sed -E 's/.*-F ([^ ]+).*/\\1/')
            COMP_WORDS=(playbook conn); COMP_CWORD=1; COMP_LINE="playbook conn"; COMP_POINT=${#COMP_LINE}
            "$function" playbook conn playbook
            echo "${COMPREPLY[@]}"
            """
        let output = try await CLI.onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", probe]
            process.currentDirectoryURL = directory
            let out = Pipe()
            process.standardOutput = out
            process.standardError = Pipe()
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "connectors", "\(output)")
    }
}
