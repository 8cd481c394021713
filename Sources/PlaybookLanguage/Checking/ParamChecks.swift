import Diagnostics
import Foundation
import YAML

/// Checks that each parameter's default has the parameter's type.
struct ParamChecks {
    let playbook: Playbook

    func run(into bag: inout DiagnosticBag) {
        for param in playbook.params {
            guard let value = param.defaultValue else { continue }
            if let problem = problem(with: value, for: param.type) {
                bag.error(
                    LanguageDiagnosticCode.invalidDefault,
                    "the default of '\(param.name.value)' is not \(article(param.type)) \(param.type.rawValue): \(problem)",
                    at: value.range,
                    help: example(for: param.type)
                )
            }
        }
    }

    private func problem(with node: YAMLNode, for type: ParamType) -> String? {
        if case .alias = node.content { return nil }
        if type == .list {
            return node.sequence == nil ? "found \(node.kindDescription)" : nil
        }
        guard let text = node.scalar, let style = node.scalarStyle else { return "found a \(node.kindDescription)" }
        if node.isNull { return "it is empty" }
        switch type {
        case .string:
            return nil
        case .int:
            return ScalarReading.integer(text, style: style) == nil ? "'\(text)' is not a whole number" : nil
        case .double:
            return ScalarReading.number(text, style: style) == nil ? "'\(text)' is not a number" : nil
        case .bool:
            return ScalarReading.boolean(text, style: style) == nil ? "'\(text)' is not true or false" : nil
        case .duration:
            return LiteralChecks.durationMilliseconds(text) == nil ? "'\(text)' is not a duration" : nil
        case .timestamp:
            return Self.parseTimestamp(text) == nil ? "'\(text)' is not an RFC 3339 timestamp" : nil
        case .list:
            return nil
        }
    }

    /// RFC 3339 with a time zone, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private func article(_ type: ParamType) -> String {
        [.int].contains(type) ? "an" : "a"
    }

    private func example(for type: ParamType) -> String {
        switch type {
        case .string: "write text, e.g. default: PL"
        case .int: "write a whole number, e.g. default: 80"
        case .double: "write a number, e.g. default: 0.25"
        case .bool: "write true or false"
        case .list: "write a list, e.g. default: [PL, DE]"
        case .duration: "write a duration, e.g. default: 24h"
        case .timestamp: "write an RFC 3339 timestamp, e.g. default: \"2026-01-01T00:00:00Z\""
        }
    }
}
