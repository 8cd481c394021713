import ArgumentParser
import Foundation
import Logging
import PlaybookRuntime
import PlaybookServer
import PlaybookState

/// `playbook serve DIR`: runs the folder's playbooks on their schedules and webhooks until SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a folder of playbooks on their schedules and webhooks, with health, readiness and Prometheus metrics.",
        discussion: """
            Loads every playbook in DIR (invalid ones are reported and left out), fires schedules, takes \
            signed webhook requests at their paths, and serves /healthz, /readyz and /metrics on the same port. \
            SIGHUP, or a change to a playbook file, reloads the folder. SIGTERM or Ctrl-C stops taking \
            requests, lets runs finish the batches in hand, and exits. See docs/serving.md and docs/operations.md.
            """
    )

    @Argument(help: "The folder of playbooks.")
    var folder: String

    @Option(help: "The address to listen on (0.0.0.0 for every interface).")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: ArgumentHelp("The run-state file (default: DIR/.playbook/state.sqlite).", valueName: "FILE"))
    var state: String?

    @Option(help: ArgumentHelp("A file of NAME=value lines with the secrets the playbooks name (the environment is read too).", valueName: "FILE"))
    var secrets: String?

    @Option(help: "Most runs at once.")
    var workers: Int = 4

    @Option(help: ArgumentHelp("The address webhook senders use to reach this server, e.g. https://hooks.example.com (HubSpot signs it).", valueName: "URL"))
    var publicURL: String?

    @Option(help: ArgumentHelp("Point every platform connection at a running `playbook sandbox` at this address; secrets get stand-in values.", valueName: "URL"))
    var sandboxURL: String?

    @Option(help: "Log lines as json or text (default: text at a terminal, json otherwise).")
    var logFormat: ServerLogFormat?

    @Option(help: "The least important log lines shown: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Flag(help: "Do not watch the folder for changes (reload with SIGHUP only).")
    var noWatch = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be from 1 to 256, not \(workers)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical, not '\(logLevel)'")
        }
    }

    func run() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            printError("error: \(folder) is not a folder: give the folder of playbooks to serve")
            throw ExitCode(2)
        }
        let secretValues = try commandSecrets(file: secrets)
        let redaction = LogRedaction()
        let format = logFormat ?? (isatty(STDERR_FILENO) == 1 ? .text : .json)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let logger = Logger(label: "playbook.serve") { label in
            ServerLogHandler(label: label, format: format, level: level, redaction: redaction)
        }
        var configuration = PlaybookServer.Configuration(
            folder: folder, statePath: state ?? (folder as NSString).appendingPathComponent(".playbook/state.sqlite"),
            secrets: secretValues)
        configuration.host = host
        configuration.port = port
        configuration.workers = workers
        configuration.publicURL = publicURL
        configuration.sandboxURL = sandboxURL
        configuration.watchInterval = noWatch ? nil : .seconds(2)
        configuration.redaction = redaction
        configuration.stateOptions.upgrading = { path, from, to in
            logger.notice("\(SQLiteRunStateStore.upgradeNotice(of: nil, from: from, to: to))", metadata: ["path": "\(path)"])
        }
        // Caught before the server starts, so that a signal that comes while it starts is not lost.
        let signals = SignalCatcher.stream([SIGINT, SIGTERM, SIGHUP])
        let server: PlaybookServer
        do {
            server = try PlaybookServer(configuration: configuration, logger: logger)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let origin: URL
        do {
            origin = try await server.start()
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data("Serving \(server.catalog.playbooks.count) playbook(s) from \(folder) on \(origin.absoluteString) (health: /healthz, metrics: /metrics). Ctrl-C to stop.\n".utf8))
        let stopped = Task { await server.waitUntilStopped() }
        for await signal in signals {
            if signal == SIGHUP {
                await server.reload()
                continue
            }
            break
        }
        await server.stop()
        _ = await stopped.value
    }
}
