import DequeModule
import Synchronization

/// Batches of records from one step to one reader, with a bounded buffer: a producer that gets
/// ahead of its reader waits (backpressure), so memory stays flat however many records pass.
///
/// A reader that must wait before it can use its input (a join reads its looked-up step in full
/// first; a step with `after:` waits for those steps) lifts the bound meanwhile, so that the
/// producer, which may also feed what the reader waits for, never waits on it. The kept channel
/// types offer no such switch, hence this small one.
final class BatchChannel: Sendable {
    private struct State: ~Copyable {
        var buffer = Deque<[Record]>()
        var capacity: Int
        var bounded = true
        /// The producer said it has sent everything.
        var finished = false
        /// The reader stopped reading: sends are dropped.
        var closed = false
        var waitingSender: CheckedContinuation<Bool, Never>?
        var waitingReader: CheckedContinuation<[Record]?, Never>?

        /// The sender waiting for room, now that there is some; it is resumed after the lock is
        /// let go.
        mutating func takeWaitingSender() -> CheckedContinuation<Bool, Never>? {
            defer { waitingSender = nil }
            return waitingSender
        }
    }

    private let state: Mutex<State>

    /// A channel holding at most `capacity` batches not yet read.
    init(capacity: Int = 2) {
        state = Mutex(State(capacity: capacity))
    }

    /// Hands a batch to the reader, waiting while the buffer is full. False when the reader has
    /// stopped reading or the sending task was cancelled: the batch was dropped.
    func send(_ batch: [Record]) async -> Bool {
        enum Delivery { case dropped, buffered, handed(CheckedContinuation<[Record]?, Never>), full }
        let delivery: Delivery = state.withLock { state in
            if state.closed { return .dropped }
            if let reader = state.waitingReader {
                state.waitingReader = nil
                return .handed(reader)
            }
            if !state.bounded || state.buffer.count < state.capacity {
                state.buffer.append(batch)
                return .buffered
            }
            return .full
        }
        switch delivery {
        case .dropped: return false
        case .buffered: return true
        case .handed(let reader):
            // Resumed once the lock is let go: resuming wakes a thread, which the other side
            // would otherwise wait for in the kernel.
            reader.resume(returning: batch)
            return true
        case .full: break
        }
        // Full: wait for room, then try again.
        let room = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let resumeNow: Bool? = state.withLock { state in
                    if state.closed { return false }
                    if Task.isCancelled { return false }
                    if !state.bounded || state.buffer.count < state.capacity { return true }
                    state.waitingSender = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            let sender = state.withLock { $0.takeWaitingSender() }
            sender?.resume(returning: false)
        }
        guard room, !Task.isCancelled else { return false }
        return await send(batch)
    }

    /// The producer has sent its last batch.
    func finish() {
        let reader = state.withLock { state in
            state.finished = true
            defer { state.waitingReader = nil }
            return state.buffer.isEmpty ? state.waitingReader : nil
        }
        reader?.resume(returning: nil)
    }

    /// The next batch, or nil when the producer has finished and every batch was read (or the
    /// reading task was cancelled).
    func next() async -> [Record]? {
        enum Step { case batch([Record], room: CheckedContinuation<Bool, Never>?), end, wait }
        let step: Step = state.withLock { state in
            if let batch = state.buffer.popFirst() { return .batch(batch, room: state.takeWaitingSender()) }
            return state.finished || state.closed ? .end : .wait
        }
        switch step {
        case .batch(let batch, let sender):
            sender?.resume(returning: true)
            return batch
        case .end: return nil
        case .wait: break
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[Record]?, Never>) in
                enum Now { case batch([Record], room: CheckedContinuation<Bool, Never>?), end }
                let now: Now? = state.withLock { state in
                    if let batch = state.buffer.popFirst() { return .batch(batch, room: state.takeWaitingSender()) }
                    if state.finished || state.closed || Task.isCancelled { return .end }
                    state.waitingReader = continuation
                    return nil
                }
                switch now {
                case .batch(let batch, let sender):
                    sender?.resume(returning: true)
                    continuation.resume(returning: batch)
                case .end: continuation.resume(returning: nil)
                case nil: break
                }
            }
        } onCancel: {
            let reader = state.withLock { state in
                defer { state.waitingReader = nil }
                return state.waitingReader
            }
            reader?.resume(returning: nil)
        }
    }

    /// The reader stops reading: what is buffered is dropped and the producer's sends return at
    /// once, so that a step that fails or is skipped never holds up the steps feeding it.
    func close() {
        let sender = state.withLock { state in
            state.closed = true
            state.buffer.removeAll()
            return state.takeWaitingSender()
        }
        sender?.resume(returning: false)
    }

    /// Lets the producer send without waiting, for a reader that cannot read yet.
    func lift() {
        let sender = state.withLock { state in
            state.bounded = false
            return state.takeWaitingSender()
        }
        sender?.resume(returning: true)
    }

    /// Bounds the buffer again, once the reader reads.
    func restoreBound() {
        state.withLock { $0.bounded = true }
    }
}
