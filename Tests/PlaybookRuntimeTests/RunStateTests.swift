import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
@testable import PlaybookRuntime
import Synchronization
import Testing

/// Incremental cursors and the `once_per` ledger across runs, with the run state kept in memory.
@Suite struct RunStateTests {
    private static let yaml = """
        version: 1
        name: state-test
        connections:
          crm: { connector: hubspot, auth: { token: { secret: T } } }
          chat: { connector: slack, auth: { webhook_url: { secret: W } } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts, incremental: { cursor: updated_at, start: "2026-01-01T00:00:00Z" } }
          hello:
            notify: { from: contacts, connection: chat, message: "Hello {{ record.email }}", once_per: record.email }
        """

    private func contact(_ id: String, _ updated: String) -> CELValue {
        var map = CELMap()
        try? map.insert(.string("id"), .string(id))
        try? map.insert(.string("email"), .string("\(id)@example.com"))
        try? map.insert(.string("updated_at"), .string(updated))
        return .map(map)
    }

    /// One run over `contacts`: the e-mails greeted, and the summary.
    private func run(_ contacts: [CELValue], state: MemoryRunState, failSending: Bool = false) async throws -> (greeted: [String], summary: RunSummary) {
        let plan = try #require(Runtime.plan(Self.yaml))
        let fixtures = FixtureConnectors(records: [StepID("contacts"): contacts])
        let connectors: any ConnectorProvider = failSending ? FailingSends(fixtures: fixtures) : fixtures
        let summary = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: connectors).run()
        let greeted = fixtures.sent[StepID("hello"), default: []].map(\.text)
        return (greeted, summary)
    }

    @Test func eachGroupsSentKeysAreMarkedWithTheNextGroupsClaimAndTheLastAfterTheBatch() async throws {
        let plan = try #require(Runtime.plan(Self.yaml))
        let contacts = ["1", "2", "3"].map { contact($0, "2026-01-02T10:00:00Z") }
        let state = CountingRunState()
        let fixtures = FixtureConnectors(records: [StepID("contacts"): contacts])
        let summary = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: fixtures).run()
        #expect(summary.status == .succeeded)
        // One message at a time: one ledger write per message, and one for the batch's last.
        #expect(state.calls.withLock { $0 } == [
            "claim 1@example.com after []",
            "claim 2@example.com after [1@example.com]",
            "claim 3@example.com after [2@example.com]",
            "mark sent [3@example.com]",
        ])
        let again = try await state.memory.claim(["1@example.com", "2@example.com", "3@example.com"], playbook: "state-test",
                                                 step: StepID("hello"), runID: "next", delivery: .atMostOnce)
        #expect(again == [.alreadySent, .alreadySent, .alreadySent])
    }

    @Test func groupsOfSeveralMessagesAreSettledTheSameWay() async throws {
        let yaml = Self.yaml.replacingOccurrences(of: "auth: { webhook_url: { secret: W } } }", with: "auth: { webhook_url: { secret: W } }, concurrency: 2 }")
        let plan = try #require(Runtime.plan(yaml))
        let contacts = ["1", "2", "3", "4", "5"].map { contact($0, "2026-01-02T10:00:00Z") }
        let state = CountingRunState()
        let fixtures = FixtureConnectors(records: [StepID("contacts"): contacts])
        let summary = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: fixtures).run()
        #expect(summary.status == .succeeded)
        #expect(fixtures.sent[StepID("hello"), default: []].count == 5)
        #expect(state.calls.withLock { $0 } == [
            "claim 1@example.com, 2@example.com after []",
            "claim 3@example.com, 4@example.com after [1@example.com, 2@example.com]",
            "claim 5@example.com after [3@example.com, 4@example.com]",
            "mark sent [5@example.com]",
        ])
    }

    @Test func aGroupClaimedWhileARecordAfterItFailsTheStepIsLetGoOfNotLeftUncertain() async throws {
        let plan = try #require(Runtime.plan(Self.yaml))
        var withoutEmail = CELMap()
        try withoutEmail.insert(.string("id"), .string("2"))
        try withoutEmail.insert(.string("updated_at"), .string("2026-01-02T10:00:00Z"))
        let contacts = [contact("1", "2026-01-02T10:00:00Z"), .map(withoutEmail), contact("3", "2026-01-02T10:00:00Z")]
        let state = CountingRunState()
        let fixtures = FixtureConnectors(records: [StepID("contacts"): contacts])
        let failed = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: fixtures).run()
        // The first message's key is claimed while the next record is read; that record has no
        // e-mail, which fails the step before the first message goes.
        #expect(failed.status == .failed)
        #expect(fixtures.sent[StepID("hello"), default: []].isEmpty)
        #expect(state.calls.withLock { $0 } == ["claim 1@example.com after []", "release [1@example.com]"])
        let next = FixtureConnectors(records: [StepID("contacts"): [contacts[0], contacts[2]]])
        let retried = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: next).run()
        #expect(retried.status == .succeeded)
        #expect(next.sent[StepID("hello"), default: []].map(\.text) == ["Hello 1@example.com", "Hello 3@example.com"])
        #expect(retried.steps.first { $0.id == StepID("hello") }?.uncertainKeys == [])
    }

    @Test func aRunStoppedWhileAGroupIsOutRecordsTheMessagesTheGroupAlreadySent() async throws {
        let yaml = Self.yaml.replacingOccurrences(of: "auth: { webhook_url: { secret: W } } }", with: "auth: { webhook_url: { secret: W } }, concurrency: 2 }")
        let plan = try #require(Runtime.plan(yaml))
        let contacts = ["1", "2"].map { contact($0, "2026-01-02T10:00:00Z") }
        let state = CountingRunState(refusingWritesOnceStopped: true)
        let sender = OneSentOneHanging()
        let connectors = SendingThrough(sender: sender, fixtures: FixtureConnectors(records: [StepID("contacts"): contacts]))
        let running = Task { await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: connectors).run() }
        while !sender.hanging.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        running.cancel()
        let summary = await running.value
        #expect(summary.status == .cancelled)
        // The first message was acknowledged before the run was stopped: it is recorded sent, even
        // though the step was being stopped. The second was on its way: uncertain.
        let next = try await state.memory.claim(["1@example.com", "2@example.com"], playbook: "state-test", step: StepID("hello"),
                                                runID: "next", delivery: .atMostOnce)
        #expect(next == [.alreadySent, .uncertain])
    }

    @Test func aRunStoppedWhileAGroupIsClaimedDoesNotSendItAndLetsItGo() async throws {
        let plan = try #require(Runtime.plan(Self.yaml))
        let contacts = ["1", "2"].map { contact($0, "2026-01-02T10:00:00Z") }
        let state = CountingRunState(holdingTheClaimOf: "2@example.com")
        let fixtures = FixtureConnectors(records: [StepID("contacts"): contacts])
        let running = Task { await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: fixtures).run() }
        while !state.holding.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        running.cancel()
        state.open.withLock { $0 = true }
        let summary = await running.value
        #expect(summary.status == .cancelled)
        // The second message's claim was being written when the run was stopped: it is not sent,
        // and its key is let go of, so the next run sends it rather than reporting it uncertain.
        #expect(fixtures.sent[StepID("hello"), default: []].map(\.text) == ["Hello 1@example.com"])
        let next = try await state.memory.claim(["1@example.com", "2@example.com"], playbook: "state-test", step: StepID("hello"),
                                                runID: "next", delivery: .atMostOnce)
        #expect(next == [.alreadySent, .send])
    }

    @Test func aRunStoppedBetweenGroupsRecordsTheGroupItSentAndClaimsNoMore() async throws {
        let plan = try #require(Runtime.plan(Self.yaml))
        let contacts = ["1", "2"].map { contact($0, "2026-01-02T10:00:00Z") }
        let state = CountingRunState(refusingWritesOnceStopped: true)
        let sender = AnsweringOnceStopped()
        let connectors = SendingThrough(sender: sender, fixtures: FixtureConnectors(records: [StepID("contacts"): contacts]))
        let running = Task { await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: connectors).run() }
        while sender.sent.withLock({ $0 }).isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        running.cancel()
        #expect(await running.value.status == .cancelled)
        // The first message was acknowledged as the run was stopped: recorded sent. The second
        // was neither claimed nor sent: the next run sends it.
        #expect(sender.sent.withLock { $0 } == ["Hello 1@example.com"])
        let next = try await state.memory.claim(["1@example.com", "2@example.com"], playbook: "state-test", step: StepID("hello"),
                                                runID: "next", delivery: .atMostOnce)
        #expect(next == [.alreadySent, .send])
    }

    @Test func aSecondRunReadsOnlyWhatChangedAndRepeatedCursorValuesLoseNothing() async throws {
        let state = MemoryRunState()
        let first = try await run([contact("1", "2025-12-31T23:00:00Z"), contact("2", "2026-01-02T10:00:00Z"), contact("3", "2026-01-03T10:00:00Z")], state: state)
        // Before `start` is not read; the cursor reaches the last record's time.
        #expect(first.greeted == ["Hello 2@example.com", "Hello 3@example.com"])
        #expect(first.summary.steps.first?.cursor?.value == .string("2026-01-03T10:00:00Z"))
        #expect(try await state.cursor(playbook: "state-test", step: StepID("contacts"))?.keysAtValue == ["3"])

        // The platform answers again from the boundary; a record changed in the same second as the
        // last one delivered is new, the one delivered at it is not.
        let second = try await run([contact("3", "2026-01-03T10:00:00Z"), contact("4", "2026-01-03T10:00:00Z"), contact("5", "2026-01-04T08:00:00Z")], state: state)
        #expect(second.greeted == ["Hello 4@example.com", "Hello 5@example.com"])

        let third = try await run([contact("4", "2026-01-03T10:00:00Z"), contact("5", "2026-01-04T08:00:00Z")], state: state)
        #expect(third.greeted.isEmpty)
        #expect(third.summary.status == .succeeded)
    }

    @Test func aRunThatFailsDownstreamKeepsTheOldCursorAndARefusedMessageIsSentNextTime() async throws {
        let state = MemoryRunState()
        let failed = try await run([contact("1", "2026-01-02T10:00:00Z")], state: state, failSending: true)
        #expect(failed.summary.status == .failed)
        #expect(try await state.cursor(playbook: "state-test", step: StepID("contacts")) == nil)
        let retried = try await run([contact("1", "2026-01-02T10:00:00Z")], state: state)
        #expect(retried.greeted == ["Hello 1@example.com"])
    }

    @Test func aMessageSentByAnEarlierRunIsNotSentAgainAndOneLeftUncertainIsReported() async throws {
        let state = MemoryRunState()
        // A run that died between claiming a key and the platform's answer left it intended.
        _ = try await state.claim(["7@example.com"], playbook: "state-test", step: StepID("hello"), runID: "an-earlier-run", delivery: .atMostOnce)
        _ = try await state.claim(["8@example.com"], playbook: "state-test", step: StepID("hello"), runID: "an-earlier-run", delivery: .atMostOnce)
        try await state.markSent(["8@example.com"], playbook: "state-test", step: StepID("hello"), runID: "an-earlier-run")
        let result = try await run([contact("7", "2026-01-02T10:00:00Z"), contact("8", "2026-01-02T11:00:00Z"), contact("9", "2026-01-02T12:00:00Z")], state: state)
        #expect(result.greeted == ["Hello 9@example.com"])
        let hello = try #require(result.summary.steps.first { $0.id == StepID("hello") })
        #expect(hello.uncertainKeys == ["7@example.com"])
        #expect(hello.messagesHeldBack == 1)
        #expect(SummaryRendering.text(result.summary).contains("1 message(s) uncertain"))
    }

    @Test func withConcurrencyMessagesGoInGroupsWithOneClaimPerGroup() async throws {
        let yaml = Self.yaml
            .replacingOccurrences(of: "webhook_url: { secret: W } } }", with: "webhook_url: { secret: W } }, concurrency: 4 }")
            .replacingOccurrences(of: "once_per: record.email }", with: "once_per: record.email, max_messages: 6 }")
        let plan = try #require(Runtime.plan(yaml))
        let state = CountingRunState()
        let contacts = (10..<20).map { contact(String($0), "2026-01-02T10:00:00Z") }
        let fixtures = FixtureConnectors(records: [StepID("contacts"): contacts])
        let summary = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: fixtures).run()
        #expect(summary.status == .succeeded, "\(summary.error ?? "")")
        // Groups of 4, 4 and 2: one claim each; the 6th to 10th held back by max_messages.
        #expect(state.claims.withLock { $0 } == [4, 4, 2])
        let sent = Set(fixtures.sent[StepID("hello"), default: []].map(\.text))
        #expect(sent.count == 6)
        let hello = try #require(summary.steps.first { $0.id == StepID("hello") })
        #expect(hello.messagesOverLimit == 4)
        // Claimed but held back, they are let go of: the next run sends them.
        let next = FixtureConnectors(records: [StepID("contacts"): contacts])
        _ = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: next).run()
        let sentNext = Set(next.sent[StepID("hello"), default: []].map(\.text))
        #expect(sentNext.count == 4)
        #expect(sentNext.isDisjoint(with: sent))
    }

    @Test func atLeastOnceSendsAnUncertainMessageAgainUnderTheSameID() async throws {
        let yaml = Self.yaml.replacingOccurrences(of: "once_per: record.email }", with: "once_per: record.email, delivery: at_least_once }")
        let plan = try #require(Runtime.plan(yaml))
        let state = MemoryRunState()
        _ = try await state.claim(["7@example.com"], playbook: "state-test", step: StepID("hello"), runID: "an-earlier-run", delivery: .atLeastOnce)
        let fixtures = FixtureConnectors(records: [StepID("contacts"): [contact("7", "2026-01-02T10:00:00Z"), contact("9", "2026-01-02T12:00:00Z")]])
        let summary = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: fixtures).run()
        let sent = fixtures.sent[StepID("hello"), default: []]
        #expect(sent.map(\.text) == ["Hello 7@example.com", "Hello 9@example.com"])
        let hello = try #require(summary.steps.first { $0.id == StepID("hello") })
        #expect(hello.sentAgainKeys == ["7@example.com"])
        #expect(hello.uncertainKeys.isEmpty)
        #expect(SummaryRendering.text(summary).contains("1 uncertain message(s) sent again (delivery: at_least_once)"))
        // The id is the key's, whichever run sends it: a receiver that drops repeats by id can.
        #expect(sent.first?.id == NotifyStage.messageID(playbook: "state-test", step: StepID("hello"), key: "7@example.com"))
        #expect(sent.first?.id != sent.last?.id)
        // Now sent and acknowledged: not sent a third time.
        #expect(try await state.claim(["7@example.com"], playbook: "state-test", step: StepID("hello"), runID: "later", delivery: .atLeastOnce)
            == [.alreadySent])
    }
}

