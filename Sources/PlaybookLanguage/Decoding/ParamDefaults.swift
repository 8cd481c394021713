import CEL
import Diagnostics
import Foundation
import YAML

/// Reads a param's default as a value of the param's declared type.
enum ParamDefaults {
    /// The default's value; `.success(nil)` for an alias, which the loader has already reported.
    static func value(of node: YAMLNode, as type: ParamType) -> Result<CELValue?, Problem> {
        if node.isAlias { return .success(nil) }
        if type == .list {
            guard node.sequence != nil, let list = YAMLValue.json(node) else { return .failure(.notAList(found: node.kindDescription)) }
            return .success(YAMLValue.cel(list))
        }
        guard let text = node.scalar, let style = node.scalarStyle else { return .failure(.notASingleValue(found: node.kindDescription)) }
        if node.isNull { return .failure(.empty) }
        switch type {
        case .string:
            return .success(.string(text))
        case .int:
            return ScalarReading.integer(text, style: style).map { .success(.int(Int64($0))) }
                ?? .failure(.unreadable(text))
        case .double:
            return ScalarReading.number(text, style: style).map { .success(.double($0)) }
                ?? .failure(.unreadable(text))
        case .bool:
            return ScalarReading.boolean(text, style: style).map { .success(.bool($0)) }
                ?? .failure(.unreadable(text))
        case .duration:
            return DurationLiteral.parse(text).value.map { .success(.duration(CELDuration(milliseconds: $0.milliseconds))) }
                ?? .failure(.unreadable(text))
        case .timestamp:
            guard let date = parseTimestamp(text) else { return .failure(.unreadable(text)) }
            let timestamp = CELTimestamp(rfc3339: text) ?? CELTimestamp(nanos: Int128(date.timeIntervalSince1970 * 1e9))
            return .success(.timestamp(timestamp))
        case .list:
            return .failure(.notAList(found: node.kindDescription))
        }
    }

    /// Why a default does not have its param's type; `LanguageMessage.invalidDefault` words it.
    enum Problem: Error {
        /// A list param whose default is a node of another `found` kind (`text`, `mapping`, `null`).
        case notAList(found: String)
        /// A mapping or list where a single value belongs.
        case notASingleValue(found: String)
        /// A default with no value.
        case empty
        /// Text that does not read as a value of the type.
        case unreadable(String)
    }

    static func diagnostic(_ problem: Problem, name: String, type: ParamType, at range: SourceRange) -> Diagnostic {
        .error(LanguageDiagnosticCode.invalidDefault, .invalidDefault(name, type: type, problem), at: range)
    }

    /// RFC 3339 with a time zone, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// Values written in YAML, typed as YAML 1.2's core schema reads plain scalars: `80` is an int,
/// `0.5` a double, `true` a bool, `~` or nothing null, anything quoted a string.
enum YAMLValue {
    /// The node's value; nil for an alias (never expanded).
    static func json(_ node: YAMLNode) -> JSONValue? {
        switch node.content {
        case .scalar(let text, let style):
            if style != .plain { return .string(text) }
            if node.isNull { return .null }
            if let bool = ScalarReading.boolean(text, style: style) { return .bool(bool) }
            if let int = ScalarReading.integer(text, style: style) { return .int(int) }
            if let number = ScalarReading.number(text, style: style) { return .double(number) }
            return .string(text)
        case .sequence(let items, _):
            return .array(items.compactMap(json))
        case .mapping(let pairs, _):
            return .object(pairs.compactMap { pair in pair.key.scalar.flatMap { key in json(pair.value).map { (key, $0) } } })
        case .alias:
            return nil
        }
    }

    /// The CEL value of a YAML value.
    static func cel(_ value: JSONValue) -> CELValue {
        switch value {
        case .null: .null
        case .bool(let bool): .bool(bool)
        case .int(let int): .int(Int64(int))
        case .double(let double): .double(double)
        case .string(let string): .string(string)
        case .array(let items): .list(items.map(cel))
        case .object(let members):
            .map(members.reduce(into: CELMap()) { map, member in try? map.insert(.string(member.0), cel(member.1)) })
        }
    }
}
