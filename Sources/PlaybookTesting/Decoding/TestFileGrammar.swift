import PlaybookLanguage

/// Playbook test files (`*.test.yaml`) as field tables: the same tables check test files and make
/// their JSON Schema (`playbook schema --test`), as for playbooks.
public enum TestFileGrammar {
    /// The `$id` of the test files' JSON Schema.
    public static let schemaID = "urn:playbook:schema:playbook-test-v1"

    /// A record as written in YAML: field names and values.
    static let record: Shape = .dictionary(key: .any, value: .anything)

    static let trigger = ObjectShape(
        "test trigger",
        "The webhook request that starts the run: `trigger.payload` and `trigger.headers` in expressions.",
        fields: [
            FieldShape("webhook", .text(.urlPath), required: true, "The path of the playbook's webhook trigger, such as `/hooks/signups`."),
            FieldShape("payload", .anything, "The request's body, as `trigger.payload` sees it."),
            FieldShape("headers", .dictionary(key: .any, value: .text(.any)), "The request's headers, as `trigger.headers` sees them."),
        ]
    )

    static let fixtureFile = ObjectShape(
        "fixture file",
        "Records read from a JSON Lines or CSV file, relative to the test file.",
        fields: [
            FieldShape("file", .text(.any), required: true, "The file, relative to the test file."),
            FieldShape("format", .choice(["jsonl", "csv"]), "The file's format; by default taken from its extension."),
        ]
    )

    static let message = ObjectShape(
        "expected message",
        "A message a notify step sends; only the fields given are compared.",
        fields: [
            FieldShape("text", .text(.any), "The whole rendered text."),
            FieldShape("contains", .oneOrMany(.text(.any)), "Text the message must contain, for long messages."),
            FieldShape("subject", .text(.any), "The e-mail subject."),
            FieldShape("to", .text(.any), "The e-mail recipient."),
            FieldShape("channel", .text(.any), "The Slack channel."),
        ],
        rules: [.atMostOne(["text", "contains"])]
    )

    static let stepExpectation = ObjectShape(
        "step expectation",
        "What one step (or one segment of a step, as `step.segment`) is expected to do.",
        fields: [
            FieldShape("status", .choice(["succeeded", "failed", "skipped", "cancelled"]), "How the step ends."),
            FieldShape("error", .text(.any), "Text the step's error must contain."),
            FieldShape("count", .integer(minimum: 0, maximum: nil), "How many records the step (or segment) passes on."),
            FieldShape("records_in", .integer(minimum: 0, maximum: nil), "How many records the step receives."),
            FieldShape("dead_letters", .integer(minimum: 0, maximum: nil), "How many records the step sets aside."),
            FieldShape("records", .list(record, minimumCount: 0), "The records the step (or segment) passes on, in order."),
            FieldShape("written", .list(record, minimumCount: 0), "What a sync step writes, after its `fields:`, in order."),
            FieldShape("messages", .list(.alternatives([.text(.any), .object(message)]), minimumCount: 0),
                       "The messages a notify step sends, in order: each its text, or a mapping of the parts compared."),
            FieldShape("fields", .list(.text(.identifier), minimumCount: 1), "Compare only these fields of `records` and `written`."),
            FieldShape("ordered", .boolean, "`false` compares records and messages in any order (default `true`)."),
        ]
    )

    static let expectations = ObjectShape(
        "expectations",
        "What the run is expected to do.",
        fields: [
            FieldShape("status", .choice(["succeeded", "failed"]), "How the run ends (default `succeeded`)."),
            FieldShape("error", .text(.any), "Text the run's error must contain."),
            FieldShape("dead_letters", .integer(minimum: 0, maximum: nil), "How many records the whole run sets aside."),
            FieldShape("steps", .dictionary(key: .stepReference, value: .object(stepExpectation)), "Expectations by step id, or `step.segment`."),
        ]
    )

    static let fixtures: Shape = .dictionary(
        key: .identifier,
        value: .alternatives([.list(record, minimumCount: 0), .object(fixtureFile)])
    )

    static let test = ObjectShape(
        "test",
        "One run of the playbook with fixtures, and what it should do.",
        fields: [
            FieldShape("name", .text(.any), required: true, "What the test checks, in a sentence; shown in the results."),
            FieldShape("now", .text(.any), "The run's `now` for this test, in RFC 3339."),
            FieldShape("params", .dictionary(key: .identifier, value: .anything), "Param values for this test, over the file's."),
            FieldShape("trigger", .object(trigger), "The webhook request that starts this test's run."),
            FieldShape("fixtures", fixtures, "Records of the fetch steps by step id: a list of records, or `{ file: PATH }`."),
            FieldShape("expect", .object(expectations), "What the run should do; without it the run must succeed."),
        ]
    )

    /// The whole file.
    public static let testFile = ObjectShape(
        "test file",
        "Offline tests of a playbook: runs with fixtures in place of connectors, and what each should do.",
        fields: [
            FieldShape("playbook", .text(.any), required: true, "The playbook tested, relative to this file."),
            FieldShape("now", .text(.any), "The run's `now` in RFC 3339 (default 2026-01-01T00:00:00Z)."),
            FieldShape("params", .dictionary(key: .identifier, value: .anything), "Param values for every test."),
            FieldShape("trigger", .object(trigger), "The webhook request that starts every test's run."),
            FieldShape("fixtures", fixtures, "Records of the fetch steps for every test; a test's own fixtures replace a step's."),
            FieldShape("tests", .list(.object(test), minimumCount: 1), required: true, "The tests."),
        ]
    )

    /// The JSON Schema of test files, as `playbook schema --test` prints it.
    public static func schemaText() -> String {
        JSONSchemaGenerator.schema(of: testFile, id: schemaID, title: "Playbook test file v1").serialized() + "\n"
    }
}
