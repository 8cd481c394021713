import CEL
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import PlaybookSandbox
@testable import PlaybookServer
import PlaybookState
import Synchronization
import Testing

/// Runs of a playbook that reads every HubSpot contact of a sandbox that answers slowly: each run
/// takes a couple of seconds, long enough to be still going when the next request comes.
@Suite struct RunQueueTests {
    private static func playbook(_ policy: String) -> String {
        """
        version: 1
        name: slow
        triggers:
          - schedule: "0 * * * *"
            concurrency: \(policy)
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts }
        """
    }

    private final class Outcomes: Sendable {
        let list = Mutex<[RunStatus]>([])
        var statuses: [RunStatus] { list.withLock { $0 } }
    }

    private func withQueue(_ policy: String, _ body: (RunQueue, ServedPlaybook, Outcomes) async throws -> Void) async throws {
        try await withFolder(["slow.yaml": Self.playbook(policy)]) { folder in
            let sandbox = SandboxServer()
            let address = try await sandbox.start(faults: try FaultSpec.parse("latency=150ms"))
            let store = try SQLiteRunStateStore(path: folder + "/state.sqlite")
            let runner = PlaybookRunner(store: store, secrets: EnvironmentSecrets(environment: [:]), sandboxURL: address.absoluteString,
                                        transport: AsyncHTTPTransport(), logger: LogLines().logger)
            let outcomes = Outcomes()
            let queue = RunQueue(workers: 2, runner: runner, logger: LogLines().logger) { _, outcome in
                if case .ran(let summary) = outcome { outcomes.list.withLock { $0.append(summary.status) } }
            }
            let catalog = PlaybookCatalog.load(folder: folder)
            let playbook = try #require(catalog.playbooks.first, "\(catalog.rejected.map(\.problems))")
            do {
                try await body(queue, playbook, outcomes)
            } catch {
                await queue.shutdown()
                await sandbox.stop()
                throw error
            }
            await queue.shutdown()
            await sandbox.stop()
        }
    }

    private func request(_ playbook: ServedPlaybook, at hour: Int) -> RunRequest {
        let due = Date(timeIntervalSince1970: 1_796_544_000 + Double(hour) * 3600)
        return RunRequest.schedule(playbook.schedules[0], due: due, playbook: playbook, at: due)
    }

    @Test func withQueueARequestWaitsForTheRunInProgress() async throws {
        try await withQueue("queue") { queue, playbook, outcomes in
            #expect(await queue.submit(request(playbook, at: 0)) == .waiting)
            #expect(await queue.submit(request(playbook, at: 1)) == .waiting)
            let snapshot = await queue.snapshot
            #expect(snapshot.running.count == 1)
            #expect(snapshot.waiting.count == 1)
            await queue.untilIdle()
            #expect(outcomes.statuses == [.succeeded, .succeeded])
        }
    }

    @Test func withForbidARequestWhileARunGoesIsDropped() async throws {
        try await withQueue("forbid") { queue, playbook, outcomes in
            #expect(await queue.submit(request(playbook, at: 0)) == .waiting)
            guard case .dropped = await queue.submit(request(playbook, at: 1)) else {
                Issue.record("a second request was not dropped")
                return
            }
            await queue.untilIdle()
            #expect(outcomes.statuses == [.succeeded])
        }
    }

    @Test func withReplaceTheRunInProgressStopsAndTheNewOneRuns() async throws {
        try await withQueue("replace") { queue, playbook, outcomes in
            #expect(await queue.submit(request(playbook, at: 0)) == .waiting)
            #expect(await eventually { await queue.snapshot.running.count == 1 })
            try await Task.sleep(for: .milliseconds(300))
            #expect(await queue.submit(request(playbook, at: 1)) == .waiting)
            await queue.untilIdle()
            #expect(outcomes.statuses == [.cancelled, .succeeded])
        }
    }
}
