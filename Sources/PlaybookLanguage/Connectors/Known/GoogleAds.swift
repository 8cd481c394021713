extension KnownConnectors {
    /// Google Ads API: GAQL reports through `googleAds:search`, changes through `:mutate`.
    ///
    /// Money comes from the API in micros (millionths of the account currency); record fields in
    /// currency are doubles divided by 1,000,000, and the `_micros` twins keep the exact integers.
    static let googleAds = ConnectorDescriptor(
        name: "google_ads",
        title: "Google Ads",
        summary: "Campaign performance, campaigns and budgets in Google Ads, plus offline conversion and Customer Match uploads.",
        capabilities: [.read, .write],
        authSchemes: [
            .oauth2RefreshToken(
                "Developer token (sent as `developer-token`) plus an OAuth refresh token with the `adwords` scope.",
                extraRequired: ["developer_token"]
            ),
        ],
        options: [
            .init("customer_id", .string, required: true, "The Google Ads account to act on, ten digits without hyphens, e.g. `1234567890`."),
            .init("login_customer_id", .string, "Manager account id sent as `login-customer-id` when access goes through a manager."),
        ],
        // Basic access allows 15,000 operations per developer token per sliding 24 h (Standard access is
        // unlimited); a query counts once however many pages it has.
        defaultRateLimit: "15000/24h",
        resources: [campaignPerformance, campaigns, campaignBudgets, offlineConversions, customerMatchUsers]
    )

    // One mutate request takes at most 10,000 operations (`TOO_MANY_MUTATE_OPERATIONS`).
    private static let mutateLimit = 10_000

    private static let gaqlWhere = ConnectorOption(
        "where", .string, "Extra GAQL condition, e.g. `campaign.status = 'ENABLED'`."
    )

    private static let reportParameters: [ConnectorOption] = [
        .init("date_range", .string, "A GAQL `DURING` range: `TODAY`, `YESTERDAY`, `LAST_7_DAYS`, `LAST_14_DAYS`, `LAST_30_DAYS`, `THIS_MONTH`, `LAST_MONTH`, ….", default: "LAST_7_DAYS"),
        .init("start_date", .string, "First day (YYYY-MM-DD); with `end_date`, replaces `date_range`."),
        .init("end_date", .string, "Last day (YYYY-MM-DD), inclusive."),
        gaqlWhere,
    ]

    private static let campaignPerformance = ResourceDescriptor(
        name: "campaign_performance",
        summary: "One row per campaign and day (`FROM campaign` with `segments.date`), with the campaign's daily budget.",
        fields: [
            .init("campaign_id", .string, "`campaign.id`."),
            .init("campaign_name", .string, "`campaign.name`."),
            .init("campaign_status", .string, "`campaign.status`: `ENABLED`, `PAUSED` or `REMOVED`."),
            .init("channel", .string, "`campaign.advertising_channel_type`, e.g. `SEARCH`, `PERFORMANCE_MAX`."),
            .init("date", .string, "`segments.date` (YYYY-MM-DD, account time zone)."),
            .init("currency", .string, "`customer.currency_code`, e.g. `EUR`."),
            .init("impressions", .int, "`metrics.impressions`."),
            .init("clicks", .int, "`metrics.clicks`."),
            .init("ctr", .double, "`metrics.ctr` (0–1)."),
            .init("average_cpc", .double, "`metrics.average_cpc` ÷ 1,000,000, in account currency."),
            .init("cost", .double, "`metrics.cost_micros` ÷ 1,000,000, in account currency."),
            .init("cost_micros", .int, "`metrics.cost_micros`."),
            .init("conversions", .double, "`metrics.conversions` (fractional under data-driven attribution)."),
            .init("conversions_value", .double, "`metrics.conversions_value`, in account currency."),
            .init("cost_per_conversion", .double, "`metrics.cost_per_conversion` ÷ 1,000,000, in account currency."),
            .init("budget_id", .string, "Id of `campaign.campaign_budget`."),
            .init("budget_amount", .double, "`campaign_budget.amount_micros` ÷ 1,000,000: daily budget in account currency."),
        ],
        parameters: reportParameters
    )

    private static let campaigns = ResourceDescriptor(
        name: "campaigns",
        summary: "Campaign settings (`FROM campaign`); update changes status (e.g. pause) through `campaigns:mutate`.",
        syncModes: [.update],
        fields: [
            .init("id", .string, "`campaign.id`."),
            .init("name", .string, "`campaign.name`."),
            .init("status", .string, "`campaign.status`: `ENABLED`, `PAUSED` or `REMOVED`."),
            .init("channel", .string, "`campaign.advertising_channel_type`; read-only."),
            .init("bidding_strategy_type", .string, "`campaign.bidding_strategy_type`; read-only."),
            .init("budget_id", .string, "Id of `campaign.campaign_budget`."),
            .init("start_date", .string, "`campaign.start_date` (YYYY-MM-DD)."),
            .init("end_date", .string, "`campaign.end_date` (YYYY-MM-DD)."),
        ],
        matchFields: ["id"],
        parameters: [gaqlWhere],
        maxBatchSize: mutateLimit
    )

    private static let campaignBudgets = ResourceDescriptor(
        name: "campaign_budgets",
        summary: "Campaign budgets (`FROM campaign_budget`); update changes the daily amount through `campaignBudgets:mutate`.",
        syncModes: [.update],
        fields: [
            .init("id", .string, "`campaign_budget.id`."),
            .init("name", .string, "`campaign_budget.name`."),
            .init("amount", .double, "Daily amount in account currency; written as `amount_micros` = amount × 1,000,000."),
            .init("amount_micros", .int, "`campaign_budget.amount_micros`; when a sync sets both, this one wins."),
            .init("delivery_method", .string, "`STANDARD` or `ACCELERATED`."),
            .init("shared", .bool, "`campaign_budget.explicitly_shared`: used by several campaigns; read-only."),
            .init("status", .string, "`ENABLED` or `REMOVED`; read-only."),
        ],
        matchFields: ["id"],
        maxBatchSize: mutateLimit
    )

    private static let offlineConversions = ResourceDescriptor(
        name: "offline_conversions",
        summary: "Click conversions uploaded after the fact (`customers/{id}:uploadClickConversions`, partial failure on).",
        readable: false,
        syncModes: [.insert],
        fields: [
            .init("gclid", .string, "The Google click id captured with the lead."),
            .init("conversion_action", .string, "Conversion action id (or its resource name)."),
            .init("conversion_time", .timestamp, "`conversion_date_time`; sent as `yyyy-mm-dd hh:mm:ss+hh:mm`."),
            .init("conversion_value", .double, "`conversion_value`."),
            .init("currency", .string, "`currency_code`, e.g. `EUR`."),
            .init("order_id", .string, "`order_id`: Google drops a second upload with the same id, so it makes retries safe."),
        ],
        matchFields: ["order_id"],
        // Not a mutate call, so the 10,000 limit does not apply; Google documents 2,000 conversions per request.
        maxBatchSize: 2_000
    )

    private static let customerMatchUsers = ResourceDescriptor(
        name: "customer_match_users",
        summary: "People added to a Customer Match user list through an offline user data job; identifiers are normalised and SHA-256 hashed before upload.",
        readable: false,
        syncModes: [.addToList],
        fields: [
            .init("email", .string, "E-mail; trimmed, lower-cased and hashed."),
            .init("phone", .string, "Phone in E.164 (`+48…`); hashed."),
            .init("first_name", .string, "Hashed with `last_name`, `country_code` and `postal_code` as an address."),
            .init("last_name", .string, "See `first_name`."),
            .init("country_code", .string, "Two-letter country code; sent in clear."),
            .init("postal_code", .string, "Sent in clear."),
        ],
        matchFields: ["email", "phone"],
        maxBatchSize: mutateLimit,
        syncParameters: [
            .init("user_list_id", .string, required: true, "The Customer Match user list id."),
        ]
    )
}
