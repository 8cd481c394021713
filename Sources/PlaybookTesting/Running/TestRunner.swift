import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import Synchronization

/// Runs the tests of a suite: each with the real executor, fixtures in place of connectors (no
/// network, no credentials), a fixed `now`, and its params; then compares what the run did with
/// what the test expects.
public struct TestRunner: Sendable {
    /// A runner.
    public init() {}

    /// Runs every test of the suite, one after another.
    public func run(_ suite: TestSuite) async -> TestFileResult {
        var results: [TestCaseResult] = []
        for test in suite.tests {
            results.append(await run(test, of: suite))
        }
        return TestFileResult(file: suite.file, playbook: suite.plan.name, tests: results)
    }

    /// Runs one test.
    func run(_ test: TestCase, of suite: TestSuite) async -> TestCaseResult {
        let outputs = Mutex<[StepID: [(segment: String?, record: Record)]]>([:])
        let deadLetters = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-test-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: deadLetters) }
        let folder = (suite.playbookPath as NSString).deletingLastPathComponent
        let options = RunOptions(
            runID: "test", params: test.params, now: test.now, trigger: test.trigger,
            baseDirectory: folder.isEmpty ? "." : folder, deadLetterPath: deadLetters,
            outputObserver: { step, segment, records in
                outputs.withLock { $0[step, default: []].append(contentsOf: records.map { (segment, $0) }) }
            }
        )
        let connectors = FixtureConnectors(records: test.fixtures)
        let started = ContinuousClock.now
        let summary = await Executor(plan: suite.plan, options: options, connectors: connectors).run()
        let elapsed = ContinuousClock.now - started
        let observed = Observed(
            summary: summary, outputs: outputs.withLock { $0 }, written: connectors.written, sent: connectors.sent,
            setAside: Self.setAside(in: deadLetters)
        )
        let failures = ExpectationCheck(observed: observed, file: suite.file).failures(of: test.expectations)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return TestCaseResult(name: test.name, range: test.range, failures: failures, seconds: seconds)
    }

    /// Each record set aside, as the step and the reason, read from the dead-letter file.
    static func setAside(in path: String) -> [(step: String, reason: String)] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard case .map(let letter)? = try? JSONText.decode(line),
                  case .string(let step)? = letter["step"], case .string(let reason)? = letter["reason"] else { return nil }
            return (step, reason)
        }
    }
}

/// What a run did, as the expectations look at it.
struct Observed {
    var summary: RunSummary
    var outputs: [StepID: [(segment: String?, record: Record)]]
    var written: [StepID: [Record]]
    var sent: [StepID: [OutgoingMessage]]
    /// The records set aside: by which step, and why.
    var setAside: [(step: String, reason: String)]

    /// The records a step, or one of its segments, passed on.
    func records(of step: StepID, segment: String?) -> [Record] {
        (outputs[step] ?? []).filter { segment == nil || $0.segment == segment }.map(\.record)
    }
}

/// Compares a run with the expectations of its test.
struct ExpectationCheck {
    let observed: Observed
    let file: SourceFile

    func failures(of expectations: RunExpectations) -> [TestFailure] {
        var failures: [TestFailure] = []
        let summary = observed.summary
        let expectedStatus = expectations.status?.value ?? .succeeded
        if summary.status != expectedStatus {
            failures.append(TestFailure(
                "the run \(summary.status.rawValue), expected it to have \(expectedStatus.rawValue)",
                at: expectations.status?.range ?? expectations.range, details: problems(of: summary)
            ))
        }
        if let error = expectations.error {
            if !(summary.error ?? "").contains(error.value) {
                failures.append(TestFailure("the run's error does not contain \(quoted(error.value))", at: error.range,
                                            details: ["error: " + (summary.error.map(quoted) ?? "none")]))
            }
        }
        if let deadLetters = expectations.deadLetters, summary.deadLetterCount != deadLetters.value {
            failures.append(TestFailure("the run set aside \(summary.deadLetterCount) records, expected \(deadLetters.value)", at: deadLetters.range,
                                        details: problems(of: summary)))
        }
        for step in expectations.steps {
            failures += self.failures(of: step)
        }
        return failures
    }

