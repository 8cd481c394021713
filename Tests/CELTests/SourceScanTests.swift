@testable import CEL
import Testing

struct SourceScanTests {
    private func code(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var pieces: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            CELSourceScan.forEachCodeRange(buffer, in: 0..<buffer.count) { pieces.append(String(decoding: bytes[$0], as: UTF8.self)) }
        }
        return pieces
    }

    @Test func stringLiteralsAreLeftOut() {
        #expect(code(#"a + "b{{" + c"#) == ["a + ", " + c"])
        #expect(code(#"x.contains('{{') && y"#) == ["x.contains(", ") && y"])
        #expect(code(#""only a string""#) == [])
        #expect(code("no strings at all") == ["no strings at all"])
    }

    @Test func escapesTripleQuotesAndRawStringsEndWhereCELEndsThem() {
        // An escaped quote does not close the literal.
        #expect(code(#""a\"b" + c"#) == [" + c"])
        // In a raw string the backslash is text, so the next quote closes it; the prefix belongs to the literal.
        #expect(code(#"r"a\" + c"#) == [" + c"])
        #expect(code(#"x + rb'\' + y"#) == ["x + ", " + y"])
        // Triple quotes hold single quotes.
        #expect(code(#"'''it's''' + z"#) == [" + z"])
        // A name ending in r is not a raw prefix: `bar"\""` is a name and an escaped string.
        #expect(code(#"bar"\"" + q"#) == ["bar", " + q"])
        // An unterminated literal runs to the end.
        #expect(code(#"a + "open"#) == ["a + "])
    }

    @Test func doubleBracesAreFoundOnlyInCode() {
        #expect(CELSource.firstTemplateBrace(in: #"record.note.contains("{{")"#) == nil)
        #expect(CELSource.firstTemplateBrace(in: "{{ record.score }}") == 0)
        #expect(CELSource.firstTemplateBrace(in: #""}}" + {{x}}"#) == 7)
        // Braces apart are a map literal inside a map literal, not a template.
        #expect(CELSource.firstTemplateBrace(in: "{ {1: 2}: 3 }") == nil)
        #expect(CELSource.firstTemplateBrace(in: #"r'{{' + b"{{" + '''{{'''"#) == nil)
    }

    @Test func interpolationsAreTheExpressionsBetweenBraces() {
        let text = #"Hi {{ record.name }}, see {{ "}}" }} and {{ open"#
        let bytes = Array(text.utf8)
        var found: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            CELSourceScan.forEachInterpolation(buffer) { found.append(String(decoding: bytes[$0], as: UTF8.self)) }
        }
        #expect(found == [" record.name ", #" "}}" "#])
    }
}

struct ReservedWordTests {
    @Test func everyReservedWordAndInAreReserved() {
        for word in reservedWords.union(["in"]) { #expect(isReservedWord(word), "\(word)") }
    }

    @Test(arguments: ["record", "params", "email", "a", "i", "ix", "lets", "returns", "iff", "namespaces", "Return", "size",
                     "ab", "it", "lit", "vat", "elsa", "brake", "rename", "imports", "pack", "contains", "functor", "namespacE"])
    func otherNamesAreNot(name: String) {
        #expect(!isReservedWord(name))
    }

    @Test func aReservedWordCannotNameAVariable() {
        let result = CELEnvironment(variables: ["record": .dyn]).check("record.score > 1 && return")
        #expect(result.diagnostics.map(\.code) == [CELDiagnosticCode.reservedWord])
    }
}
