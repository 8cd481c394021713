import Diagnostics

/// The diagnostics `playbook validate` gives a schedule trigger's cron text and time zone, for
/// commands that take them on the command line; each is positioned in its own text.
public enum ScheduleDiagnostics {
    /// Errors in cron text (PB0501), and the warning for a schedule whose two day fields are both
    /// restricted (PB0506), worded with `timeZone` as a trigger would be.
    public static func schedule(_ text: String, timeZone: String) -> [Diagnostic] {
        switch CronSchedule.parse(text) {
        case .failure(let errors):
            return errors.map { $0.diagnostic(LanguageDiagnosticCode.invalidCron) }
        case .success(let schedule):
            if let problem = schedule.neverFiresProblem { return [problem.diagnostic(LanguageDiagnosticCode.invalidCron)] }
            let whole = SourceRange(start: 0, end: text.utf8.count)
            return schedule.eitherDayWarning(timeZone: timeZone, at: whole).map { [$0] } ?? []
        }
    }

    /// Errors in a time zone name (PB0502), with the suggested region where there is one.
    public static func timeZone(_ text: String) -> [Diagnostic] {
        TimeZoneName.parse(text).errors.map { $0.diagnostic(LanguageDiagnosticCode.unknownTimeZone) }
    }
}

extension CronSchedule {
    /// PB0506, when both day fields are restricted so that a day matching either runs.
    func eitherDayWarning(timeZone: String, at range: SourceRange) -> Diagnostic? {
        guard let days = eitherDayFields else { return nil }
        let message = LanguageMessage.eitherDayField(text, dayOfMonth: days.dayOfMonth, dayOfWeek: days.dayOfWeek,
                                                     withoutWeekday: days.withoutWeekday, weekdays: days.weekdays, timeZone: timeZone)
        return .warning(LanguageDiagnosticCode.eitherDayField, message.text, at: range, help: message.help)
    }
}