/// Inserts across runs: a record an earlier run inserted is not inserted again.
@Suite struct InsertLedgerTests {
    private static let yaml = """
        version: 1
        name: insert-test
        connections:
          crm: { connector: hubspot, auth: { token: { secret: T } } }
          mail: { connector: mailchimp, auth: { api_key: { secret: K } } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts }
          subscribe:
            sync: { from: contacts, connection: mail, resource: members, mode: insert, match_on: email, params: { list_id: a1 } }
        """

    private func run(_ emails: [String], state: any RunState, batchSize: Int? = nil,
                     failing: FailingSink.Failure? = nil) async throws -> (written: [String], summary: RunSummary) {
        let (plan, fixtures) = try setUp(emails, batchSize: batchSize)
        let connectors: any ConnectorProvider = failing.map { FailingSink(fixtures: fixtures, failure: $0) } ?? fixtures
        let summary = await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: connectors).run()
        return (written(in: fixtures), summary)
    }

    /// The playbook (batches of `batchSize`) and fixtures with a contact for each e-mail.
    private func setUp(_ emails: [String], batchSize: Int? = nil) throws -> (Plan, FixtureConnectors) {
        let yaml = batchSize.map { Self.yaml.replacingOccurrences(of: "mode: insert,", with: "mode: insert, batch_size: \($0),") } ?? Self.yaml
        let contacts: [CELValue] = emails.map { email in
            var map = CELMap()
            try? map.insert(.string("email"), .string(email))
            return .map(map)
        }
        return (try #require(Runtime.plan(yaml)), FixtureConnectors(records: [StepID("contacts"): contacts]))
    }

    private func written(in fixtures: FixtureConnectors) -> [String] {
        fixtures.written[StepID("subscribe"), default: []].compactMap { record -> String? in
            if case .string(let email)? = record["email"] { return email }
            return nil
        }
    }

    @Test func aRecordInsertedByAnEarlierRunIsNotInsertedAgain() async throws {
        let state = MemoryRunState()
        let first = try await run(["a@example.com", "b@example.com"], state: state)
        #expect(first.written == ["a@example.com", "b@example.com"])
        let second = try await run(["a@example.com", "b@example.com", "c@example.com", "c@example.com"], state: state)
        #expect(second.written == ["c@example.com"])
        let step = try #require(second.summary.steps.first { $0.id == StepID("subscribe") })
        #expect(step.alreadyWritten == 3)
        #expect(SummaryRendering.text(second.summary).contains("3 record(s) already written by an earlier run"))
    }

    @Test func keysThatDifferInTheirBytesAreTwoRecordsAsTheLedgerKeepsThem() async throws {
        // "é" as one code point and as "e" with a combining accent: one text to Swift's `==`, two
        // keys to the ledger (which compares bytes, as CEL does), so both records are written.
        let composed = "\u{E9}@example.com", decomposed = "e\u{301}@example.com"
        let result = try await run([composed, decomposed, composed], state: MemoryRunState())
        #expect(result.summary.status == .succeeded)
        #expect(result.written.map { Array($0.utf8) } == [Array(composed.utf8), Array(decomposed.utf8)])
        #expect(result.summary.steps.first { $0.id == StepID("subscribe") }?.alreadyWritten == 1)
    }

    @Test func eachBatchIsMarkedWrittenWhenTheNextIsClaimed() async throws {
        let state = CountingRunState()
        let result = try await run(["a@example.com", "b@example.com", "c@example.com", "c@example.com", "d@example.com"], state: state, batchSize: 2)
        #expect(result.summary.status == .succeeded)
        #expect(result.written == ["a@example.com", "b@example.com", "c@example.com", "d@example.com"])
        // One ledger write per batch, which settles the batch before; the repeated record is
        // claimed once; the last batch is marked after it.
        #expect(state.calls.withLock { $0 } == [
            "claim a@example.com, b@example.com after []",
            "claim c@example.com after [a@example.com, b@example.com]",
            "claim d@example.com after [c@example.com]",
            "mark sent [d@example.com]",
        ])
        #expect(result.summary.steps.first { $0.id == StepID("subscribe") }?.alreadyWritten == 1)
    }

    @Test func aBatchWrittenBeforeTheStepFailedIsRecordedWritten() async throws {
        // The second batch's write fails: the first was marked written by the second's claim.
        let refused = MemoryRunState()
        let first = try await run(["a@example.com", "b@example.com", "c@example.com"], state: refused, batchSize: 2, failing: .write(2))
        #expect(first.summary.status == .failed)
        #expect(first.written == ["a@example.com", "b@example.com"])
        let afterRefusal = try await refused.claim(["a@example.com", "b@example.com", "c@example.com"], playbook: "insert-test",
                                                   step: StepID("subscribe"), runID: "next", delivery: .atMostOnce)
        #expect(afterRefusal == [.alreadySent, .alreadySent, .send])

        // The second batch's claim fails, and with it the marking it carried: the first batch is
        // still recorded written, on the step's way out.
        let failing = CountingRunState(failingClaimsThatMark: true)
        let second = try await run(["a@example.com", "b@example.com", "c@example.com"], state: failing, batchSize: 2)
        #expect(second.summary.status == .failed)
        #expect(second.written == ["a@example.com", "b@example.com"])
        #expect(failing.calls.withLock { $0 }.last == "mark sent [a@example.com, b@example.com]")
        let afterFailure = try await failing.memory.claim(["a@example.com", "b@example.com", "c@example.com"], playbook: "insert-test",
                                                          step: StepID("subscribe"), runID: "next", delivery: .atMostOnce)
        #expect(afterFailure == [.alreadySent, .alreadySent, .send])
    }

    @Test func aRunStoppedWhileABatchIsClaimedDoesNotWriteItAndLetsItGo() async throws {
        let (plan, fixtures) = try setUp(["a@example.com", "b@example.com"], batchSize: 1)
        let state = CountingRunState(holdingTheClaimOf: "b@example.com")
        let running = Task { await Executor(plan: plan, options: RunOptions(baseDirectory: NSTemporaryDirectory(), state: state), connectors: fixtures).run() }
        while !state.holding.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        running.cancel()
        state.open.withLock { $0 = true }
        #expect(await running.value.status == .cancelled)
        // The second batch was prepared while its claim was written, and the run was stopped
        // then: it is not written, and its key is let go of, so the next run writes it rather
        // than report it uncertain. The first batch is recorded written.
        #expect(written(in: fixtures) == ["a@example.com"])
        let next = try await state.memory.claim(["a@example.com", "b@example.com"], playbook: "insert-test", step: StepID("subscribe"),
                                                runID: "next", delivery: .atMostOnce)
        #expect(next == [.alreadySent, .send])
    }

    @Test func aBatchItsSinkCannotPrepareIsNotWrittenAndLetGo() async throws {
        let state = MemoryRunState()
        let result = try await run(["a@example.com"], state: state, failing: .prepare)
        #expect(result.summary.status == .failed)
        #expect(result.written.isEmpty)
        let next = try await state.claim(["a@example.com"], playbook: "insert-test", step: StepID("subscribe"), runID: "next", delivery: .atMostOnce)
        #expect(next == [.send])
    }

    @Test func anInsertAnEarlierRunLeftUnansweredIsReportedNotRepeated() async throws {
        let state = MemoryRunState()
        _ = try await state.claim(["d@example.com"], playbook: "insert-test", step: StepID("subscribe"), runID: "a-run-that-died", delivery: .atMostOnce)
        let result = try await run(["d@example.com", "e@example.com"], state: state)
        #expect(result.written == ["e@example.com"])
        #expect(result.summary.steps.first { $0.id == StepID("subscribe") }?.uncertainKeys == ["d@example.com"])
    }
}

