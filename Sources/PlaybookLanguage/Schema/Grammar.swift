/// The playbook language, version 1, as field tables.
///
/// Every field a playbook may contain is declared here once, with its summary; the decoder checks
/// files against these tables and `playbook schema` prints them as a JSON Schema.
public enum Grammar {
    /// Language versions this build of Playbook reads.
    public static let supportedVersions = 1...1

    /// The step kinds, in the order messages and the schema list them.
    public static let stepKinds = ["fetch", "transform", "segment", "sync", "notify"]

    // MARK: Small shared shapes

    static let retryPolicy = ObjectShape(
        "retry policy",
        "How each remote call (one page, one batch, one message) is retried after a network error, timeout, 429 or 5xx.",
        fields: [
            FieldShape("max_attempts", .integer(minimum: 1, maximum: 100), "Attempts in all, including the first; 1 disables retries."),
            FieldShape("backoff", .choice(["exponential", "linear", "constant"]), "How the wait grows between attempts."),
            FieldShape("initial_delay", .duration, "Wait before the second attempt."),
            FieldShape("multiplier", .number(minimum: 1), "Growth factor for exponential backoff (default 2)."),
            FieldShape("max_delay", .duration, "Longest wait between two attempts."),
            FieldShape("jitter", .choice(["none", "full", "equal"]), "Randomisation of each wait, so many runs do not retry in step."),
            FieldShape("max_elapsed", .duration, "Give up when retrying would take longer than this in all."),
        ]
    )

    static let stepInputs: Shape = .oneOrMany(.text(.stepReference))

    /// Fields every step kind accepts.
    static let commonStepFields: [FieldShape] = [
        FieldShape("after", stepInputs, "Steps that must finish first, without taking their records."),
        FieldShape("if", .expression(.condition), "Run the step only when this condition holds; otherwise it is skipped."),
        FieldShape("retry", .object(retryPolicy), "Overrides `defaults.retry` for this step's remote calls."),
        FieldShape("timeout", .duration, "Longest time one remote call of this step may take."),
        FieldShape("on_error", .choice(["fail", "continue"]), "`fail` (default) stops the run when the step fails; `continue` lets independent steps go on."),
        FieldShape("on_record_error", .choice(["fail", "skip"]), "`skip` sets a bad record aside in the run's dead-letter list instead of failing the step."),
    ]

    static let declaredFields: Shape = .dictionary(
        key: .identifier,
        value: .choice(["string", "int", "double", "bool", "timestamp", "duration", "list", "map", "dyn"])
    )

    // MARK: Steps

    static let fetch = ObjectShape(
        "fetch step",
        "Reads records from a connection's resource, a local file, or the payload of a webhook trigger.",
        fields: [
            FieldShape("connection", .text(.identifier), "The connection to read from."),
            FieldShape("resource", .text(.any), "The connector resource to read, such as `contacts`."),
            FieldShape("params", .dictionary(key: .identifier, value: .anything), "Query parameters of the resource, such as a date range; with `from:`, expressions over each `record`."),
            FieldShape("from", stepInputs, "Look up: read the resource once for each record of this step, with `params` computed from the record."),
            FieldShape("incremental", .object(ObjectShape(
                "incremental read",
                "Read only records changed since the last successful run, by a cursor field.",
                fields: [
                    FieldShape("cursor", .text(.identifier), required: true, "The record field whose value only grows, such as `updated_at`."),
                    FieldShape("start", .scalarValue, "Where the first run starts when no cursor is stored yet."),
                ]
            )), "Read only what changed since the last run."),
            FieldShape("file", .text(.any), "A local JSONL or CSV file to read, relative to the playbook."),
            FieldShape("format", .choice(["jsonl", "csv"]), "The file's format; by default taken from its extension."),
            FieldShape("webhook", .text(.urlPath), "Read the payload of the webhook trigger with this path."),
            FieldShape("records", .expression(.records), "For a webhook: the list in the payload that holds the records (default: the payload is one record)."),
            FieldShape("fields", declaredFields, "The fields of each record, for files, webhooks and generic HTTP resources, so expressions can be checked."),
            FieldShape("page_size", .integer(minimum: 1, maximum: 100_000), "Records asked for per page, where the platform lets you choose."),
            FieldShape("max_pages", .integer(minimum: 1, maximum: nil), "Stop after this many pages (a guard against runaway paging)."),
            FieldShape("max_records", .integer(minimum: 1, maximum: nil), "Stop after this many records."),
        ] + commonStepFields,
        rules: [
            .exactlyOne(["connection", "file", "webhook"]),
            .requires("connection", ["resource"]),
            .atMostOne(["resource", "file"]),
            .atMostOne(["resource", "webhook"]),
            .atMostOne(["incremental", "file"]),
            .atMostOne(["incremental", "webhook"]),
            .atMostOne(["records", "connection"]),
            .atMostOne(["records", "file"]),
            .atMostOne(["format", "connection"]),
            .atMostOne(["format", "webhook"]),
            .atMostOne(["from", "file"]),
            .atMostOne(["from", "webhook"]),
            .atMostOne(["from", "incremental"]),
        ]
    )

