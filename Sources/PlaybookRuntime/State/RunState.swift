import CEL
import Diagnostics
import PlaybookLanguage
import Synchronization

/// Where an incremental fetch got to: the largest cursor value it delivered, and the keys of the
/// records delivered at exactly that value. Platforms whose cursor values repeat (timestamps to
/// the second) are read again from the value itself, and those records are dropped, so that none
/// changed in the same second is lost.
public struct IncrementalCursor: Sendable, Equatable {
    /// The cursor value, as JSON (a timestamp as RFC 3339 text).
    public var value: JSONValue
    /// Keys of the records delivered at `value`.
    public var keysAtValue: [String]

    public init(value: JSONValue, keysAtValue: [String] = []) {
        self.value = value
        self.keysAtValue = keysAtValue
    }
}

/// What a `once_per` key's earlier runs say about sending its message.
public enum NotificationClaim: Sendable, Equatable {
    /// Never sent: send it now (the key is recorded as intended first).
    case send
    /// Sent by an earlier run and acknowledged: do not send again.
    case alreadySent
    /// An earlier run meant to send it and stopped before the platform acknowledged it: it may or
    /// may not have arrived. Not sent again (at most once); reported.
    case uncertain
    /// Uncertain as above, and the step delivers at least once: send it again (the key is recorded
    /// as intended by this run first); reported.
    case sendAgain

    /// Whether the claim took the key for this run, which gives it up (releases it) when it does
    /// not send after all.
    public var tookTheKey: Bool { self == .send || self == .sendAgain }
}

/// What runs keep between them: incremental cursors, and the messages sent per `once_per` key.
/// The run-state store implements it; runs without one (`playbook test`, a dry run) have none.
public protocol RunState: Sendable {
    /// The cursor a playbook's fetch step last committed, nil before its first committed run.
    func cursor(playbook: String, step: StepID) async throws -> IncrementalCursor?
    /// Commits cursors reached by a run, after everything read up to them was delivered.
    func commit(_ cursors: [(step: StepID, cursor: IncrementalCursor)], playbook: String, runID: String) async throws
    /// Claims `once_per` keys of a notify step for a run, in one go: what to do with each, one
    /// answer per key in order (the keys are distinct). Under `atLeastOnce`, a key whose message is
    /// uncertain is claimed again, to be sent again.
    func claim(_ keys: [String], playbook: String, step: StepID, runID: String, delivery: NotifyDelivery) async throws -> [NotificationClaim]
    /// Records that the platform acknowledged the messages of these keys.
    func markSent(_ keys: [String], playbook: String, step: StepID, runID: String) async throws
    /// Records the messages of `sent` as acknowledged and claims `keys`, in one go where the state
    /// can: a step that sends group after group settles one group as it claims the next.
    func claim(_ keys: [String], afterMarkingSent sent: [String], playbook: String, step: StepID, runID: String,
               delivery: NotifyDelivery) async throws -> [NotificationClaim]
    /// Starts the same claim at once, where the state has a thread of its own to write it on, so
    /// that the step can do other work (encode the batch) while it is written.
    func startClaim(_ keys: [String], afterMarkingSent sent: [String], playbook: String, step: StepID, runID: String,
                    delivery: NotifyDelivery) -> PendingAnswer<[NotificationClaim]>
    /// Gives up a run's claim of keys whose messages certainly did not arrive (the platform
    /// answered with an error), so that a later run sends them.
    func release(_ keys: [String], playbook: String, step: StepID, runID: String) async throws
    /// Records that the messages of keys the run claimed went out without an answer (a timeout, a
    /// lost connection): they may have arrived, so no run sends them again.
    func markUncertain(_ keys: [String], playbook: String, step: StepID, runID: String) async throws
    /// Keeps a page a fetch step read (its records as passed on) and where its read stands after
    /// it, so that the run, resumed, passes the page on again without reading it from the platform.
    func savePage(_ records: [JSONValue], position: JSONValue, playbook: String, step: StepID, runID: String) async throws
    /// What a fetch step of the run read before it stopped; nil when it kept nothing.
    func readProgress(playbook: String, step: StepID, runID: String) async throws -> ReadProgress?
    /// Records that the run is about to write the `sequence`-th batch of a sync step, whose
    /// content is named by `key`; true when an earlier attempt of the run wrote that very batch and
    /// the platform acknowledged it, so it need not be written again.
    func intendBatch(sequence: Int, key: String, records: Int, step: StepID, runID: String) async throws -> Bool
    /// Records that the platform acknowledged the batch.
    func acknowledgeBatch(sequence: Int, step: StepID, runID: String) async throws
}

