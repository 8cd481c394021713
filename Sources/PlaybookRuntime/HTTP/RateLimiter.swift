import PlaybookLanguage

/// A token bucket as a state machine over time: `count` calls may start per `period`, in bursts of
/// up to `count`. Each call takes a token; when none is left the call waits for the refill, and
/// calls waiting at once are spaced at the sustained rate.
struct TokenBucket: Sendable {
    let capacity: Double
    let refillPerSecond: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    init(limit: RateLimit, now: ContinuousClock.Instant) {
        capacity = Double(limit.count)
        refillPerSecond = limit.requestsPerSecond
        tokens = capacity
        updated = now
    }

    /// Takes a token for a call starting at `now` and says how long the call must wait first.
    mutating func take(now: ContinuousClock.Instant) -> Duration {
        refill(now: now)
        tokens -= 1
        return tokens >= 0 ? .zero : .seconds(-tokens / refillPerSecond)
    }

    /// Keeps no more tokens than the platform's own counter says are left.
    mutating func limit(remaining: Int, now: ContinuousClock.Instant) {
        refill(now: now)
        tokens = min(tokens, Double(max(0, remaining)))
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        guard now > updated else { return }
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(capacity, tokens + seconds * refillPerSecond)
        updated = now
    }
}

/// The pace of one connection, shared by every step that uses it: its token bucket, its cap on
/// calls in flight, and the pauses its platform asks for.
actor ConnectionPace {
    private var bucket: TokenBucket?
    private let maxInFlight: Int?
    private var inFlight = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var pausedUntil: ContinuousClock.Instant?
    private let clock = ContinuousClock()

    init(limit: RateLimit?, maxInFlight: Int?) {
        bucket = limit.map { TokenBucket(limit: $0, now: ContinuousClock().now) }
        self.maxInFlight = maxInFlight
    }

    /// Waits until a call may start; `finished()` must follow once it is over.
    func start() async throws {
        if let maxInFlight {
            while inFlight >= maxInFlight {
                await withCheckedContinuation { waiting.append($0) }
            }
        }
        inFlight += 1
        let now = clock.now
        var wait = bucket?.take(now: now) ?? .zero
        if let pausedUntil, pausedUntil > now { wait = max(wait, pausedUntil - now) }
        if wait > .zero {
            do {
                try await Task.sleep(for: wait)
            } catch {
                finished()
                throw error
            }
        }
    }

    /// A call is over.
    func finished() {
        inFlight -= 1
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }

    /// Every call waits `duration` from now.
    func pause(for duration: Duration) {
        let until = clock.now + duration
        if let pausedUntil, pausedUntil >= until { return }
        pausedUntil = until
    }

    /// The platform's own counter: `remaining` calls until `resetIn` from now.
    func observe(remaining: Int, resetIn: Duration) {
        let now = clock.now
        bucket?.limit(remaining: remaining, now: now)
        if remaining <= 0 { pause(for: resetIn) }
    }
}
