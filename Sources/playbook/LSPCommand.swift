import ArgumentParser
import Foundation
import PlaybookEditor

/// `playbook lsp`: the language server an editor starts, speaking LSP over standard input and output.
struct LSPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server for editors (LSP over standard input and output).",
        discussion: """
            An editor starts this command and talks to it; it is not meant to be typed. It gives the \
            same diagnostics as validate while you type, quick fixes, completion, hover documentation \
            and go to definition. docs/editors.md shows how to set it up in VS Code and Neovim. Exit status: 0 \
            after the editor's shutdown and exit, 1 when the editor went away without them.
            """
    )

    func run() throws {
        // An editor that quits closes the pipe; writing to it must fail the write, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let connection = LanguageServerConnection(
            server: LanguageServer(version: PlaybookVersion.current), input: STDIN_FILENO, output: STDOUT_FILENO)
        let status = connection.run()
        if status != 0 { throw ExitCode(status) }
    }
}
