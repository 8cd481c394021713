import Diagnostics

/// A problem found in a literal (cron text, time zone, duration, rate limit), as a plain value.
///
/// The range is relative to the literal's own text (its first byte is offset 0), so the decoder can
/// move it into the YAML file with `offset(by:)` once it knows where the scalar's text starts.
public struct LiteralError: Hashable, Sendable, CustomStringConvertible {
    /// UTF-8 byte range inside the literal's text.
    public var range: SourceRange
    /// What is wrong, in one sentence without a trailing period.
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var help: String?
    /// Text that should replace `range` to fix the problem, when the fix is certain enough to offer.
    public var replacement: String?

    public init(_ message: String, at range: SourceRange, help: String? = nil, replacement: String? = nil) {
        self.message = message
        self.range = range
        self.help = help
        self.replacement = replacement
    }

    /// The same error with its range moved by `offset` bytes, e.g. to the scalar's start in the file.
    public func offset(by offset: Int) -> LiteralError {
        var copy = self
        copy.range = SourceRange(start: range.start + offset, end: range.end + offset)
        return copy
    }

    /// A diagnostic for this error, positioned in the file by `offset`; a replacement becomes a fix-it.
    public func diagnostic(_ code: DiagnosticCode, offsetBy offset: Int = 0) -> Diagnostic {
        let moved = self.offset(by: offset)
        let fixIts = moved.replacement.map { [FixIt.replace(moved.range, with: $0, LanguageMessage.replaceFixIt($0))] } ?? []
        return .error(code, moved.message, at: moved.range, help: moved.help, fixIts: fixIts)
    }

    public var description: String {
        "\(range.start)..<\(range.end): \(message)" + (help.map { " (help: \($0))" } ?? "")
    }
}

/// The outcome of parsing a literal: the value, or every problem found in it.
public enum LiteralParseResult<Value: Sendable>: Sendable {
    /// The literal was valid.
    case success(Value)
    /// Every problem found; never empty.
    case failure([LiteralError])

    /// The parsed value, or nil when there were errors.
    public var value: Value? {
        if case .success(let value) = self { value } else { nil }
    }

    /// The problems found; empty on success.
    public var errors: [LiteralError] {
        if case .failure(let errors) = self { errors } else { [] }
    }
}

extension LiteralParseResult: Equatable where Value: Equatable {}
