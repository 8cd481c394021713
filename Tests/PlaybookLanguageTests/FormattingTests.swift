import Diagnostics
import Foundation
import PlaybookLanguage
import Testing
@testable import YAML

/// `playbook fmt` on the project's own playbooks: the shipped examples, the full playbooks of the
/// docs and the diagnostics catalogue's examples. Each must format to a fixed point that loads to
/// the same values, keeps every comment and validates as the original does.
@Suite struct FormattingTests {
    static let root = ExamplePlaybookTests.root

    /// Every fenced YAML block of the docs that is a whole playbook (it has `version:` and `steps:`
    /// at the top level).
    static let documentationPlaybooks: [String] = {
        let docs = root.appendingPathComponent("docs")
        let pages = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        var examples: [String] = []
        for page in pages {
            guard let text = try? String(contentsOf: docs.appendingPathComponent(page), encoding: .utf8) else { continue }
            var block: [Substring]?
            var count = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if block == nil, line.hasPrefix("```yaml") {
                    block = []
                } else if let lines = block, line.hasPrefix("```") {
                    let body = lines.joined(separator: "\n") + "\n"
                    if lines.contains(where: { $0.hasPrefix("version:") }), lines.contains(where: { $0.hasPrefix("steps:") }) {
                        count += 1
                        examples.append("\(page) #\(count)\n" + body)
                    }
                    block = nil
                } else if block != nil {
                    block!.append(line)
                }
            }
        }
        return examples
    }()

    /// What is wrong with formatting `file`, in words; empty when nothing is.
    static func problems(formatting file: SourceFile) -> [String] {
        let formatted: [UInt8]
        switch YAMLFormatter().format(file) {
        case .success(let bytes): formatted = bytes
        case .failure(let failure): return ["not formatted: \(failure)"]
        }
        var problems: [String] = []
        let output = SourceFile(path: file.path, bytes: formatted)
        if case .success(let again) = YAMLFormatter().format(output), again != formatted {
            problems.append("formatting twice changes the file again")
        }
        let before = YAMLLoader().load(file)
        let after = YAMLLoader().load(output)
        if let beforeRoot = before.root, let afterRoot = after.root {
            if let offset = YAMLFormatter.firstDifference(beforeRoot, afterRoot) {
                problems.append("a value differs from line \(file.location(of: offset).line) on")
            }
        } else if (before.root == nil) != (after.root == nil) {
            problems.append("the formatted file does not load as the original does")
        }
        let comments = SourceGaps.scan(file, skipping: YAMLFormatter.scalarText(of: before.documents, in: file)).filter(\.isComment).map(\.kind)
        let kept = SourceGaps.scan(output, skipping: YAMLFormatter.scalarText(of: after.documents, in: output)).filter(\.isComment)
        if comments.map(commentText) != kept.map(\.kind).map(commentText) { problems.append("comments differ") }
        if validation(file) != validation(output) {
            problems.append("validate differs: \(validation(file)) became \(validation(output))")
        }
        return problems
    }

    private static func commentText(_ kind: SourceGap.Kind) -> String {
        if case .comment(let text, _, _) = kind { return text }
        return ""
    }

    /// The codes, severities and messages `validate` reports, without positions.
    static func validation(_ file: SourceFile) -> [String] {
        PlaybookValidator().validate(file).diagnostics.map { "\($0.severity) \($0.code.rawValue) \($0.message)" }.sorted()
    }

    @Test(arguments: ExamplePlaybookTests.playbookFiles.map(\.lastPathComponent))
    func shippedPlaybooksAreAlreadyInCanonicalLayout(_ name: String) throws {
        let url = Self.root.appendingPathComponent("playbooks").appendingPathComponent(name)
        let file = SourceFile(path: name, bytes: Array(try Data(contentsOf: url)))
        #expect(Self.problems(formatting: file).isEmpty, "\(name): \(Self.problems(formatting: file))")
        if case .success(let formatted) = YAMLFormatter().format(file) {
            #expect(formatted == file.bytes, "\(name) is not in canonical layout: run playbook fmt playbooks/")
        }
    }

    @Test func theBeforeAndAfterOfTheFormattingPageAgree() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/formatting.md"), encoding: .utf8)
        let blocks = page.components(separatedBy: "```yaml\n").dropFirst().map { String($0.prefix(while: { $0 != "`" })) }
        try #require(blocks.count >= 2)
        guard case .success(let formatted) = YAMLFormatter().format(SourceFile(path: "before.yaml", text: blocks[0])) else {
            Issue.record("the before example does not format")
            return
        }
        #expect(String(decoding: formatted, as: UTF8.self) == blocks[1])
        #expect(blocks[0] != blocks[1])
    }

    @Test func theDocsHaveFullPlaybooks() {
        #expect(Self.documentationPlaybooks.count >= 10)
    }

    @Test(arguments: documentationPlaybooks)
    func documentationPlaybookFormatsFaithfully(_ example: String) {
        let title = String(example.prefix(while: { $0 != "\n" }))
        let file = SourceFile(path: "example.yaml", text: String(example.drop(while: { $0 != "\n" }).dropFirst()))
        #expect(Self.problems(formattingOrRefusing: file).isEmpty, "\(title): \(Self.problems(formattingOrRefusing: file))")
    }

    @Test(arguments: DiagnosticExamples.all.filter { !$0.isConnectorSpec })
    func catalogueExampleFormatsFaithfullyOrIsRefused(_ example: DiagnosticExample) {
        #expect(Self.problems(formattingOrRefusing: example.file).isEmpty, "\(example.code): \(Self.problems(formattingOrRefusing: example.file))")
    }

    /// A file with YAML errors must be refused with the loader's diagnostics; any other must format faithfully.
    static func problems(formattingOrRefusing file: SourceFile) -> [String] {
        let loaded = YAMLLoader().load(file)
        guard loaded.stoppedEarly || loaded.diagnostics.contains(where: { $0.severity == .error }) else { return problems(formatting: file) }
        guard case .failure(.invalid(let diagnostics)) = YAMLFormatter().format(file) else { return ["a file with YAML errors was formatted"] }
        return diagnostics.map(\.code) == loaded.diagnostics.map(\.code) ? [] : ["refused with other diagnostics than the loader's"]
    }
}
