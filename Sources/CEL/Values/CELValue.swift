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

    /// This value, placed at node `id` when it is an error that has no place yet. Consuming, so
    /// that every node can pass its result through here without copying it.
    @inline(__always)
    consuming func located(at id: CELExprID) -> CELValue {
        if case .error = self { return placed(at: id) }
        return self
    }

    /// The error placed at `id`, unless it already has a place.
    private func placed(at id: CELExprID) -> CELValue {
        guard case .error(var error) = self, error.exprID == nil else { return self }
        error.exprID = id
        return .error(error)
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

/// The reason an evaluation failed, carried as a value, with the expression node it came from (as
/// cel-go's errors carry their node id) so that a program can say where: see `CELProgram.sourceRange(of:)`.
public struct CELError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for people.
    public var message: String
    /// The node that produced the error: the call for a function's error, the selection for a
    /// missing field, the variable for an unbound one; nil until the error leaves its node.
    public var exprID: CELExprID?

    /// An error with a message, not yet placed.
    public init(_ message: String, exprID: CELExprID? = nil) {
        self.message = message
        self.exprID = exprID
    }

    /// The message.
    public var description: String { message }
}
