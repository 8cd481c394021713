import CEL
import Diagnostics
import PlaybookLanguage

/// Param values given on the command line (`--param NAME=VALUE`), read as their declared types.
public enum ParamValues {
    /// A value that cannot be used, naming the param.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        /// What is wrong, for people.
        public var description: String
    }

    /// The values of `given` (name and text, in order), each read as its param's declared type.
    /// An unknown name, a value of the wrong type, or a required param without a value is a problem.
    public static func read(_ given: [(name: String, text: String)], for params: [Param]) -> Result<[String: CELValue], Problem> {
        var values: [String: CELValue] = [:]
        for (name, text) in given {
            guard let param = params.first(where: { $0.name.value == name }) else {
                let names = params.map(\.name.value)
                var message = "the playbook has no param '\(name)'"
                if let suggestion = Suggestions.closest(to: name, in: names) { message += "; did you mean '\(suggestion)'?" }
                else if names.isEmpty { message += "; it declares none" }
                else { message += "; it declares " + names.map { "'\($0)'" }.joined(separator: ", ") }
                return .failure(Problem(description: message))
            }
            switch value(text, as: param.type) {
            case .success(let value): values[name] = value
            case .failure(let expected):
                let article = param.type == .int ? "an" : "a"
                return .failure(Problem(description: "param '\(name)' is \(article) \(param.type.rawValue), and '\(text)' is not \(expected.example)"))
            }
        }
        for param in params where param.required && values[param.name.value] == nil && param.defaultValue == nil {
            return .failure(Problem(description: "param '\(param.name.value)' is required: give it with --param \(param.name.value)=VALUE"))
        }
        return .success(values)
    }

    /// Why a text is not a value of a type: what a value of it looks like.
    public struct Expected: Error {
        /// A value of the type, in words: `a whole number such as 42`.
        public let example: String
    }

    /// `text` as a value of `type`:
    /// - string: as written; int: digits with an optional sign; double: a decimal number such as
    ///   `0.25` or `1e3`; bool: `true` or `false`;
    /// - duration: as in playbooks, such as `90s`, `15m`, `1h30m`, `2d`;
    /// - timestamp: RFC 3339, such as `2026-01-31T09:00:00Z`;
    /// - list: a JSON array (`["PL","DE"]`, `[1,2]`), or values separated by commas (`PL,DE`), each
    ///   kept as text.
    public static func value(_ text: String, as type: ParamType) -> Result<CELValue, Expected> {
        switch type {
        case .string:
            return .success(.string(text))
        case .int:
            return Int64(text).map { .success(.int($0)) } ?? .failure(Expected(example: "a whole number such as 42"))
        case .double:
            let isDecimal = !text.isEmpty && text.allSatisfy { "0123456789+-.eE".contains($0) }
            return isDecimal ? Double(text).map { .success(.double($0)) } ?? .failure(Expected(example: "a number such as 0.25")) : .failure(Expected(example: "a number such as 0.25"))
        case .bool:
            switch text.lowercased() {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: return .failure(Expected(example: "true or false"))
            }
        case .duration:
            guard let duration = DurationLiteral.parse(text, allowZero: true).value else { return .failure(Expected(example: "a duration such as 90s, 15m or 1h30m")) }
            return .success(.duration(CELDuration(milliseconds: duration.milliseconds)))
        case .timestamp:
            return CELTimestamp(rfc3339: text).map { .success(.timestamp($0)) } ?? .failure(Expected(example: "an RFC 3339 time such as 2026-01-31T09:00:00Z"))
        case .list:
            if text.hasPrefix("[") {
                guard let json = try? JSONValue(parsing: text), case .array = json else { return .failure(Expected(example: "a JSON array such as [\"PL\",\"DE\"]")) }
                return .success(CELValue(plainJSON: json))
            }
            return .success(.list(text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map { .string(String($0)) }))
        }
    }
}
