extension KnownConnectors {
    /// Meta Marketing API (Graph API): insights, campaigns, ad sets, lead ads and custom audiences.
    ///
    /// Meta sends budgets in the currency's minor unit (cents) and metrics as strings; record fields
    /// are doubles in the account currency's major unit, converted by the runtime both ways.
    static let metaAds = ConnectorDescriptor(
        name: "meta_ads",
        title: "Meta Ads",
        summary: "Facebook and Instagram ads: campaign insights, campaign and ad set budgets, lead ad submissions and custom audience uploads.",
        capabilities: [.read, .write],
        authSchemes: [
            AuthScheme(
                name: "access_token",
                summary: "System-user (or long-lived user) access token, sent as the `access_token` parameter; Meta has no refresh-token grant.",
                requiredFields: ["access_token"]
            ),
        ],
        options: [
            .init("ad_account_id", .string, required: true, "Ad account id, digits only or with the `act_` prefix, e.g. `act_1234567890`."),
        ],
        // Business-use-case limits scale with active ads and arrive as usage-percentage headers rather
        // than a fixed rate, so there is no default; the runtime slows down as the headers approach 100 %.
        resources: [campaignInsights, campaigns, adSets, leads, customAudienceUsers]
    )

    private static let budgetFields: [ValueType.Field] = [
        .init("daily_budget", .double, "`daily_budget` in account currency (Meta stores minor units)."),
        .init("lifetime_budget", .double, "`lifetime_budget` in account currency."),
        .init("budget_remaining", .double, "`budget_remaining` in account currency; read-only."),
    ]

    private static let campaignInsights = ResourceDescriptor(
        name: "campaign_insights",
        summary: "One row per campaign and day (`/act_{id}/insights?level=campaign&time_increment=1`); large ranges run as async report jobs. Budgets live on `campaigns`: join on `campaign_id`.",
        fields: [
            .init("campaign_id", .string, "`campaign_id`."),
            .init("campaign_name", .string, "`campaign_name`."),
            .init("date", .string, "`date_start` (YYYY-MM-DD, account time zone)."),
            .init("currency", .string, "`account_currency`."),
            .init("impressions", .int, "`impressions`."),
            .init("reach", .int, "`reach`."),
            .init("clicks", .int, "`clicks` (all clicks)."),
            .init("link_clicks", .int, "`inline_link_clicks`."),
            .init("ctr", .double, "`ctr`, in percent."),
            .init("cpc", .double, "`cpc`, in account currency."),
            .init("cpm", .double, "`cpm`, in account currency."),
            .init("spend", .double, "`spend`, in account currency."),
            .init("conversions", .double, "Sum of `actions` whose type is in `conversion_action_types`."),
            .init("cost_per_conversion", .double, "`spend` ÷ `conversions`; null when there are none."),
            .init("actions", .map(.double), "Every `actions` entry: `action_type` → `value`."),
        ],
        parameters: [
            .init("date_preset", .string, "`today`, `yesterday`, `last_7d`, `last_14d`, `last_30d`, `this_month`, `last_month`, ….", default: "last_7d"),
            .init("since", .string, "First day (YYYY-MM-DD); with `until`, replaces `date_preset` (`time_range`)."),
            .init("until", .string, "Last day (YYYY-MM-DD), inclusive."),
            .init("conversion_action_types", .list(.string), "Which `actions` count as conversions.", default: "[offsite_conversion.fb_pixel_purchase]"),
        ]
    )

