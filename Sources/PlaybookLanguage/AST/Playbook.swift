import CEL
import Diagnostics

/// A decoded playbook: version 1 of the language, with every value typed and located in its file.
public struct Playbook: Sendable {
    /// The language version the file is written in.
    public var version: Located<Int>
    /// The playbook's name, unique within a folder.
    public var name: Located<String>
    /// What the playbook is for, in a sentence.
    public var description: String?
    /// Free-form labels, in file order.
    public var labels: [(key: String, value: String)]
    /// What starts a run.
    public var triggers: [Trigger]
    /// Values a run is given, declared with their types.
    public var params: [Param]
    /// The platforms the playbook talks to.
    public var connections: [Connection]
    /// Settings every step takes unless it says otherwise.
    public var defaults: Defaults
    /// The steps, in file order.
    public var steps: [Step]
    /// Conditions checked when a run ends.
    public var alerts: [Alert]

    /// The paths of every webhook trigger written, including one left out of `triggers` because its
    /// own fields were reported (an unknown `verify:`), so that a fetch from it is not reported too.
    var writtenWebhookPaths: [String] = []
    /// The ids of every step written, including one left out of `steps` because its own fields were
    /// reported (a misspelt kind such as `fetchh:`), so that a `from:` naming it is not reported too.
    var writtenStepIDs: Set<StepID> = []

    /// Positions of steps by id; a repeated id (reported by the checks) keeps its first position.
    let stepPositions: [StepID: Int]