    static let aggregateFunction = ObjectShape(
        "aggregate function",
        "One computed field of an aggregate: exactly one of sum, count, avg, min, max.",
        fields: [
            FieldShape("sum", .expression(.value), "Sum of this number over the group."),
            FieldShape("count", .alternatives([.boolean, .expression(.condition)]), "`true` counts the group's records; a condition counts those for which it holds."),
            FieldShape("avg", .expression(.value), "Average of this number over the group."),
            FieldShape("min", .expression(.value), "Smallest value in the group."),
            FieldShape("max", .expression(.value), "Largest value in the group."),
        ],
        rules: [.exactlyOne(["sum", "count", "avg", "min", "max"])]
    )

    static let transform = ObjectShape(
        "transform step",
        "Reshapes records. Operations apply in this order: join, set, rename, drop, select, dedupe, aggregate.",
        fields: [
            FieldShape("from", stepInputs, required: true, "The step (or step.segment) whose records are transformed."),
            FieldShape("join", .object(ObjectShape(
                "join",
                "Adds the matching record of another step to each record.",
                fields: [
                    FieldShape("with", .text(.stepReference), required: true, "The step whose records are looked up."),
                    FieldShape("on", .text(.identifier), "A field with the same name on both sides."),
                    FieldShape("left_on", .text(.identifier), "The field of this step's records (when names differ)."),
                    FieldShape("right_on", .text(.identifier), "The field of the other step's records (when names differ)."),
                    FieldShape("as", .text(.identifier), "The field that receives the matched record (default: the other step's id)."),
                    FieldShape("type", .choice(["left", "inner"]), "`left` (default) keeps records without a match; `inner` drops them."),
                ],
                rules: [.exactlyOne(["on", "left_on"]), .requires("left_on", ["right_on"]), .requires("right_on", ["left_on"])]
            )), "Look up and attach records of another step."),
            FieldShape("set", .dictionary(key: .identifier, value: .expression(.value)), "Fields to add or replace, each computed by an expression."),
            FieldShape("rename", .dictionary(key: .identifier, value: .text(.identifier)), "Fields to rename: old name → new name."),
            FieldShape("drop", .list(.text(.identifier), minimumCount: 1), "Fields to remove."),
            FieldShape("select", .list(.text(.identifier), minimumCount: 1), "Keep only these fields."),
            FieldShape("dedupe", .object(ObjectShape(
                "dedupe",
                "Keeps one record per key.",
                fields: [
                    FieldShape("by", .expression(.key), required: true, "The key that identifies duplicates, such as `record.email.lowerAscii()`."),
                    FieldShape("keep", .choice(["first", "last"]), "Which record of each key is kept (default `first`)."),
                ]
            )), "Drop duplicate records."),
            FieldShape("aggregate", .object(ObjectShape(
                "aggregate",
                "Groups records and computes one record per group.",
                fields: [
                    FieldShape("group_by", .list(.text(.identifier), minimumCount: 0), "Fields that form a group; empty or absent means one group of all records."),
                    FieldShape("compute", .dictionary(key: .identifier, value: .object(aggregateFunction)), required: true, "The fields of each output record."),
                ]
            )), "Group and summarise records."),
        ] + commonStepFields
    )

    static let segment = ObjectShape(
        "segment step",
        "Filters records with `where`, or routes each record to the first of several named segments it matches.",
        fields: [
            FieldShape("from", stepInputs, required: true, "The step whose records are segmented."),
            FieldShape("where", .expression(.condition), "Keep only records for which this condition holds."),
            FieldShape("segments", .dictionary(key: .identifier, value: .expression(.condition)), "Named segments, each a condition, tried in order; a record goes to the first that matches. Read them as `step.segment`."),
            FieldShape("otherwise", .text(.identifier), "Name of the segment for records that match none."),
        ] + commonStepFields,
        rules: [.exactlyOne(["where", "segments"]), .requires("otherwise", ["segments"])]
    )

