import Foundation
import Testing

/// Runs the built `playbook` binary, as a user would.
@Suite struct EvalCommandTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `playbook` executable beside the test bundle in the build directory.
    static var executable: URL {
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        let beside = directory.appendingPathComponent("playbook")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("playbook")
    }

    static func run(_ arguments: [String], stdin: String = "") async throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["eval"] + arguments
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func evaluatesAnExpressionWithVariables() async throws {
        let outcome = try await Self.run(["record.score >= 80 && record.country in ['PL', 'DE']", "--var", #"record={"score": 91, "country": "PL"}"#])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "true\n")
    }

    @Test func printsTypedJSON() async throws {
        let outcome = try await Self.run(["[x, x * 2.5]", "--var", "x=2.0", "--format", "json"])
        #expect(outcome.stdout == #"{"type":"list","value":{"list":[{"double":2.0},{"double":5.0}]}}"# + "\n")
    }

    @Test func reportsCheckErrorsWithPositionAndExitsOne() async throws {
        let outcome = try await Self.run(["record.score + 0.5 > 1", "--var", #"record={"score": 1}"#])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("error: 1:1: error[PB0304]: no matching overload for '+' applied to (int, double)"))
    }

    @Test func regularExpressionExampleOfTheGuideRuns() async throws {
        // docs/expressions.md: $ playbook eval '"ann@Example.com".matches("(?i)@example\\.com$")'
        let outcome = try await Self.run([#""ann@Example.com".matches("(?i)@example\\.com$")"#])
        #expect(outcome.stdout == "true\n")
        let refused = try await Self.run([#""ann@Example.com".matches("@(?!gmail)")"#])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: 1:27: error[PB0316]: invalid regular expression: invalid perl operator: (?!"))
    }

    @Test func moneyExamplesOfTheGuideRun() async throws {
        // docs/expressions.md, "Writing money and other amounts".
        #expect(try await Self.run([#""€" + formatNumber(1234.5, 2)"#]).stdout == "€1,234.50\n")
        let polish = try await Self.run([#"formatNumber(1234.5, 2).replace(",", " ").replace(".", ",") + " zł""#])
        #expect(polish.stdout == "1 234,50 zł\n")
    }

    @Test func usageErrorsExitTwo() async throws {
        await #expect(try Self.run([]).status == 2)
        await #expect(try Self.run(["x", "--var", "x"]).status == 2)
        await #expect(try Self.run(["x", "--var", "x={"]).status == 2)
    }

    @Test func answersJSONLinesInOrder() async throws {
        let requests = [
            #"{"expr": "x + 1", "vars": {"x": 41}}"#,
            #"{"expr": "1 / 0"}"#,
            #"{"expr": "x + 1u", "vars": {"x": {"uint": "1"}}, "typed": true}"#,
        ].joined(separator: "\n") + "\n"
        let outcome = try await Self.run(["--jsonl"], stdin: requests)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.split(separator: "\n") == [
            #"{"type":"int","value":{"int":"42"}}"#,
            #"{"error":"division by zero"}"#,
            #"{"type":"uint","value":{"uint":"2"}}"#,
        ])
    }

    @Test func aRequestThatOnceCrashedTheStreamIsAnsweredAndTheStreamGoesOn() async throws {
        let requests = [
            #"{"expr": "1 + 1"}"#,
            #"{"expr": "string(timestamp('2024-01-01T00:00:00.1234567890Z'))"}"#,
            #"{"expr": "timestamp(s)", "vars": {"s": "2024-01-01T00:00:00.12345678901Z"}}"#,
            #"not json"#,
            #"{"expr": "2 + 2"}"#,
        ].joined(separator: "\n") + "\n"
        let outcome = try await Self.run(["--jsonl"], stdin: requests)
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines.first == #"{"type":"int","value":{"int":"2"}}"#)
        #expect(lines[1] == #"{"type":"string","value":{"string":"2024-01-01T00:00:00.123456789Z"}}"#)
        #expect(lines[2] == #"{"type":"google.protobuf.Timestamp","value":{"timestamp":"2024-01-01T00:00:00.123456789Z"}}"#)
        #expect(lines[3].hasPrefix(#"{"error":"#))
        #expect(lines.last == #"{"type":"int","value":{"int":"4"}}"#)
    }
}
