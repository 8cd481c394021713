import Diagnostics
import PlaybookLanguage

/// Codes of the problems of playbook test files (`PB06xx`). Codes are never reused.
public enum TestDiagnosticCode {
    public static let unknownStep: DiagnosticCode = "PB0601"
    public static let unknownSegment: DiagnosticCode = "PB0602"
    public static let unknownParam: DiagnosticCode = "PB0603"
    public static let invalidParamValue: DiagnosticCode = "PB0604"
    public static let missingParam: DiagnosticCode = "PB0605"
    public static let missingFixture: DiagnosticCode = "PB0606"
    public static let fixtureForNonFetch: DiagnosticCode = "PB0607"
    public static let unknownFixtureField: DiagnosticCode = "PB0608"
    public static let unreadableFixtureFile: DiagnosticCode = "PB0609"
    public static let playbookUnreadable: DiagnosticCode = "PB0610"
    public static let playbookInvalid: DiagnosticCode = "PB0611"
    public static let expectationNotForStep: DiagnosticCode = "PB0612"
    public static let invalidTime: DiagnosticCode = "PB0613"
    public static let duplicateTestName: DiagnosticCode = "PB0614"
    public static let unknownWebhook: DiagnosticCode = "PB0615"

    /// What each code means and how to fix it.
    public static let catalogue = DiagnosticCatalogue([
        DiagnosticDescriptor(unknownStep, .error, "unknown step",
            "Fixtures or expectations name a step the playbook does not have; the help names the closest."),
        DiagnosticDescriptor(unknownSegment, .error, "unknown segment",
            "An expectation names `step.segment` for a segment the step does not define."),
        DiagnosticDescriptor(unknownParam, .error, "unknown param",
            "A test gives a param the playbook does not declare."),
        DiagnosticDescriptor(invalidParamValue, .error, "param value of the wrong type",
            "A param's value does not read as the param's declared type."),
        DiagnosticDescriptor(missingParam, .error, "required param without a value",
            "The playbook requires a param that has no default, and the test gives no value for it."),
        DiagnosticDescriptor(missingFixture, .error, "fetch step without fixtures",
            "Tests never call a platform or read a real source: every fetch step needs records under `fixtures` (an empty list for none). A webhook fetch may take them from the test's `trigger.payload` instead."),
        DiagnosticDescriptor(fixtureForNonFetch, .error, "fixtures for a step that does not fetch",
            "Only fetch steps read records; the other steps get theirs from the steps they read."),
        DiagnosticDescriptor(unknownFixtureField, .error, "unknown field in a fixture record",
            "A fixture record has a field the fetch step's records do not have."),
        DiagnosticDescriptor(unreadableFixtureFile, .error, "fixture file cannot be read",
            "A fixture file is missing, or has a line that is not a record."),
        DiagnosticDescriptor(playbookUnreadable, .error, "playbook cannot be read",
            "The file named by `playbook:` does not exist or cannot be read; the path is relative to the test file."),
        DiagnosticDescriptor(playbookInvalid, .error, "playbook has errors",
            "The playbook tested does not validate; its errors are listed with it."),
        DiagnosticDescriptor(expectationNotForStep, .error, "expectation does not fit the step",
            "`written` is for sync steps and `messages` for notify steps."),
        DiagnosticDescriptor(invalidTime, .error, "invalid time",
            "`now` is an RFC 3339 time such as 2026-03-02T09:00:00Z."),
        DiagnosticDescriptor(duplicateTestName, .error, "test name used twice",
            "Each test of a file needs its own name, so results (and CI reports) can tell them apart."),
        DiagnosticDescriptor(unknownWebhook, .error, "unknown webhook",
            "`trigger.webhook` names a path that none of the playbook's webhook triggers has."),
    ])

    /// The playbook's codes and the test files' codes, for renderers.
    public static let allCodes = DiagnosticCatalogue.merged([PlaybookDiagnostics.catalogue, catalogue])
}

extension DiagnosticBag {
    /// A name that is not one of `candidates`, with "did you mean" and a fix-it when one is close.
    mutating func unknown(_ code: DiagnosticCode, _ message: String, name: String, at range: SourceRange, candidates: [String], otherwise: String) {
        let suggestion = Suggestions.closest(to: name, in: candidates)
        error(
            code, message, at: range,
            help: suggestion.map { "did you mean '\($0)'?" } ?? otherwise,
            fixIts: suggestion.map { [FixIt.replace(range, with: $0, "use '\($0)'")] } ?? []
        )
    }
}
