import Diagnostics
import Testing
@testable import PlaybookTesting

/// Test files are checked like playbooks: every problem located, with "did you mean".
struct TestFileDecodingTests {
    private func problems(_ test: String) throws -> [String] {
        let workspace = try Workspace(["scoring.yaml": scoringPlaybook, "scoring.test.yaml": test])
        defer { workspace.remove() }
        return described(try workspace.load("scoring.test.yaml"))
    }

    @Test func unknownKeyIsLocatedWithDidYouMean() throws {
        let found = try problems("""
            playbook: scoring.yaml
            tests:
              - name: one
                fixtures: { contacts: [] }
                expcet: { status: succeeded }
            """)
        #expect(found == ["5:5: PB0201 unknown field 'expcet' in test — did you mean 'expect'?"])
    }

    @Test func unknownStepIdsInFixturesAndExpectationsAreLocated() throws {
        let found = try problems("""
            playbook: scoring.yaml
            tests:
              - name: one
                fixtures: { contact: [] }
                expect:
                  steps:
                    scroed: { count: 1 }
                    hot.warm: { count: 1 }
            """)
        #expect(found == [
            "3:11: PB0606 fetch step 'contacts' has no fixtures in this test — add 'fixtures: { contacts: [ … ] }' to the test or the file ([] for no records)",
            "4:17: PB0601 the playbook has no step 'contact' — did you mean 'contacts'?",
            "7:9: PB0601 the playbook has no step 'scroed' — did you mean 'scored'?",
            "8:9: PB0602 step 'hot' has no segment 'warm' — step 'hot' has no named segments",
        ])
    }

    @Test func wrongTypesAreLocated() throws {
        let found = try problems("""
            playbook: scoring.yaml
            now: yesterday
            params: { min_score: lots, max_score: 3 }
            tests:
              - name: one
                fixtures: { contacts: [ { emial: a@b.c } ] }
                expect: { steps: { hot: { count: many, written: [] } } }
            """)
        // Problems of the file's structure are reported before the playbook is consulted.
        #expect(found == ["7:38: PB0217 expected a whole number, found 'many'"])
        let semantic = try problems("""
            playbook: scoring.yaml
            now: yesterday
            params: { min_score: lots, max_score: 3 }
            tests:
              - name: one
                fixtures: { contacts: [ { emial: a@b.c } ], hot: [] }
                expect: { steps: { hot: { written: [] } } }
            """)
        #expect(semantic == [
            "2:6: PB0613 'yesterday' is not an RFC 3339 time — write a time such as \"2026-03-02T09:00:00Z\"",
            "3:22: PB0604 param 'min_score' is a int, and 'lots' is not a whole number such as 42",
            "3:28: PB0603 the playbook has no param 'max_score' — did you mean 'min_score'?",
            "6:31: PB0608 records of 'contacts' have no field 'emial' — did you mean 'email'?",
            "6:49: PB0607 step 'hot' is a segment step; only fetch steps take fixtures — give records to the fetch steps it reads from: contacts",
            "7:40: PB0612 'written' is for sync steps, and 'hot' is a segment step — use 'records' for the records a step passes on",
        ])
    }

    @Test func aMissingOrInvalidPlaybookIsReportedAtItsPath() throws {
        let workspace = try Workspace(["broken.yaml": "version: 1\nname: broken\nsteps: {}\n", "a.test.yaml": "playbook: nowhere.yaml\ntests: [ { name: x } ]\n",
                                       "b.test.yaml": "playbook: broken.yaml\ntests: [ { name: x } ]\n"])
        defer { workspace.remove() }
        #expect(described(try workspace.load("a.test.yaml")).first?.hasPrefix("1:11: PB0610 cannot read the playbook") == true)
        let broken = try workspace.load("b.test.yaml")
        #expect(broken.suite == nil)
        #expect(described(broken).first?.hasPrefix("1:11: PB0611 the playbook") == true)
        #expect(broken.diagnostics.count == 2, "the playbook's own errors come with it")
    }

    @Test func duplicateTestNamesAreReported() throws {
        let found = try problems("""
            playbook: scoring.yaml
            fixtures: { contacts: [] }
            tests:
              - name: same
              - name: same
            """)
        #expect(found == ["5:11: PB0614 a test named 'same' comes earlier in this file — give each test its own name"])
    }

    @Test func theSchemaIsTheCheckedInFile() throws {
        let checkedIn = try String(contentsOf: repositoryRoot.appendingPathComponent("grammar/playbook-test.schema.json"), encoding: .utf8)
        #expect(TestFileGrammar.schemaText() == checkedIn, "regenerate with: playbook schema --test > grammar/playbook-test.schema.json")
    }
}
