extension KnownConnectors {
    /// Mailchimp Marketing API 3.0: audiences, their members and campaigns with report totals.
    static let mailchimp = ConnectorDescriptor(
        name: "mailchimp",
        title: "Mailchimp Marketing",
        summary: "Audience members, audiences and campaign results in Mailchimp.",
        capabilities: [.read, .write],
        authSchemes: [
            AuthScheme(
                name: "basic",
                summary: "API key (`…-us21`), sent as the password of HTTP Basic; its suffix names the data centre.",
                requiredFields: ["api_key"]
            ),
            AuthScheme(
                name: "bearer",
                summary: "OAuth access token (never expires, no refresh); it carries no data centre, so `server_prefix` is required.",
                requiredFields: ["token"],
                requiredOptions: ["server_prefix"]
            ),
        ],
        options: [
            // Optional because an API key ends in its data centre (`…-us21`); an OAuth token does not,
            // which is why the `bearer` scheme makes it required.
            .init("server_prefix", .string, "Data centre in the API host `{dc}.api.mailchimp.com`, e.g. `us21`. Defaults to the API key's suffix after `-`."),
        ],
        // Mailchimp limits simultaneous connections, not requests per interval.
        maxConcurrency: 10,
        resources: [members, lists, campaigns]
    )

    private static let members = ResourceDescriptor(
        name: "members",
        summary: "Members of one audience (`/lists/{list_id}/members`); writes use batch subscribe (`POST /lists/{list_id}`) and tag segments.",
        syncModes: [.upsert, .insert, .tag],
        fields: [
            .init("id", .string, "Subscriber hash: MD5 of the lower-cased e-mail."),
            .init("email", .string, "`email_address`."),
            .init("status", .string, "`subscribed`, `unsubscribed`, `cleaned`, `pending` or `transactional`."),
            .init("first_name", .string, "Merge field `FNAME`."),
            .init("last_name", .string, "Merge field `LNAME`."),
            .init("merge_fields", .map(.dyn), "All merge fields by tag (`FNAME`, `PHONE`, custom ones)."),
            .init("tags", .list(.string), "Tag names (`tags[].name`)."),
            .init("language", .string, "`language`."),
            .init("vip", .bool, "`vip`."),
            .init("member_rating", .int, "Engagement stars 1–5 (`member_rating`); read-only."),
            .init("open_rate", .double, "Average open rate 0–1 (`stats.avg_open_rate`); read-only."),
            .init("click_rate", .double, "Average click rate 0–1 (`stats.avg_click_rate`); read-only."),
            .init("signed_up_at", .timestamp, "`timestamp_signup`."),
            .init("updated_at", .timestamp, "When the member last changed (`last_changed`); filtered with `since_last_changed`."),
        ],
        cursorFields: ["updated_at"],
        // The member id is derived from the e-mail, so the e-mail is the only key a playbook needs.
        matchFields: ["email"],
        parameters: [
            .init("list_id", .string, required: true, "Audience id, e.g. `a1b2c3d4e5`."),
            .init("status", .string, "Only members with this status, e.g. `subscribed`."),
        ],
        // Batch subscribe takes at most 500 members per call.
        maxBatchSize: 500,
        syncParameters: [
            .init("list_id", .string, required: true, "Audience id to write to."),
            .init("status_if_new", .string, "Status given to members that do not exist yet.", default: "subscribed"),
        ]
    )

    private static let lists = ResourceDescriptor(
        name: "lists",
        summary: "Audiences in the account (`/lists`).",
        fields: [
            .init("id", .string, "Audience id."),
            .init("name", .string, "`name`."),
            .init("member_count", .int, "Subscribed members (`stats.member_count`)."),
            .init("unsubscribe_count", .int, "`stats.unsubscribe_count`."),
            .init("open_rate", .double, "Average open rate in percent (`stats.open_rate`)."),
            .init("click_rate", .double, "Average click rate in percent (`stats.click_rate`)."),
            .init("last_campaign_sent_at", .timestamp, "`stats.campaign_last_sent`."),
            .createdAt("date_created"),
        ],
        cursorFields: ["created_at"]
    )

    private static let campaigns = ResourceDescriptor(
        name: "campaigns",
        summary: "E-mail campaigns with their report totals (`/campaigns`).",
        fields: [
            .init("id", .string, "Campaign id."),
            .init("type", .string, "`regular`, `plaintext`, `absplit`, `rss` or `variate`."),
            .init("status", .string, "`save`, `paused`, `schedule`, `sending` or `sent`."),
            .init("title", .string, "`settings.title`."),
            .init("subject_line", .string, "`settings.subject_line`."),
            .init("list_id", .string, "`recipients.list_id`."),
            .init("emails_sent", .int, "`emails_sent`."),
            .init("opens", .int, "`report_summary.opens`."),
            .init("unique_opens", .int, "`report_summary.unique_opens`."),
            .init("open_rate", .double, "`report_summary.open_rate` (0–1)."),
            .init("clicks", .int, "`report_summary.clicks`."),
            .init("click_rate", .double, "`report_summary.click_rate` (0–1)."),
            .init("sent_at", .timestamp, "`send_time`."),
            .createdAt("create_time"),
        ],
        cursorFields: ["created_at", "sent_at"],
        parameters: [
            .init("status", .string, "Only campaigns with this status, e.g. `sent`."),
        ]
    )
}
