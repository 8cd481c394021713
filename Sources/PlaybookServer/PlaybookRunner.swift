import CEL
import Foundation
import Logging
import PlaybookLanguage
import PlaybookRuntime
import PlaybookState
import Synchronization

/// Runs what the server is asked for, one run at a time per call: secrets resolved, the run
/// recorded in the state file with the playbook's lock, the executor run, the run's end recorded,
/// and a webhook event marked done. Every log line of a run carries its id (and a step's, its id).
public final class PlaybookRunner: Sendable {
    let store: SQLiteRunStateStore
    let secrets: any SecretSource
    let sandboxURL: String?
    let transport: any HTTPTransport
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(
        store: SQLiteRunStateStore, secrets: any SecretSource, sandboxURL: String? = nil, transport: any HTTPTransport,
        logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.secrets = secrets
        self.sandboxURL = sandboxURL
        self.transport = transport
        self.logger = logger
        self.clock = clock
    }

    /// How a request ended.
    public enum Outcome: Sendable {
        /// The run ran (whatever its status).
        case ran(RunSummary)
        /// The run could not start: another run holds the playbook (`concurrency: forbid`), or
        /// something it needs is missing. A webhook event stays in the inbox.
        case notStarted(String)
    }

    /// Runs `request`; `cancel` receives a way to stop the run cleanly (the batches in hand finish).
    public func run(_ request: RunRequest, onStart cancel: @Sendable (@escaping @Sendable () -> Void) -> Void = { _ in }) async -> Outcome {
        let playbook = request.playbook
        let runID = RunOptions.newRunID(at: clock())
        let log = {
            var log = logger
            log[metadataKey: "playbook"] = .string(playbook.name)
            log[metadataKey: "run_id"] = .string(runID)
            return log
        }()
        var options = RunOptions(runID: runID, now: CELTimestamp(date: clock()), trigger: request.trigger, baseDirectory: playbook.folder)
        let connectors = StandardConnectors(secrets: secrets, transport: SharedTransport(transport), sandboxURL: sandboxURL)
        let session: RunSession
        do {
            try connectors.prepare(playbook.plan, dryRun: false)
            // The queue already stopped a run of this server that the request replaces; a run of
            // another process holding the playbook is waited for rather than signalled.
            session = try await RunSession(
                store: store, plan: playbook.plan, playbookFile: playbook.file, contentHash: playbook.contentHash, options: options,
                policy: request.policy == .replace ? .queue : request.policy, note: { log.notice("\($0)") })
        } catch {
            log.error("the run could not start: \(error)")
            ServerMetrics.runNotStarted(playbook: playbook.name, reason: Self.reason(error))
            return .notStarted(String(describing: error))
        }
        options.state = session.runState
        let name = playbook.name
        options.stepFinished = { step in Self.report(step, playbook: name, log: log) }
        await bookkeeping(log) {
            if let event = request.eventID { try await self.store.markEventRunning(id: event, runID: runID) }
            if case .schedule(let key, let due) = request.origin {
                try await self.store.recordFire(ScheduleFire(playbook: playbook.name, schedule: key.text, firedAt: due))
            }
        }
        log.info("run started", metadata: Self.triggerMetadata(request))
        // The run goes in a task of its own, so that stopping it leaves this one free to record its end.
        let executor = Executor(plan: playbook.plan, options: options, connectors: connectors)
        let runTask = Task { await executor.run() }
        cancel { runTask.cancel() }
        let summary = await withTaskCancellationHandler { await runTask.value } onCancel: { runTask.cancel() }
        await connectors.shutdown()
        await bookkeeping(log) { try await session.finish(summary) }
        if let event = request.eventID {
            await bookkeeping(log) { try await self.store.markEventDone(id: event) }
        }
        report(summary, request: request, log: log)
        return .ran(summary)
    }

    /// Records what the state file must know; a failure is logged, and the run goes on.
    private func bookkeeping(_ log: Logger, _ body: () async throws -> Void) async {
        do { try await body() } catch { log.error("the state file could not be updated: \(error)") }
    }

    /// A step's line in the log, written as the step ends, and its metrics.
    private static func report(_ step: StepSummary, playbook: String, log: Logger) {
        var stepLog = log
        stepLog[metadataKey: "step_id"] = .string(step.id.rawValue)
        var metadata: Logger.Metadata = [
            "status": .string(step.status.rawValue), "records_in": .stringConvertible(step.recordsIn),
            "records_out": .stringConvertible(step.recordsOut), "records_skipped": .stringConvertible(step.recordsSkipped),
            "calls": .stringConvertible(step.calls),
        ]
        if let duration = step.duration { metadata["duration_ms"] = .stringConvertible(duration.nanoseconds / 1_000_000) }
        if let error = step.error { metadata["error"] = .string(error) }
        stepLog.log(level: step.status == .failed ? .error : .info, "step \(step.status.rawValue)", metadata: metadata)
        ServerMetrics.step(playbook: playbook, step: step.id.rawValue, kind: step.kind, duration: step.duration,
                           recordsIn: step.recordsIn, recordsOut: step.recordsOut, recordsSkipped: step.recordsSkipped)
    }

    private func report(_ summary: RunSummary, request: RunRequest, log: Logger) {
        let name = request.playbook.name
        var metadata: Logger.Metadata = [
            "status": .string(summary.status.rawValue), "duration_ms": .stringConvertible(summary.duration.nanoseconds / 1_000_000),
            "dead_letters": .stringConvertible(summary.deadLetterCount),
        ]
        if let error = summary.error { metadata["error"] = .string(error) }
        log.log(level: summary.status == .succeeded ? .info : .warning, "run \(summary.status.rawValue)", metadata: metadata)
        ServerMetrics.runFinished(playbook: name, trigger: Self.triggerKind(request), status: summary.status.rawValue, duration: summary.duration)
    }

    static func triggerKind(_ request: RunRequest) -> String {
        switch request.origin {
        case .schedule: "schedule"
        case .webhook: "webhook"
        }
    }

    private static func triggerMetadata(_ request: RunRequest) -> Logger.Metadata {
        switch request.origin {
        case .schedule(let key, let due):
            ["trigger": "schedule", "schedule": .string(key.text), "due": .string(ISO8601DateFormatter().string(from: due))]
        case .webhook(let event, let path):
            ["trigger": "webhook", "path": .string(path), "event": .stringConvertible(event)]
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? StateStoreError, case .playbookBusy = error.problem { return "busy" }
        if error is MissingSecret { return "missing_secret" }
        return "error"
    }
}

/// The server's one HTTP transport, lent to each run: a run's end does not close it.
struct SharedTransport: HTTPTransport {
    let transport: any HTTPTransport
    init(_ transport: any HTTPTransport) { self.transport = transport }
    func send(_ call: HTTPCall, timeout: Duration) async throws -> HTTPAnswer { try await transport.send(call, timeout: timeout) }
    func shutdown() async {}
}
