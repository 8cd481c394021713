/// A declarative description of what one YAML node of a playbook may hold.
///
/// The same tables drive the decoder's structural checks and the generated JSON Schema, so editor
/// completion and `playbook validate` can never disagree about which fields exist.
///
/// Only the cases that hold a shape are boxed, so copying a scalar shape costs nothing.
public enum Shape: Sendable {
    /// Any scalar read as text. `format` restricts it further.
    case text(TextFormat)
    /// A whole number written plainly (`5`, not `"5"`).
    case integer(minimum: Int?, maximum: Int?)
    /// A number written plainly, with or without a fraction.
    case number(minimum: Double?)
    /// `true` or `false`.
    case boolean
    /// One of a fixed set of words.
    case choice([String])
    /// A duration such as `30s`, `5m` or `1h30m`.
    case duration
    /// A rate such as `100/10s`.
    case rateLimit
    /// Five-field cron text or an `@daily`-style macro.
    case cron
    /// An IANA time zone name such as `Europe/Warsaw`.
    case timeZone
    /// A CEL expression written bare (no `{{ }}`), of the given result kind.
    case expression(ExpressionRole)
    /// Text in which `{{ expression }}` is interpolated.
    case template
    /// `{ secret: NAME }`: the only way to give a credential.
    case secretReference
    /// Any scalar (text, number or boolean), such as a parameter default; checked later against its type.
    case scalarValue
    /// Any YAML value; checked later by whatever reads it.
    case anything
    indirect case list(Shape, minimumCount: Int)
    /// Either one value or a list of them (`from: a` or `from: [a, b]`).
    indirect case oneOrMany(Shape)
    /// A mapping whose keys the author chooses (step ids, parameter names, field names).
    indirect case dictionary(key: TextFormat, value: Shape)
    case object(ObjectShape)
    /// The first alternative whose node kind matches is used (e.g. `manual: true` or `manual: {}`).
    case alternatives([Shape])

    /// A word for the value expected, used in "expected …" messages.
    public var expectation: String {
        switch self {
        case .text(let format): format.expectation
        case .integer: "a whole number"
        case .number: "a number"
        case .boolean: "true or false"
        case .choice(let words): "one of " + words.map { "'\($0)'" }.joined(separator: ", ")
        case .duration: "a duration such as 30s, 5m or 1h30m"
        case .rateLimit: "a rate limit such as 100/10s"
        case .cron: "cron text such as \"0 9 * * MON-FRI\""
        case .timeZone: "a time zone name such as Europe/Warsaw"
        case .expression: "an expression"
        case .template: "text"
        case .secretReference: "a secret reference such as { secret: NAME }"
        case .scalarValue: "a single value"
        case .anything: "a value"
        case .list(let element, _): "a list of \(element.pluralExpectation)"
        case .oneOrMany(let element): "\(element.expectation) or a list of them"
        case .dictionary: "a mapping"
        case .object(let object): "a mapping (\(object.title))"
        case .alternatives(let shapes): shapes.map(\.expectation).joined(separator: " or ")
        }
    }

    var pluralExpectation: String {
        switch self {
        case .text(.identifier): "names"
        case .text: "texts"
        case .integer: "whole numbers"
        case .object(let object): object.title + "s"
        case .expression: "expressions"
        case .template: "texts"
        default: "values"
        }
    }
}

/// Restrictions on a text value.
public enum TextFormat: Sendable, Hashable {
    case any
    /// A name usable in expressions: a letter or `_`, then letters, digits or `_`.
    case identifier
    /// A playbook name: lowercase letters, digits, `-` and `_`, starting with a letter or digit.
    case slug
    /// A reference to a step's output: `step` or `step.segment`.
    case stepReference
    /// An upper-case secret name such as `HUBSPOT_TOKEN`.
    case secretName
    /// A URL path starting with `/`.
    case urlPath
    /// A connector: a built-in's name, or the path of a connector spec file ending in `.yaml` or `.yml`.
    case connector

    var expectation: String {
        switch self {
        case .any: "text"
        case .identifier: "a name (letters, digits and _)"
        case .slug: "a name (lowercase letters, digits, - and _)"
        case .stepReference: "a step id, or step.segment"
        case .secretName: "a secret name (A-Z, 0-9 and _)"
        case .urlPath: "a path starting with /"
        case .connector: "a connector name, or the path of a connector spec ending in .yaml"
        }
    }

    /// The regular expression of the format, for the JSON Schema.
    var pattern: String? {
        switch self {
        case .any: nil
        case .identifier: "^[A-Za-z_][A-Za-z0-9_]*$"
        case .slug: "^[a-z0-9][a-z0-9_-]*$"
        case .stepReference: "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$"
        case .secretName: "^[A-Z_][A-Z0-9_]*$"
        case .urlPath: "^/[A-Za-z0-9/_.~-]*$"
        case .connector: "^([A-Za-z_][A-Za-z0-9_]*|.+\\.ya?ml)$"
        }
    }

    func accepts(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(accepts)
    }

