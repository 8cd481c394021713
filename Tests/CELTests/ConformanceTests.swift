import CEL
import Diagnostics
import Foundation
import Testing

/// Runs every case of the cel-spec conformance suite kept in `<repo>/../shared/conformance/cel`.
/// Skipped, with a note saying where to put it, when the suite is not there (a plain clone).
@Suite(.enabled(if: SharedConformance.celSuiteIsPresent, SharedConformance.celSuiteIsMissing))
struct ConformanceTests {
    struct Case {
        var id: String
        var file: String
        var expr: String
        var bindings: [String: CELValue]
        var expected: CELValue?  // nil: an error is expected
        var core: Bool
        var disableCheck: Bool
    }

    /// Files of the suite that need no extension (the README's "core" column).
    static let coreFiles: Set<String> = [
        "basic", "comparisons", "conversions", "fields", "fp_math", "integer_math", "lists", "logic", "macros",
        "namespace", "parse", "plumbing", "string", "timestamps", "type_deduction",
    ]

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func loadCases() throws -> [Case] {
        let text = try String(contentsOf: SharedConformance.celCases, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let json = try JSONValue.parse(String(line))
            guard case .string(let id)? = json["id"], case .string(let file)? = json["file"],
                  case .string(let expr)? = json["expr"], case .object(let bindingMembers)? = json["bindings"],
                  case .object(let expect)? = json["expect"], case .array? = json["features"] else {
                throw CELError("malformed case: \(line.prefix(80))")
            }
            var bindings: [String: CELValue] = [:]
            for (name, value) in bindingMembers { bindings[name] = try CELValue(typedJSON: value) }
            let expected = try expect.first { $0.0 == "value" }.map { try CELValue(typedJSON: $0.1) }
            let disableCheck = json["disable_check"] == .bool(true)
            return Case(id: id, file: file, expr: expr, bindings: bindings, expected: expected,
                        core: coreFiles.contains(file), disableCheck: disableCheck)
        }
    }

    static func knownFailures() throws -> Set<String> {
        let url = repositoryRoot.appendingPathComponent("Tests/CELTests/KnownFailures.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return Set(text.split(separator: "\n").compactMap { line in
            let id = line.split(separator: "#", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) ?? ""
            return id.isEmpty ? nil : id
        })
    }

    /// The outcome of one case: nil when it passed, else what happened.
    static func run(_ testCase: Case, inferBindingTypes: Bool = false) -> String? {
        let environment = CELEnvironment(
            variables: testCase.bindings.mapValues { inferBindingTypes ? inferredType($0) : CELType.dyn },
            checksTypes: !testCase.disableCheck)
        let compiled = environment.compile(testCase.expr)
        let actual: CELValue
        if let program = compiled.program {
            actual = program.evaluate(testCase.bindings)
        } else {
            actual = .error(CELError(compiled.diagnostics.map(\.message).joined(separator: "; ")))
        }
        switch (testCase.expected, actual) {
        case (nil, .error): return nil
        case (nil, _): return "expected an error, got \(actual.typedJSON.text)"
        case (let expected?, _):
            return sameValue(expected, actual) ? nil : "expected \(expected.typedJSON.text), got \(actual.typedJSON.text)"
        }
    }

    /// The most precise static type of a value: `[1, 2]` is `list(int)`, `[1, "a"]` is `list(dyn)`.
    static func inferredType(_ value: CELValue) -> CELType {
        func common(_ types: [CELType]) -> CELType {
            guard let first = types.first else { return .dyn }
            return types.allSatisfy { $0 == first } ? first : .dyn
        }
        switch value {
        case .list(let elements): return .list(common(elements.map(inferredType)))
        case .map(let map): return .map(common(map.keys.map(inferredType)), common(map.entries.map { inferredType($0.value) }))
        case .optional(let inner): return .optional(inner.map(inferredType) ?? .dyn)
        case .type: return .type(.dyn)
        default: return value.celType
        }
    }

    /// Strict comparison: same kinds; maps without order; NaN matches NaN.
    static func sameValue(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): return (x.isNaN && y.isNaN) || x == y
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy(sameValue)
        case (.map(let x), .map(let y)):
            return x.count == y.count && x.entries.allSatisfy { entry in
                y.entries.contains { sameValue($0.key, entry.key) && sameValue($0.value, entry.value) }
            }
        case (.optional(let x), .optional(let y)):
            switch (x, y) {
            case (nil, nil): return true
            case (let x?, let y?): return sameValue(x, y)
            default: return false
            }
        case (.int, .int), (.uint, .uint), (.string, .string), (.bytes, .bytes), (.bool, .bool), (.null, .null),
             (.timestamp, .timestamp), (.duration, .duration), (.type, .type):
            return a.isEqual(to: b)
        default: return false
        }
    }

    @Test func conformanceSuitePasses() throws {
        let cases = try Self.loadCases()
        let known = try Self.knownFailures()
        #expect(cases.count == 1622)
        var perFile: [String: (passed: Int, total: Int)] = [:]
        var core = (passed: 0, total: 0)
        var all = (passed: 0, total: 0)
        var unexpected: [String] = []
        var fixed: [String] = []
        for testCase in cases {
            let failure = Self.run(testCase)
            let passed = failure == nil
            perFile[testCase.file, default: (0, 0)].total += 1
            all.total += 1
            if testCase.core { core.total += 1 }
            if passed {
                perFile[testCase.file]!.passed += 1
                all.passed += 1
                if testCase.core { core.passed += 1 }
                if known.contains(testCase.id) { fixed.append(testCase.id) }
            } else if !known.contains(testCase.id) {
                unexpected.append("\(testCase.id): `\(testCase.expr)`: \(failure!)")
            }
        }
        func percent(_ r: (passed: Int, total: Int)) -> String {
            String(format: "%d/%d (%.1f %%)", r.passed, r.total, 100.0 * Double(r.passed) / Double(max(r.total, 1)))
        }
        for file in perFile.keys.sorted() { print("conformance \(file): \(percent(perFile[file]!))") }
        print("conformance core: \(percent(core))")
        print("conformance all: \(percent(all))")
        for failure in unexpected { Issue.record("\(failure)") }
        for id in fixed { print("conformance: \(id) passes; remove it from KnownFailures.txt") }
    }

    /// The same cases with variables declared by their precise types instead of `dyn`, so the
    /// checker sees real types; the checker must accept every case that passes without it.
    @Test func conformanceSuitePassesWithTypedBindings() throws {
        let known = try Self.knownFailures()
        for testCase in try Self.loadCases() where !testCase.bindings.isEmpty && !known.contains(testCase.id) {
            if let failure = Self.run(testCase, inferBindingTypes: true) {
                Issue.record("\(testCase.id): `\(testCase.expr)`: \(failure)")
            }
        }
    }
}
