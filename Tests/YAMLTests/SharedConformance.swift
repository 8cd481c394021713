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

    /// The YAML test suite: `index.tsv` and `cases/`.
    static var yamlSuite: URL { directory().appendingPathComponent("yaml-test-suite", isDirectory: true) }

    static var yamlSuiteIsPresent: Bool {
        FileManager.default.fileExists(atPath: yamlSuite.appendingPathComponent("index.tsv").path)
    }

    static var yamlSuiteIsMissing: Comment {
        "the YAML test suite is not at \(yamlSuite.path): put it there, or set \(environmentVariable) to the folder holding yaml-test-suite/"
    }
}

struct SharedConformanceTests {
    @Test func suitesAreBesideTheRepositoryUnlessTheEnvironmentNamesAFolder() {
        #expect(SharedConformance.directory(environment: [:]).path
            == SharedConformance.repositoryRoot.deletingLastPathComponent().path + "/shared/conformance")
        #expect(SharedConformance.directory(environment: ["PLAYBOOK_CONFORMANCE_DIR": "/tmp/suites"]).path == "/tmp/suites")
    }
}
