import Diagnostics

/// One expectation a run did not meet: what, where in the test file, and the details (such as a
/// field-by-field diff of records).
public struct TestFailure: Sendable {
    /// What was not met, in one line, such as `steps.scored.records: 1 of 2 records differs`.
    public var message: String
    /// Where the expectation is written in the test file.
    public var range: SourceRange
    /// Further lines, such as one per differing field.
    public var details: [String]

    /// A failure at `range`.
    public init(_ message: String, at range: SourceRange, details: [String] = []) {
        self.message = message
        self.range = range
        self.details = details
    }
}

/// How one test went.
public struct TestCaseResult: Sendable {
    /// The test's name.
    public var name: String
    /// Where its name is written.
    public var range: SourceRange
    /// The expectations not met; none when the test passed.
    public var failures: [TestFailure]
    /// How long the run took, in seconds.
    public var seconds: Double

    /// Whether every expectation was met.
    public var passed: Bool { failures.isEmpty }
}

/// How the tests of one file went, or why they could not run.
public struct TestFileResult: Sendable {
    /// The test file.
    public var file: SourceFile
    /// The playbook's name, when the file could be loaded.
    public var playbook: String?
    /// Each test's result, in file order; empty when the file has errors.
    public var tests: [TestCaseResult]
    /// Problems of the test file and its playbook; when there are errors, no test ran.
    public var diagnostics: [FileDiagnostics]

    /// A file whose tests ran.
    public init(file: SourceFile, playbook: String?, tests: [TestCaseResult], diagnostics: [FileDiagnostics] = []) {
        self.file = file
        self.playbook = playbook
        self.tests = tests
        self.diagnostics = diagnostics
    }

    /// Whether the file (or its playbook) has errors, so its tests could not run.
    public var isInvalid: Bool { diagnostics.contains { $0.errorCount > 0 } }
    /// Tests that passed.
    public var passedCount: Int { tests.count { $0.passed } }
    /// Tests that failed.
    public var failedCount: Int { tests.count { !$0.passed } }
    /// Seconds taken by every test.
    public var seconds: Double { tests.reduce(0) { $0 + $1.seconds } }
}

/// The results of every file of a `playbook test` run.
public struct TestReport: Sendable {
    /// The files, in the order given.
    public var files: [TestFileResult]

    /// The results of these files.
    public init(files: [TestFileResult]) { self.files = files }

    /// Tests run in all.
    public var testCount: Int { files.reduce(0) { $0 + $1.tests.count } }
    /// Tests that passed.
    public var passedCount: Int { files.reduce(0) { $0 + $1.passedCount } }
    /// Tests that failed.
    public var failedCount: Int { files.reduce(0) { $0 + $1.failedCount } }
    /// Files that could not run.
    public var invalidCount: Int { files.count { $0.isInvalid } }

    /// The exit status of `playbook test`: 2 when a file could not run, else 1 when a test failed, else 0.
    public var exitStatus: Int32 { invalidCount > 0 ? 2 : failedCount > 0 ? 1 : 0 }

    /// `12 tests in 3 files: 11 passed, 1 failed`, with the files that could not run.
    public var summary: String {
        var text = "\(plural(testCount, "test")) in \(plural(files.count, "file")): \(passedCount) passed, \(failedCount) failed"
        if invalidCount > 0 { text += "; \(plural(invalidCount, "file")) could not run" }
        return text
    }
}

func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
