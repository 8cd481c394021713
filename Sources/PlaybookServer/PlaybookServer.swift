import Diagnostics
import Foundation
import Hummingbird
import Logging
import NIOCore
import PlaybookLanguage
import PlaybookRuntime
import PlaybookState
import ServiceLifecycle
import Synchronization

/// Why the server could not start.
public struct ServerStartError: Error, CustomStringConvertible {
    public let description: String
}

/// `playbook serve`: the playbooks of a folder, run on their schedules and on their webhooks, with
/// health, readiness and metrics on the same port. Runs go through a bounded queue and are recorded
/// in the state file, like `playbook run`'s.
public final class PlaybookServer: Sendable {
    public struct Configuration: Sendable {
        /// The folder of playbooks.
        public var folder: String
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 8080
        /// The state file (runs, cursors, the notification ledger, the webhook inbox, the schedules' bookkeeping).
        public var statePath: String
        /// Most runs at once.
        public var workers = 4
        /// Where secrets come from.
        public var secrets: any SecretSource
        /// Every platform connection goes to the sandbox at this address, with stand-in secrets.
        public var sandboxURL: String?
        /// The address senders use to reach the server (`https://hooks.example.com`): HubSpot signs it.
        public var publicURL: String?
        /// How often the folder is looked at for changes; nil: only on SIGHUP (`reload()`).
        public var watchInterval: Duration? = .seconds(2)
        public var clock: any ServerClock = SystemServerClock()
        public var stateOptions = SQLiteRunStateStore.Options()
        /// The log's secret masking, updated with the secrets of the playbooks loaded.
        public var redaction: LogRedaction?

        public init(folder: String, statePath: String, secrets: any SecretSource) {
            self.folder = folder
            self.statePath = statePath
            self.secrets = secrets
        }
    }

    private struct Loaded: Sendable {
        var catalog: PlaybookCatalog
        var verifiers: [String: Result<WebhookVerifier, WebhookVerifierSetupError>]
        var loadedAt: Date
        var folderStamp: String
    }

    private struct Running {
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let origin: URL
    }

    public let configuration: Configuration
    public let store: SQLiteRunStateStore
    let logger: Logger
    public let queue: RunQueue
    let scheduler: Scheduler
    let inbox: InboxWriter
    private let transport = AsyncHTTPTransport()
    private let loaded: Mutex<Loaded>
    private let accepting = Atomic<Bool>(false)
    private let running = Mutex<Running?>(nil)
    private let reloading = Mutex<Task<Void, Never>?>(nil)

    /// Opens the state file; throws a message for the operator when it cannot be used.
    public init(configuration: Configuration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        store = try SQLiteRunStateStore(path: configuration.statePath, options: configuration.stateOptions)
        let clock = configuration.clock
        let runner = PlaybookRunner(
            store: store, secrets: configuration.secrets, sandboxURL: configuration.sandboxURL, transport: transport, logger: logger,
            clock: { clock.now() })
        queue = RunQueue(workers: configuration.workers, runner: runner, logger: logger)
        let queue = self.queue
        scheduler = Scheduler(clock: clock, store: store, logger: logger) { request in await queue.submit(request) }
        inbox = InboxWriter(store: store)
        loaded = Mutex(Loaded(catalog: .empty(folder: configuration.folder), verifiers: [:], loadedAt: Date(), folderStamp: ""))
        ServerMetrics.start()
    }

    /// The playbooks as last loaded.
    public var catalog: PlaybookCatalog { loaded.withLock { $0.catalog } }

    /// The address the server listens on, once started.
    public var origin: URL? { running.withLock { $0?.origin } }

    /// Whether the server takes webhook requests and fires schedules.
    public var isReady: Bool { accepting.load(ordering: .acquiring) }