    private func failures(of expectation: StepExpectation) -> [TestFailure] {
        guard let step = observed.summary.steps.first(where: { $0.id == expectation.step }) else { return [] }
        let name = "steps.\(expectation.key)"
        var failures: [TestFailure] = []
        let stepDetails = (step.error.map { ["error: " + $0 + (step.errorLocation.map { " (at \($0.description))" } ?? "")] } ?? [])
            + observed.setAside.filter { $0.step == step.id.rawValue }.prefix(10).map { "set a record aside: " + $0.reason }
        if let status = expectation.status, step.status != status.value {
            failures.append(TestFailure("\(name): the step \(step.status.rawValue), expected \(status.value.rawValue)", at: status.range, details: stepDetails))
        }
        if let error = expectation.error, !(step.error ?? "").contains(error.value) {
            failures.append(TestFailure("\(name): the step's error does not contain \(quoted(error.value))", at: error.range,
                                        details: ["error: " + (step.error.map(quoted) ?? "none")]))
        }
        let records = observed.records(of: expectation.step, segment: expectation.segment)
        if let count = expectation.count {
            let actual = expectation.segment == nil ? step.recordsOut : records.count
            if actual != count.value {
                failures.append(TestFailure("\(name): passed on \(plural(actual, "record")), expected \(count.value)", at: count.range, details: stepDetails))
            }
        }
        if let recordsIn = expectation.recordsIn, step.recordsIn != recordsIn.value {
            failures.append(TestFailure("\(name): received \(plural(step.recordsIn, "record")), expected \(recordsIn.value)", at: recordsIn.range))
        }
        if let deadLetters = expectation.deadLetters, step.recordsSkipped != deadLetters.value {
            failures.append(TestFailure("\(name): set aside \(plural(step.recordsSkipped, "record")), expected \(deadLetters.value)", at: deadLetters.range,
                                        details: stepDetails))
        }
        if let expected = expectation.records {
            failures += compare(expected, records, name: "\(name).records", verb: "passed on")
        }
        if let expected = expectation.written {
            failures += compare(expected, observed.written[expectation.step] ?? [], name: "\(name).written", verb: "wrote")
        }
        if let expected = expectation.messages {
            failures += compare(expected, observed.sent[expectation.step] ?? [], name: "\(name).messages")
        }
        return failures
    }

    private func compare(_ expected: RecordsExpectation, _ actual: [Record], name: String, verb: String) -> [TestFailure] {
        let diff = RecordDiff(fields: expected.fields)
        let lines = diff.differences(expected: expected.records.map(\.value), actual: actual.map { .map($0) }, ordered: expected.ordered)
        guard !lines.isEmpty else { return [] }
        // Point at the first record that differs, when the difference is in one.
        var range = expected.range
        if expected.ordered, let first = zip(expected.records, actual).enumerated().first(where: { !diff.fieldDifferences($0.element.0.value, .map($0.element.1)).isEmpty })?.offset {
            range = expected.records[first].range
        }
        let summary = expected.records.count == actual.count
            ? "the records differ"
            : "the step \(verb) \(plural(actual.count, "record")), expected \(expected.records.count)"
        return [TestFailure("\(name): \(summary)", at: range, details: lines)]
    }

