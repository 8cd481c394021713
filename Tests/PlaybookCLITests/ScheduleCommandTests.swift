import Foundation
import Testing

/// `playbook schedule`, run as a user would.
@Suite struct ScheduleCommandTests {
    @Test func fixedTimeSkippedBySpringForwardRunsAfterTheGap() async throws {
        let outcome = try await CLI.run(["schedule", "30 2 * * *", "--timezone", "Europe/Warsaw", "--from", "2026-03-28T12:00", "--count", "3"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == """
            Schedule:  30 2 * * *
            Time zone: Europe/Warsaw
            DST rule:  fixed times of day: a time skipped by a clock change runs once just after it, a repeated time runs once

            Next 3 runs after 2026-03-28 12:00 +01:00 (2026-03-28T11:00:00Z):
              Sun 2026-03-29 03:00 +02:00  2026-03-29T01:00:00Z  02:30 does not exist on this day: runs at 03:00
              Mon 2026-03-30 02:30 +02:00  2026-03-30T00:30:00Z
              Tue 2026-03-31 02:30 +02:00  2026-03-31T00:30:00Z

            """)
        #expect(outcome.stderr.isEmpty)
    }

    @Test func realTimeScheduleRunsBothPassesOfTheRepeatedHour() async throws {
        let outcome = try await CLI.run(["schedule", "@hourly", "--timezone", "America/New_York",
                                         "--from", "2026-11-01T00:30:00-04:00", "--count", "3"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Schedule:  @hourly  (0 * * * *)")
        #expect(lines.suffix(3) == [
            "  Sun 2026-11-01 01:00 -04:00  2026-11-01T05:00:00Z  01:00 happens twice on this day (clocks go back): first pass, at -04:00",
            "  Sun 2026-11-01 01:00 -05:00  2026-11-01T06:00:00Z  01:00 happens twice on this day (clocks go back): second pass, at -05:00",
            "  Sun 2026-11-01 02:00 -05:00  2026-11-01T07:00:00Z",
        ])
    }

    @Test func jsonNamesSkippedMinutesAndPasses() async throws {
        let outcome = try await CLI.run(["schedule", "*/20 * * * *", "--timezone", "Australia/Lord_Howe",
                                         "--from", "2026-10-04T01:30", "--count", "2", "--format", "json"])
        #expect(outcome.status == 0)
        let document = try object(outcome.stdout)
        #expect(document["follows_real_time"] as? Bool == true)
        #expect(document["from"] as? String == "2026-10-03T15:00:00Z")
        let fires = document["fires"] as? [[String: Any]] ?? []
        #expect(fires.map { $0["local"] as? String } == ["2026-10-04T01:40:00+10:30", "2026-10-04T02:40:00+11:00"])
        #expect(fires.map { $0["utc"] as? String } == ["2026-10-03T15:10:00Z", "2026-10-03T15:40:00Z"])
        #expect(fires.last?["skipped"] as? [String] == ["2026-10-04T02:00", "2026-10-04T02:20"])
        #expect(fires.last?["note"] as? String == "02:00 and 02:20 do not exist on this day: not run")
        #expect(fires.first?["skipped"] == nil)
    }

    @Test func jsonNamesTimesMovedByAGap() async throws {
        let outcome = try await CLI.run(["schedule", "0,30 2 * * *", "--timezone", "Europe/Warsaw",
                                         "--from", "2026-03-29T00:00:00Z", "--count", "1", "--format", "json"])
        let fires = try object(outcome.stdout)["fires"] as? [[String: Any]] ?? []
        #expect(fires.first?["moved_from"] as? [String] == ["2026-03-29T02:00", "2026-03-29T02:30"])
        #expect(fires.first?["note"] as? String == "02:00 and 02:30 do not exist on this day: run once at 03:00")
    }

    @Test func invalidScheduleAndZoneGetTheDiagnosticsOfValidate() async throws {
        let outcome = try await CLI.run(["schedule", "0 24 * * *", "--timezone", "Europe/Warsw"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("""
            schedule:1:3: error[PB0501]: in the hour field: 24 is out of range 0–23
               |
             1 | 0 24 * * *
               |   ^~
            """))
        #expect(outcome.stderr.contains("timezone:1:1: error[PB0502]: unknown time zone 'Europe/Warsw'"))
        #expect(outcome.stderr.contains("did you mean 'Europe/Warsaw'?"))
    }

    @Test func abbreviatedZoneIsRejectedWithARegion() async throws {
        let outcome = try await CLI.run(["schedule", "0 9 * * *", "--timezone", "EST", "--format", "json"])
        #expect(outcome.status == 2)
        let summary = try object(outcome.stdout)["summary"] as? [String: Any]
        #expect(summary?["errors"] as? Int == 1)
        #expect(outcome.stdout.contains("America/New_York"))
    }

    @Test func eitherDayWarningDoesNotStopTheListing() async throws {
        let outcome = try await CLI.run(["schedule", "0 9 1-7 * MON", "--timezone", "Europe/Warsaw", "--from", "2026-06-08T00:00", "--count", "2"])
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("warning[PB0506]"))
        // Monday the 8th runs although it is not among days 1 to 7.
        #expect(outcome.stdout.contains("  Mon 2026-06-08 09:00 +02:00  2026-06-08T07:00:00Z"))
    }

    @Test(arguments: [
        (["--from", "yesterday"], "--from: 'yesterday' is not a time"),
        (["--from", "2026-02-30T09:00"], "--from: '2026-02-30T09:00' is not a time"),
        (["--count", "0"], "--count must be between 1 and 10000"),
        (["--from", "9999-12-31T00:00"], "--from must be before the year 9999"),
    ])
    func badOptionsExitWithUsageStatus(options: [String], message: String) async throws {
        let outcome = try await CLI.run(["schedule", "0 9 * * *"] + options)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("error: \(message)"))
    }

    @Test func jsonLinesAnswerEachRequestInOrder() async throws {
        let requests = [
            #"{"schedule": "0 9 * * *", "timezone": "Asia/Kolkata", "from": "2026-01-01T00:00:00Z", "count": 2}"#,
            #"{"schedule": "0 25 * * *"}"#,
            #"{"schedule": "*/30 * * * *", "timezone": "America/New_York", "from": "2026-03-08T01:45", "count": 1}"#,
        ].joined(separator: "\n")
        let outcome = try await CLI.run(["schedule", "--jsonl"], stdin: requests)
        #expect(outcome.status == 0)
        let answers = try outcome.stdout.split(separator: "\n").map { try object(String($0)) }
        #expect(answers.count == 3)
        guard answers.count == 3 else { return }
        let kolkata = answers[0]["fires"] as? [[String: Any]] ?? []
        #expect(kolkata.map { $0["local"] as? String } == ["2026-01-01T09:00:00+05:30", "2026-01-02T09:00:00+05:30"])
        let errors = answers[1]["errors"] as? [[String: Any]] ?? []
        #expect(errors.first?["message"] as? String == "in the hour field: 25 is out of range 0–23")
        let newYork = answers[2]["fires"] as? [[String: Any]] ?? []
        #expect(newYork.first?["local"] as? String == "2026-03-08T03:00:00-04:00")
    }

    private func object(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }
}
