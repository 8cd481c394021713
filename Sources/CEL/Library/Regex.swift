import Foundation
import Synchronization

/// A compiled regular expression. `matches` patterns that are constants are compiled once at plan
/// time; others go through a small shared cache so a per-record pattern is compiled once per text.
final class CompiledRegex: Sendable {
    // NSRegularExpression is immutable after creation and thread-safe.
    let expression: NSRegularExpression

    init(_ expression: NSRegularExpression) { self.expression = expression }

    /// Compiles an RE2-style pattern, or returns the error value for a bad one.
    static func compile(_ pattern: String) -> Result<CompiledRegex, CELError> {
        if let cached = cache.withLock({ $0[pattern] }) { return .success(cached) }
        do {
            // RE2 spells named groups `(?P<name>…)`; ICU only knows `(?<name>…)`.
            let translated = pattern.isEmpty ? "(?:)" : pattern.replacingOccurrences(of: "(?P<", with: "(?<")
            let regex = CompiledRegex(try NSRegularExpression(pattern: translated, options: []))
            cache.withLock { entries in
                if entries.count >= 256 { entries.removeAll(keepingCapacity: true) }
                entries[pattern] = regex
            }
            return .success(regex)
        } catch {
            return .failure(CELError("invalid regular expression '\(pattern)'"))
        }
    }

    private static let cache = Mutex<[String: CompiledRegex]>([:])

    /// Whether the pattern matches anywhere in `text` (RE2 `PartialMatch`, as cel-spec specifies).
    func matches(_ text: String) -> Bool {
        // An empty pattern matches everything; NSRegularExpression refuses to compile it.
        if expression.pattern == "(?:)" { return true }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}

enum Matching {
    static func matches(_ text: CELValue, _ pattern: CELValue) -> CELValue {
        guard case .string(let s) = text, case .string(let p) = pattern else {
            return CELValue.noOverload("matches", text, pattern)
        }
        switch CompiledRegex.compile(p) {
        case .success(let regex): return .bool(regex.matches(s))
        case .failure(let error): return .error(error)
        }
    }
}

/// `matches` with a constant pattern, compiled when the program is planned.
final class PrecompiledMatchNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let text: Interpretable
    let regex: CompiledRegex
    init(id: CELExprID, _ text: Interpretable, _ regex: CompiledRegex) {
        self.id = id
        self.text = text
        self.regex = regex
    }
    func eval(_ frame: EvalFrame) -> CELValue { evaluate(frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: EvalFrame) -> CELValue {
        switch text.eval(frame) {
        case .string(let s): return .bool(regex.matches(s))
        case .error(let e): return .error(e)
        case let other: return CELValue.noOverload("matches", other, .string(regex.expression.pattern))
        }
    }
}
