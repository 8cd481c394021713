import Synchronization

/// The answer of work already under way elsewhere (a claim being written by the state's own
/// thread), awaited when it is needed. Unlike a task, the work does not wait for a thread of the
/// tasks' pool to start: on two cores both are often busy reading and encoding, and a claim
/// started as a task used to begin only once the step that wanted it stopped to wait for it.
public final class PendingAnswer<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value, any Error>])
        case answered(Result<Value, any Error>)
    }

    private let state = Mutex<State>(.waiting([]))

    public init() {}

    /// An answer that a task computes: for work that has no thread of its own to start on.
    public convenience init(computing work: @escaping @Sendable () async throws -> Value) {
        self.init()
        Task { [self] in
            do { answer(.success(try await work())) } catch { answer(.failure(error)) }
        }
    }

    /// Gives the answer; every waiter, and whoever asks later, gets it. Only the first counts.
    public func answer(_ result: Result<Value, any Error>) {
        let waiters: [CheckedContinuation<Value, any Error>] = state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .answered(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    /// The answer, once given.
    public var value: Value {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let known: Result<Value, any Error>? = state.withLock { state in
                    switch state {
                    case .answered(let result):
                        return result
                    case .waiting(var waiters):
                        waiters.append(continuation)
                        state = .waiting(waiters)
                        return nil
                    }
                }
                if let known { continuation.resume(with: known) }
            }
        }
    }
}