    private func compare(_ expected: MessagesExpectation, _ actual: [OutgoingMessage], name: String) -> [TestFailure] {
        var lines: [String] = []
        var range = expected.range
        if expected.ordered {
            for index in 0..<max(expected.messages.count, actual.count) {
                switch (index < expected.messages.count ? expected.messages[index] : nil, index < actual.count ? actual[index] : nil) {
                case (let wanted?, let got?):
                    let differences = messageDifferences(wanted.value, got)
                    if !differences.isEmpty {
                        if lines.isEmpty { range = wanted.range }
                        lines += ["message \(index + 1):"] + differences.map { "  " + $0 }
                    }
                case (let wanted?, nil): lines.append("message \(index + 1) is missing: expected \(describe(wanted.value))")
                case (nil, let got?): lines.append("message \(index + 1) is not expected: got \(quoted(got.text))")
                case (nil, nil): break
                }
            }
        } else {
            var taken = Set<Int>()
            for wanted in expected.messages {
                if let index = actual.indices.first(where: { !taken.contains($0) && messageDifferences(wanted.value, actual[$0]).isEmpty }) {
                    taken.insert(index)
                } else {
                    lines.append("missing: \(describe(wanted.value))")
                }
            }
            for index in actual.indices where !taken.contains(index) { lines.append("not expected: \(quoted(actual[index].text))") }
        }
        guard !lines.isEmpty else { return [] }
        let summary = expected.messages.count == actual.count
            ? "the messages differ"
            : "the step sent \(plural(actual.count, "message")), expected \(expected.messages.count)"
        return [TestFailure("\(name): \(summary)", at: range, details: lines)]
    }

    private func messageDifferences(_ expected: ExpectedMessage, _ actual: OutgoingMessage) -> [String] {
        var lines: [String] = []
        if let text = expected.text, text != actual.text { lines += textDifference("text", text, actual.text) }
        let absent = expected.contains.filter { !actual.text.contains($0) }
        if !absent.isEmpty {
            lines += absent.map { "text: does not contain \(quoted($0))" } + ["the text is \(quoted(actual.text))"]
        }
        for (part, wanted, got) in [("subject", expected.subject, actual.subject), ("to", expected.to, actual.to), ("channel", expected.channel, actual.channel)] {
            if let wanted, wanted != got { lines.append("\(part): expected \(quoted(wanted)), got \(got.map(quoted) ?? "none")") }
        }
        return lines
    }

    /// Two texts side by side; for texts of several lines, the first line that differs.
    private func textDifference(_ part: String, _ expected: String, _ actual: String) -> [String] {
        let wantedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let gotLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        guard wantedLines.count > 1 || gotLines.count > 1 else { return ["\(part): expected \(quoted(expected)), got \(quoted(actual))"] }
        for index in 0..<max(wantedLines.count, gotLines.count) {
            let wanted = index < wantedLines.count ? String(wantedLines[index]) : nil
            let got = index < gotLines.count ? String(gotLines[index]) : nil
            if wanted != got {
                return ["\(part): line \(index + 1) differs", "  expected \(wanted.map(quoted) ?? "no line")", "  got      \(got.map(quoted) ?? "no line")"]
            }
        }
        return []
    }

    private func describe(_ message: ExpectedMessage) -> String {
        if let text = message.text { return quoted(text) }
        var parts = message.contains.map { "containing \(quoted($0))" }
        for (part, value) in [("subject", message.subject), ("to", message.to), ("channel", message.channel)] {
            if let value { parts.append("\(part) \(quoted(value))") }
        }
        return "a message " + parts.joined(separator: ", ")
    }

    /// The failed steps and their errors, to explain a run's status.
    private func problems(of summary: RunSummary) -> [String] {
        var lines = summary.error.map { ["error: " + $0] } ?? []
        for step in summary.steps where step.status == .failed && step.error != nil {
            lines.append("step '\(step.id)' failed: \(step.error!)" + (step.errorLocation.map { " (at \($0.description))" } ?? ""))
        }
        for letter in observed.setAside.prefix(10) {
            lines.append("step '\(letter.step)' set a record aside: \(letter.reason)")
        }
        if observed.setAside.count > 10 { lines.append("… and \(observed.setAside.count - 10) more records set aside") }
        return lines
    }

    private func quoted(_ text: String) -> String { JSONText.string(.string(text)) }
}
