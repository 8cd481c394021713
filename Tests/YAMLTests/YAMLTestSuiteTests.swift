import Diagnostics
import Foundation
import Testing
import YAML

/// Runs the loader over every case of the YAML test suite in `../shared/conformance/yaml-test-suite`.
/// Skipped, with a note saying where to put it, when the suite is not there (a plain clone).
@Suite(.enabled(if: SharedConformance.yamlSuiteIsPresent, SharedConformance.yamlSuiteIsMissing))
struct YAMLTestSuiteTests {
    struct Case: Sendable {
        let id: String
        let shouldFail: Bool
        let name: String
    }

    static var suiteDirectory: URL { SharedConformance.yamlSuite }

    /// Valid inputs that libyaml 0.2.5 reads into events other than the suite's (its known limits).
    static let knownEventMismatches: Set<String> = ["652Z", "HM87-01", "JEF9-02", "L24T-01", "Y2GN"]

    static func cases() throws -> [Case] {
        let index = try String(contentsOf: suiteDirectory.appendingPathComponent("index.tsv"), encoding: .utf8)
        return index.split(separator: "\n").dropFirst().map { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            return Case(id: String(columns[0]), shouldFail: columns[1] == "1", name: String(columns[2]))
        }
    }

    static func load(_ id: String, options: YAMLLoader.Options) throws -> (SourceFile, YAMLLoader.Result) {
        let data = try Data(contentsOf: suiteDirectory.appendingPathComponent("cases/\(id).yaml"))
        let file = SourceFile(path: "\(id).yaml", bytes: Array(data))
        return (file, YAMLLoader(options: options).load(file))
    }

    @Test func everyCaseIsReadOrRejectedWithALocation() throws {
        let cases = try Self.cases()
        #expect(cases.count == 402)
        var validAccepted = 0, validRejected = 0, invalidRejected = 0, invalidAccepted = 0
        var eventMatches = 0
        var mismatches: [String] = []
        for testCase in cases {
            let (file, result) = try Self.load(testCase.id, options: .permissive)
            for diagnostic in result.diagnostics {
                #expect(diagnostic.range.start >= 0 && diagnostic.range.end <= file.bytes.count, "\(testCase.id)")
                #expect(diagnostic.severity == .error)
                #expect(!diagnostic.message.isEmpty)
            }
            let rejected = !result.diagnostics.isEmpty
            if testCase.shouldFail {
                if rejected { invalidRejected += 1 } else { invalidAccepted += 1 }
                continue
            }
            if rejected {
                validRejected += 1
                continue
            }
            validAccepted += 1
            let expected = try String(
                contentsOf: Self.suiteDirectory.appendingPathComponent("cases/\(testCase.id).event"), encoding: .utf8)
            let actual = EventNotation.render(result.documents)
            if actual == expected {
                eventMatches += 1
            } else {
                mismatches.append(testCase.id)
            }
        }
        print("""
            yaml-test-suite: \(cases.count) cases
              valid inputs:   \(validAccepted) read, \(validRejected) rejected by libyaml with a located diagnostic
              invalid inputs: \(invalidRejected) rejected with a located diagnostic, \(invalidAccepted) accepted by libyaml
              event streams:  \(eventMatches) of \(validAccepted) read inputs match; differ: \(mismatches.sorted().joined(separator: " "))
            """)
        #expect(Set(mismatches).isSubset(of: Self.knownEventMismatches), "unexpected event mismatches: \(mismatches)")
        #expect(validAccepted >= 257)
        #expect(invalidRejected >= 78)
    }

    /// The strict options playbooks are read with must also never crash and always locate a problem.
    @Test func strictLoaderLocatesEveryProblem() throws {
        var rejected = 0
        for testCase in try Self.cases() {
            let (file, result) = try Self.load(testCase.id, options: YAMLLoader.Options())
            for diagnostic in result.diagnostics {
                #expect(diagnostic.range.start >= 0 && diagnostic.range.end <= file.bytes.count, "\(testCase.id)")
                let location = file.location(of: diagnostic.range.start)
                #expect(location.line >= 1 && location.line <= file.lineCount)
            }
            if !result.diagnostics.isEmpty { rejected += 1 }
        }
        print("yaml-test-suite with playbook rules: \(rejected) of 402 inputs rejected with a located diagnostic")
        #expect(rejected > 94)
    }
}
