@testable import CEL
import Testing

struct SourceScanTests {
    @Test func doubleBracesAreFoundOnlyInCode() {
        #expect(CELSource.firstTemplateBrace(in: #"record.note.contains("{{")"#) == nil)
        #expect(CELSource.firstTemplateBrace(in: "{{ record.score }}") == 0)
        #expect(CELSource.firstTemplateBrace(in: #""}}" + {{x}}"#) == 7)
        // Braces apart are a map literal inside a map literal, not a template.
        #expect(CELSource.firstTemplateBrace(in: "{ {1: 2}: 3 }") == nil)
        #expect(CELSource.firstTemplateBrace(in: #"r'{{' + b"{{" + '''{{'''"#) == nil)
    }

    @Test func interpolationsEndAtTheFirstBracesOutsideAString() {
        let environment = CELEnvironment(variables: ["record": .map(.string, .dyn)])
        let checked = CELTemplate.checkInterpolations(#"Hi {{ record.name }}, see {{ "}}" }}!"#, in: environment)
        let pieces = checked.template?.pieces.map { piece -> String in
            switch piece {
            case .text(let text): "text " + text
            case .interpolation(let expression, _): "code " + expression.source
            }
        }
        #expect(pieces == ["text Hi ", "code  record.name ", "text , see ", #"code  "}}" "#, "text !"])
        #expect(checked.references.map(\.path) == [["name"]])
    }

    @Test func anUnclosedInterpolationIsReportedAndLeavesReadsUnknown() {
        let checked = CELTemplate.checkInterpolations("Hi {{ record.name", in: CELEnvironment(variables: ["record": .dyn]))
        #expect(checked.template == nil)
        #expect(!checked.parsed)
        #expect(checked.diagnostics.map(\.code.rawValue) == ["PB0320"])
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
