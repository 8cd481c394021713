import Diagnostics
import YAML

/// A problem found in a literal (duration, rate limit, cron text, time zone), located within its text.
struct LiteralProblem: Sendable {
    /// Byte range relative to the literal's text.
    var range: SourceRange
    var message: String
    var help: String?

    /// The diagnostic, with the range moved from the literal's text into the file.
    func diagnostic(_ code: DiagnosticCode, node: YAMLNode, file: SourceFile) -> Diagnostic {
        let map = ScalarSourceMap(node: node, file: file)
        return .error(code, message, at: map.sourceRange(forValueRange: range), help: help)
    }
}

/// Adapters from the literal parsers to located problems.
enum LiteralChecks {
    static let durationPattern = "^([0-9]+(ms|s|m|h|d))+$"
    static let rateLimitPattern = "^[0-9]+/[0-9]*(ms|s|m|h|d)$"
    static func duration(_ text: String) -> LiteralProblem? { nil }
    static func durationMilliseconds(_ text: String) -> Int64? { nil }
    static func rateLimit(_ text: String) -> LiteralProblem? { nil }
    static func cron(_ text: String) -> [LiteralProblem] { [] }
    static func timeZone(_ text: String) -> LiteralProblem? { nil }
}
