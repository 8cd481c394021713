import Diagnostics
import Foundation

/// The output formats of `playbook test`.
public enum TestReportFormat: String, CaseIterable, Sendable {
    /// One line per test with the differences, for people; JUnit XML, for CI; JSON, for programs.
    case text, junit, json

    /// The report in this format. `colour` applies to text only.
    public func render(_ report: TestReport, colour: Bool = false) -> String {
        switch self {
        case .text: TestTextRenderer(colour: colour).render(report)
        case .junit: JUnitRenderer().render(report)
        case .json: TestJSONRenderer().render(report)
        }
    }
}

/// The problems of the files that could not run, rendered as `playbook validate` renders them.
public func renderProblems(of report: TestReport, colour: Bool = false) -> String {
    let files = report.files.flatMap(\.diagnostics).filter { !$0.diagnostics.isEmpty }
    guard !files.isEmpty else { return "" }
    return TextRenderer(colour: colour).render(DiagnosticReport(files: files, catalogue: TestDiagnosticCode.allCodes, maxPerFile: 50))
}

/// `path:line:column`, for a place in the test file.
func place(_ range: SourceRange, in file: SourceFile) -> String {
    let location = file.location(of: range.start)
    return "\(file.path):\(location.line):\(location.column)"
}

/// Text for people: each file, one line per test, the differences under a failed test, a total.
struct TestTextRenderer {
    var colour: Bool

    func render(_ report: TestReport) -> String {
        var output = ""
        for file in report.files {
            if file.isInvalid {
                output += paint("\(file.file.path): cannot run the tests, see the errors above", "31") + "\n"
                continue
            }
            output += "\(file.file.path)" + (file.playbook.map { " (\($0))" } ?? "") + "\n"
            for test in file.tests {
                guard !test.passed else {
                    output += "  " + paint("✓", "32") + " \(test.name)\n"
                    continue
                }
                output += "  " + paint("✗", "31") + " \(test.name)\n"
                for failure in test.failures {
                    output += "      \(place(failure.range, in: file.file)): \(failure.message)\n"
                    for line in failure.details { output += "          \(line)\n" }
                }
            }
        }
        let total = report.summary
        output += "\n" + paint(total, report.exitStatus == 0 ? "32" : "31") + "\n"
        return output
    }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// JUnit XML, as CI systems read it: a `testsuite` per file, a `testcase` per test, a `failure`
/// per failed test with the differences; a file that could not run is one `testcase` with an
/// `error` holding its problems.
struct JUnitRenderer {
    func render(_ report: TestReport) -> String {
        let seconds = report.files.reduce(0) { $0 + $1.seconds }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="playbook test" tests="\#(report.testCount + report.invalidCount)" failures="\#(report.failedCount)" errors="\#(report.invalidCount)" time="\#(time(seconds))">"# + "\n"
        for file in report.files {
            let name = escape(file.file.path)
            let className = escape(file.playbook ?? file.file.path)
            if file.isInvalid {
                xml += #"  <testsuite name="\#(name)" tests="1" failures="0" errors="1" time="0">"# + "\n"
                xml += #"    <testcase name="load \#(name)" classname="\#(className)" file="\#(name)" time="0">"# + "\n"
                let problems = TextRenderer().render(DiagnosticReport(files: file.diagnostics, catalogue: TestDiagnosticCode.allCodes, maxPerFile: 50))
                xml += #"      <error message="the test file or its playbook has errors" type="invalid">\#(escape(problems))</error>"# + "\n"
                xml += "    </testcase>\n  </testsuite>\n"
                continue
            }
            xml += #"  <testsuite name="\#(name)" tests="\#(file.tests.count)" failures="\#(file.failedCount)" errors="0" time="\#(time(file.seconds))">"# + "\n"
            for test in file.tests {
                let line = file.file.location(of: test.range.start).line
                let opening = #"    <testcase name="\#(escape(test.name))" classname="\#(className)" file="\#(name)" line="\#(line)" time="\#(time(test.seconds))""#
                guard !test.passed else {
                    xml += opening + "/>\n"
                    continue
                }
                xml += opening + ">\n"
                let message = test.failures.map(\.message).joined(separator: "; ")
                let body = test.failures.map { failure in
                    ([place(failure.range, in: file.file) + ": " + failure.message] + failure.details.map { "    " + $0 }).joined(separator: "\n")
                }.joined(separator: "\n")
                xml += #"      <failure message="\#(escape(message))" type="expectation">\#(escape(body))</failure>"# + "\n"
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private func time(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    /// Text safe in XML attributes and content; characters XML 1.0 cannot hold are dropped.
    private func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\u{1B}": break
            default:
                if scalar.value < 0x20, scalar != "\n", scalar != "\t", scalar != "\r" { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// JSON for programs; described in docs/output-formats.md.
struct TestJSONRenderer {
    func render(_ report: TestReport) -> String {
        let files: [JSONValue] = report.files.map { file in
            var members: [(String, JSONValue)] = [("path", .string(file.file.path))]
            members.append(("playbook", file.playbook.map(JSONValue.string) ?? .null))
            members.append(("status", .string(file.isInvalid ? "invalid" : file.failedCount > 0 ? "failed" : "passed")))
            members.append(("tests", .array(file.tests.map { test in
                let location = file.file.location(of: test.range.start)
                return .object([
                    ("name", .string(test.name)),
                    ("status", .string(test.passed ? "passed" : "failed")),
                    ("line", .int(location.line)),
                    ("seconds", .double((test.seconds * 1000).rounded() / 1000)),
                    ("failures", .array(test.failures.map { failure in
                        let at = file.file.location(of: failure.range.start)
                        return .object([
                            ("message", .string(failure.message)),
                            ("line", .int(at.line)), ("column", .int(at.column)),
                            ("details", .array(failure.details.map(JSONValue.string))),
                        ])
                    })),
                ])
            })))
            members.append(("errors", .array(file.diagnostics.flatMap { problems in
                problems.sorted().diagnostics.filter { $0.severity == .error }.map { diagnostic in
                    let at = problems.file.location(of: diagnostic.range.start)
                    var fields: [(String, JSONValue)] = [
                        ("path", .string(problems.file.path)), ("line", .int(at.line)), ("column", .int(at.column)),
                        ("code", .string(diagnostic.code.rawValue)), ("message", .string(diagnostic.message)),
                    ]
                    if let help = diagnostic.help { fields.append(("help", .string(help))) }
                    return JSONValue.object(fields)
                }
            })))
            return .object(members)
        }
        let root: JSONValue = .object([
            ("tests", .int(report.testCount)), ("passed", .int(report.passedCount)), ("failed", .int(report.failedCount)),
            ("invalid_files", .int(report.invalidCount)), ("files", .array(files)),
        ])
        return root.serialized() + "\n"
    }
}
