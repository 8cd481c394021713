import Diagnostics

/// Codes of the problems found in connector spec files (`PB07xx`), the built-in ones and a user's own.
/// Codes are never reused: a retired code stays reserved.
public enum ConnectorSpecDiagnosticCode {
    public static let unknownKey: DiagnosticCode = "PB0701"
    public static let wrongKind: DiagnosticCode = "PB0702"
    public static let missingKey: DiagnosticCode = "PB0703"
    public static let unknownType: DiagnosticCode = "PB0704"
    public static let unknownReference: DiagnosticCode = "PB0705"
    public static let unknownValue: DiagnosticCode = "PB0706"
    public static let unknownPlaceholder: DiagnosticCode = "PB0707"
    public static let incompletePagination: DiagnosticCode = "PB0708"
    public static let duplicateName: DiagnosticCode = "PB0709"
    public static let specNotFound: DiagnosticCode = "PB0710"

    /// What each code means and how to fix it; `docs/diagnostics.md` shows an example of each.
    public static let catalogue = DiagnosticCatalogue([
        DiagnosticDescriptor(unknownKey, .error, "unknown key in a connector spec",
            "The connector spec has a key its format does not define, usually a typo. The help names the closest key."),
        DiagnosticDescriptor(wrongKind, .error, "wrong kind of value in a connector spec",
            "A key of the connector spec holds a different kind of value from what it takes: text where a list belongs, a word where a number belongs, and so on."),
        DiagnosticDescriptor(missingKey, .error, "missing key in a connector spec",
            "A key the connector spec must have is missing, such as a resource's `name` or a request's `path`."),
        DiagnosticDescriptor(unknownType, .error, "unknown type in a connector spec",
            "A field, option or parameter names a type Playbook does not have. Types are written as in playbooks: `string`, `int`, `double`, `bool`, `timestamp`, `duration`, `bytes`, `dyn`, `list(T)`, `map(string, T)` or `record` with `fields:`."),
        DiagnosticDescriptor(unknownReference, .error, "connector spec names something it does not declare",
            "A key names a record field, sync mode or auth scheme the connector spec does not declare: a `field_paths` entry for a field the resource lacks, a write for a sync mode not in `sync_modes`, and so on."),
        DiagnosticDescriptor(unknownValue, .error, "value not among the allowed ones",
            "A key that takes one of a fixed set of words (a capability, sync mode, HTTP method, pagination style, field format) has another. The help lists the allowed words."),
        DiagnosticDescriptor(unknownPlaceholder, .error, "unknown template placeholder",
            "A template in braces names nothing a request can be filled from, such as `{optons.region}` or an option the connector does not declare. The placeholders are listed in the connectors guide under \"Writing a connector spec\"."),
        DiagnosticDescriptor(incompletePagination, .error, "pagination style without its keys",
            "A pagination style lacks a key it needs: `token` needs `next` and `send_as`, `next_url` needs `next`, `offset` needs `offset` and `size`."),
        DiagnosticDescriptor(duplicateName, .error, "name declared twice in a connector spec",
            "Two resources, fields, options or auth schemes of one connector spec share a name. Rename or remove one."),
        DiagnosticDescriptor(specNotFound, .error, "connector spec file not found",
            "A connection names a connector spec file (`connector: ./connectors/acme.yaml`) that cannot be read. The path is relative to the playbook's folder."),
    ])
}

/// The messages of connector spec diagnostics, worded in one place.
enum ConnectorSpecMessage {
    static func unknownKey(_ key: String, in object: String) -> String { "unknown key '\(key)' in \(object)" }
    static func knownKeys(_ keys: [String]) -> String { "known keys: \(keys.joined(separator: ", "))" }
    static func wrongKind(_ key: String, expected: String, found: String) -> String { "'\(key)' must be \(expected), not \(found)" }
    static func missingKey(_ key: String, in object: String) -> String { "\(object) is missing '\(key)'" }
    static func unknownType(_ text: String) -> String { "unknown type '\(text)'" }
    static let typeHelp = "types are string, int, double, bool, timestamp, duration, bytes, dyn, list(T), map(string, T) and record"
    static func unknownValue(_ value: String, of key: String) -> String { "'\(value)' is not allowed in '\(key)'" }
    static func allowed(_ values: [String]) -> String { "use \(Suggestions.list(values))" }
    static func unknownField(_ name: String, resource: String, key: String) -> String {
        "\(key) names '\(name)', which is not a field of resource '\(resource)'"
    }
    static func undeclaredSyncMode(_ mode: String, resource: String) -> String {
        "resource '\(resource)' has a write for '\(mode)', which is not in its sync_modes"
    }
    static func unknownRequiredOption(_ name: String) -> String { "required option '\(name)' is not an option of this connector" }
    static func unknownScheme(_ name: String) -> String { "'\(name)' is not an auth scheme of this connector" }
    static let missingKeyField = "a jwt_bearer grant is missing 'key_field', the auth field that holds the service account's key"
    static func unknownKeyField(_ name: String) -> String { "key_field names '\(name)', which is not an auth field of this connector" }
    static func unknownPlaceholder(_ placeholder: String) -> String { "unknown placeholder '{\(placeholder)}'" }
    static func unknownPlaceholderName(_ placeholder: String, kind: String) -> String {
        "placeholder '{\(placeholder)}' names no \(kind) of this connector"
    }
    static func incompletePagination(_ style: String, missing: [String]) -> String {
        "pagination style '\(style)' needs \(Suggestions.list(missing, conjunction: "and"))"
    }
    static func duplicateName(_ name: String, kind: String) -> String { "\(kind) '\(name)' is declared twice" }
    static let firstDeclared = "first declared here"
    static func specNotFound(_ path: String) -> String { "cannot read the connector spec '\(path)'" }
    static func specHasErrors(_ path: String, count: Int) -> String {
        "the connector spec '\(path)' has \(count) error\(count == 1 ? "" : "s")"
    }
}
