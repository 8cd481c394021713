/// The static type of a CEL expression or variable, as the checker and the environment see it.
///
/// `.object` is a record with known fields: at run time it is a map with string keys, but selecting
/// a field it does not declare is a check error (with "did you mean").
public indirect enum CELType: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool
    case int
    case uint
    case double
    case string
    case bytes
    case timestamp
    case duration
    case list(CELType)
    case map(CELType, CELType)
    /// A record whose fields are known, e.g. the records of a connector resource.
    case object(name: String, fields: [String: CELType])
    /// Any type, checked at run time.
    case dyn
    /// The type of a type value, e.g. of `int` or `type(x)`.
    case type(CELType)
    case optional(CELType)
    /// A type variable in a function signature; never the type of a finished expression.
    case typeParam(String)
    /// The type of an expression that failed to check.
    case error

    /// The name of the type's kind at run time, as `type(x)` reports it (`list`, `map`, …).
    public var runtimeName: String {
        switch self {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .list: return "list"
        case .map, .object: return "map"
        case .dyn: return "dyn"
        case .type: return "type"
        case .optional: return "optional_type"
        case .typeParam(let name): return name
        case .error: return "error"
        }
    }

    /// How the type is written in messages: `list(string)`, `map(string, int)`, a record's name.
    public var description: String {
        switch self {
        case .list(let element): return "list(\(element))"
        case .map(let key, let value): return "map(\(key), \(value))"
        case .object(let name, _): return name
        case .type(let inner): return inner == .dyn ? "type" : "type(\(inner))"
        case .optional(let inner): return "optional(\(inner))"
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .null: return "null"
        default: return runtimeName
        }
    }

    /// The type named by a CEL type identifier such as `int` or `google.protobuf.Timestamp`.
    static func named(_ name: String) -> CELType? {
        switch name {
        case "bool": return .bool
        case "int": return .int
        case "uint": return .uint
        case "double": return .double
        case "string": return .string
        case "bytes": return .bytes
        case "list": return .list(.dyn)
        case "map": return .map(.dyn, .dyn)
        case "null_type": return .null
        case "type": return .type(.dyn)
        case "google.protobuf.Timestamp": return .timestamp
        case "google.protobuf.Duration": return .duration
        case "optional_type": return .optional(.dyn)
        default: return nil
        }
    }

    /// Names usable as type values in expressions.
    static let typeIdentifiers = [
        "bool", "int", "uint", "double", "string", "bytes", "list", "map", "null_type", "type",
        "google.protobuf.Timestamp", "google.protobuf.Duration", "optional_type",
    ]
}
