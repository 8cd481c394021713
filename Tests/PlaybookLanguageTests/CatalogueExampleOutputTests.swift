import Diagnostics
import Testing

/// One mistake, one message: each catalogue example prints its own diagnostic, once, and nothing else,
/// so that `docs/diagnostics.md` shows what a marketer would see for that mistake alone.
struct CatalogueExampleOutputTests {
    @Test(arguments: DiagnosticExamples.all)
    func eachExamplePrintsOnlyItsOwnDiagnostic(_ example: DiagnosticExample) {
        let file = example.file
        let printed = example.diagnostics.map { summary($0, in: file) }
        #expect(printed.count == 1 && example.diagnostics.first?.code == example.code,
                "\(example.code) \(example.situation ?? ""): \(printed)")
    }
}