/// Fixtures whose sync steps fail: the n-th write (counted from 1), as a platform that went down,
/// or preparing any batch, as a file that cannot be read.
private struct FailingSink: ConnectorProvider {
    enum Failure { case write(Int), prepare }
    let fixtures: FixtureConnectors
    let failure: Failure
    func source(for fetch: FetchOperation, in context: ConnectorContext) throws -> any RecordSource { try fixtures.source(for: fetch, in: context) }
    func sink(for sync: SyncOperation, in context: ConnectorContext) throws -> any RecordSink {
        Failing(inner: try fixtures.sink(for: sync, in: context), failure: failure)
    }
    func sender(for connection: ConnectionName, in context: ConnectorContext) throws -> any MessageSender { try fixtures.sender(for: connection, in: context) }

    private final class Failing: RecordSink {
        let inner: any RecordSink
        let failure: Failure
        let writes = Mutex(0)
        init(inner: any RecordSink, failure: Failure) {
            self.inner = inner
            self.failure = failure
        }
        func prepare(_ batch: [Record]) throws -> PreparedBatch {
            if case .prepare = failure { throw ConnectorUnavailable("the file cannot be read") }
            return try inner.prepare(batch)
        }
        func write(_ prepared: PreparedBatch) async throws -> [RefusedRecord] { try await write(prepared.records) }
        func write(_ batch: [Record]) async throws -> [RefusedRecord] {
            let count = writes.withLock { count in
                count += 1
                return count
            }
            if case .write(count) = failure { throw ConnectorUnavailable("the platform is down") }
            return try await inner.write(batch)
        }
        func finish() async throws { try await inner.finish() }
    }
}

