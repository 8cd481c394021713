import ArgumentParser
import Diagnostics
import Foundation
import PlaybookServer
import PlaybookTesting

extension TestReportFormat: ExpressibleByArgument {}

/// `playbook test PATH…`: runs playbook test files offline, with fixtures in place of connectors.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run playbook tests: runs with fixture records instead of platforms, checked against expectations.",
        discussion: """
            Reads each test file (directories are searched for *.test.yaml and *.test.yml), runs every \
            test with the real executor and fixtures (no network, no credentials) and compares what \
            the run did with what the test expects. See docs/testing.md. Exit status: 0 when every \
            test passed, 1 when a test failed, 2 when a test file or its playbook has errors, a file \
            cannot be read or the command line is wrong.
            """
    )

    @Argument(help: "Test files or directories.")
    var paths: [String]

    @Option(help: "Output format: text, junit or json.")
    var format: TestReportFormat = .text

    @Flag(inversion: .prefixedNo, help: "Colour the text output (default: when writing to a terminal).")
    var color: Bool?

    func run() async throws {
        let files = try filesOrExit(in: paths, kind: "test files (*.test.yaml, *.test.yml)", collect: FileCollection.testFiles)
        var results: [TestFileResult] = []
        for path in files {
            guard let bytes = FileCollection.contents(of: path) else {
                printError("error: cannot read \(path)")
                throw ExitCode(2)
            }
            let file = SourceFile(path: path, bytes: bytes)
            let loaded = TestFileLoader.load(file)
            if let suite = loaded.suite {
                results.append(await TestRunner().run(suite))
            } else {
                results.append(TestFileResult(file: file, playbook: nil, tests: [], diagnostics: loaded.diagnostics))
            }
        }
        let report = TestReport(files: results)
        let useColour = color ?? (isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        let problems = renderProblems(of: report, colour: format == .text ? useColour : isatty(STDERR_FILENO) == 1)
        if format == .text {
            FileHandle.standardOutput.write(Data((problems + format.render(report, colour: useColour)).utf8))
        } else {
            // Problems go to stderr for people; the report holds them too.
            if !problems.isEmpty { FileHandle.standardError.write(Data(problems.utf8)) }
            FileHandle.standardOutput.write(Data(format.render(report).utf8))
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