    static let sync = ObjectShape(
        "sync step",
        "Writes records to a connection's resource in batches, idempotently by `match_on`.",
        fields: [
            FieldShape("from", stepInputs, required: true, "The step whose records are written."),
            FieldShape("connection", .text(.identifier), required: true, "The connection to write to."),
            FieldShape("resource", .text(.any), required: true, "The resource to write, such as `contacts`."),
            FieldShape("mode", .choice(SyncMode.allCases.map(\.rawValue)), required: true, "upsert, insert, update, add_to_list or tag."),
            FieldShape("match_on", .text(.identifier), "The field that identifies an existing record (required for upsert and update)."),
            FieldShape("fields", .dictionary(key: .identifier, value: .expression(.value)), "Destination fields, each computed by an expression (default: the record's own fields)."),
            FieldShape("params", .dictionary(key: .identifier, value: .anything), "Settings of the write, such as the audience or list id for add_to_list."),
            FieldShape("tags", .list(.template, minimumCount: 1), "For tag: the tags to apply; each may use {{ }}."),
            FieldShape("batch_size", .integer(minimum: 1, maximum: nil), "Records per write call; at most what the platform accepts."),
        ] + commonStepFields
    )

    static let notify = ObjectShape(
        "notify step",
        "Sends a message per record, or one digest per run, through Slack, e-mail or an outgoing webhook.",
        fields: [
            FieldShape("from", stepInputs, "The step whose records are announced; without it, one message is sent per run."),
            FieldShape("connection", .text(.identifier), required: true, "The connection to send through."),
            FieldShape("message", .template, required: true, "The message text; {{ }} interpolates expressions."),
            FieldShape("subject", .template, "The e-mail subject."),
            FieldShape("title", .template, "For a digest: a line above the records' lines; {{ }} may use params, now, run and trigger."),
            FieldShape("to", .template, "The recipient address, for e-mail."),
            FieldShape("channel", .text(.any), "The Slack channel, when sending with a bot token."),
            FieldShape("mode", .choice(["per_record", "digest"]), "`per_record` (default) or one `digest` listing every record."),
            FieldShape("once_per", .expression(.key), "Never send twice for the same key, across runs."),
            FieldShape("max_messages", .integer(minimum: 1, maximum: nil), "Send at most this many messages per run."),
            FieldShape("delivery", .choice(NotifyDelivery.allCases.map(\.rawValue)), "With once_per, a message whose delivery is unknown: `at_most_once` (default, not sent again) or `at_least_once` (sent again)."),
        ] + commonStepFields
    )

    static let step = ObjectShape(
        "step",
        "One step of the playbook: exactly one of fetch, transform, segment, sync, notify.",
        fields: [
            FieldShape("description", .text(.any), "What the step is for."),
            FieldShape("fetch", .object(fetch), fetch.summary),
            FieldShape("transform", .object(transform), transform.summary),
            FieldShape("segment", .object(segment), segment.summary),
            FieldShape("sync", .object(sync), sync.summary),
            FieldShape("notify", .object(notify), notify.summary),
        ],
        rules: [.exactlyOne(stepKinds)]
    )

    // MARK: Triggers, params, connections

    static let webhook = ObjectShape(
        "webhook trigger",
        "Runs the playbook when a signed HTTP request arrives at a path.",
        fields: [
            FieldShape("path", .text(.urlPath), required: true, "The path the request is sent to, such as `/hooks/forms`."),
            FieldShape("verify", .choice(["standard-webhooks", "stripe", "hubspot-v3", "shopify", "slack", "meta", "hmac-sha256", "none"]), required: true, "How the request's signature is checked."),
            FieldShape("signing_secret", .secretReference, "The secret the sender signs with."),
            FieldShape("verify_token", .secretReference, "For meta: the verify token entered in Meta's app dashboard, which its subscription check sends."),
            FieldShape("signature_header", .text(.any), "For hmac-sha256: the header holding the signature."),
            FieldShape("tolerance", .duration, "How old a signed timestamp may be before the request is refused as a replay (default 5m)."),
            FieldShape("max_body", .integer(minimum: 1, maximum: 10_485_760), "Largest accepted body in bytes (default 1048576)."),
        ],
        rules: [.requires("signature_header", ["signing_secret"])]
    )

