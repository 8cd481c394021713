import CEL
import Diagnostics
import Testing

/// `matches` is RE2: linear in the text whatever the pattern, RE2's syntax, and the constructs RE2
/// leaves out refused when the expression is compiled.
@Suite struct RegexTests {
    /// Patterns that take a backtracking engine exponential time, a text on which each fails and one on
    /// which it matches.
    static let pathological = [
        ("(a+)+$", String(repeating: "a", count: 5000) + "!", String(repeating: "a", count: 5000)),
        ("(a+)+$", String(repeating: "a", count: 30) + "!", "!" + String(repeating: "a", count: 30)),
        ("(x+x+)+y", String(repeating: "x", count: 40), String(repeating: "x", count: 40) + "y"),
        ("^(a|a)*$", String(repeating: "a", count: 5000) + "b", String(repeating: "a", count: 5000)),
        ("(.*a){20}", String(repeating: "a", count: 19) + String(repeating: "b", count: 5000), String(repeating: "ab", count: 20)),
    ]

    @Test(arguments: pathological)
    func pathologicalConstantPatternsFinishWithTheRightAnswer(pattern: String, failing: String, matching: String) {
        let program = CELEnvironment(variables: ["s": .string]).compile("s.matches(r'\(pattern)')").program
        #expect(program?.evaluate(["s": .string(failing)]).typed == #"{"bool":false}"#)
        #expect(program?.evaluate(["s": .string(matching)]).typed == #"{"bool":true}"#)
    }

    @Test(arguments: pathological)
    func pathologicalPatternsReadAtRunTimeFinishWithTheRightAnswer(pattern: String, failing: String, matching: String) {
        let program = CELEnvironment(variables: ["s": .string, "p": .string]).compile("s.matches(p)").program
        #expect(program?.evaluate(["s": .string(failing), "p": .string(pattern)]).typed == #"{"bool":false}"#)
        #expect(program?.evaluate(["s": .string(matching), "p": .string(pattern)]).typed == #"{"bool":true}"#)
    }

