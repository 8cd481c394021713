import Diagnostics
import Foundation
import PlaybookLanguage
import Testing

/// The example playbooks and the language reference, checked against the language itself.
@Suite struct ExamplePlaybookTests {
    /// The repository root: this file is `Tests/PlaybookLanguageTests/ExamplePlaybookTests.swift`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let playbookFiles: [URL] = {
        let directory = root.appendingPathComponent("playbooks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { directory.appendingPathComponent($0) }
    }()

    @Test func theExamplesAreThere() {
        let names = Set(Self.playbookFiles.map(\.lastPathComponent))
        let expected: Set = [
            "form-to-mailing-list.yaml", "welcome-email.yaml", "tier-segmentation.yaml", "hot-lead-alerts.yaml",
            "ad-leads-to-crm.yaml", "lead-scoring.yaml", "weekly-campaign-report.yaml", "budget-rebalancing.yaml",
        ]
        #expect(expected.isSubset(of: names), "missing: \(expected.subtracting(names).sorted())")
    }

    @Test(arguments: playbookFiles.map(\.lastPathComponent))
    func exampleValidatesWithoutAnyDiagnostic(_ name: String) throws {
        let url = Self.root.appendingPathComponent("playbooks").appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        let result = PlaybookValidator().validate(SourceFile(path: "playbooks/" + name, bytes: Array(data)))
        let described = result.diagnostics.map { diagnostic in
            let location = result.file.location(of: diagnostic.range.start)
            return "\(location.line):\(location.column): \(diagnostic.code.rawValue) \(diagnostic.message)"
        }
        #expect(described.isEmpty, "\(name):\n\(described.joined(separator: "\n"))")
        #expect(result.plan != nil, "\(name) did not compile to a plan")
        // The file name and the playbook's `name:` agree, so a playbook is easy to find from a run.
        #expect(result.playbook?.name.value == String(name.split(separator: ".")[0]))
    }

    /// Every field name of the grammar, found by walking the shapes from the top of the file.
    static func grammarFieldNames() -> Set<String> {
        var names = Set<String>()
        var visited = Set<ObjectIdentifier>()

        func walk(_ shape: Shape) {
            switch shape {
            case .object(let object): walkObject(object)
            case .list(let element, _): walk(element)
            case .oneOrMany(let element): walk(element)
            case .dictionary(_, let value): walk(value)
            case .alternatives(let shapes): shapes.forEach(walk)
            case .text, .integer, .number, .boolean, .choice, .duration, .rateLimit, .cron, .timeZone,
                 .expression, .template, .secretReference, .scalarValue, .anything:
                break
            }
        }

        func walkObject(_ object: ObjectShape) {
            guard visited.insert(ObjectIdentifier(object)).inserted else { return }
            for field in object.fields {
                names.insert(field.name)
                walk(field.shape)
            }
        }

        walkObject(Grammar.playbook)
        return names
    }

    @Test func theWalkReachesNestedMappings() {
        let names = Self.grammarFieldNames()
        // One field from each depth: top level, trigger, webhook, step, transform, join, aggregate, function.
        for name in ["version", "timezone", "signing_secret", "fetch", "dedupe", "left_on", "group_by", "avg", "max_elapsed"] {
            #expect(names.contains(name), "the grammar walk did not reach '\(name)'")
        }
        #expect(names.count > 80)
    }

    @Test func everyGrammarFieldIsDocumented() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let missing = Self.grammarFieldNames().filter { !text.contains("`\($0)`") }.sorted()
        #expect(missing.isEmpty, "docs/language.md does not mention these fields in backticks: \(missing.joined(separator: ", "))")
    }
}
