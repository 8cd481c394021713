import Foundation
import PlaybookLanguage
import Synchronization

/// What a failed call's error says about trying again.
public enum RetryAdvice: Sendable, Equatable {
    /// Do not retry: the request itself is wrong (most 4xx), or the failure is local.
    case doNotRetry
    /// Retry after the policy's backoff.
    case retry
    /// Retry, but not before this delay (a `Retry-After` header, a rate-limit reset).
    case retryAfter(Duration)
}

/// An error that knows whether retrying can help. Errors that do not conform are not retried.
public protocol RetryableError: Error {
    /// Whether and when to try again.
    var retryAdvice: RetryAdvice { get }
}

/// A call that took longer than the step's `timeout`.
public struct CallTimedOut: RetryableError, CustomStringConvertible {
    /// The timeout in force.
    public var timeout: Duration
    /// The call, when the caller named it (`crm: GET https://…`), secrets masked.
    public var call: String? = nil
    /// A timeout is worth retrying.
    public var retryAdvice: RetryAdvice { .retry }
    /// For the summary.
    public var description: String {
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let text = "the call took longer than its timeout of \(DurationLiteral(milliseconds: max(0, milliseconds)))"
        return call.map { "\($0): \(text)" } ?? text
    }
}

/// The retry decisions of one call as a state machine: given the failure of an attempt and the
/// time spent so far, it says whether to wait and try again. It draws jitter from the generator it
/// is given, so tests decide the randomness.
public struct RetrySchedule: Sendable {
    /// The policy followed.
    public let policy: RetryPolicy
    /// Attempts made so far.
    public private(set) var attempts = 0

    /// A schedule for one call.
    public init(policy: RetryPolicy) { self.policy = policy }

    /// What to do after an attempt failed with `advice`, `elapsed` after the first attempt began:
    /// the delay before the next attempt, or nil to give up.
    public mutating func delay(after advice: RetryAdvice, elapsed: Duration, random: inout some RandomNumberGenerator) -> Duration? {
        attempts += 1
        guard attempts < policy.maxAttempts else { return nil }
        let wait: Duration
        switch advice {
        case .doNotRetry: return nil
        case .retryAfter(let requested): wait = max(requested, backoff(random: &random))
        case .retry: wait = backoff(random: &random)
        }
        guard elapsed + wait <= policy.maxElapsed else { return nil }
        return wait
    }

    /// The backoff before the next attempt, jitter applied.
    private func backoff(random: inout some RandomNumberGenerator) -> Duration {
        let initial = seconds(policy.initialDelay)
        let raw: Double = switch policy.backoff {
        case .constant: initial
        case .linear: initial * Double(attempts)
        case .exponential: initial * pow(policy.multiplier, Double(attempts - 1))
        }
        let capped = min(raw, seconds(policy.maxDelay))
        let jittered: Double = switch policy.jitter {
        case .none: capped
        case .full: Double.random(in: 0...capped, using: &random)
        case .equal: capped / 2 + Double.random(in: 0...(capped / 2), using: &random)
        }
        return .nanoseconds(Int64(jittered * 1e9))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The one place a step's remote calls go through: each call gets the step's timeout and is
/// retried under its retry policy; calls are counted for the summary. Rate limits join here.
public final class RemoteCalls: Sendable {
    /// The retry policy of each call.
    public let retry: RetryPolicy
    /// The longest one attempt may take.
    public let timeout: Duration
    private let counted = Atomic<Int>(0)

    /// Calls made under this policy and timeout.
    public init(retry: RetryPolicy, timeout: Duration) {
        self.retry = retry
        self.timeout = timeout
    }

    /// Attempts made so far, retries included.
    public var count: Int { counted.load(ordering: .relaxed) }

    /// Makes a call, retrying it as the policy says. The error of the last attempt is thrown.
    /// Under `AtMostOnce`, an attempt whose request may have been acted on is not repeated: the
    /// call fails with `MayHaveTakenEffect`.
    public func perform<Result: Sendable>(
        named name: String? = nil, connector: String? = nil, _ call: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        var schedule = RetrySchedule(policy: retry)
        var random = SystemRandomNumberGenerator()
        let clock = ContinuousClock()
        let start = clock.now
        let atMostOnce = AtMostOnce.current
        while true {
            counted.add(1, ordering: .relaxed)
            do {
                return try await attempt(call, named: name)
            } catch {
                if atMostOnce != nil, !(error is CancellationError), AtMostOnce.mayHaveTakenEffect(error) {
                    throw MayHaveTakenEffect(underlying: error)
                }
                let advice = (error as? RetryableError)?.retryAdvice ?? .doNotRetry
                if case .retryAfter(let requested) = advice, schedule.attempts + 1 < retry.maxAttempts,
                   clock.now - start + requested > retry.maxElapsed {
                    throw RetryBudgetExceeded(wait: requested, budget: retry.maxElapsed, underlying: String(describing: error))
                }
                guard !Task.isCancelled,
                      let wait = schedule.delay(after: advice, elapsed: clock.now - start, random: &random) else { throw error }
                try await atMostOnce?.refused?()
                if let connector { RuntimeMetrics.retry(connector: connector) }
                try await Task.sleep(for: wait)
                try await atMostOnce?.retrying?()
            }
        }
    }

    /// One attempt, bounded by the timeout. When the timeout comes first the attempt is cancelled
    /// and left behind rather than awaited: a call that does not notice its cancellation (a body
    /// stream stalled inside the HTTP client) must not hold the step past its timeout.
    private func attempt<Result: Sendable>(_ call: @escaping @Sendable () async throws -> Result, named name: String?) async throws -> Result {
        let timeout = self.timeout
        let outcome = FirstOutcome<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.wait(with: continuation)
                let work = Task {
                    do { outcome.settle(.success(try await call())) } catch { outcome.settle(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    outcome.settle(.failure(CallTimedOut(timeout: timeout, call: name)))
                }
                outcome.onSettled { work.cancel(); timer.cancel() }
            }
        } onCancel: {
            outcome.settle(.failure(CancellationError()))
        }
    }
}

/// The first of several racing outcomes, handed to one waiting continuation; later ones are dropped.
final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var settled: Result<Value, any Error>?
        var cleanup: (@Sendable () -> Void)?
        var isDelivered = false
    }
    private let state = Mutex(State())

    /// The continuation to resume; an outcome that came before it is delivered at once.
    func wait(with continuation: CheckedContinuation<Value, any Error>) {
        let early = state.withLock { state -> Result<Value, any Error>? in
            guard let settled = state.settled else { state.continuation = continuation; return nil }
            state.isDelivered = true
            return settled
        }
        if let early { continuation.resume(with: early) }
    }

    /// Runs `cleanup` once the outcome is known (at once if it already is).
    func onSettled(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            guard state.settled == nil else { return true }
            state.cleanup = cleanup
            return false
        }
        if runNow { cleanup() }
    }

    /// Offers an outcome; only the first one counts.
    func settle(_ result: Result<Value, any Error>) {
        let (continuation, cleanup) = state.withLock { state -> (CheckedContinuation<Value, any Error>?, (@Sendable () -> Void)?) in
            guard state.settled == nil else { return (nil, nil) }
            state.settled = result
            let cleanup = state.cleanup
            state.cleanup = nil
            guard let continuation = state.continuation, !state.isDelivered else { return (nil, cleanup) }
            state.isDelivered = true
            state.continuation = nil
            return (continuation, cleanup)
        }
        continuation?.resume(with: result)
        cleanup?()
    }
}