    @Test(arguments: [
        // Found anywhere unless anchored, as RE2::PartialMatch.
        ("hubba", "ubb", true),
        ("hubba", "^ubb", false),
        ("hubba", "^hubba$", true),
        ("anything", "", true),
        ("one\ntwo", "^two$", false),
        ("one\ntwo", "(?m)^two$", true),
        ("abc", #"\Aabc\z"#, true),
        ("cat dog", #"\bdog\b"#, true),
        ("catdog", #"\bdog\b"#, false),
        // Flags: case-insensitive, ungreedy, dot matches newline.
        ("ann@Example.COM", #"(?i)@example\.com$"#, true),
        ("ann@Example.COM", #"@example\.com$"#, false),
        ("<a><b>", "(?U)^<.+>$", true),
        ("a\nb", "^a.b$", false),
        ("a\nb", "(?s)^a.b$", true),
        // Classes: Perl, POSIX, ranges, negation, Unicode.
        ("x_9", #"^\w+$"#, true),
        ("a b", #"\s"#, true),
        ("[x]", "^[[:punct:]]x[[:punct:]]$", true),
        ("abc", "[^a-c]", false),
        ("Zażółć", #"^\pL+$"#, true),
        ("Zażółć1", #"^\pL+$"#, false),
        ("αβγ", #"^\p{Greek}+$"#, true),
        ("Ünïcödé", #"^\p{Lu}\p{Ll}+$"#, true),
        // Repetition and groups, including RE2's named groups.
        ("banana", "^b(an){2}a$", true),
        ("2024-05-01", #"^(?P<year>\d{4})-\d{2}-\d{2}$"#, true),
        // Unicode text: `.` is one code point, whatever its UTF-8 length.
        ("mañana", "^ma.ana$", true),
        ("🐱😀😀", "^.{3}$", true),
        ("🐱😀😀", "(a|😀){2}", true),
        // `\d` is ASCII only, as in RE2; `\pN` and `\p{Nd}` take every script's digits.
        ("42", #"^\d+$"#, true),
        ("٤٢", #"\d"#, false),
        ("٤٢", #"^\p{Nd}+$"#, true),
        ("४२", #"^\pN+$"#, true),
    ])
    func re2SyntaxMatches(text: String, pattern: String, expected: Bool) {
        let program = CELEnvironment(variables: ["s": .string]).compile("s.matches(r'\(pattern)')").program
        #expect(program?.evaluate(["s": .string(text)]).typed == #"{"bool":\#(expected)}"#)
        // The same pattern read at run time gives the same answer.
        #expect(evaluate("s.matches(p)", ["s": .string(text), "p": .string(pattern)]).typed == #"{"bool":\#(expected)}"#)
    }

    @Test(arguments: [
        ("s.matches(⟦r'(?=@)'⟧)", "invalid perl operator: (?=", "RE2 has no lookahead"),
        ("s.matches(⟦r'^(?!admin@)'⟧)", "invalid perl operator: (?!", "RE2 has no lookahead"),
        ("s.matches(⟦r'(?<=@)example'⟧)", "invalid perl operator: (?<", "RE2 has no lookbehind"),
        ("s.matches(⟦r'(?<!no)reply'⟧)", "invalid perl operator: (?<", "RE2 has no lookbehind"),
        (#"s.matches(⟦r'(a)\1'⟧)"#, #"invalid escape sequence: \1"#, "RE2 has no backreferences"),
        (#"s.matches(⟦r'com\Z'⟧)"#, #"invalid escape sequence: \Z"#, "RE2 has no \\Z"),
        ("s.matches(⟦r'(?>a+)b'⟧)", "invalid perl operator: (?>", "RE2 has no atomic groups"),
        ("s.matches(⟦r'a++'⟧)", "bad repetition operator: ++", "RE2 has no possessive repetition"),
        ("s.matches(⟦r'(?<name>a)'⟧)", "invalid perl operator: (?<", "(?P<name>…)"),
        ("s.matches(⟦r'a{1001}'⟧)", "invalid repetition size: {1001}", "at most 1000"),
        (#"s.matches(⟦r'\pL{1000}'⟧)"#, "pattern too large - compile failed", "2 MiB"),
        ("s.matches(⟦'('⟧)", "missing ): (", nil),
        ("matches(s, ⟦'[a-'⟧)", "missing ]: [a-", nil),
    ] as [(String, String, String?)])
    func refusedPatternsAreCompileErrorsAtTheLiteral(markedSource: String, reason: String, help: String?) {
        let (source, range) = marked(markedSource)
        let result = CELEnvironment(variables: ["s": .string]).compile(source)
        #expect(result.program == nil)
        #expect(result.diagnostics.count == 1)
        let diagnostic = result.diagnostics.first
        #expect(diagnostic?.code == CELDiagnosticCode.invalidRegularExpression)
        #expect(diagnostic?.range == range)
        #expect(diagnostic?.message == "invalid regular expression: \(reason)")
        if let help {
            #expect(diagnostic?.help?.contains(help) == true, "\(diagnostic?.help ?? "no help")")
        } else {
            #expect(diagnostic?.help == nil)
        }
    }

    @Test(arguments: [
        ("(?=@)", "invalid regular expression '(?=@)': invalid perl operator: (?="),
        (#"(a)\1"#, #"invalid regular expression '(a)\1': invalid escape sequence: \1"#),
        ("(", "invalid regular expression '(': missing ): ("),
    ])
    func refusedPatternsReadAtRunTimeAreErrorValues(pattern: String, message: String) {
        let result = evaluate("s.matches(p)", ["s": .string("x@example.com"), "p": .string(pattern)])
        guard case .error(let error) = result else {
            Issue.record("expected an error value, got \(result.typed)")
            return
        }
        #expect(error.message == message)
        // An error is a value: `||` with a true side absorbs it.
        #expect(evaluate("true || s.matches(p)", ["s": .string("x"), "p": .string(pattern)]).typed == #"{"bool":true}"#)
    }

    @Test func refusedConstantPatternsAreErrorValuesWhenNotTypeChecked() {
        guard case .error(let error) = evaluate("'x'.matches('(?=x)')", checked: false) else {
            Issue.record("expected an error value")
            return
        }
        #expect(error.message == "invalid regular expression '(?=x)': invalid perl operator: (?=")
    }

    @Test func aConstantPatternIsSharedByConcurrentEvaluations() async {
        let program = CELEnvironment(variables: ["s": .string]).compile(#"s.matches(r'(?i)^[\pL.]+@example\.(com|org)$')"#).program!
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for n in 0..<64 {
                let text = n.isMultiple(of: 2) ? "Łucja.\(String(repeating: "a", count: n))@EXAMPLE.org" : "ann\(n)@example.com"
                group.addTask { (n, program.evaluate(["s": .string(text)]).typed) }
            }
            var collected: [(Int, String)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == 64)
        for (n, typed) in results {
            #expect(typed == #"{"bool":\#(n.isMultiple(of: 2))}"#)
        }
    }

    @Test func manyDistinctPatternsReadAtRunTimeAllMatch() {
        let program = CELEnvironment(variables: ["s": .string, "p": .string]).compile("s.matches(p)").program!
        for n in 1...300 {
            let pattern = "^x{\(n)}$"
            #expect(program.evaluate(["s": .string(String(repeating: "x", count: n)), "p": .string(pattern)]).typed == #"{"bool":true}"#)
            #expect(program.evaluate(["s": .string(String(repeating: "x", count: n + 1)), "p": .string(pattern)]).typed == #"{"bool":false}"#)
        }
    }
}
