import CEL
import Diagnostics
import PlaybookLanguage
import PlaybookRuntime

/// A test file read and checked against its playbook, ready to run.
public struct TestSuite: Sendable {
    /// The test file, for locations.
    public var file: SourceFile
    /// The playbook's path, as reached from the current folder.
    public var playbookPath: String
    /// The compiled playbook.
    public var plan: Plan
    /// The tests, in file order.
    public var tests: [TestCase]
}

/// One run of the playbook with fixtures, and what it should do.
public struct TestCase: Sendable {
    /// What the test checks, as written.
    public var name: String
    /// Where the test's name is written.
    public var range: SourceRange
    /// The run's `now`.
    var now: CELTimestamp
    /// Param values, each of its declared type.
    var params: [String: CELValue]
    /// What starts the run.
    var trigger: RunTrigger
    /// Records of every fetch step, as plain values.
    var fixtures: [StepID: [CELValue]]
    /// What the run should do.
    var expectations: RunExpectations
}

/// What a run should do.
struct RunExpectations: Sendable {
    /// Where `expect:` is written, or the test's name when it is not.
    var range: SourceRange
    var status: Located<RunStatus>?
    var error: Located<String>?
    var deadLetters: Located<Int>?
    var steps: [StepExpectation] = []
}

/// What one step, or one segment of a step, should do.
struct StepExpectation: Sendable {
    var step: StepID
    var segment: String?
    /// Where the step's key is written.
    var range: SourceRange
    var status: Located<StepStatus>?
    var error: Located<String>?
    var count: Located<Int>?
    var recordsIn: Located<Int>?
    var deadLetters: Located<Int>?
    var records: RecordsExpectation?
    var written: RecordsExpectation?
    var messages: MessagesExpectation?

    /// `step` or `step.segment`, as written.
    var key: String { segment.map { "\(step).\($0)" } ?? step.rawValue }
}

/// Records expected, and how they are compared.
struct RecordsExpectation: Sendable {
    var records: [Located<CELValue>]
    /// Where the list is written.
    var range: SourceRange
    /// Only these fields are compared; every field when nil.
    var fields: [String]?
    var ordered: Bool
}

/// Messages expected from a notify step.
struct MessagesExpectation: Sendable {
    var messages: [Located<ExpectedMessage>]
    var range: SourceRange
    var ordered: Bool
}

/// The parts of a message that are compared; nil parts are not.
struct ExpectedMessage: Sendable {
    var text: String?
    var contains: [String] = []
    var subject: String?
    var to: String?
    var channel: String?
}
