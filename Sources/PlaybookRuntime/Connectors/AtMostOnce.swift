/// What a failed call says about its effect: whether the platform may have acted on the request
/// (a message sent, a record inserted) even though the call failed.
public protocol EffectEvidence: Error {
    /// False only when the request certainly had no effect: it never left, or the platform
    /// answered that it refused it.
    var mayHaveTakenEffect: Bool { get }
}

/// The rule for the calls whose effect must not happen twice: a `once_per` message, an insert
/// batch. Such a call is tried again only after a failure that shows the platform did not act on
/// it (a 4xx, a 429, a 503, a connection that never opened). After a timeout, a connection lost
/// mid-call, a 500, 502 or 504, or an answer that cannot be read, the request may have reached
/// the platform, so it is not repeated: the call fails with `MayHaveTakenEffect` and its key
/// stays claimed, to be reported uncertain.
///
/// The stage that makes such a call sets the rule around it (`AtMostOnce.$current.withValue`),
/// so that the connectors in between, which only make calls, need not carry it.
public struct AtMostOnce: Sendable {
    /// Called once the platform refused an attempt, before waiting to try again: lets go of the
    /// key, so that a run that dies while waiting leaves nothing uncertain behind.
    public var refused: (@Sendable () async throws -> Void)?
    /// Called before trying again: claims the key back.
    public var retrying: (@Sendable () async throws -> Void)?

    /// A rule with the ledger's hooks, or none for a call with several effects (a batch written
    /// in several calls), where letting go after a later call's refusal would forget the earlier.
    public init(refused: (@Sendable () async throws -> Void)? = nil, retrying: (@Sendable () async throws -> Void)? = nil) {
        self.refused = refused
        self.retrying = retrying
    }

    /// The rule of the calls made by the current task, if any.
    @TaskLocal public static var current: AtMostOnce?

    /// Whether the request that failed with `error` may have been acted on. An error that says
    /// nothing about it leaves it unknown.
    public static func mayHaveTakenEffect(_ error: any Error) -> Bool {
        if error is MayHaveTakenEffect { return true }
        return (error as? any EffectEvidence)?.mayHaveTakenEffect ?? true
    }
}

/// A call under `AtMostOnce` that failed in a way that leaves its effect unknown: it was not tried
/// again.
public struct MayHaveTakenEffect: Error, CustomStringConvertible {
    /// The failure of the last attempt.
    public var underlying: any Error

    public var description: String {
        "\(underlying); the request may have reached the platform, so it was not sent again"
    }
}

extension CallTimedOut: EffectEvidence {
    /// The request may have arrived and been acted on while the answer was late.
    public var mayHaveTakenEffect: Bool { true }
}

extension RetryBudgetExceeded: EffectEvidence {
    /// Only a platform's refusal (a rate limit) asks to wait.
    public var mayHaveTakenEffect: Bool { false }
}

extension ConnectorUnavailable: EffectEvidence {
    /// The connection could not be used: no call was made.
    public var mayHaveTakenEffect: Bool { false }
}

extension PlatformError: EffectEvidence {
    /// A 4xx refuses the request (a 408 or 429 before reading it); a 503 says the service could
    /// not take it; a rate limit signalled in the body is a refusal too. A 500, 502 or 504 may come
    /// after the work was done, or from a gateway in front of a platform that did it.
    public var mayHaveTakenEffect: Bool {
        if case .retryAfter = retryAdvice { return false }
        return !((400..<500).contains(status) || status == 503)
    }
}

extension UnreadableAnswer: EffectEvidence {
    /// The platform answered: what it did is unknown.
    public var mayHaveTakenEffect: Bool { true }
}

extension TransportFailure: EffectEvidence {
    /// A connection that never opened, or an address that cannot be used, sent nothing.
    public var mayHaveTakenEffect: Bool {
        switch kind {
        case .notConnected, .badAddress: false
        case .network, .timedOut, .redirects, .tooLarge: true
        }
    }
}

extension TransportFailureAt: EffectEvidence {
    public var mayHaveTakenEffect: Bool { failure.mayHaveTakenEffect }
}
