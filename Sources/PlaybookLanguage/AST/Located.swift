import Diagnostics
import YAML

/// A value with the source range it was read from.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, at range: SourceRange) {
        self.value = value
        self.range = range
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// The id of a step, as written under `steps:`.
public struct StepID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: StepID, rhs: StepID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The name of a connection, as written under `connections:`.
public struct ConnectionName: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// The name of a secret in the secret store, such as `HUBSPOT_TOKEN`.
public struct SecretName: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// Source text of an expression or template: the scalar it was read from, so positions map back
/// into the file.
public struct SourceText: Sendable {
    /// The scalar it was read from.
    public var node: YAMLNode

    public init(node: YAMLNode) {
        self.node = node
    }

    /// The text as YAML delivered it (quotes, escapes and folding already applied). Made from the
    /// scalar when asked for: checks that only scan the text read its bytes instead.
    public var text: String { node.scalar ?? "" }

    /// Calls `body` with the text's UTF-8 bytes, without making a `String`.
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try node.withScalarUTF8(body) ?? body(UnsafeBufferPointer(start: nil, count: 0))
    }

    public var range: SourceRange { node.range }
}

/// A CEL expression written bare in a field such as `where:`.
public struct Expression: Sendable {
    public var source: SourceText
    public var role: ExpressionRole
    /// The text holds `{{` outside its string literals: a mistake carried over from message text,
    /// reported by the decoder with a fix. Such an expression is not type-checked, which would only
    /// add noise.
    public var holdsTemplateBraces = false
}

/// Text in which `{{ expression }}` is interpolated, such as `message:`.
public struct Template: Sendable {
    public var source: SourceText
}

/// A reference to a step's output: `step` or `step.segment`.
public struct StepReference: Hashable, Sendable {
    public var step: StepID
    public var segment: String?
    public var range: SourceRange

    public var description: String { segment.map { "\(step).\($0)" } ?? step.rawValue }
}