extension RunState {
    public func claim(_ keys: [String], afterMarkingSent sent: [String], playbook: String, step: StepID, runID: String,
                      delivery: NotifyDelivery) async throws -> [NotificationClaim] {
        if !sent.isEmpty { try await markSent(sent, playbook: playbook, step: step, runID: runID) }
        return try await claim(keys, playbook: playbook, step: step, runID: runID, delivery: delivery)
    }

    public func startClaim(_ keys: [String], afterMarkingSent sent: [String], playbook: String, step: StepID, runID: String,
                           delivery: NotifyDelivery) -> PendingAnswer<[NotificationClaim]> {
        PendingAnswer { try await claim(keys, afterMarkingSent: sent, playbook: playbook, step: step, runID: runID, delivery: delivery) }
    }
}

/// The pages a fetch step of a run read before the run stopped, and where its read stood after them.
public struct ReadProgress: Sendable, Equatable {
    /// Each page's records, as JSON objects, in the order read.
    public var pages: [[JSONValue]]
    /// Where the platform's read stood after the last page, as its source gave it.
    public var position: JSONValue

    public init(pages: [[JSONValue]], position: JSONValue) {
        self.pages = pages
        self.position = position
    }
}

/// The run state's ledger as one step of one run uses it: the keys it claims, marks and releases.
struct StepLedger {
    let state: any RunState
    let playbook: String
    let step: StepID
    let runID: String

    init(state: any RunState, run: StepRun) {
        self.state = state
        playbook = run.plan.name
        step = run.step.id
        runID = run.options.runID
    }

    /// The ledger's key of a value (a `once_per` value, a `match_on` field): text as it is, other
    /// values as JSON.
    static func key(of value: CELValue) -> String {
        switch value {
        case .string(let text): text
        // An id's digits, as JSON writes them, without building JSON text first.
        case .int(let number): digits(of: number)
        default: JSONText.string(value)
        }
    }

