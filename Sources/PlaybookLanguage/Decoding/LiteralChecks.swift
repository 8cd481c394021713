import Diagnostics
import YAML

extension LiteralError {
    /// The diagnostic, with the range moved from the literal's text into the file through the scalar's
    /// source map (so quoted and folded scalars are underlined at the right column).
    func diagnostic(_ code: DiagnosticCode, node: YAMLNode, file: SourceFile) -> Diagnostic {
        let map = ScalarSourceMap(node: node, file: file)
        let range = map.sourceRange(forValueRange: self.range)
        let fixIts = replacement.map { [FixIt.replace(range, with: $0, LanguageMessage.replaceFixIt($0))] } ?? []
        return .error(code, message, at: range, help: help, fixIts: fixIts)
    }
}

/// The literal checks the shape checker runs on duration, rate limit, cron and time zone fields.
enum LiteralChecks {
    /// Patterns for the JSON Schema; the parsers are the authority and say more.
    static let durationPattern = "^([0-9]+(ms|s|m|h|d|w))+$"
    static let rateLimitPattern = "^[0-9]+/([0-9]+)?(ms|s|m|h|d|w)$"

    static func duration(_ text: String) -> [LiteralError] {
        DurationLiteral.parse(text).errors
    }

    static func durationMilliseconds(_ text: String) -> Int64? {
        DurationLiteral.parse(text).value?.milliseconds
    }

    static func rateLimit(_ text: String) -> [LiteralError] {
        RateLimit.parse(text).errors
    }

    static func cron(_ text: String) -> [LiteralError] {
        switch CronSchedule.parse(text) {
        case .success(let schedule): schedule.neverFiresProblem.map { [$0] } ?? []
        case .failure(let errors): errors
        }
    }

    static func timeZone(_ text: String) -> [LiteralError] {
        TimeZoneName.parse(text).errors
    }
}
