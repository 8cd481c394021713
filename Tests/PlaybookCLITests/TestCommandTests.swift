import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `playbook test` through the built binary: exit statuses, formats, and the example tests.
struct TestCommandTests {
    static let playbook = """
        version: 1
        name: tiny
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts }
          hot:
            segment: { from: contacts, where: record.page_views > 10 }
          save:
            sync: { from: hot, connection: crm, resource: contacts, mode: update, match_on: id, fields: { id: record.id } }
        """

    static func tests(expecting ids: String) -> String {
        """
        playbook: ../tiny.yaml
        tests:
          - name: only busy contacts are saved
            fixtures:
              contacts: [ { id: "1", page_views: 20 }, { id: "2", page_views: 2 } ]
            expect:
              steps:
                save: { written: [ \(ids) ] }
          - name: nothing fetched, nothing saved
            fixtures: { contacts: [] }
            expect: { steps: { save: { written: [] } } }
        """
    }

    private func workspace(_ tests: String) async throws -> URL {
        try CLI.temporaryDirectory(files: ["tiny.yaml": Self.playbook, "tests/tiny.test.yaml": tests])
    }

    @Test func passingTestsExitZeroWithOneLinePerTest() async throws {
        let directory = try await workspace(Self.tests(expecting: #"{ id: "1" }"#))
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["test", "tests"], in: directory)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout == """
            tests/tiny.test.yaml (tiny)
              ✓ only busy contacts are saved
              ✓ nothing fetched, nothing saved

            2 tests in 1 file: 2 passed, 0 failed

            """)
    }

    @Test func aFailingTestExitsOneWithTheDiff() async throws {
        let directory = try await workspace(Self.tests(expecting: #"{ id: "2" }"#))
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["test", "tests/tiny.test.yaml"], in: directory)
        #expect(output.status == 1)
        #expect(output.stdout.contains("""
              ✗ only busy contacts are saved
                  tests/tiny.test.yaml:8:28: steps.save.written: the records differ
                      record 1:
                        id: expected "2", got "1"
            """), "\(output.stdout)")
        #expect(output.stdout.contains("2 tests in 1 file: 1 passed, 1 failed"))
    }

    @Test func anInvalidTestFileExitsTwoWithLocatedErrors() async throws {
        let directory = try await workspace(Self.tests(expecting: #"{ id: "1" }"#).replacingOccurrences(of: "save: {", with: "saev: {"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["test", "tests"], in: directory)
        #expect(output.status == 2)
        #expect(output.stdout.contains("tests/tiny.test.yaml:8:9: error[PB0601]: the playbook has no step 'saev'"), "\(output.stdout)")
        #expect(output.stdout.contains("= help: did you mean 'save'?"))
    }

    @Test func junitOutputIsWellFormedWithASuitePerFileAndACasePerTest() async throws {
        let directory = try await workspace(Self.tests(expecting: #"{ id: "2" }"#))
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["test", "--format", "junit", "tests"], in: directory)
        #expect(output.status == 1)
        let collector = JUnitCollector()
        let parser = XMLParser(data: Data(output.stdout.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")\n\(output.stdout)")
        #expect(collector.elements.first?.name == "testsuites")
        #expect(collector.elements.first?.attributes["tests"] == "2")
        #expect(collector.elements.first?.attributes["failures"] == "1")
        let suites = collector.elements.filter { $0.name == "testsuite" }
        #expect(suites.map { $0.attributes["name"] } == ["tests/tiny.test.yaml"])
        let cases = collector.elements.filter { $0.name == "testcase" }
        #expect(cases.map { $0.attributes["name"] } == ["only busy contacts are saved", "nothing fetched, nothing saved"])
        #expect(cases.first?.attributes["classname"] == "tiny")
        let failures = collector.elements.filter { $0.name == "failure" }
        #expect(failures.count == 1)
        #expect(failures.first?.attributes["message"] == "steps.save.written: the records differ")
        #expect(collector.text.contains("id: expected \"2\", got \"1\""))
    }

    @Test func jsonOutputCountsTestsAndLocatesFailures() async throws {
        let directory = try await workspace(Self.tests(expecting: #"{ id: "2" }"#))
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["test", "--format", "json", "tests"], in: directory)
        #expect(output.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(json["tests"] as? Int == 2)
        #expect(json["failed"] as? Int == 1)
        let file = try #require((json["files"] as? [[String: Any]])?.first)
        #expect(file["status"] as? String == "failed")
        let failure = try #require(((file["tests"] as? [[String: Any]])?.first?["failures"] as? [[String: Any]])?.first)
        #expect(failure["line"] as? Int == 8)
        #expect(failure["details"] as? [String] == ["record 1:", "  id: expected \"2\", got \"1\""])
    }

    @Test func validateLeavesTestFilesOutOfFolders() async throws {
        let directory = try await workspace(Self.tests(expecting: #"{ id: "1" }"#))
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await CLI.run(["validate", "."], in: directory)
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.contains("in 1 file"))
    }

    @Test func theExamplePlaybooksPassTheirTests() async throws {
        let output = try await CLI.run(["test", "playbooks/tests/"])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        // One test file per example playbook.
        let playbooks = try FileManager.default.contentsOfDirectory(atPath: CLI.repositoryRoot.appendingPathComponent("playbooks").path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(output.stdout.contains("in \(playbooks.count) files: "))
    }

    @Test func schemaOfTestFilesMatchesTheCheckedInFile() async throws {
        let output = try await CLI.run(["schema", "--test"])
        #expect(output.status == 0)
        let checkedIn = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("grammar/playbook-test.schema.json"), encoding: .utf8)
        #expect(output.stdout == checkedIn)
    }
}

/// Every element of an XML document in order, with its attributes, and all its text.
final class JUnitCollector: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    var elements: [Element] = []
    var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
