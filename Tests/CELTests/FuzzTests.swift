import CEL
import Diagnostics
import Foundation
import Testing

/// Random and mutated expressions must never crash the compiler or the evaluator, `typeCheck` must
/// answer as `compile` does, and every failure must be a diagnostic whose range lies inside the input.
///
/// Runs 20,000 inputs by default; set `CEL_FUZZ_COUNT=1000000` for a long local run and
/// `CEL_FUZZ_SEED` to reproduce a particular run.
@Suite struct FuzzTests {
    /// SplitMix64: small, fast, and the same sequence on every platform for a given seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    static let seeds = [
        "record.score >= 80 && record.country in ['PL', 'DE']",
        "record.email.lowerAscii().endsWith('@example.com')",
        "record.tags.exists(t, t == 'vip')",
        "size(events.filter(e, e.type == 'open')) * 5 + int(visits)",
        "has(record.utm) && record.utm.source.startsWith('goog')",
        "timestamp('2024-01-01T00:00:00Z') + duration('1h30m') > now",
        "{'a': [1, 2u, 3.5, b'x', null], ?'b': optional.none()}.a[?1].orValue(0)",
        "r'raw\\n' + '''triple ''' + \"\\u00e9\\x41\\101\" + 'x'.repeat(2)",
        "[1, 2, 3].map(i, v, v * i).all(x, x >= 0) ? -9223372036854775808 : 0x7fu",
        "cel.bind(x, 'abc', x.substring(1).charAt(0).upperAscii())",
        "math.greatest([1, 2.0, 3u]) + math.bitShiftLeft(1, 3) / 0",
        "'%s %d %.2f %x'.format(['a', 1, 2.5, b'z']).split(' ', 2).join('|')",
        "{'x': {'y': 1}}.?x.?y.optMap(v, v + 1).value()",
        "[1, 2].transformMap(i, v, i > 0, v).size() + [3].existsOne(x, x == 3) ? 1 : 2",
        "Msg{field: 1}.if",
    ]

    static let alphabet = Array("()[]{}.,:?!&|=<>+-*/%'\"`\\ \n0123456789abcxyzu_eE$@#\u{00E9}\u{1F600}").map(String.init)
        + ["&&", "||", "==", "in", "has(", ".exists(", ".map(", "'''", "r'", "b'", "\\u", "\\x", "0x", "1e", "null", "dyn("]

    static func generate(_ r: inout Random, depth: Int) -> String {
        if depth <= 0 || r.chance(25) {
            return r.pick(["1", "-2", "3u", "0.5", "1e3", "'s'", "b'\\x00'", "true", "null", "x", "y", "lst", "m", "[]", "{}", "now"])
        }
        let a = generate(&r, depth: depth - 1)
        let b = generate(&r, depth: depth - 1)
        switch r.below(14) {
        case 0: return "(\(a) \(r.pick(["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "in"])) \(b))"
        case 1: return "\(r.pick(["!", "-"]))\(a)"
        case 2: return "\(a) ? \(b) : \(generate(&r, depth: depth - 1))"
        case 3: return "[\(a), \(b)]"
        case 4: return "{\(a): \(b)}"
        case 5: return "\(a)[\(b)]"
        case 6: return "\(a).\(r.pick(["f", "a", "size()", "?f", "`k-1`"]))"
        case 7: return "\(r.pick(["size", "int", "uint", "double", "string", "bytes", "bool", "type", "dyn", "timestamp", "duration", "math.abs", "optional.of", "base64.encode"]))(\(a))"
        case 8: return "\(a).\(r.pick(["contains", "startsWith", "endsWith", "matches", "indexOf", "split", "join", "orValue", "format", "charAt"]))(\(b))"
        case 9: return "\(a).\(r.pick(["all", "exists", "exists_one", "map", "filter"]))(v, \(b))"
        case 10: return "\(a).\(r.pick(["all", "exists", "existsOne", "transformList", "transformMap"]))(i, v, \(b))"
        case 11: return "cel.bind(v, \(a), \(b))"
        case 12: return "has(\(a).f)"
        default: return "math.\(r.pick(["greatest", "least", "bitAnd", "bitShiftLeft"]))(\(a), \(b))"
        }
    }

    static func mutate(_ text: String, _ r: inout Random) -> String {
        var pieces = text.map(String.init)
        for _ in 0...r.below(4) {
            let at = pieces.isEmpty ? 0 : r.below(pieces.count + 1)
            switch r.below(4) {
            case 0: pieces.insert(r.pick(alphabet), at: at)
            case 1: if at < pieces.count { pieces.remove(at: at) }
            case 2: if at < pieces.count { pieces[at] = r.pick(alphabet) }
            default:
                if !pieces.isEmpty {
                    let start = r.below(pieces.count)
                    let end = min(pieces.count, start + r.below(12))
                    pieces.insert(contentsOf: pieces[start..<end], at: at)
                }
            }
        }
        return pieces.joined()
    }

    static let variables: [String: CELValue] = [
        "x": .int(3), "y": .string("héllo"), "lst": .list([.int(1), .string("a"), .double(2.5)]),
        "m": .map(CELMap(["f": .int(1), "a": .list([])])), "now": .timestamp(CELTimestamp(nanos: 1_700_000_000_000_000_000)),
        "record": .map(CELMap(["score": .int(90), "email": .string("A@example.com"), "tags": .list([.string("vip")])])),
        "events": .list([]), "visits": .int(2),
    ]

    /// Checks one input; returns a problem description, or nil when all is well.
    static func exercise(_ source: String, environment: CELEnvironment, compiled: inout Int) -> String? {
        let length = source.utf8.count
        let result = environment.compile(source)
        for diagnostic in result.diagnostics {
            let range = diagnostic.range
            if range.start < 0 || range.end > length || range.start > range.end {
                return "diagnostic \(diagnostic.code) '\(diagnostic.message)' has range \(range.start)..<\(range.end) outside 0..<\(length)"
            }
        }
        if result.program == nil, !result.hasErrors { return "no program and no error" }
        let typed = environment.typeCheck(source)
        if typed.diagnostics != result.diagnostics || typed.resultType != result.resultType {
            return "typeCheck gives \(typed.resultType.map(String.init(describing:)) ?? "no type") and \(typed.diagnostics.count) diagnostics, compile \(result.resultType.map(String.init(describing:)) ?? "no type") and \(result.diagnostics.count)"
        }
        if let program = result.program {
            compiled += 1
            _ = program.evaluate(CELActivation(variables), options: CELEvaluationOptions(costLimit: 20_000))
        }
        return nil
    }

    /// Templates around generated expressions, mutated so braces and quotes end up anywhere.
    static func exerciseTemplate(_ text: String, environment: CELEnvironment) -> String? {
        let length = text.utf8.count
        let result = CELTemplate.compile(text, in: environment)
        for diagnostic in result.diagnostics where diagnostic.range.start < 0 || diagnostic.range.end > length {
            return "template diagnostic \(diagnostic.code) has range \(diagnostic.range.start)..<\(diagnostic.range.end) outside 0..<\(length)"
        }
        if result.template == nil, !result.diagnostics.contains(where: { $0.severity == .error }) { return "no template and no error" }
        _ = result.template?.render(CELActivation(variables), options: CELEvaluationOptions(costLimit: 20_000))
        return nil
    }

    @Test func randomAndMutatedExpressionsNeverCrash() {
        let count = ProcessInfo.processInfo.environment["CEL_FUZZ_COUNT"].flatMap(Int.init) ?? 20_000
        let seed = ProcessInfo.processInfo.environment["CEL_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_240_601
        var random = Random(state: seed)
        let declared = Self.variables.mapValues { _ in CELType.dyn }
        let checked = CELEnvironment(variables: declared)
        let unchecked = checked.unchecked
        var failures = 0
        var compiled = 0
        for index in 0..<count {
            let source: String
            switch random.below(3) {
            case 0: source = Self.generate(&random, depth: 1 + random.below(6))
            case 1: source = Self.mutate(random.pick(Self.seeds), &random)
            default: source = Self.mutate(Self.generate(&random, depth: 4), &random)
            }
            let environment = random.chance(50) ? checked : unchecked
            if random.chance(10) {
                let template = Self.mutate("Hi {{ \(source) }}, {{ x }}!", &random)
                if let problem = Self.exerciseTemplate(template, environment: environment) {
                    failures += 1
                    if failures <= 20 { Issue.record("template \(index) `\(template)`: \(problem)") }
                }
                continue
            }
            if let problem = Self.exercise(source, environment: environment, compiled: &compiled) {
                failures += 1
                if failures <= 20 { Issue.record("input \(index) `\(source)`: \(problem)") }
            }
        }
        print("fuzz: \(count) inputs (seed \(seed)), \(compiled) compiled to programs, \(failures) problems")
        #expect(compiled > count / 10, "the generator should produce a fair share of valid programs")
    }
}