    /// Loads the playbooks, starts listening, runs the webhook events the last server accepted but
    /// did not finish, catches up missed schedules, and returns the server's address.
    @discardableResult
    public func start() async throws -> URL {
        let catalog = load(stamp: Self.folderStamp(configuration.folder))
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let router = ServerResponder(server: self, receiver: receiver())
        var quiet = logger
        quiet.logLevel = .warning
        let app = Application(
            responder: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: quiet)
        // Stopped in the reverse order: the HTTP server first (no new request), then the folder
        // watch and the scheduler, and last the runs, which finish the batches in hand.
        let services: [any Service] = [
            RunQueueService(queue: queue), SchedulerService(scheduler: scheduler),
            FolderWatchService(server: self, interval: configuration.watchInterval), app,
        ]
        let group = ServiceGroup(configuration: .init(services: services, logger: quiet))
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
            await group.triggerGracefulShutdown()
            _ = await task.result
            let reason = failure.withLock { $0 }.map(Self.reason(for:)) ?? "the server stopped before listening"
            throw ServerStartError(description: "cannot listen on \(configuration.host):\(configuration.port): \(reason)")
        }
        let origin = URL(string: "http://\(configuration.host):\(boundPort)")!
        running.withLock { $0 = Running(group: group, task: task, origin: origin) }
        accepting.store(true, ordering: .releasing)
        await resumeInbox(catalog)
        await scheduler.load(catalog.playbooks, catchingUp: true)
        logger.info("serving \(catalog.playbooks.count) playbook(s) on \(origin.absoluteString)",
                    metadata: ["rejected": .stringConvertible(catalog.rejected.count)])
        return origin
    }

    /// Waits until the server has stopped (after `stop()`, or SIGTERM through the service group).
    public func waitUntilStopped() async {
        guard let task = running.withLock({ $0?.task }) else { return }
        _ = await task.result
    }

    /// Stops taking requests, stops the scheduler, lets the runs in progress finish the batches in
    /// hand and record how they ended, and returns. Safe to call twice.
    public func stop() async {
        accepting.store(false, ordering: .releasing)
        guard let current = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        logger.info("stopping: no new requests; runs in progress finish the batches in hand")
        await current.group.triggerGracefulShutdown()
        _ = await current.task.result
        await transport.shutdown()
        logger.info("stopped")
    }

    /// Loads the folder again (SIGHUP, or a change the folder watch saw). Runs in progress go on
    /// with the playbook they started with; accepted events stay in the inbox and run with the
    /// playbook as it is now.
    public func reload() async {
        await reload(stamp: Self.folderStamp(configuration.folder))
    }

    private func reload(stamp: String) async {
        guard isReady else { return }
        let before = catalog
        let after = load(stamp: stamp)
        guard after.fingerprint != before.fingerprint else {
            logger.info("reload: nothing changed")
            return
        }
        let names = Set(after.playbooks.map(\.name)), old = Set(before.playbooks.map(\.name))
        logger.notice("reloaded \(after.playbooks.count) playbook(s)", metadata: [
            "added": .string(names.subtracting(old).sorted().joined(separator: ",")),
            "removed": .string(old.subtracting(names).sorted().joined(separator: ",")),
            "rejected": .stringConvertible(after.rejected.count),
        ])
        await scheduler.load(after.playbooks, catchingUp: false)
    }

    /// Reloads when the folder's files changed since the last load.
    func reloadIfChanged() async {
        let stamp = Self.folderStamp(configuration.folder)
        guard stamp != loaded.withLock({ $0.folderStamp }) else { return }
        await reload(stamp: stamp)
    }

    /// Reads the folder, whose files' `stamp` was just taken, and makes it the served catalogue.
    private func load(stamp: String) -> PlaybookCatalog {
        let catalog = PlaybookCatalog.load(folder: configuration.folder)
        configuration.redaction?.update(playbooks: catalog.playbooks, secrets: configuration.secrets)
        for rejected in catalog.rejected {
            logger.error("not loaded: \(rejected.file)\n\(rejected.problems)", metadata: ["file": .string(rejected.file)])
        }
        var verifiers: [String: Result<WebhookVerifier, WebhookVerifierSetupError>] = [:]
        for (path, route) in catalog.routes {
            let hook = route.webhook.webhook
            let made = Result { () throws(WebhookVerifierSetupError) in
                try WebhookVerifier(
                    scheme: hook.verify.value, signingSecret: hook.signingSecret.flatMap { configuration.secrets.value(of: $0.value) },
                    signatureHeader: hook.signatureHeader, tolerance: hook.tolerance ?? .seconds(300),
                    verifyToken: hook.verifyToken.flatMap { configuration.secrets.value(of: $0.value) })
            }
            if case .failure(let problem) = made {
                logger.error("webhook \(path) of \(route.playbook.name) cannot take requests: \(problem)", metadata: ["playbook": .string(route.playbook.name)])
            }
            verifiers[path] = made
        }
        loaded.withLock { $0 = Loaded(catalog: catalog, verifiers: verifiers, loadedAt: Date(), folderStamp: stamp) }
        return catalog
    }

    private func receiver() -> WebhookReceiver {
        WebhookReceiver(
            catalog: { [weak self, folder = configuration.folder] in self?.catalog ?? .empty(folder: folder) },
            verifiers: { [weak self] path in self?.loaded.withLock { $0.verifiers[path] } },
            inbox: inbox, queue: queue, clock: configuration.clock, publicURL: configuration.publicURL, logger: logger,
            accepting: { [weak self] in self?.isReady ?? false })
    }

    /// Runs the events a server accepted and did not finish (it stopped, or died after answering).
    private func resumeInbox(_ catalog: PlaybookCatalog) async {
        let open: [InboundEvent]
        do {
            open = try await store.openEvents()
        } catch {
            logger.error("the webhook inbox could not be read: \(error)")
            return
        }
        guard !open.isEmpty else { return }
        logger.notice("\(open.count) webhook event(s) accepted earlier and not finished: running them now")
        for event in open {
            guard let route = catalog.routes[event.path], route.playbook.name == event.playbook else {
                logger.warning("webhook event \(event.id) is for \(event.playbook) at \(event.path), which is not served now; it waits in the inbox",
                               metadata: ["playbook": .string(event.playbook)])
                continue
            }
            let headers: [String: String]
            if case .object(let fields)? = try? JSONValue(parsing: event.headers) {
                headers = Dictionary(fields.compactMap { name, value in
                    if case .string(let text) = value { return (name, text) }
                    return nil
                }, uniquingKeysWith: { $1 })
            } else {
                headers = [:]
            }
            let input = InboundEventInput(id: event.id, body: event.body, headers: headers)
            await queue.submit(RunRequest.webhook(input, playbook: route.playbook, webhook: route.webhook, at: configuration.clock.now()))
        }
    }

    /// What `/healthz` shows.
    func health() async -> JSONValue {
        let (catalog, verifiers, loadedAt) = loaded.withLock { ($0.catalog, $0.verifiers, $0.loadedAt) }
        let snapshot = await queue.snapshot
        let upcoming = await scheduler.upcoming
        let format = ISO8601DateFormatter()
        let playbooks: [JSONValue] = catalog.playbooks.map { playbook in
            .object([
                ("name", .string(playbook.name)), ("file", .string(playbook.file)),
                ("schedules", .array(upcoming.filter { $0.playbook == playbook.name }.map {
                    .object([("schedule", .string($0.schedule)), ("next", .string(format.string(from: $0.next)))])
                })),
                ("webhooks", .array(playbook.webhooks.map { hook in
                    var fields: [(String, JSONValue)] = [("path", .string(hook.path))]
                    if case .failure(let problem)? = verifiers[hook.path] { fields.append(("problem", .string(problem.description))) }
                    return .object(fields)
                })),
            ])
        }
        let rejected: [JSONValue] = catalog.rejected.map { .object([("file", .string($0.file)), ("problems", .string($0.problems))]) }
        func runs(_ list: [(playbook: String, trigger: String, since: Date)]) -> JSONValue {
            .array(list.map { .object([("playbook", .string($0.playbook)), ("trigger", .string($0.trigger)), ("since", .string(format.string(from: $0.since)))]) })
        }
        return .object([
            ("status", .string(catalog.rejected.isEmpty ? "ok" : "degraded")),
            ("ready", .bool(isReady)),
            ("loaded_at", .string(format.string(from: loadedAt))),
            ("playbooks", .array(playbooks)),
            ("rejected", .array(rejected)),
            ("queue", .object([
                ("workers", .int(Int64(queue.workers))), ("running", runs(snapshot.running)),
                ("waiting_count", .int(Int64(snapshot.waitingCount))), ("waiting", runs(snapshot.waiting)),
            ])),
        ])
    }

    /// The names, sizes and modification times of the folder's playbook files: cheap to compare.
    static func folderStamp(_ folder: String) -> String {
        let files = (try? FileCollection.playbookFiles(in: [folder])) ?? []
        return files.map { file in
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(file)|\(size)|\(modified)"
        }.joined(separator: "\n")
    }

    private static func reason(for error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE { return "the port is already in use" }
        if let error = error as? IOError, error.errnoCode == EACCES { return "permission denied (ports below 1024 need privileges)" }
        return String(describing: error)
    }
}

// MARK: Services

/// The runs, stopped last: they finish the batches in hand and record how they ended.
struct RunQueueService: Service {
    public let queue: RunQueue
    func run() async throws {
        try? await gracefulShutdown()
        await queue.shutdown()
    }
}

/// The schedules, stopped once the HTTP server no longer takes requests.
struct SchedulerService: Service {
    let scheduler: Scheduler
    func run() async throws {
        await withGracefulShutdownHandler {
            await scheduler.run()
        } onGracefulShutdown: {
            Task { await scheduler.stop() }
        }
    }
}

/// Looks at the folder every `interval` and reloads when a playbook file changed.
struct FolderWatchService: Service {
    let server: PlaybookServer
    let interval: Duration?
    func run() async throws {
        guard let interval else {
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await server.reloadIfChanged()
            }
        }
    }
}
