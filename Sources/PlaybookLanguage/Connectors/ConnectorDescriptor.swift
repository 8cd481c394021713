/// The type of a record field or parameter as the validator sees it.
///
/// These map one-to-one onto expression types when expressions are type-checked.
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case string
    case int
    case double
    case bool
    case timestamp
    case duration
    case bytes
    case list(ValueType)
    /// A map with string keys and values of one type (open set of keys).
    case map(ValueType)
    /// A record with known fields; reading a field not listed is a validation error.
    case object([Field])
    /// Any value; checked only when the playbook runs.
    case dyn

    /// One named field of an object type.
    public struct Field: Hashable, Sendable {
        public var name: String
        public var type: ValueType
        public var summary: String

        public init(_ name: String, _ type: ValueType, _ summary: String = "") {
            self.name = name
            self.type = type
            self.summary = summary
        }
    }

    public var description: String {
        switch self {
        case .string: "string"
        case .int: "int"
        case .double: "double"
        case .bool: "bool"
        case .timestamp: "timestamp"
        case .duration: "duration"
        case .bytes: "bytes"
        case .list(let element): "list(\(element))"
        case .map(let value): "map(string, \(value))"
        case .object: "record"
        case .dyn: "dyn"
        }
    }
}

/// What a connection can be used for.
public enum ConnectorCapability: String, Hashable, Sendable, CaseIterable {
    /// `fetch` steps read its resources.
    case read
    /// `sync` steps write to its resources.
    case write
    /// `notify` steps send messages through it.
    case notify
}

/// How records are written by a `sync` step.
public enum SyncMode: String, Hashable, Sendable, CaseIterable {
    case upsert
    case insert
    case update
    case addToList = "add_to_list"
    case tag
}

/// One way a connector authenticates, with the secret fields it needs in `auth:`.
public struct AuthScheme: Hashable, Sendable {
    /// Identifier shown in docs, e.g. `bearer`, `api_key`, `basic`, `oauth2_refresh_token`.
    public var name: String
    public var summary: String
    /// Secret fields that must all be present in `auth:` for this scheme.
    public var requiredFields: [String]
    /// Secret fields that may also be given.
    public var optionalFields: [String]

    public init(name: String, summary: String, requiredFields: [String], optionalFields: [String] = []) {
        self.name = name
        self.summary = summary
        self.requiredFields = requiredFields
        self.optionalFields = optionalFields
    }

    public var allFields: [String] { requiredFields + optionalFields }
}

/// A non-secret setting of a connection, given under `options:`.
public struct ConnectorOption: Hashable, Sendable {
    public var name: String
    public var type: ValueType
    public var required: Bool
    public var summary: String

    public init(_ name: String, _ type: ValueType, required: Bool = false, _ summary: String) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
    }
}

/// A collection of records a connector reads or writes, such as HubSpot `contacts`.
public struct ResourceDescriptor: Hashable, Sendable {
    public var name: String
    public var summary: String
    /// Whether `fetch` can read it.
    public var readable: Bool
    /// The `sync` modes it accepts; empty when it cannot be written.
    public var syncModes: [SyncMode]
    /// The fields of each record, in the order they are documented.
    public var fields: [ValueType.Field]
    /// Fields that can serve as an incremental cursor (`incremental: { cursor: … }`).
    public var cursorFields: [String]
    /// Fields that identify a record for `match_on` in upsert and update.
    public var matchFields: [String]
    /// Query parameters a `fetch` may pass under `params:`.
    public var parameters: [ConnectorOption]
    /// The most records the platform accepts in one write call.
    public var maxBatchSize: Int?

    public init(
        name: String,
        summary: String,
        readable: Bool = true,
        syncModes: [SyncMode] = [],
        fields: [ValueType.Field],
        cursorFields: [String] = [],
        matchFields: [String] = [],
        parameters: [ConnectorOption] = [],
        maxBatchSize: Int? = nil
    ) {
        self.name = name
        self.summary = summary
        self.readable = readable
        self.syncModes = syncModes
        self.fields = fields
        self.cursorFields = cursorFields
        self.matchFields = matchFields
        self.parameters = parameters
        self.maxBatchSize = maxBatchSize
    }

    /// The record type of this resource.
    public var recordType: ValueType { .object(fields) }
}

/// Everything the validator knows about one connector.
public struct ConnectorDescriptor: Hashable, Sendable {
    /// The name used in `connector:`, e.g. `hubspot`.
    public var name: String
    /// The product name, e.g. `HubSpot CRM`.
    public var title: String
    public var summary: String
    public var capabilities: Set<ConnectorCapability>
    /// Accepted ways to authenticate; empty when the connector needs no credentials (`file`).
    public var authSchemes: [AuthScheme]
    public var options: [ConnectorOption]
    /// The platform's documented limit, written like `rate_limit:` (e.g. `100/10s`), if any.
    public var defaultRateLimit: String?
    /// The most concurrent requests the platform allows, if it documents one.
    public var maxConcurrency: Int?
    public var resources: [ResourceDescriptor]
    /// True when resources are named freely in the playbook (generic HTTP, files) and records are `dyn`.
    public var acceptsAnyResource: Bool
    /// For `notify`: whether a `subject:` is required (e-mail) and whether `to:` is required.
    public var notifyNeedsSubject: Bool
    public var notifyNeedsRecipient: Bool

    public init(
        name: String,
        title: String,
        summary: String,
        capabilities: Set<ConnectorCapability>,
        authSchemes: [AuthScheme],
        options: [ConnectorOption] = [],
        defaultRateLimit: String? = nil,
        maxConcurrency: Int? = nil,
        resources: [ResourceDescriptor] = [],
        acceptsAnyResource: Bool = false,
        notifyNeedsSubject: Bool = false,
        notifyNeedsRecipient: Bool = false
    ) {
        self.name = name
        self.title = title
        self.summary = summary
        self.capabilities = capabilities
        self.authSchemes = authSchemes
        self.options = options
        self.defaultRateLimit = defaultRateLimit
        self.maxConcurrency = maxConcurrency
        self.resources = resources
        self.acceptsAnyResource = acceptsAnyResource
        self.notifyNeedsSubject = notifyNeedsSubject
        self.notifyNeedsRecipient = notifyNeedsRecipient
    }

    public func resource(named name: String) -> ResourceDescriptor? {
        resources.first { $0.name == name }
    }

    /// Every secret field name any auth scheme accepts.
    public var authFieldNames: [String] {
        var seen = Set<String>()
        return authSchemes.flatMap(\.allFields).filter { seen.insert($0).inserted }
    }
}
