import Diagnostics

/// The type of a record field or parameter as the validator sees it.
///
/// These map one-to-one onto expression types when expressions are type-checked. Only the cases that
/// hold a type are boxed: an object's field list is stored in place.
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case string
    case int
    case double
    case bool
    case timestamp
    case duration
    case bytes
    indirect case list(ValueType)
    /// A map with string keys and values of one type (open set of keys).
    indirect case map(ValueType)
    /// A record with known fields; reading a field not listed is a validation error.
    case object([Field])
    /// Any value; checked only when the playbook runs.
    case dyn

    /// One named field of an object type.
    public struct Field: Hashable, Sendable {
        /// The snake_case name used in expressions (`record.first_name`).
        public var name: String
        /// The field's type.
        public var type: ValueType
        /// What it holds and, for connectors, the platform's own name for it.
        public var summary: String

        /// Creates a field.
        public init(_ name: String, _ type: ValueType, _ summary: String = "") {
            self.name = name
            self.type = type
            self.summary = summary
        }

        /// Whether the field is called `other`. Field names are identifiers, which are ASCII, and an
        /// ASCII name is `==` to a text of the same length only when their bytes match; comparing
        /// lengths first skips most comparisons, as record types are searched on every step (see
        /// `position(ofField:)`).
        public func isNamed(_ other: String) -> Bool { name.utf8.count == other.utf8.count && name == other }
    }

    /// The type as written in docs and diagnostics.
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

    /// Whether two types are the same value in the same storage: a test in constant time that a type
    /// was passed along unchanged. False does not mean the types differ. (Only a buffer pointer shows
    /// where an array's elements are stored.)
    func isIdentical(to other: ValueType) -> Bool {
        switch (self, other) {
        case (.object(let fields), .object(let otherFields)):
            return fields.count == otherFields.count && fields.withUnsafeBufferPointer { buffer in
                otherFields.withUnsafeBufferPointer { $0.baseAddress == buffer.baseAddress }
            }
        case (.object, _), (_, .object), (.list, _), (.map, _):
            return false
        default:
            return self == other
        }
    }

    /// Whether two types have the same field names and types, all the way down; what fields hold
    /// (their summaries) is not compared. Reads the fields in place, without copying them.
    func hasSameFields(as other: ValueType) -> Bool {
        switch (self, other) {
        case (.object(let fields), .object(let otherFields)):
            guard fields.count == otherFields.count else { return false }
            if self.isIdentical(to: other) { return true }
            for index in fields.indices {
                guard fields[index].isNamed(otherFields[index].name), fields[index].type.hasSameFields(as: otherFields[index].type) else {
                    return false
                }
            }
            return true
        case (.list(let element), .list(let otherElement)), (.map(let element), .map(let otherElement)):
            return element.hasSameFields(as: otherElement)
        case (.object, _), (_, .object), (.list, _), (_, .list), (.map, _), (_, .map):
            return false
        default:
            return self == other
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
    /// Create the record or update the one that matches `match_on`.
    case upsert
    /// Create a new record.
    case insert
    /// Change the record that matches `match_on`; never create one.
    case update
    /// Add the person to a list or audience chosen by the sync's parameters.
    case addToList = "add_to_list"
    /// Attach tags to the record that matches `match_on`.
    case tag
}

/// One way a connector authenticates, with the secret fields it needs in `auth:`.
///
/// A connection uses the scheme whose required fields are all present in its `auth:`; a scheme with
/// no required fields is the one used when `auth:` is left out.
public struct AuthScheme: Hashable, Sendable {
    /// Identifier shown in docs, e.g. `bearer`, `api_key`, `basic`, `oauth2_refresh_token`.
    public var name: String
    /// One line on what the credential is and where a marketer finds it.
    public var summary: String
    /// Secret fields that must all be present in `auth:` for this scheme.
    public var requiredFields: [String]
    /// Secret fields that may also be given.
    public var optionalFields: [String]
    /// Options (under `options:`) that become required with this scheme, because the credential
    /// alone does not say where to send requests (a Mailchimp OAuth token carries no data centre,
    /// a Slack bot token no channel).
    public var requiredOptions: [String]

    /// Creates a scheme; `requiredOptions` defaults to none.
    public init(
        name: String,
        summary: String,
        requiredFields: [String],
        optionalFields: [String] = [],
        requiredOptions: [String] = []
    ) {
        self.name = name
        self.summary = summary
        self.requiredFields = requiredFields
        self.optionalFields = optionalFields
        self.requiredOptions = requiredOptions
    }

    /// Required then optional secret fields.
    public var allFields: [String] { requiredFields + optionalFields }
}

/// A non-secret setting of a connection, given under `options:`, or a parameter of a fetch or sync.
public struct ConnectorOption: Hashable, Sendable {
    /// The key as written in the playbook.
    public var name: String
    /// The type the value must have.
    public var type: ValueType
    /// Whether leaving it out is an error.
    public var required: Bool
    /// One line on what it means, with an example value.
    public var summary: String
    /// The value used when it is left out, as it would be written in YAML; nil when there is none.
    public var defaultValue: String?
    /// For a parameter that looks one record up: the field of the record found that holds the same
    /// value, when it is named differently (Meta's `leadgen_id` is the lead's `id`).
    public var lookupField: String?
    /// The values the platform documents (GA4 metric names); empty when any value goes.
    public var values: [String] = []
    /// Starts of values accepted besides `values`, such as GA4's `customEvent:`.
    public var valuePrefixes: [String] = []
    /// The form a value must have (an id's), as a regular expression matching the whole value.
    public var pattern: String?
    /// The form in words, with an example and where to find the value (`pattern_help`).
    public var patternHelp: String?
    /// For a list parameter whose values name the records' fields (GA4 `dimensions`, `metrics`):
    /// the type of such a field, where the resource does not declare the name.
    public var recordFieldType: ValueType?

    /// Creates an option; `default` is the YAML text of the value used when it is left out.
    public init(
        _ name: String, _ type: ValueType, required: Bool = false, _ summary: String, default defaultValue: String? = nil,
        lookupField: String? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
        self.defaultValue = defaultValue
        self.lookupField = lookupField
    }
}

/// How a platform's name becomes a field name.
public enum FieldName {
    /// `sessionSource` as `session_source`, `customEvent:plan_type` as `custom_event_plan_type`.
    public static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                if !result.isEmpty, result.last != "_" { result.append("_") }
                result += character.lowercased()
            } else if character.isLetter || character.isNumber {
                result.append(character)
            } else if !result.isEmpty, result.last != "_" {
                result.append("_")
            }
        }
        return result
    }
}

