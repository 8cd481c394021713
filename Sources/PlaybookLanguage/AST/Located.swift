import Diagnostics
import YAML

/// A value with the source range it was read from.
public struct Located<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Where it is written.
    public var range: SourceRange

    /// A value read at `range`.
    public init(_ value: Value, at range: SourceRange) {
        self.value = value
        self.range = range
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// The id of a step, as written under `steps:`.
public struct StepID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The name as written.
    public let rawValue: String
    /// The name `rawValue`.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The name as written.
    public var description: String { rawValue }
    public static func < (lhs: StepID, rhs: StepID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The name of a connection, as written under `connections:`.
public struct ConnectionName: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The name as written.
    public let rawValue: String
    /// The name `rawValue`.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The name as written.
    public var description: String { rawValue }
    public static func < (lhs: ConnectionName, rhs: ConnectionName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The name of a secret in the secret store, such as `HUBSPOT_TOKEN`.
public struct SecretName: Hashable, Sendable, CustomStringConvertible {
    /// The name as written.
    public let rawValue: String
    /// The name `rawValue`.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The name as written.
    public var description: String { rawValue }
}

/// Source text of an expression or template, with what is needed to map a position in the text back
/// into the file (through quoting, escapes and folded lines): the scalar's range and style.
public struct SourceText: Sendable, Hashable {
    /// The text as YAML delivered it (quotes, escapes and folding already applied).
    public var text: String
    /// Where the scalar is in the file, quotes and block header included.
    public var range: SourceRange
    /// How the scalar was written, which decides how value offsets map to file offsets.
    public var style: ScalarStyle

    /// Text read from a scalar written in `style` at `range`.
    public init(text: String, range: SourceRange, style: ScalarStyle) {
        self.text = text
        self.range = range
        self.style = style
    }
}

/// A CEL expression written bare in a field such as `where:`.
public struct Expression: Sendable {
    /// The expression's text and where it is.
    public var source: SourceText
    /// What the expression's value is for, which decides the type it must have.
    public var role: ExpressionRole
    /// The text holds `{{` outside its string literals: a mistake carried over from message text,
    /// reported by the decoder with a fix. Such an expression is not type-checked, which would only
    /// add noise.
    public var holdsTemplateBraces = false
}

/// Text in which `{{ expression }}` is interpolated, such as `message:`.
public struct Template: Sendable {
    /// The template's text and where it is.
    public var source: SourceText
}

/// A reference to a step's output: `step` or `step.segment`.
public struct StepReference: Hashable, Sendable {
    /// The step read.
    public var step: StepID
    /// The named segment of a `segment` step, when one is read.
    public var segment: String?
    /// Where the reference is written.
    public var range: SourceRange

    /// `step` or `step.segment`, as written.
    public var description: String { segment.map { "\(step).\($0)" } ?? step.rawValue }
}
