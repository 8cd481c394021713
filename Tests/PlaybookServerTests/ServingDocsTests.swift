import Diagnostics
import Foundation
import PlaybookLanguage
import Testing

/// The complete playbooks shown in the serving pages are valid as written.
@Suite struct ServingDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func playbooks(in page: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent(page), encoding: .utf8)
        return text.components(separatedBy: "```yaml\n").dropFirst().compactMap { block in
            let body = block.components(separatedBy: "```").first ?? ""
            return body.hasPrefix("version: 1") ? body : nil
        }
    }

    @Test(arguments: ["docs/serving.md"])
    func everyPlaybookOnThePageIsValid(page: String) throws {
        let found = try Self.playbooks(in: page)
        #expect(!found.isEmpty)
        for text in found {
            let result = PlaybookValidator().validate(SourceFile(path: page, bytes: Array(text.utf8)))
            let problems = result.allFileDiagnostics.flatMap(\.diagnostics).filter { $0.severity == .error }
            #expect(problems.isEmpty, "\(problems.map(\.message)) in\n\(text)")
            #expect(result.plan != nil)
        }
    }
}