    init(
        version: Located<Int>, name: Located<String>, description: String?, labels: [(key: String, value: String)],
        triggers: [Trigger], params: [Param], connections: [Connection], defaults: Defaults, steps: [Step], alerts: [Alert]
    ) {
        self.version = version
        self.name = name
        self.description = description
        self.labels = labels
        self.triggers = triggers
        self.params = params
        self.connections = connections
        self.defaults = defaults
        self.steps = steps
        self.alerts = alerts
        self.stepPositions = Dictionary(steps.enumerated().map { ($1.id.value, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The step with this id.
    public func step(_ id: StepID) -> Step? { stepPositions[id].map { steps[$0] } }
    /// The position of the step with this id in `steps`.
    public func position(of id: StepID) -> Int? { stepPositions[id] }
    /// The connection with this name.
    public func connection(_ name: ConnectionName) -> Connection? { connections.first { $0.name.value == name } }
    /// The param with this name.
    public func param(_ name: String) -> Param? { params.first { $0.name.value == name } }
}

// MARK: Triggers

/// What starts a run: a schedule, a webhook, or a person.
public struct Trigger: Sendable {
    /// The kinds of trigger.
    public enum Kind: Sendable {
        case schedule(Schedule)
        case webhook(Webhook)
        case manual
    }

    /// What kind of trigger this is, with its settings.
    public var kind: Kind
    /// What happens when the trigger fires while a run is still going.
    public var concurrency: ConcurrencyPolicy
    /// Where the trigger is written.
    public var range: SourceRange
}

/// What happens when a trigger fires while an earlier run is still going.
public enum ConcurrencyPolicy: String, Sendable, CaseIterable {
    case forbid, queue, replace
}

/// Which fire times missed during downtime are run when the server is back.
public enum CatchUpPolicy: String, Sendable, CaseIterable {
    case none, latest, all
}

/// A cron schedule in a time zone.
public struct Schedule: Sendable {
    /// The schedule, parsed.
    public var cron: Located<CronSchedule>
    /// The IANA time zone the schedule's times are in; UTC when not given.
    public var timeZone: Located<TimeZoneName>?
    /// What to run after downtime.
    public var catchUp: CatchUpPolicy
    /// The most missed runs to catch up on.
    public var catchUpLimit: Int?
}

/// How a webhook's sender signs its requests.
public enum WebhookVerification: String, Sendable, CaseIterable {
    case standardWebhooks = "standard-webhooks"
    case stripe
    case hubspotV3 = "hubspot-v3"
    case shopify
    case slack
    case meta
    case hmacSHA256 = "hmac-sha256"
    case none
}

/// A webhook trigger: the path it is served at and how requests are verified.
public struct Webhook: Sendable {
    /// The URL path, starting with `/`.
    public var path: Located<String>
    /// The signature scheme.
    public var verify: Located<WebhookVerification>
    /// The secret the signatures are made with.
    public var signingSecret: Located<SecretName>?
    /// The token Meta's subscription check must carry, for `meta`.
    public var verifyToken: Located<SecretName>?
    /// The header carrying the signature, for `hmac-sha256`.
    public var signatureHeader: String?
    /// How far a request's timestamp may be from now.
    public var tolerance: Duration?
    /// The largest body accepted, in bytes.
    public var maxBodyBytes: Int?
}

// MARK: Params and connections

/// The types a param can be declared with.
public enum ParamType: String, Sendable, CaseIterable {
    case string, int, double, bool, list, duration, timestamp

    /// The type of the param's value in records and expressions.
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

/// A declared param: a value given to each run, read in expressions as `params.NAME`.
public struct Param: Sendable {
    /// The param's name.
    public var name: Located<String>
    /// The declared type.
    public var type: ParamType
    /// The default, of the declared type; nil when none is given or it does not have the type (reported).
    public var defaultValue: Located<CELValue>?
    /// Whether a run must be given a value.
    public var required: Bool
    /// What the param means, for people.
    public var description: String?
}

/// A connection: a platform, how to authenticate to it and its options.
public struct Connection: Sendable {
    /// The name steps use to refer to it.
    public var name: Located<ConnectionName>
    /// The connector's name, such as `hubspot`.
    public var connector: Located<String>
    /// Credentials by auth field, each a reference to a secret.
    public var auth: [(field: Located<String>, secret: Located<SecretName>)]
    /// Every key under `auth:`, also those whose value is not a valid secret reference (reported elsewhere).
    public var authFields: [Located<String>]
    /// Options (`base_url`, account ids …) as written.
    public var options: [(name: Located<String>, value: Located<JSONValue>)]
    /// The rate limit the playbook sets, if any.
    public var rateLimit: Located<RateLimit>?
    /// The most requests in flight at once, if set.
    public var concurrency: Int?
}

// MARK: Defaults and retry

/// How the delay between attempts grows.
public enum Backoff: String, Sendable, CaseIterable {
    case exponential, linear, constant
}

/// How much randomness is added to a delay.
public enum Jitter: String, Sendable, CaseIterable {
    case none, full, equal
}

/// A retry policy as written: every field optional, resolved against the defaults by the compiler.
public struct RetrySettings: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int?
    /// How the delay between attempts grows.
    public var backoff: Backoff?
    /// The delay before the second attempt.
    public var initialDelay: Duration?
    /// How much each delay grows, for exponential backoff.
    public var multiplier: Double?
    /// The longest delay between two attempts.
    public var maxDelay: Duration?
    /// How much randomness is added to a delay.
    public var jitter: Jitter?
    /// How long a call may keep being retried, in all.
    public var maxElapsed: Duration?

    /// Settings that leave every value to the defaults.
    public init() {}
}

/// Settings that every step takes unless it gives its own.
public struct Defaults: Sendable {
    /// The retry policy of remote calls.
    public var retry: RetrySettings?
    /// The timeout of one remote call.
    public var timeout: Duration?
}

// MARK: Alerts

/// A condition checked when a run ends, and the message sent when it holds.
public struct Alert: Sendable {
    /// The alert's name, for the summary.
    public var name: String?
    /// The condition.
    public var when: Expression
    /// The connection the message is sent through.
    public var notify: Located<ConnectionName>
    /// The message.
    public var message: Template
    /// The e-mail subject, for e-mail connections.
    public var subject: Template?
    /// The recipient, for e-mail connections.
    public var to: Template?
    /// Where the alert is written.
    public var range: SourceRange
}
