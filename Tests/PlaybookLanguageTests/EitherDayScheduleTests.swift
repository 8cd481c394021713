import Diagnostics
import PlaybookLanguage
import Testing

/// A schedule restricting both day fields runs on days matching either; the warning says so and its
/// help gives a schedule and an `if:` that run only on days matching both.
struct EitherDayScheduleTests {
    private static func playbook(schedule: String, timezone: String, condition: String? = nil) -> String {
        """
        version: 1
        name: example
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
        triggers:
          - schedule: "\(schedule)"
            timezone: \(timezone)
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts\(condition.map { ", if: '\($0)'" } ?? "") }
          copy:
            sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
        """
    }

    /// The schedule and the `if:` the warning's help suggests.
    private static func suggestion(in help: String) -> (schedule: String, condition: String)? {
        guard let scheduleStart = help.range(of: "schedule \""),
              let scheduleEnd = help[scheduleStart.upperBound...].firstIndex(of: "\""),
              let conditionStart = help.range(of: "`if: "),
              let conditionEnd = help[conditionStart.upperBound...].firstIndex(of: "`") else { return nil }
        return (String(help[scheduleStart.upperBound..<scheduleEnd]), String(help[conditionStart.upperBound..<conditionEnd]))
    }

    @Test(arguments: [
        ("0 9 1-7 * MON", "Europe/Warsaw", "now.getDayOfWeek(\"Europe/Warsaw\") == 1"),
        ("30 8 1-7 * SUN", "America/New_York", "now.getDayOfWeek(\"America/New_York\") == 0"),
        ("0 9 8-14 * 7", "UTC", "now.getDayOfWeek(\"UTC\") == 0"),
        ("0 9 1-7 * MON-FRI", "Europe/Warsaw", "now.getDayOfWeek(\"Europe/Warsaw\") in [1, 2, 3, 4, 5]"),
        ("0 9 25-31 * SAT,SUN", "Asia/Tokyo", "now.getDayOfWeek(\"Asia/Tokyo\") in [0, 6]"),
    ])
    func theSuggestedConditionUsesTheScheduleZoneAndWeekdayNumbers(schedule: String, zone: String, condition: String) throws {
        let warnings = validate(Self.playbook(schedule: schedule, timezone: zone)).diagnostics.filter { $0.code == LanguageDiagnosticCode.eitherDayField }
        #expect(warnings.count == 1)
        let help = try #require(warnings.first?.help)
        let suggested = try #require(Self.suggestion(in: help), "\(help)")
        #expect(suggested.condition == condition)
        #expect(suggested.schedule == schedule.split(separator: " ").prefix(4).joined(separator: " ") + " *")
    }

    @Test(arguments: ["0 9 1-7 * MON", "0 9 1-7 * MON-FRI", "0 9 25-31 * SAT,SUN"])
    func theSuggestedScheduleAndConditionValidateCleanly(schedule: String) throws {
        let help = try #require(validate(Self.playbook(schedule: schedule, timezone: "Europe/Warsaw")).diagnostics.first { $0.code == LanguageDiagnosticCode.eitherDayField }?.help)
        let suggested = try #require(Self.suggestion(in: help))
        let text = Self.playbook(schedule: suggested.schedule, timezone: "Europe/Warsaw", condition: suggested.condition)
        let file = SourceFile(path: "playbook.yaml", text: text)
        #expect(validate(text).diagnostics.map { summary($0, in: file) } == [])
    }

    @Test(arguments: ["0 9 * * MON", "0 9 1-7 * *", "0 9 1 * *", "@weekly"])
    func aScheduleWithOneDayFieldRestrictedIsNotWarned(schedule: String) {
        let codes = validate(Self.playbook(schedule: schedule, timezone: "UTC")).diagnostics.map(\.code)
        #expect(!codes.contains(LanguageDiagnosticCode.eitherDayField))
    }
}
