/// A CEL run-time value. Errors are values too, so `false && (1/0 > 2)` can still be `false`.
public enum CELValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([CELValue])
    case map(CELMap)
    case timestamp(CELTimestamp)
    case duration(CELDuration)
    /// A type used as a value, e.g. the result of `type(1)`.
    case type(CELType)
    /// An optional value: `nil` is `optional.none()`.
    indirect case optional(CELValue?)
    case error(CELError)

    /// Whether this is an error value.
    public var isError: Bool {
        if case .error = self { return true }
        return false
    }

    /// Shorthand for an error value with a message.
    static func fail(_ message: String) -> CELValue { .error(CELError(message)) }

    static func noOverload(_ function: String, _ args: CELValue...) -> CELValue {
        let types = args.map { $0.celType.runtimeName }.joined(separator: ", ")
        return .error(CELError("no matching overload for '\(Operator.display(function))' applied to (\(types))"))
    }

    /// The run-time type of the value (`list`, `map`: without element types).
    public var celType: CELType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list(.dyn)
        case .map: return .map(.dyn, .dyn)
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .type: return .type(.dyn)
        case .optional: return .optional(.dyn)
        case .error: return .error
        }
    }
}

/// The reason an evaluation failed, carried as a value.
public struct CELError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for people.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
