import Diagnostics
import YAML

/// A decoded playbook: version 1 of the language, with every value located in its file.
public struct Playbook: Sendable {
    public var version: Located<Int>
    public var name: Located<String>
    public var description: String?
    public var labels: [(key: String, value: String)]
    public var triggers: [Trigger]
    public var params: [Param]
    public var connections: [Connection]
    public var defaults: Defaults
    public var steps: [Step]
    public var alerts: [Alert]

    /// Positions of steps by id, so lookups stay constant-time in large playbooks.
    let stepIndex: StepIndex

    public func step(_ id: StepID) -> Step? { stepIndex[id].map { steps[$0] } }
    public func connection(_ name: String) -> Connection? { connections.first { $0.name.value.rawValue == name } }
    public func param(_ name: String) -> Param? { params.first { $0.name.value == name } }
}

// MARK: Triggers

public struct Trigger: Sendable {
    public enum Kind: Sendable {
        case schedule(Schedule)
        case webhook(Webhook)
        case manual
    }

    public var kind: Kind
    public var concurrency: ConcurrencyPolicy
    public var range: SourceRange
}

public enum ConcurrencyPolicy: String, Sendable, CaseIterable {
    case forbid, queue, replace
}

public enum CatchUpPolicy: String, Sendable, CaseIterable {
    case none, latest, all
}

public struct Schedule: Sendable {
    public var cron: Located<String>
    /// IANA name; UTC when not given.
    public var timeZone: Located<String>?
    public var catchUp: CatchUpPolicy
    public var catchUpLimit: Int?
}

public enum WebhookVerification: String, Sendable, CaseIterable {
    case standardWebhooks = "standard-webhooks"
    case stripe
    case hubspotV3 = "hubspot-v3"
    case shopify
    case slack
    case hmacSHA256 = "hmac-sha256"
    case none
}

public struct Webhook: Sendable {
    public var path: Located<String>
    public var verify: Located<WebhookVerification>
    public var signingSecret: Located<SecretName>?
    public var signatureHeader: String?
    public var toleranceMilliseconds: Int64?
    public var maxBodyBytes: Int?
}

// MARK: Params and connections

public enum ParamType: String, Sendable, CaseIterable {
    case string, int, double, bool, list, duration, timestamp

    public var valueType: ValueType {
        switch self {
        case .string: .string
        case .int: .int
        case .double: .double
        case .bool: .bool
        case .list: .list(.dyn)
        case .duration: .duration
        case .timestamp: .timestamp
        }
    }
}

public struct Param: Sendable {
    public var name: Located<String>
    public var type: ParamType
    public var defaultValue: YAMLNode?
    public var required: Bool
    public var description: String?
}

public struct Connection: Sendable {
    public var name: Located<ConnectionName>
    public var connector: Located<String>
    public var auth: [(field: Located<String>, secret: Located<SecretName>)]
    /// Every key under `auth:`, also those whose value is not a valid secret reference (reported elsewhere).
    public var authFields: [Located<String>]
    public var options: [(name: Located<String>, value: YAMLNode)]
    public var rateLimit: Located<String>?
    public var concurrency: Int?
}

// MARK: Defaults and retry

public enum Backoff: String, Sendable, CaseIterable {
    case exponential, linear, constant
}

public enum Jitter: String, Sendable, CaseIterable {
    case none, full, equal
}

/// A retry policy as written: every field optional, resolved against the defaults by the compiler.
public struct RetrySettings: Sendable {
    public var maxAttempts: Int?
    public var backoff: Backoff?
    public var initialDelayMilliseconds: Int64?
    public var multiplier: Double?
    public var maxDelayMilliseconds: Int64?
    public var jitter: Jitter?
    public var maxElapsedMilliseconds: Int64?

    public init() {}
}

public struct Defaults: Sendable {
    public var retry: RetrySettings?
    public var timeoutMilliseconds: Int64?
}

// MARK: Alerts

public struct Alert: Sendable {
    public var name: String?
    public var when: Expression
    public var notify: Located<String>
    public var message: Template
    public var subject: Template?
    public var to: Template?
    public var range: SourceRange
}