/// A collection of records a connector reads or writes, such as HubSpot `contacts`. Immutable and
/// shared by reference, like `ConnectorDescriptor`.
public final class ResourceDescriptor: Hashable, Sendable {
    /// The name used in `resource:`.
    public let name: String
    /// One line on what the records are and which API call reads or writes them.
    public let summary: String
    /// Whether `fetch` can read it.
    public let readable: Bool
    /// The `sync` modes it accepts; empty when it cannot be written.
    public let syncModes: [SyncMode]
    /// The fields of each record, in the order they are documented.
    public let fields: [ValueType.Field]
    /// Fields that can serve as an incremental cursor (`incremental: { cursor: … }`).
    public let cursorFields: [String]
    /// Fields that identify a record for `match_on` in upsert and update.
    public let matchFields: [String]
    /// Fields the platform sets itself (ids, creation times, computed statistics): a `sync` cannot
    /// write them, and leaves them out of a record written without `fields:`.
    public let readOnlyFields: [String]
    /// Fields the platform leaves out of a record that has no value for them (HubSpot sends null
    /// for an unset property): an expression reading one needs `has()` or a default.
    public let mayBeAbsentFields: [String]
    /// `fields` and `readOnlyFields` by name: a sync checks every field of every record type it
    /// writes against them.
    private let fieldsByName: [String: ValueType.Field]
    private let readOnlyNames: Set<String>
    /// The map field that holds the platform's custom fields by their API names (HubSpot
    /// `properties`, Salesforce `custom_fields`), if the resource has one.
    public let customFieldsMap: String?
    /// Query parameters a `fetch` may pass under `params:`.
    public let parameters: [ConnectorOption]
    /// The most records the platform accepts in one write call.
    public let maxBatchSize: Int?
    /// Whether `notify` steps deliver through it; its fields are the parts of a message.
    public let notifies: Bool
    /// Settings a `sync` step gives under `params:`, such as the audience a list upload targets.
    public let syncParameters: [ConnectorOption]
    /// How the resource is read and written over HTTP; nil for resources that are not remote.
    public let http: ResourceHTTP?

