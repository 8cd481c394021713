import CEL
import Foundation
import PlaybookLanguage
import Synchronization
import Testing
@testable import PlaybookRuntime

/// Sources and sinks that block and count, to show how steps run together without timing.
private final class ProbeConnectors: ConnectorProvider, Sendable {
    /// Fetch steps whose first page waits until every other step listed has been asked for its
    /// first page: with steps run one after the other, the run would never finish.
    let rendezvous: Set<String>
    /// Pages a fetch step gives (each of `pageSize` records) before it ends.
    let pages: Int
    let pageSize: Int
    let sinkGate: Gate?
    let pagesAsked = Mutex<[String: Int]>([:])
    let written = Mutex<Int>(0)

    init(rendezvous: Set<String> = [], pages: Int = 1, pageSize: Int = 2, sinkGate: Gate? = nil) {
        self.rendezvous = rendezvous
        self.pages = pages
        self.pageSize = pageSize
        self.sinkGate = sinkGate
    }

    func asked(_ step: String) -> Int { pagesAsked.withLock { $0[step] ?? 0 } }

    func source(for fetch: FetchOperation, in context: ConnectorContext) throws -> any RecordSource {
        ProbeSource(step: context.step.id.rawValue, owner: self)
    }

    func sink(for sync: SyncOperation, in context: ConnectorContext) throws -> any RecordSink { ProbeSink(owner: self) }

    func sender(for connection: ConnectionName, in context: ConnectorContext) throws -> any MessageSender {
        throw ConnectorUnavailable("no sender")
    }

    struct ProbeSource: RecordSource {
        let step: String
        let owner: ProbeConnectors
        func nextPage() async throws -> RecordPage? {
            let page = owner.pagesAsked.withLock { asked in
                asked[step, default: 0] += 1
                return asked[step]!
            }
            if page == 1, owner.rendezvous.contains(step) {
                while owner.rendezvous.contains(where: { owner.asked($0) == 0 }) {
                    try Task.checkCancellation()
                    await Task.yield()
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
            guard page <= owner.pages else { return nil }
            return RecordPage(records: (0..<owner.pageSize).map { index in
                CELMap(["n": .int(Int64(page * 1000 + index))])
            })
        }
    }

    struct ProbeSink: RecordSink {
        let owner: ProbeConnectors
        func write(_ batch: [Record]) async throws -> [RefusedRecord] {
            await owner.sinkGate?.wait()
            owner.written.withLock { $0 += batch.count }
            return []
        }
        func finish() async throws {}
    }
}

/// Holds its waiters until opened.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let openNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if openNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

private let playbook = """
    version: 1
    name: probe
    connections:
      files: { connector: file }
    steps:
      left:
        fetch: { file: left.jsonl }
      right:
        fetch: { file: right.jsonl }
      left_out:
        sync: { from: left, connection: files, resource: l.jsonl, mode: insert }
      right_out:
        sync: { from: right, connection: files, resource: r.jsonl, mode: insert }
    """

@Suite struct ConcurrencyTests {
    private func executor(_ connectors: ProbeConnectors) throws -> Executor {
        let compiled = Runtime.plan(playbook)
        let plan = try #require(compiled)
        return Executor(plan: plan, options: RunOptions(baseDirectory: "/nonexistent", batchSize: 2), connectors: connectors)
    }

    @Test func independentBranchesRunAtTheSameTime() async throws {
        // Each fetch waits for the other to have started: run one after the other, neither ends.
        let connectors = ProbeConnectors(rendezvous: ["left", "right"], pages: 3)
        let summary = try await executor(connectors).run()
        #expect(summary.status == .succeeded)
        #expect(connectors.written.withLock { $0 } == 12)
    }

    @Test func aSlowSinkHoldsBackTheFetchFeedingIt() async throws {
        let gate = Gate()
        let connectors = ProbeConnectors(pages: 1000, pageSize: 2, sinkGate: gate)
        let run = Task { try await executor(connectors).run() }
        // While the sinks are held, a fetch can get only a few pages ahead: one in the sink's
        // hands, two in the channel, one being sent.
        while connectors.asked("left") < 4 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(connectors.asked("left") <= 5)
        #expect(connectors.asked("right") <= 5)
        gate.open()
        let summary = try await run.value
        #expect(summary.status == .succeeded)
        #expect(connectors.written.withLock { $0 } == 4000)
        #expect(connectors.asked("left") == 1001)
    }

    @Test func cancellingTheRunCancelsItsStepsAndSaysSo() async throws {
        let gate = Gate()
        let connectors = ProbeConnectors(pages: 1000, sinkGate: gate)
        let run = Task { try await executor(connectors).run() }
        while connectors.asked("left") < 2 { try await Task.sleep(for: .milliseconds(5)) }
        run.cancel()
        gate.open()
        let summary = try await run.value
        #expect(summary.status == .cancelled)
        #expect(summary.steps.allSatisfy { $0.status == .cancelled || $0.status == .succeeded })
        #expect(summary.steps.contains { $0.status == .cancelled && $0.error == "the run was stopped" })
    }
}

@Suite struct BatchChannelTests {
    @Test func aSenderWaitsWhenTheBufferIsFullUntilTheReaderTakesABatch() async throws {
        let channel = BatchChannel(capacity: 2)
        let sent = Mutex(0)
        let sender = Task {
            for _ in 0..<3 {
                _ = await channel.send([CELMap()])
                sent.withLock { $0 += 1 }
            }
            channel.finish()
        }
        while sent.withLock({ $0 }) < 2 { await Task.yield() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(sent.withLock { $0 } == 2)
        var read = 0
        while await channel.next() != nil { read += 1 }
        await sender.value
        #expect(read == 3)
    }

    @Test func aClosedChannelDropsWhatIsSentSoTheProducerNeverWaits() async {
        let channel = BatchChannel(capacity: 1)
        channel.close()
        #expect(await channel.send([CELMap()]) == false)
        #expect(await channel.next() == nil)
    }

    @Test func aLiftedChannelTakesEveryBatchWithoutWaiting() async {
        let channel = BatchChannel(capacity: 1)
        channel.lift()
        for _ in 0..<10 { #expect(await channel.send([CELMap()])) }
        channel.restoreBound()
        channel.finish()
        var read = 0
        while await channel.next() != nil { read += 1 }
        #expect(read == 10)
    }
}
