import Foundation
import Testing

/// Where the shared conformance suites are kept: `<repository>/../shared/conformance` (CI puts them
/// there), or the folder named by `PLAYBOOK_CONFORMANCE_DIR`. A plain clone has neither, and the tests
/// that read the suites are then skipped with a note saying where to put them.
enum SharedConformance {
    static let environmentVariable = "PLAYBOOK_CONFORMANCE_DIR"

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding `cel/` and `yaml-test-suite/`.
    static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let override = environment[environmentVariable], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance", isDirectory: true)
    }

    /// The cel-spec suite, one case per line.
    static var celCases: URL { directory().appendingPathComponent("cel/cases.jsonl") }

    static var celSuiteIsPresent: Bool { FileManager.default.fileExists(atPath: celCases.path) }

    static var celSuiteIsMissing: Comment {
        "the cel-spec conformance suite is not at \(celCases.path): put it there, or set \(environmentVariable) to the folder holding cel/cases.jsonl"
    }
}

struct SharedConformanceTests {
    @Test func suitesAreBesideTheRepositoryUnlessTheEnvironmentNamesAFolder() {
        #expect(SharedConformance.directory(environment: [:]).path
            == SharedConformance.repositoryRoot.deletingLastPathComponent().path + "/shared/conformance")
        #expect(SharedConformance.directory(environment: ["PLAYBOOK_CONFORMANCE_DIR": "/tmp/suites"]).path == "/tmp/suites")
        #expect(SharedConformance.directory(environment: ["PLAYBOOK_CONFORMANCE_DIR": ""]) == SharedConformance.directory(environment: [:]))
    }
}