    /// Whether UTF-8 text is of this format. Takes the bytes a node lends (`YAMLNode.withScalarUTF8`),
    /// so that names and references are checked without making a `String` of each.
    func accepts(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .any: return true
        case .identifier: return Self.isIdentifier(bytes[...])
        case .slug:
            guard let first = bytes.first, ASCII.isLowerOrDigit(first) else { return false }
            return bytes.allSatisfy { ASCII.isLowerOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        case .stepReference:
            return Self.stepReferenceParts(bytes) != nil
        case .secretName:
            guard let first = bytes.first, !ASCII.isDigit(first) else {
                return false
            }
            return bytes.allSatisfy {
                ASCII.between($0, UInt8(ascii: "A"), UInt8(ascii: "Z")) || ASCII.isDigit($0) || $0 == UInt8(ascii: "_")
            }
        case .urlPath:
            guard bytes.first == UInt8(ascii: "/") else { return false }
            return bytes.allSatisfy {
                ASCII.isLetterOrDigit($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
                    || $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "-")
            }
        case .connector:
            if Self.isIdentifier(bytes[...]) { return true }
            return ConnectorSpecLoader.isSpecPath(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// `step` or `step.segment` split into its names, or nil when it is not such a reference.
    static func stepReferenceParts(
        _ bytes: UnsafeBufferPointer<UInt8>
    ) -> (step: Slice<UnsafeBufferPointer<UInt8>>, segment: Slice<UnsafeBufferPointer<UInt8>>?)? {
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return isIdentifier(bytes[...]) ? (bytes[...], nil) : nil }
        let step = bytes[..<dot]
        let segment = bytes[(dot + 1)...]
        return isIdentifier(step) && isIdentifier(segment) ? (step, segment) : nil
    }

    static func isIdentifier(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isIdentifier($0[...]) }
    }

    static func isIdentifier(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first, !ASCII.isDigit(first) else { return false }
        return bytes.allSatisfy(ASCII.isNameByte)
    }
}

/// What an expression field's value is used as, which decides the type it must have.
public enum ExpressionRole: Sendable, Hashable {
    /// A condition: must be a bool (`where:`, `if:`, `when:`).
    case condition
    /// A computed value of any type (`set:` values, sync `fields:`).
    case value
    /// A key used to recognise duplicates (`once_per:`, `dedupe.by`): any type that can be compared.
    case key
    /// Selects a list of records (`records:` of a webhook fetch).
    case records
}

/// One field of an object shape.
public struct FieldShape: Sendable {
    /// The key as written in a playbook.
    public var name: String
    /// What its value must be.
    public var shape: Shape
    /// Whether the mapping must have it.
    public var required: Bool
    /// One line on what it does, for the schema and messages.
    public var summary: String

    /// A field; optional unless `required`.
    public init(_ name: String, _ shape: Shape, required: Bool = false, _ summary: String) {
        self.name = name
        self.shape = shape
        self.required = required
        self.summary = summary
    }
}

/// A rule across several fields of one mapping.
public enum FieldRule: Sendable {
    /// Exactly one of these fields must be present.
    case exactlyOne([String])
    /// At most one of these fields may be present.
    case atMostOne([String])
    /// When the first field is present, the others must be too.
    case requires(String, [String])
}

/// A mapping with a fixed set of fields.
public final class ObjectShape: Sendable {
    /// What the mapping is, for messages: `retry policy`, `fetch step`.
    public let title: String
    /// One line on what the mapping is for, for the schema.
    public let summary: String
    /// The fields, in the order the schema lists them.
    public let fields: [FieldShape]
    /// Rules across fields, checked in this order.
    public let rules: [FieldRule]
    /// The field names' UTF-8 bytes, in field order, so that a key is looked up on the bytes the
    /// file holds without making a `String` of it.
    private let names: [[UInt8]]

    /// An object shape; a field named twice keeps its first declaration.
    public init(_ title: String, _ summary: String, fields: [FieldShape], rules: [FieldRule] = []) {
        precondition(fields.count <= PresentFields.capacity, "\(title) has more fields than PresentFields holds")
        self.title = title
        self.summary = summary
        self.fields = fields
        self.rules = rules
        self.names = fields.map { Array($0.name.utf8) }
    }

    /// The position of the field whose name has these UTF-8 bytes, such as a key as the file holds
    /// it; every lookup of a field ends here. An object has a handful of fields, so a scan that
    /// compares lengths first is quicker than hashing the name.
    public func fieldIndex(_ name: some Collection<UInt8>) -> Int? {
        let length = name.count
        return names.firstIndex { $0.count == length && $0.elementsEqual(name) }
    }

    /// The position of the field with this name, looked up on its bytes.
    public func fieldIndex(_ name: String) -> Int? {
        // A native string's bytes are contiguous; walking `name.utf8` byte by byte would cost more.
        name.utf8.withContiguousStorageIfAvailable(fieldIndex) ?? fieldIndex(Array(name.utf8))
    }

    /// The field with this name, if the mapping has one.
    public func field(_ name: String) -> FieldShape? { fieldIndex(name).map { fields[$0] } }

    /// The field names, in order, for did-you-mean suggestions.
    public var fieldNames: [String] { fields.map(\.name) }

    /// A copy with more fields, for step kinds that share the common fields.
    public func adding(_ extra: [FieldShape], title: String? = nil, summary: String? = nil, rules: [FieldRule] = []) -> ObjectShape {
        ObjectShape(title ?? self.title, summary ?? self.summary, fields: fields + extra, rules: self.rules + rules)
    }
}

/// Which fields of an object shape a mapping gives, by position in `ObjectShape.fields`. Every
/// mapping of a file is checked, so the set is a word of bits rather than a collection to allocate.
struct PresentFields {
    /// The most fields an object shape may have.
    static let capacity = UInt64.bitWidth

    private var bits: UInt64 = 0

    mutating func insert(_ index: Int) { bits |= 1 << UInt64(index) }

    func contains(_ index: Int) -> Bool { bits & (1 << UInt64(index)) != 0 }
}
