import Diagnostics
import PlaybookLanguage
import Testing
import YAML

/// One test per diagnostic code: each example yields its code at the marked range.
struct DiagnosticCodeTests {
    @Test(arguments: DiagnosticExamples.all)
    func exampleReportsItsCodeAtTheMarkedRange(_ example: DiagnosticExample) throws {
        let marked = MarkedSource(example.source)
        let file = example.file
        let diagnostics = example.diagnostics
        let matching = diagnostics.filter { $0.code == example.code }
        let all = diagnostics.map { summary($0, in: file) }.joined(separator: "\n")
        #expect(!matching.isEmpty, "no \(example.code) in:\n\(all)")
        if example.bytes == nil, let expected = marked.ranges.first {
            #expect(matching.contains { $0.range == expected }, "\(example.code) not at \(file.location(of: expected.start)):\n\(all)")
        }
        let otherErrors = diagnostics.filter { $0.severity == .error && $0.code != example.code }
        #expect(otherErrors.isEmpty, "the example has other errors:\n\(all)")
        for diagnostic in matching {
            #expect(!diagnostic.message.isEmpty)
            #expect(PlaybookDiagnostics.catalogue[diagnostic.code] != nil, "\(diagnostic.code) is missing from the catalogue")
        }
    }

    @Test func everyCatalogueCodeHasAnExample() {
        let examined = Set(DiagnosticExamples.all.map(\.code))
        let missing = PlaybookDiagnostics.catalogue.descriptors.map(\.code).filter { !examined.contains($0) }
        #expect(missing.isEmpty, "codes without an example: \(missing)")
    }

    @Test func codesAreUniqueAndWellFormed() {
        var seen = Set<DiagnosticCode>()
        for descriptor in PlaybookDiagnostics.catalogue.descriptors {
            #expect(seen.insert(descriptor.code).inserted, "\(descriptor.code) defined twice")
            #expect(descriptor.code.rawValue.count == 6 && descriptor.code.rawValue.hasPrefix("PB"))
            #expect(!descriptor.title.isEmpty && !descriptor.explanation.isEmpty)
        }
    }
}