    static let trigger = ObjectShape(
        "trigger",
        "What starts a run: a schedule, a webhook, or a person (manual).",
        fields: [
            FieldShape("schedule", .cron, "Cron text, quoted: \"*/15 8-18 * * MON-FRI\", or a macro such as \"@daily\"."),
            FieldShape("timezone", .timeZone, "The IANA time zone the schedule is read in (default UTC)."),
            FieldShape("catch_up", .choice(["none", "latest", "all"]), "What to do about runs missed while the server was down (default `latest`)."),
            FieldShape("catch_up_limit", .integer(minimum: 1, maximum: 1000), "With catch_up: all, the most missed runs to replay."),
            FieldShape("webhook", .object(webhook), webhook.summary),
            FieldShape("manual", .boolean, "`true`: the playbook can also be started by hand."),
            FieldShape("concurrency", .choice(["forbid", "queue", "replace"]), "When a run is still going: skip the new one (`forbid`, default), wait (`queue`) or stop the old one (`replace`)."),
        ],
        rules: [
            .exactlyOne(["schedule", "webhook", "manual"]),
            .requires("timezone", ["schedule"]),
            .requires("catch_up", ["schedule"]),
            .requires("catch_up_limit", ["catch_up"]),
        ]
    )

    static let param = ObjectShape(
        "parameter",
        "A value the playbook takes at run time, with a type and a default.",
        fields: [
            FieldShape("type", .choice(["string", "int", "double", "bool", "list", "duration", "timestamp"]), required: true, "The value's type."),
            FieldShape("default", .anything, "The value used when none is given."),
            FieldShape("required", .boolean, "`true`: a run must give a value (no default)."),
            FieldShape("description", .text(.any), "What the parameter means."),
        ],
        rules: [.atMostOne(["default", "required"])]
    )

    static let connection = ObjectShape(
        "connection",
        "An account on a platform, with the connector to use and how to authenticate.",
        fields: [
            FieldShape("connector", .text(.connector), required: true, "The connector, such as hubspot or slack (`playbook connectors` lists them), or the path of a connector spec file, such as `./connectors/acme-crm.yaml`."),
            FieldShape("auth", .dictionary(key: .identifier, value: .secretReference), "Credentials, each a `{ secret: NAME }` reference."),
            FieldShape("options", .dictionary(key: .identifier, value: .anything), "Settings of the connector, such as an account id."),
            FieldShape("rate_limit", .rateLimit, "Requests allowed, such as 100/10s; defaults to the platform's documented limit."),
            FieldShape("concurrency", .integer(minimum: 1, maximum: 100), "Most requests in flight at once on this connection."),
        ]
    )

    static let defaults = ObjectShape(
        "defaults",
        "Settings every step uses unless it says otherwise.",
        fields: [
            FieldShape("retry", .object(retryPolicy), "The retry policy of every remote call."),
            FieldShape("timeout", .duration, "Longest time one remote call may take (default 30s)."),
        ]
    )

    static let alert = ObjectShape(
        "alert",
        "A condition checked at the end of every run, and who to tell when it holds.",
        fields: [
            FieldShape("name", .text(.identifier), "A name for the alert."),
            FieldShape("when", .expression(.condition), required: true, "The condition, over `run` and `steps`, such as `run.status == \"failed\"`."),
            FieldShape("notify", .text(.identifier), required: true, "The connection to send the alert through."),
            FieldShape("message", .template, required: true, "The alert text; {{ }} interpolates expressions."),
            FieldShape("subject", .template, "The e-mail subject."),
            FieldShape("to", .template, "The recipient address, for e-mail."),
        ]
    )

    // MARK: The file

    /// The top level of a playbook file.
    public static let playbook = ObjectShape(
        "playbook",
        "A Playbook automation: where data comes from, how it is reshaped, where it goes, and who is told.",
        fields: [
            FieldShape("version", .integer(minimum: supportedVersions.lowerBound, maximum: supportedVersions.upperBound), required: true, "The language version; this build reads version 1."),
            FieldShape("name", .text(.slug), required: true, "The playbook's name: lowercase letters, digits, - and _."),
            FieldShape("description", .text(.any), "What the playbook does, for the people who maintain it."),
            FieldShape("labels", .dictionary(key: .identifier, value: .text(.any)), "Free-form labels such as team: growth."),
            FieldShape("triggers", .list(.object(trigger), minimumCount: 0), "What starts a run."),
            FieldShape("params", .dictionary(key: .identifier, value: .object(param)), "Values given at run time, read as `params.NAME`."),
            FieldShape("connections", .dictionary(key: .identifier, value: .object(connection)), "Accounts the steps read from and write to."),
            FieldShape("defaults", .object(defaults), "Retry and timeout settings for every step."),
            FieldShape("steps", .dictionary(key: .identifier, value: .object(step)), required: true, "The steps, by id."),
            FieldShape("alerts", .list(.object(alert), minimumCount: 0), "Conditions checked after each run."),
        ]
    )
}
