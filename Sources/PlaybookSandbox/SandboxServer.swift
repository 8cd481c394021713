import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Why the sandbox could not start.
public struct SandboxStartError: Error, CustomStringConvertible {
    public let description: String
}

/// A local server that imitates the marketing platforms' APIs on one loopback port, each under its own
/// prefix (`/hubspot/…`, `/slack/…`, …), with seeded data, injected faults and a journal of every write.
/// Start it, point connections at `baseURL(for:)`, stop it when done.
public final class SandboxServer: Sendable {
    /// Every write and message received, in order.
    public let journal = SandboxJournal()
    private let limits: SandboxLimits
    private let sizes: SandboxDataSizes
    private let clock: any SandboxClock
    private let timeoutHold: Duration
    private let referenceDate: Date?
    private let running = Mutex<Running?>(nil)

    private struct Running {
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let release: ReleaseSignal
        let origin: URL
    }

    /// Each platform with a path it serves, for listing the sandbox's addresses.
    public static var examplePaths: [(platform: String, path: String)] {
        makePlatforms(options: SandboxOptions(), sizes: SandboxDataSizes.empty).map { ($0.name, $0.examplePath) }
    }

    /// A sandbox with these limits and this much data, laid out before `referenceDate` (nil: the start of
    /// today, UTC); `timeoutHold` is how long a `timeout` fault holds a request.
    public init(
        limits: SandboxLimits = SandboxLimits(), sizes: SandboxDataSizes = SandboxDataSizes(), referenceDate: Date? = nil,
        timeoutHold: Duration = .seconds(120), clock: any SandboxClock = SystemSandboxClock()
    ) {
        self.limits = limits
        self.sizes = sizes
        self.referenceDate = referenceDate
        self.timeoutHold = timeoutHold
        self.clock = clock
    }

    /// The address the sandbox listens on (`http://127.0.0.1:PORT`), once started.
    public var origin: URL? { running.withLock { $0?.origin } }

    /// Where a platform is served: `http://127.0.0.1:PORT/hubspot`.
    public func baseURL(for platform: String) -> URL? { origin?.appendingPathComponent(platform) }

    /// Starts listening and returns the sandbox's address. Port 0 picks a free port.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0, seed: UInt64 = 1, faults: FaultSpec = .none) async throws -> URL {
        guard running.withLock({ $0 == nil }) else { throw SandboxStartError(description: "the sandbox is already running") }
        var options = SandboxOptions(seed: seed, faults: faults)
        options.limits = limits
        options.sizes = sizes
        options.referenceDate = referenceDate
        options.timeoutHold = timeoutHold
        options.clock = clock
        let release = ReleaseSignal()
        let responder = SandboxResponder(
            platforms: Self.makePlatforms(options: options), journal: journal, options: options, release: release)
        var logger = Logger(label: "playbook.sandbox")
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let failure = Mutex<(any Error)?>(nil)
        let task = Task {
            do {
                try await group.run()
            } catch {
                failure.withLock { $0 = error }
                portContinuation.finish()
                throw error
            }
            portContinuation.finish()
        }
        var boundPort: Int?
        for await value in ports {
            boundPort = value
            break
        }
        guard let boundPort, boundPort > 0 else {
            release.release()
            await group.triggerGracefulShutdown()
            _ = await task.result
            let reason = failure.withLock { $0 }.map(Self.reason(for:)) ?? "the server stopped before listening"
            throw SandboxStartError(description: "the sandbox could not listen on \(host):\(port): \(reason)")
        }
        let origin = URL(string: "http://\(host):\(boundPort)")!
        responder.origin.withLock { $0 = origin.absoluteString }
        running.withLock { $0 = Running(group: group, task: task, release: release, origin: origin) }
        return origin
    }

    /// A start failure in a user's words: a busy port is the usual one.
    private static func reason(for error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE { return "the port is already in use" }
        if let error = error as? IOError, error.errnoCode == EACCES { return "permission denied (ports below 1024 need privileges)" }
        return String(describing: error)
    }

    /// Stops listening; requests held by a `timeout` fault are let go first. Safe to call twice.
    public func stop() async {
        guard let current = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        current.release.release()
        await current.group.triggerGracefulShutdown()
        _ = await current.task.result
    }

    static func makePlatforms(options: SandboxOptions, sizes: SandboxDataSizes? = nil) -> [any SandboxPlatform] {
        var options = options
        if let sizes { options.sizes = sizes }
        let data = SeedData(options: options)
        return [
            HubSpotSandbox(data: data, options: options),
            SlackSandbox(options: options),
            SendGridSandbox(options: options),
            SalesforceSandbox(data: data, options: options),
            MailchimpSandbox(data: data, options: options),
            MetaAdsSandbox(data: data, options: options),
            GoogleAdsSandbox(data: data, options: options),
            GA4Sandbox(data: data, options: options),
            LinkedInAdsSandbox(data: data, options: options),
            WebhookSandbox(),
        ]
    }
}
