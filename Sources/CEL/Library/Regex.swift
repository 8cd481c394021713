import CRE2Shim
import Synchronization

/// A pattern compiled by RE2, which matches in time linear in the text whatever the pattern (it never
/// backtracks). `matches` patterns that are constants are compiled once, when checked and planned;
/// patterns read at run time go through a small shared cache, since compiling one takes about 20 µs
/// and a cached lookup a few hundred nanoseconds.
// @unchecked: an RE2 object is immutable once compiled and RE2 documents matching as thread-safe; the
// pointer is owned by this object alone and freed in deinit.
final class CompiledRegex: @unchecked Sendable {
    /// The pattern as written.
    let pattern: String
    private let regex: OpaquePointer

    /// The memory one pattern may use for its compiled program and match caches (RE2's `max_mem`).
    /// Ordinary patterns need a few kilobytes; `\pL{100}` needs over 1 MiB; larger ones are refused.
    static let memoryLimit: Int64 = 2 << 20

    private init(pattern: String, regex: OpaquePointer) {
        self.pattern = pattern
        self.regex = regex
    }

    deinit { re2shim_free(regex) }

    /// Compiles a pattern in RE2 syntax, or says why RE2 refuses it.
    static func compile(_ pattern: String) -> Result<CompiledRegex, RegexError> {
        if let cached = cache.withLock({ $0[pattern] }) { return .success(cached) }
        let compiled = withBytes(of: pattern) { re2shim_compile($0, $1, memoryLimit) }
        guard let compiled else {
            return .failure(RegexError(pattern: pattern, reason: "out of memory", argument: "", code: RE2SHIM_ERROR_INTERNAL))
        }
        let code = re2shim_error_code_of(compiled)
        guard code == RE2SHIM_NO_ERROR else {
            let error = RegexError(pattern: pattern, reason: String(cString: re2shim_error(compiled)),
                                   argument: String(cString: re2shim_error_argument(compiled)), code: code)
            re2shim_free(compiled)
            return .failure(error)
        }
        let regex = CompiledRegex(pattern: pattern, regex: compiled)
        cache.withLock { entries in
            if entries.count >= cacheSize { entries.removeAll(keepingCapacity: true) }
            entries[pattern] = regex
        }
        return .success(regex)
    }

    /// At most this many patterns are kept; the cache is emptied when full (patterns in use stay alive
    /// through their nodes and are freed with the last of them).
    private static let cacheSize = 64
    private static let cache = Mutex<[String: CompiledRegex]>([:])

    /// Whether the pattern matches anywhere in `text` (RE2 `PartialMatch`, as cel-spec specifies).
    func matches(_ text: String) -> Bool {
        Self.withBytes(of: text) { re2shim_partial_match(regex, $0, $1) }
    }

    /// Calls `body` with the UTF-8 bytes of `text`, without copying a native string.
    private static func withBytes<R>(of text: String, _ body: (UnsafePointer<CChar>?, Int) -> R) -> R {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress, $0.count) }
        }
    }
}

/// Why RE2 refuses a pattern: its own reason, and advice for the constructs it leaves out on purpose
/// (each of them needs backtracking, which can take exponential time).
struct RegexError: Error, Sendable {
    let pattern: String
    /// RE2's reason, e.g. "invalid perl operator: (?=".
    let reason: String
    /// The part of the pattern RE2 complains about, e.g. "(?=".
    let argument: String
    let code: re2shim_error_code

    /// For a diagnostic placed at the pattern itself.
    var message: String { "invalid regular expression: \(reason)" }

    /// For an error value, which has no place to point at.
    var celError: CELError { CELError("invalid regular expression '\(pattern)': \(reason)") }

    var help: String? {
        switch argument {
        case "(?=", "(?!":
            return "RE2 has no lookahead (it keeps matching linear in the text); combine matches() calls instead, e.g. s.matches('@') && !s.matches('@gmail')"
        case "(?<" where pattern.contains("(?<=") || pattern.contains("(?<!"):
            return "RE2 has no lookbehind (it keeps matching linear in the text); match what comes before as well, or combine matches() calls"
        case "(?<":
            return "RE2 names a group (?P<name>…)"
        case "(?>":
            return "RE2 has no atomic groups and needs none, as it never backtracks; write (?:…)"
        case "\\Z":
            return "RE2 has no \\Z; $ matches at the end of the text (without (?m)), as does \\z"
        case let backslash where backslash.count == 2 && backslash.hasPrefix("\\") && backslash.last!.isNumber:
            return "RE2 has no backreferences (it keeps matching linear in the text); compare the parts in CEL instead"
        case let repetition where code == RE2SHIM_ERROR_REPEAT_OP && repetition.hasSuffix("+"):
            return "RE2 has no possessive repetition and needs none, as it never backtracks; drop the '+'"
        default:
            break
        }
        switch code {
        case RE2SHIM_ERROR_REPEAT_SIZE: return "RE2 repeats at most 1000 times: {n,m} with n and m up to 1000"
        case RE2SHIM_ERROR_PATTERN_TOO_LARGE: return "a pattern may use at most \(CompiledRegex.memoryLimit >> 20) MiB once compiled; use smaller repetition counts or narrower classes"
        default: return nil
        }
    }
}

enum Matching {
    static func matches(_ text: CELValue, _ pattern: CELValue) -> CELValue {
        guard case .string(let s) = text, case .string(let p) = pattern else {
            return CELValue.noOverload("matches", text, pattern)
        }
        switch CompiledRegex.compile(p) {
        case .success(let regex): return .bool(regex.matches(s))
        case .failure(let error): return .error(error.celError)
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
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        switch text.eval(&frame) {
        case .string(let s): return .bool(regex.matches(s))
        case .error(let e): return .error(e)
        case let other: return CELValue.noOverload("matches", other, .string(regex.pattern))
        }
    }
}