/// Fixtures whose notify steps fail to send, as a platform that is down.
private struct FailingSends: ConnectorProvider {
    let fixtures: FixtureConnectors
    func source(for fetch: FetchOperation, in context: ConnectorContext) throws -> any RecordSource { try fixtures.source(for: fetch, in: context) }
    func sink(for sync: SyncOperation, in context: ConnectorContext) throws -> any RecordSink { try fixtures.sink(for: sync, in: context) }
    func sender(for connection: ConnectionName, in context: ConnectorContext) throws -> any MessageSender { Refusing() }

    private struct Refusing: MessageSender {
        func send(_ message: OutgoingMessage) async throws { throw ConnectorUnavailable("the platform is down") }
    }
}

/// Sends the message to 1@example.com at once and holds the other until the run is stopped.
private final class OneSentOneHanging: MessageSender {
    let hanging = Mutex(false)
    func send(_ message: OutgoingMessage) async throws {
        guard message.text != "Hello 1@example.com" else { return }
        hanging.withLock { $0 = true }
        try await Task.sleep(for: .seconds(60))
    }
}

/// Answers each message once the run is being stopped, as a platform answers a request already on its way.
private final class AnsweringOnceStopped: MessageSender {
    let sent = Mutex<[String]>([])
    func send(_ message: OutgoingMessage) async throws {
        sent.withLock { $0.append(message.text) }
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
    }
}