    /// `String(number)`, made directly: an id of up to 14 digits is a string small enough to be
    /// kept without allocating, and the generic conversion took most of a key's time.
    static func digits(of number: Int64) -> String {
        let magnitude = number.magnitude
        guard magnitude < 100_000_000_000_000 else { return String(number) }
        var length = number < 0 ? 1 : 0
        var rest = magnitude
        repeat {
            length += 1
            rest /= 10
        } while rest > 0
        return String(unsafeUninitializedCapacity: length) { text in
            var rest = magnitude
            var position = length
            repeat {
                position -= 1
                text[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            if number < 0 { text[0] = UInt8(ascii: "-") }
            return length
        }
    }

    func claim(_ keys: [String], delivery: NotifyDelivery = .atMostOnce) async throws -> [NotificationClaim] {
        try await state.claim(keys, playbook: playbook, step: step, runID: runID, delivery: delivery)
    }

    func startClaim(_ keys: [String], afterMarkingSent sent: [String], delivery: NotifyDelivery) -> PendingAnswer<[NotificationClaim]> {
        state.startClaim(keys, afterMarkingSent: sent, playbook: playbook, step: step, runID: runID, delivery: delivery)
    }

    // What the platform answered is recorded even when the step is being stopped: the state file
    // refuses writes from a cancelled task, and an answer lost so would leave its key uncertain
    // (never sent again at most once, sent twice at least once), or a refused one claimed.

    func markSent(_ keys: [String]) async throws {
        try await Task { try await state.markSent(keys, playbook: playbook, step: step, runID: runID) }.value
    }

    func release(_ keys: [String]) async throws {
        try await Task { try await state.release(keys, playbook: playbook, step: step, runID: runID) }.value
    }

    func markUncertain(_ keys: [String]) async throws {
        try await Task { try await state.markUncertain(keys, playbook: playbook, step: step, runID: runID) }.value
    }

    /// Claims back a key this run let go of while it waited to retry; fails when another run took
    /// it meanwhile, so the message is not sent twice.
    func claimAgain(_ key: String) async throws {
        let claim = try await claim([key]).first
        guard claim == .send || claim == nil else { throw KeyTakenMeanwhile(key: key) }
    }
}

/// A key let go of during a retry's wait was claimed by another run meanwhile.
struct KeyTakenMeanwhile: Error, CustomStringConvertible, EffectEvidence {
    let key: String
    var description: String { "another run claimed the message for `\(key)` while this one waited to retry it; it was not sent again" }
    var mayHaveTakenEffect: Bool { false }
}

/// A run state kept in memory, for one process: `playbook test` and the tests of the runtime's
/// logic. It forgets everything when it goes.
public final class MemoryRunState: RunState {
    private enum Entry { case intended, sent, uncertain }
    private struct Ledger { var state: [String: (entry: Entry, runID: String)] = [:] }
    private let cursors = Mutex<[String: IncrementalCursor]>([:])
    private let ledger = Mutex<[String: Ledger]>([:])
    private let progress = Mutex<[String: ReadProgress]>([:])
    private let batches = Mutex<[String: (key: String, acknowledged: Bool)]>([:])

    public init() {}

    public func cursor(playbook: String, step: StepID) async throws -> IncrementalCursor? {
        cursors.withLock { $0[playbook + "\u{0}" + step.rawValue] }
    }

    public func commit(_ committed: [(step: StepID, cursor: IncrementalCursor)], playbook: String, runID: String) async throws {
        cursors.withLock { cursors in
            for (step, cursor) in committed { cursors[playbook + "\u{0}" + step.rawValue] = cursor }
        }
    }

    public func claim(_ keys: [String], playbook: String, step: StepID, runID: String, delivery: NotifyDelivery) async throws -> [NotificationClaim] {
        ledger.withLock { ledger in
            let name = playbook + "\u{0}" + step.rawValue
            return keys.map { key in
                let uncertain: Bool
                switch ledger[name, default: Ledger()].state[key] {
                case nil: uncertain = false
                case (.sent, _)?: return .alreadySent
                case (.uncertain, _)?: uncertain = true
                case (.intended, let other)?: uncertain = other != runID
                }
                if uncertain, delivery == .atMostOnce { return .uncertain }
                ledger[name, default: Ledger()].state[key] = (.intended, runID)
                return uncertain ? .sendAgain : .send
            }
        }
    }

    public func markSent(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        settle(keys, as: .sent, playbook: playbook, step: step, runID: runID)
    }

    public func markUncertain(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        settle(keys, as: .uncertain, playbook: playbook, step: step, runID: runID)
    }

    public func release(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        ledger.withLock { ledger in
            let name = playbook + "\u{0}" + step.rawValue
            for key in keys where ledger[name]?.state[key].map({ $0.entry == .intended && $0.runID == runID }) == true {
                ledger[name]?.state[key] = nil
            }
        }
    }

    public func savePage(_ records: [JSONValue], position: JSONValue, playbook: String, step: StepID, runID: String) async throws {
        progress.withLock { progress in
            let name = runID + "\u{0}" + step.rawValue
            var read = progress[name] ?? ReadProgress(pages: [], position: position)
            read.pages.append(records)
            read.position = position
            progress[name] = read
        }
    }

    public func readProgress(playbook: String, step: StepID, runID: String) async throws -> ReadProgress? {
        progress.withLock { $0[runID + "\u{0}" + step.rawValue] }
    }

    public func intendBatch(sequence: Int, key: String, records: Int, step: StepID, runID: String) async throws -> Bool {
        batches.withLock { batches in
            let name = "\(runID)\u{0}\(step.rawValue)\u{0}\(sequence)"
            if let earlier = batches[name], earlier.key == key, earlier.acknowledged { return true }
            batches[name] = (key, false)
            return false
        }
    }

    public func acknowledgeBatch(sequence: Int, step: StepID, runID: String) async throws {
        batches.withLock { batches in
            let name = "\(runID)\u{0}\(step.rawValue)\u{0}\(sequence)"
            batches[name]?.acknowledged = true
        }
    }

    private func settle(_ keys: [String], as entry: Entry, playbook: String, step: StepID, runID: String) {
        ledger.withLock { ledger in
            let name = playbook + "\u{0}" + step.rawValue
            for key in keys { ledger[name, default: Ledger()].state[key] = (entry, runID) }
        }
    }
}
