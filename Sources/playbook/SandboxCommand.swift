import ArgumentParser
import Foundation
import PlaybookSandbox

/// `playbook sandbox`: serves the imitation platforms on loopback until Ctrl-C or SIGTERM.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve local imitations of the marketing platforms' APIs, with seeded data, optional faults and a journal.",
        discussion: """
            Every platform is served under its own prefix on one port of 127.0.0.1. Writes and messages are \
            listed at /_sandbox/journal (JSON lines). See docs/sandbox.md.
            """
    )

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: Int = 8790

    @Option(help: "The seed of the data and of the faults: the same seed gives the same run.")
    var seed: UInt64 = 1

    @Option(help: "Faults to inject, e.g. '429=0.1,500=0.05,timeout=0.02,reset=0.02,malformed=0.01,latency=20ms'.")
    var faults: String = ""

    @Option(help: "Rate limits to use instead of the scaled-down ones, e.g. 'slack=100,hubspot=1000' (each in the platform's own unit).")
    var limits: String = ""

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
    }

    func run() async throws {
        let spec: FaultSpec
        do {
            spec = try FaultSpec.parse(faults)
        } catch {
            printError("error: --faults: \(error.message)")
            throw ExitCode(2)
        }
        let limitValues: SandboxLimits
        do {
            limitValues = try SandboxLimits.parse(limits)
        } catch {
            printError("error: --limits: \(error.message)")
            throw ExitCode(2)
        }
        let server = SandboxServer(limits: limitValues)
        let origin: URL
        do {
            origin = try await server.start(host: "127.0.0.1", port: port, seed: seed, faults: spec)
        } catch {
            printError("error: \(error); choose another with --port, or --port 0 for any free port")
            throw ExitCode(1)
        }
        var lines = ["Sandbox listening on \(origin.absoluteString) (seed \(seed)\(faults.isEmpty ? "" : ", faults \(faults)")\(limits.isEmpty ? "" : ", limits \(limits)"))"]
        let platforms = SandboxServer.examplePaths
        let width = platforms.map { origin.absoluteString.count + 1 + $0.platform.count }.max() ?? 0
        for (platform, path) in platforms {
            let base = "\(origin.absoluteString)/\(platform)"
            lines.append("  \(platform.padding(toLength: 13, withPad: " ", startingAt: 0))\(base.padding(toLength: width + 2, withPad: " ", startingAt: 0))e.g. /\(platform)/\(path)")
        }
        lines.append("  journal      \(origin.absoluteString)/_sandbox/journal")
        lines.append("Press Ctrl-C to stop.")
        // Caught before the address is printed, so that whoever reads it may stop the sandbox at once.
        let stop = SignalCatcher.stream([SIGINT, SIGTERM])
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        for await _ in stop { break }
        await server.stop()
        FileHandle.standardError.write(Data("Sandbox stopped.\n".utf8))
    }
}