private struct SendingThrough: ConnectorProvider {
    let sender: any MessageSender
    let fixtures: FixtureConnectors
    func source(for fetch: FetchOperation, in context: ConnectorContext) throws -> any RecordSource { try fixtures.source(for: fetch, in: context) }
    func sink(for sync: SyncOperation, in context: ConnectorContext) throws -> any RecordSink { try fixtures.sink(for: sync, in: context) }
    func sender(for connection: ConnectionName, in context: ConnectorContext) throws -> any MessageSender { sender }
}

/// The run state in memory, as the tests watch it: it counts the keys of each claim and writes
/// down each call to its ledger in order. It can also refuse to write from a task being stopped,
/// as the state file's database does, hold the claim of one key until `open` is set, and fail
/// every claim that also marks keys sent.
private final class CountingRunState: RunState {
    let memory = MemoryRunState()
    let claims = Mutex<[Int]>([])
    let calls = Mutex<[String]>([])
    let holding = Mutex(false)
    let open = Mutex(false)
    private let refusingWritesOnceStopped: Bool
    private let heldKey: String?
    private let failingClaimsThatMark: Bool

    init(refusingWritesOnceStopped: Bool = false, holdingTheClaimOf heldKey: String? = nil, failingClaimsThatMark: Bool = false) {
        self.refusingWritesOnceStopped = refusingWritesOnceStopped
        self.heldKey = heldKey
        self.failingClaimsThatMark = failingClaimsThatMark
    }