    /// Creates a resource; everything after `fields` defaults to "not there".
    public init(
        name: String,
        summary: String,
        readable: Bool = true,
        syncModes: [SyncMode] = [],
        fields: [ValueType.Field],
        cursorFields: [String] = [],
        matchFields: [String] = [],
        readOnlyFields: [String] = [],
        mayBeAbsentFields: [String] = [],
        customFieldsMap: String? = nil,
        parameters: [ConnectorOption] = [],
        maxBatchSize: Int? = nil,
        notifies: Bool = false,
        syncParameters: [ConnectorOption] = [],
        http: ResourceHTTP? = nil
    ) {
        self.name = name
        self.summary = summary
        self.readable = readable
        self.syncModes = syncModes
        self.fields = fields
        self.cursorFields = cursorFields
        self.matchFields = matchFields
        self.readOnlyFields = readOnlyFields
        self.mayBeAbsentFields = mayBeAbsentFields
        fieldsByName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        readOnlyNames = Set(readOnlyFields)
        self.customFieldsMap = customFieldsMap
        self.parameters = parameters
        self.maxBatchSize = maxBatchSize
        self.notifies = notifies
        self.syncParameters = syncParameters
        self.http = http
    }

    /// Whether `sync` can write it.
    public var writable: Bool { !syncModes.isEmpty }

    /// Whether the platform sets the field itself, so that a `sync` cannot write it.
    public func isReadOnly(_ field: String) -> Bool { readOnlyNames.contains(field) }

    /// The field called `name`, if the resource declares one.
    public func field(named name: String) -> ValueType.Field? {
        fieldsByName[name]
    }

    /// The record type of this resource.
    public var recordType: ValueType { .object(fields) }

    /// The record type of a read whose parameters name the fields (GA4 rows hold exactly the
    /// dimensions and metrics requested): each named value in snake_case, typed as the resource
    /// declares it or as its parameter says. Nil when the resource has no such parameter, or the
    /// read does not give each of them as a list of names.
    public func requestedRecordType(params: [(name: String, value: JSONValue)]) -> ValueType? {
        let naming = parameters.filter { $0.recordFieldType != nil }
        guard !naming.isEmpty else { return nil }
        var requested: [ValueType.Field] = []
        for parameter in naming {
            guard case .array(let values)? = params.first(where: { $0.name == parameter.name })?.value else { return nil }
            for value in values {
                guard case .string(let apiName) = value else { return nil }
                let name = FieldName.snakeCase(apiName)
                guard requested.position(ofField: name) == nil else { continue }
                requested.append(field(named: name) ?? ValueType.Field(name, parameter.recordFieldType ?? .dyn, "`\(apiName)`."))
            }
        }
        return .object(requested)
    }

    /// The same resource under another name (a freely named resource of a generic connector).
    func renamed(_ newName: String) -> ResourceDescriptor {
        ResourceDescriptor(
            name: newName, summary: summary, readable: readable, syncModes: syncModes, fields: fields,
            cursorFields: cursorFields, matchFields: matchFields, readOnlyFields: readOnlyFields, mayBeAbsentFields: mayBeAbsentFields, customFieldsMap: customFieldsMap, parameters: parameters, maxBatchSize: maxBatchSize,
            notifies: notifies, syncParameters: syncParameters, http: http
        )
    }

    /// Equal when every field is, as for a value.
    public static func == (lhs: ResourceDescriptor, rhs: ResourceDescriptor) -> Bool {
        lhs === rhs || (
            lhs.name == rhs.name
            && lhs.summary == rhs.summary
            && lhs.readable == rhs.readable
            && lhs.syncModes == rhs.syncModes
            && lhs.fields == rhs.fields
            && lhs.cursorFields == rhs.cursorFields
            && lhs.matchFields == rhs.matchFields
            && lhs.readOnlyFields == rhs.readOnlyFields
            && lhs.mayBeAbsentFields == rhs.mayBeAbsentFields
            && lhs.customFieldsMap == rhs.customFieldsMap
            && lhs.parameters == rhs.parameters
            && lhs.maxBatchSize == rhs.maxBatchSize
            && lhs.notifies == rhs.notifies
            && lhs.syncParameters == rhs.syncParameters
            && lhs.http == rhs.http
        )
    }

    /// Hashes the name and summary, which tell resources apart; equality compares the rest.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(summary)
    }
}

