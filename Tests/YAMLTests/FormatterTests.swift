import Diagnostics
import Foundation
import Testing
@testable import YAML

/// `YAMLFormatter`: the canonical layout, comments kept, values unchanged, bad input refused.
@Suite struct FormatterTests {
    private func format(_ text: String) throws -> String {
        switch YAMLFormatter().format(SourceFile(path: "playbook.yaml", text: text)) {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .failure(let failure): throw failure
        }
    }

    private func failure(_ bytes: [UInt8]) -> YAMLFormatter.Failure? {
        if case .failure(let failure) = YAMLFormatter().format(SourceFile(path: "playbook.yaml", bytes: bytes)) { return failure }
        return nil
    }

    /// Formatting the result again changes nothing, and the result loads to the same tree.
    private func expectStable(_ input: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let output = try format(input)
        #expect(try format(output) == output, "not idempotent:\n\(output)", sourceLocation: sourceLocation)
        let before = YAMLLoader().load(SourceFile(path: "a.yaml", text: input))
        let after = YAMLLoader().load(SourceFile(path: "b.yaml", text: output))
        if let beforeRoot = before.root, let afterRoot = after.root {
            #expect(YAMLFormatter.firstDifference(beforeRoot, afterRoot) == nil, sourceLocation: sourceLocation)
        } else if (before.root == nil) != (after.root == nil) {
            Issue.record("only one of the two loads has a document", sourceLocation: sourceLocation)
        }
        return output
    }

