/// A compiled playbook: the DAG of steps with every setting resolved, ready to execute or print.
public struct Plan: Sendable, Codable {
    public var name: String
    public var version: Int
    public var triggers: [String]
    /// Steps in execution order: each after the steps it depends on.
    public var steps: [PlanStep]
    public var edges: [PlanEdge]
    /// Steps grouped by level: steps of one level do not depend on each other and can run together.
    public var levels: [[String]]
    public var connections: [PlanConnection]
}

/// One step of the plan.
public struct PlanStep: Sendable, Codable {
    public var id: String
    public var kind: String
    public var level: Int
    /// Steps (or `step.segment`s) whose records this step takes.
    public var inputs: [String]
    /// Steps that must finish first (order only).
    public var after: [String]
    /// What the step does or calls, in one line.
    public var action: String
    public var connection: String?
    public var condition: String?
    public var retry: RetryPolicy
    public var timeoutMilliseconds: Int64
    public var onError: String
    public var onRecordError: String
}

public struct PlanEdge: Sendable, Codable {
    public var from: String
    public var to: String
    /// `data` (records flow) or `order` (`after:`).
    public var kind: String
}

public struct PlanConnection: Sendable, Codable {
    public var name: String
    public var connector: String
    /// The rate limit in force: the playbook's, or the platform's documented one.
    public var rateLimit: String?
    public var concurrency: Int?
    public var secrets: [String]
}

/// A retry policy with every value resolved.
public struct RetryPolicy: Sendable, Codable, Hashable {
    public var maxAttempts: Int
    public var backoff: String
    public var initialDelayMilliseconds: Int64
    public var multiplier: Double
    public var maxDelayMilliseconds: Int64
    public var jitter: String
    public var maxElapsedMilliseconds: Int64

    /// What a step gets when neither it nor `defaults.retry` says otherwise.
    public static let standard = RetryPolicy(
        maxAttempts: 5, backoff: Backoff.exponential.rawValue, initialDelayMilliseconds: 1_000, multiplier: 2,
        maxDelayMilliseconds: 60_000, jitter: Jitter.full.rawValue, maxElapsedMilliseconds: 600_000
    )

    /// Fills the values `settings` leaves out from `self`.
    func overridden(by settings: RetrySettings?) -> RetryPolicy {
        guard let settings else { return self }
        return RetryPolicy(
            maxAttempts: settings.maxAttempts ?? maxAttempts,
            backoff: settings.backoff?.rawValue ?? backoff,
            initialDelayMilliseconds: settings.initialDelayMilliseconds ?? initialDelayMilliseconds,
            multiplier: settings.multiplier ?? multiplier,
            maxDelayMilliseconds: settings.maxDelayMilliseconds ?? maxDelayMilliseconds,
            jitter: settings.jitter?.rawValue ?? jitter,
            maxElapsedMilliseconds: settings.maxElapsedMilliseconds ?? maxElapsedMilliseconds
        )
    }
}