/// Everything the validator knows about one connector.
///
/// Descriptors are immutable and shared: a class, so that the checks pass one around by reference
/// instead of copying a dozen arrays and strings for every step that names a connection.
public final class ConnectorDescriptor: Hashable, Sendable {
    /// The name used in `connector:`, e.g. `hubspot`.
    public let name: String
    /// The product name, e.g. `HubSpot CRM`.
    public let title: String
    /// One line on what the connector is for.
    public let summary: String
    /// What steps may use a connection of this connector for.
    public let capabilities: Set<ConnectorCapability>
    /// Accepted ways to authenticate; empty when the connector needs no credentials (`file`).
    public let authSchemes: [AuthScheme]
    /// Non-secret settings given under `options:`.
    public let options: [ConnectorOption]
    /// The platform's documented limit, written like `rate_limit:` (e.g. `100/10s`), if any.
    public let defaultRateLimit: String?
    /// The most concurrent requests the platform allows, if it documents one.
    public let maxConcurrency: Int?
    /// The named resources the connector declares.
    public let resources: [ResourceDescriptor]
    /// True when resources are named freely in the playbook (generic HTTP, files) and records are `dyn`.
    public let acceptsAnyResource: Bool
    /// What every freely named resource supports (readable, sync modes, parameters) when
    /// `acceptsAnyResource` is true; its `name` is only a placeholder for docs.
    public let genericResource: ResourceDescriptor?
    /// Every secret field name any auth scheme accepts, each once, in the schemes' order.
    public let authFieldNames: [String]
    /// For `notify`: whether a `subject:` is required (e-mail) and whether `to:` is required.
    public let notifyNeedsSubject: Bool
    /// See `notifyNeedsSubject`.
    public let notifyNeedsRecipient: Bool
    /// How the connector talks to its platform over HTTP; nil for local connectors (`file`).
    public let http: ConnectorHTTP?

    /// Creates a descriptor; everything after `authSchemes` defaults to "not there".
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
        notifyNeedsRecipient: Bool = false,
        genericResource: ResourceDescriptor? = nil,
        http: ConnectorHTTP? = nil
    ) {
        self.name = name
        self.title = title
        self.summary = summary
        self.capabilities = capabilities
        self.authSchemes = authSchemes
        var seen = Set<String>()
        self.authFieldNames = authSchemes.flatMap(\.allFields).filter { seen.insert($0).inserted }
        self.options = options
        self.defaultRateLimit = defaultRateLimit
        self.maxConcurrency = maxConcurrency
        self.resources = resources
        // A template only makes sense for a connector that takes any name, so giving one implies it.
        self.acceptsAnyResource = acceptsAnyResource || genericResource != nil
        self.genericResource = genericResource
        self.notifyNeedsSubject = notifyNeedsSubject
        self.notifyNeedsRecipient = notifyNeedsRecipient
        self.http = http
    }

    /// The declared resource called `name`, or for a connector that accepts any name, the generic
    /// resource under that name.
    public func resource(named name: String) -> ResourceDescriptor? {
        if let declared = resources.first(where: { $0.name == name }) { return declared }
        guard acceptsAnyResource, let generic = genericResource else { return nil }
        return generic.renamed(name)
    }

    /// Declared resources plus the generic one, i.e. everything that says what the connector can do.
    public var allResourceShapes: [ResourceDescriptor] {
        resources + (genericResource.map { [$0] } ?? [])
    }


    /// Equal when every field is, as for a value.
    public static func == (lhs: ConnectorDescriptor, rhs: ConnectorDescriptor) -> Bool {
        lhs === rhs || (
            lhs.name == rhs.name
            && lhs.title == rhs.title
            && lhs.summary == rhs.summary
            && lhs.capabilities == rhs.capabilities
            && lhs.authSchemes == rhs.authSchemes
            && lhs.options == rhs.options
            && lhs.defaultRateLimit == rhs.defaultRateLimit
            && lhs.maxConcurrency == rhs.maxConcurrency
            && lhs.resources == rhs.resources
            && lhs.acceptsAnyResource == rhs.acceptsAnyResource
            && lhs.genericResource == rhs.genericResource
            && lhs.notifyNeedsSubject == rhs.notifyNeedsSubject
            && lhs.notifyNeedsRecipient == rhs.notifyNeedsRecipient
            && lhs.http == rhs.http
        )
    }

    /// Hashes the name and title, which tell connectors apart; equality compares the rest.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(title)
    }
}

extension Array where Element == ValueType.Field {
    /// The position of the field called `name`. The fields are compared where they are stored: a
    /// search with a closure would copy each field (its name, type and summary) to hand it over.
    public func position(ofField name: String) -> Int? {
        for index in indices where self[index].isNamed(name) { return index }
        return nil
    }

    /// The field called `name`.
    public func field(named name: String) -> ValueType.Field? {
        position(ofField: name).map { self[$0] }
    }

    /// Removes every field called `name`.
    public mutating func removeFields(named name: String) {
        while let index = position(ofField: name) { remove(at: index) }
    }
}