    @Test func indentationBecomesTwoSpacesAndListsSitUnderTheirKey() throws {
        let output = try expectStable("""
            steps:
                contacts:
                    fetch:
                        connection: crm
            triggers:
            - schedule: "0 9 * * MON"
              timezone: Europe/Warsaw
            - manual: true

            """)
        #expect(output == """
            steps:
              contacts:
                fetch:
                  connection: crm
            triggers:
              - schedule: "0 9 * * MON"
                timezone: Europe/Warsaw
              - manual: true

            """)
    }

    @Test func keysKeepTheirOrder() throws {
        let output = try expectStable("zeta: 1\nalpha: 2\nmid: 3\n")
        #expect(output == "zeta: 1\nalpha: 2\nmid: 3\n")
    }

    @Test(arguments: [
        // Quoted stays quoted, plain stays plain; only the kind of quotes changes.
        ("a: 'text'\n", "a: \"text\"\n"),
        ("a: \"50\"\n", "a: \"50\"\n"),
        ("a: yes\n", "a: yes\n"),
        ("a: '\"Google Ads\"'\n", "a: '\"Google Ads\"'\n"),
        ("a: \"say \\\"hi\\\"\"\n", "a: 'say \"hi\"'\n"),
        ("a: \"^\\\\d+$\"\n", "a: '^\\d+$'\n"),
        ("a: \"it's \\\"x\\\"\"\n", "a: 'it''s \"x\"'\n"),
        ("a: \"tab\\there\"\n", "a: \"tab\\there\"\n"),
        ("a: 'two\n\n  lines'\n", "a: \"two\\nlines\"\n"),
        ("a: ''\n", "a: \"\"\n"),
        ("a:\n", "a:\n"),
        ("a: ~\n", "a: ~\n"),
    ])
    func quoting(_ input: String, _ expected: String) throws {
        #expect(try expectStable(input) == expected)
    }

    @Test func shortFlowCollectionsStayOnOneLineAndLongOnesBecomeBlocks() throws {
        let output = try expectStable("""
            auth: {token: {secret: HUBSPOT_TOKEN}}
            select: [ channel,spend ]
            empty: { }
            none: [ ]
            spread: [one,
              two,   # the second
              three]

            """)
        #expect(output == """
            auth: { token: { secret: HUBSPOT_TOKEN } }
            select: [channel, spend]
            empty: {}
            none: []
            spread:
              - one
              - two   # the second
              - three

            """)
    }

    @Test func blockScalarsKeepTheirLinesUnderTheirKey() throws {
        let output = try expectStable("""
            steps:
                  report:
                        message: |
                              Total: {{ record.total }}

                                indented line
                              last line
                        description: >-
                              Folded text
                              over two lines.
                        keep: |+
                              kept

                        after: 1

            """)
        #expect(output == """
            steps:
              report:
                message: |
                  Total: {{ record.total }}

                    indented line
                  last line
                description: >-
                  Folded text
                  over two lines.
                keep: |+
                  kept

                after: 1

            """)
    }

    @Test func aBlockScalarStartingWithSpacesGetsAnIndentationIndicator() throws {
        let output = try expectStable("a: |4\n        indented\n      less\n")
        #expect(output == "a: |2\n      indented\n    less\n")
    }

    @Test func commentsKeepTheirPlaceAndTakeTheNextEntrysIndentation() throws {
        let output = try expectStable("""
            # Header comment
            #   with an indented line

            version: 1     # trailing, spacing kept
            steps:
                # about contacts
                contacts:
                    fetch:
                        connection: crm
                        # the last line of fetch
                # about scored
                scored:
                      transform: { from: contacts }
              # at the left of the next entry's level
            alerts: []
            message: >- # after a header
              text
            # at the very end

            """)
        #expect(output == """
            # Header comment
            #   with an indented line

            version: 1     # trailing, spacing kept
            steps:
              # about contacts
              contacts:
                fetch:
                  connection: crm
                  # the last line of fetch
              # about scored
              scored:
                transform: { from: contacts }
            # at the left of the next entry's level
            alerts: []
            message: >- # after a header
              text
            # at the very end

            """)
    }

    @Test func blankLinesBetweenEntriesBecomeOneAndNoneAtTheEnds() throws {
        let output = try expectStable("\n\nversion: 1\n\n\n\nname: x\nsteps:\n  a: 1\n\n\n  b: 2\n\n\n")
        #expect(output == "version: 1\n\nname: x\nsteps:\n  a: 1\n\n  b: 2\n")
    }

    @Test func mappingsInListsStartOnTheLineOfTheirDash() throws {
        let output = try expectStable("""
            alerts:
            -
                name: failed
                # why
                when: run.status == "failed"
            - - nested
              - list

            """)
        #expect(output == """
            alerts:
              - name: failed
                # why
                when: run.status == "failed"
              - - nested
                - list

            """)
    }

    @Test func trailingBlanksAndCarriageReturnsGoAndTheFileEndsWithOneLineBreak() throws {
        #expect(try expectStable("a: 1   \r\nb: text \t\r\n# c  \r\n") == "a: 1\nb: text\n# c\n")
        #expect(try expectStable("a: 1") == "a: 1\n")
        #expect(try expectStable("") == "")
        #expect(try expectStable("# only a comment") == "# only a comment\n")
    }

    @Test func plainTextOverSeveralLinesKeepsItsLineBreaks() throws {
        #expect(try expectStable("note: first\n  second\n\n  third\n\n\n  fourth\n") == "note: first second\n\n  third\n\n\n  fourth\n")
    }

    @Test func documentMarkersAndTagsAreKept() throws {
        #expect(try expectStable("---\n# c\nversion: !!str 1\n") == "---\n# c\nversion: !!str 1\n")
    }

    @Test func everyCommentOfAMessyFileIsKept() throws {
        let input = """
            # one
            a:   # two
              # three
              b: [x, y]  # four
              c: |  # five
                # not a comment: text
              # six
            # seven
            d:
              - 1 # eight
              # nine
              -   # ten
                e: 2
            # eleven

            """
        let output = try expectStable(input)
        for number in ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"] {
            #expect(output.contains("# \(number)"), "lost # \(number):\n\(output)")
        }
        #expect(output.contains("    # not a comment: text\n"))
    }

    @Test(arguments: [
        ("a:\n\tb: 1\n", "tab"),
        ("a: &anchor 1\nb: *anchor\n", "anchor"),
        ("a: [1, 2\n", "expected ',' or ']'"),
        ("a: 1\na: 2\n", "duplicate key"),
    ])
    func invalidYAMLIsRefusedWithLocatedDiagnostics(_ input: String, _ wording: String) {
        guard case .invalid(let diagnostics)? = failure(Array(input.utf8)) else {
            Issue.record("formatted invalid input")
            return
        }
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.contains { $0.severity == .error && $0.message.lowercased().contains(wording) }, "\(diagnostics.map(\.message))")
    }

    @Test func nonUTF8BytesAreRefusedAtTheirOffset() {
        let bytes = Array("name: caf".utf8) + [0xE9] + Array("\n".utf8)
        guard case .invalid(let diagnostics)? = failure(bytes) else {
            Issue.record("formatted a Latin-1 file")
            return
        }
        #expect(diagnostics.first?.code == YAMLDiagnosticCode.invalidUTF8)
        #expect(diagnostics.first?.range.start == 9)
    }
}

/// The formatter over every case of the YAML test suite: each is formatted to a fixed point or left
/// alone with a reason (invalid, or a layout this formatter cannot write faithfully), never mangled.
@Suite(.enabled(if: SharedConformance.yamlSuiteIsPresent, SharedConformance.yamlSuiteIsMissing))
struct FormatterTestSuiteTests {
    @Test func everyCaseIsFormattedToAFixedPointOrLeftAlone() throws {
        var formatted = 0
        var declined: [String] = []
        for testCase in try YAMLTestSuiteTests.cases() {
            let data = try Data(contentsOf: YAMLTestSuiteTests.suiteDirectory.appendingPathComponent("cases/\(testCase.id).yaml"))
            let file = SourceFile(path: "\(testCase.id).yaml", bytes: Array(data))
            switch YAMLFormatter().format(file) {
            case .success(let output):
                formatted += 1
                guard case .success(let again) = YAMLFormatter().format(SourceFile(path: "again.yaml", bytes: output)) else {
                    Issue.record("\(testCase.id): the formatted file is refused")
                    continue
                }
                #expect(again == output, "\(testCase.id): formatting twice differs")
            case .failure(.invalid(let diagnostics)):
                #expect(!diagnostics.isEmpty, "\(testCase.id): refused without a diagnostic")
            case .failure(.unchanged):
                declined.append(testCase.id)
            }
        }
        // Most of the suite is valid YAML that playbooks allow; of that, only corner cases (whitespace-only
        // lines kept by `|+`, tags on collections spread over lines) are declined.
        #expect(formatted > 150)
        #expect(declined.count <= 12, "declined: \(declined)")
    }
}
