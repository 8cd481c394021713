import Diagnostics
import Foundation
import PlaybookLanguage
import Testing

/// `docs/diagnostics.md` is generated from the catalogue and the per-code examples, so every code is
/// documented with a failing example, the tool's real output and the fix.
struct DiagnosticsCatalogueDocTests {
    static let docURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/diagnostics.md")

    static func generate() -> String {
        var lines = [
            "# Diagnostics catalogue",
            "",
            "Every problem `playbook validate` reports has a stable code. Codes are never reused: a code that is",
            "retired stays reserved. `PB00xx` are problems with the file itself, `PB01xx` with its YAML, `PB02xx`",
            "with the structure and values of the playbook, `PB03xx` with expressions, `PB04xx` with references",
            "and the step graph, `PB05xx` with triggers, `PB07xx` with connector spec files.",
            "",
            "Each entry shows a failing example, what `playbook validate` prints for it, and the fix. This page is",
            "generated from the same examples the test suite checks, so the output shown is the tool's own.",
            "",
            "| code | severity | title |",
            "|---|---|---|",
        ]
        let catalogue = PlaybookDiagnostics.catalogue
        for descriptor in catalogue.descriptors {
            lines.append("| [\(descriptor.code)](#\(descriptor.code.rawValue.lowercased())) | \(descriptor.severity.rawValue) | \(descriptor.title) |")
        }
        // The first example of a code is its entry's; the others show further mistakes it covers.
        let examples = Dictionary(grouping: DiagnosticExamples.all, by: \.code)
        for descriptor in catalogue.descriptors {
            lines += ["", "## \(descriptor.code)", "", "**\(descriptor.title)** (\(descriptor.severity.rawValue))", "", descriptor.explanation]
            guard let group = examples[descriptor.code] else { continue }
            for (position, example) in group.enumerated() {
                if position > 0 { lines += ["", "**Also: \(example.situation ?? "another example")**"] }
                lines += section(for: example, catalogue: catalogue)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One example: its source, what `playbook validate` prints for its code, and the fix.
    private static func section(for example: DiagnosticExample, catalogue: DiagnosticCatalogue) -> [String] {
        var lines: [String] = []
        let marked = MarkedSource(example.source)
        if example.bytes == nil {
            if example.isConnectorSpec { lines += ["", "In a connector spec file, `acme-crm.yaml`:"] }
            if let earlier = example.earlierFile {
                lines += ["", "In a folder where `\(earlier.path)` comes first:", "", "```yaml",
                          earlier.text.hasSuffix("\n") ? String(earlier.text.dropLast()) : earlier.text, "```",
                          "", "a copy of it, `\(example.file.path)`:"]
            }
            lines += ["", "```yaml", marked.text.hasSuffix("\n") ? String(marked.text.dropLast()) : marked.text, "```"]
        } else {
            lines += ["", "Example: \(example.source)"]
        }
        let file = example.file
        let shown = example.diagnostics.filter { $0.code == example.code }
        let output = TextRenderer().render(DiagnosticReport(files: [FileDiagnostics(file: file, diagnostics: Array(shown.prefix(1)))], catalogue: catalogue))
        // Drop the summary line; keep the diagnostic itself.
        let body = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast(3).joined(separator: "\n")
        lines += ["", "`playbook validate` prints:", "", "```text", body, "```", "", "**Fix:** \(example.fix)"]
        return lines
    }

    @Test func docsPageIsTheGeneratedCatalogue() throws {
        let generated = Self.generate()
        if ProcessInfo.processInfo.environment["PLAYBOOK_RECORD_SNAPSHOTS"] == "1" {
            try generated.write(to: Self.docURL, atomically: true, encoding: .utf8)
        }
        let onDisk = try String(contentsOf: Self.docURL, encoding: .utf8)
        #expect(onDisk == generated, "docs/diagnostics.md is out of date; regenerate with PLAYBOOK_RECORD_SNAPSHOTS=1 swift test --filter DiagnosticsCatalogueDocTests")
    }
}