    private static let campaigns = ResourceDescriptor(
        name: "campaigns",
        summary: "Campaigns of the ad account (`/act_{id}/campaigns`); update changes budgets or status (`POST /{campaign_id}`, one per call).",
        syncModes: [.update],
        fields: [
            .init("id", .string, "`id`."),
            .init("name", .string, "`name`."),
            .init("status", .string, "`status`: `ACTIVE`, `PAUSED`, `ARCHIVED` or `DELETED`."),
            .init("effective_status", .string, "`effective_status`; read-only."),
            .init("objective", .string, "`objective`, e.g. `OUTCOME_LEADS`; read-only."),
            .init("bid_strategy", .string, "`bid_strategy`."),
        ] + budgetFields + [
            .init("start_time", .timestamp, "`start_time`."),
            .init("stop_time", .timestamp, "`stop_time`."),
            .createdAt("created_time"),
            .updatedAt("updated_time"),
        ],
        cursorFields: ["updated_at"],
        matchFields: ["id"],
        parameters: [
            .init("effective_status", .list(.string), "Only campaigns in these states, e.g. `[ACTIVE, PAUSED]`."),
        ],
        maxBatchSize: 1
    )

    private static let adSets = ResourceDescriptor(
        name: "adsets",
        summary: "Ad sets of the ad account (`/act_{id}/adsets`); budgets sit here when campaign budget optimisation is off.",
        syncModes: [.update],
        fields: [
            .init("id", .string, "`id`."),
            .init("campaign_id", .string, "`campaign_id`."),
            .init("name", .string, "`name`."),
            .init("status", .string, "`status`."),
            .init("optimization_goal", .string, "`optimization_goal`; read-only."),
            .init("billing_event", .string, "`billing_event`; read-only."),
        ] + budgetFields + [
            .createdAt("created_time"),
            .updatedAt("updated_time"),
        ],
        cursorFields: ["updated_at"],
        matchFields: ["id"],
        maxBatchSize: 1
    )

    private static let leads = ResourceDescriptor(
        name: "leads",
        summary: "Lead ad submissions of one form (`/{form_id}/leads`), filtered on `time_created` for incremental reads.",
        fields: [
            .init("id", .string, "Lead id."),
            .createdAt("created_time"),
            .init("form_id", .string, "`form_id`."),
            .init("ad_id", .string, "`ad_id`."),
            .init("ad_name", .string, "`ad_name`."),
            .init("adset_id", .string, "`adset_id`."),
            .init("campaign_id", .string, "`campaign_id`."),
            .init("campaign_name", .string, "`campaign_name`."),
            .init("platform", .string, "`platform`: `fb` or `ig`."),
            .init("is_organic", .bool, "`is_organic`."),
            .init("field_data", .list(.object([
                .init("name", .string, "Question key, e.g. `email`."),
                .init("values", .list(.string), "Answers."),
            ])), "`field_data` as Meta sends it."),
            .init("answers", .map(.string), "First value of each `field_data` entry by name, e.g. `answers.email`."),
        ],
        cursorFields: ["created_at"],
        parameters: [
            .init("form_id", .string, required: true, "Lead form id, from Instant Forms in Meta Business Suite."),
        ]
    )

    private static let customAudienceUsers = ResourceDescriptor(
        name: "custom_audience_users",
        summary: "People added to a customer-list custom audience (`POST /{audience_id}/users`); identifiers are normalised and SHA-256 hashed; matching takes up to 24 h.",
        readable: false,
        syncModes: [.addToList],
        fields: [
            .init("email", .string, "Schema `EMAIL`; trimmed, lower-cased, hashed."),
            .init("phone", .string, "Schema `PHONE`; digits with country code, hashed."),
            .init("first_name", .string, "Schema `FN`; hashed."),
            .init("last_name", .string, "Schema `LN`; hashed."),
            .init("country", .string, "Schema `COUNTRY`, two-letter code; hashed."),
            .init("external_id", .string, "Schema `EXTERN_ID`: your own id, sent as given."),
        ],
        matchFields: ["email", "phone", "external_id"],
        // The users endpoint takes at most 10,000 records per call (uploads spanning calls share a session).
        maxBatchSize: 10_000,
        syncParameters: [
            .init("audience_id", .string, required: true, "Custom audience id."),
        ]
    )
}