    /// Before every write.
    private func write() throws {
        if refusingWritesOnceStopped { try Task.checkCancellation() }
    }

    func cursor(playbook: String, step: StepID) async throws -> IncrementalCursor? { try await memory.cursor(playbook: playbook, step: step) }
    func commit(_ cursors: [(step: StepID, cursor: IncrementalCursor)], playbook: String, runID: String) async throws {
        try write()
        try await memory.commit(cursors, playbook: playbook, runID: runID)
    }
    func claim(_ keys: [String], playbook: String, step: StepID, runID: String, delivery: NotifyDelivery) async throws -> [NotificationClaim] {
        try write()
        claims.withLock { $0.append(keys.count) }
        if let heldKey, keys.contains(heldKey) {
            holding.withLock { $0 = true }
            while !open.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        }
        return try await memory.claim(keys, playbook: playbook, step: step, runID: runID, delivery: delivery)
    }
    func claim(_ keys: [String], afterMarkingSent sent: [String], playbook: String, step: StepID, runID: String,
               delivery: NotifyDelivery) async throws -> [NotificationClaim] {
        try write()
        calls.withLock { $0.append("claim \(keys.joined(separator: ", ")) after [\(sent.joined(separator: ", "))]") }
        // As a state file that cannot write the transaction: nothing of it is kept.
        if failingClaimsThatMark, !sent.isEmpty { throw ConnectorUnavailable("the state file is full") }
        try await memory.markSent(sent, playbook: playbook, step: step, runID: runID)
        return try await claim(keys, playbook: playbook, step: step, runID: runID, delivery: delivery)
    }
    func markSent(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        try write()
        calls.withLock { $0.append("mark sent [\(keys.joined(separator: ", "))]") }
        try await memory.markSent(keys, playbook: playbook, step: step, runID: runID)
    }
    func release(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        try write()
        calls.withLock { $0.append("release [\(keys.joined(separator: ", "))]") }
        try await memory.release(keys, playbook: playbook, step: step, runID: runID)
    }
    func markUncertain(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        try write()
        try await memory.markUncertain(keys, playbook: playbook, step: step, runID: runID)
    }
    func savePage(_ records: [JSONValue], position: JSONValue, playbook: String, step: StepID, runID: String) async throws {
        try write()
        try await memory.savePage(records, position: position, playbook: playbook, step: step, runID: runID)
    }
    func readProgress(playbook: String, step: StepID, runID: String) async throws -> ReadProgress? {
        try await memory.readProgress(playbook: playbook, step: step, runID: runID)
    }
    func intendBatch(sequence: Int, key: String, records: Int, step: StepID, runID: String) async throws -> Bool {
        try write()
        return try await memory.intendBatch(sequence: sequence, key: key, records: records, step: step, runID: runID)
    }
    func acknowledgeBatch(sequence: Int, step: StepID, runID: String) async throws {
        try write()
        try await memory.acknowledgeBatch(sequence: sequence, step: step, runID: runID)
    }
}

@Suite struct PendingAnswerTests {
    @Test func everyWaiterGetsTheAnswerGivenOnceWhetherItAskedBeforeOrAfter() async throws {
        let pending = PendingAnswer<[String]>()
        async let early = pending.value
        async let alsoEarly = pending.value
        // Let both ask before the answer comes.
        try await Task.sleep(for: .milliseconds(20))
        pending.answer(.success(["ana"]))
        pending.answer(.success(["ignored"]))
        #expect(try await early == ["ana"])
        #expect(try await alsoEarly == ["ana"])
        #expect(try await pending.value == ["ana"])
    }

    @Test func aFailureReachesEveryWaiter() async {
        struct Refused: Error {}
        let pending = PendingAnswer<Int> { throw Refused() }
        await #expect(throws: Refused.self) { try await pending.value }
        await #expect(throws: Refused.self) { try await pending.value }
    }

    @Test func anAnswerComputedByATaskArrives() async throws {
        let pending = PendingAnswer { 6 * 7 }
        #expect(try await pending.value == 42)
    }
}
