extension KnownConnectors {
    /// Google Analytics 4 Data API (`properties/{id}:runReport`).
    static let ga4 = ConnectorDescriptor(
        name: "ga4",
        title: "Google Analytics 4",
        summary: "Reports from a Google Analytics 4 property: any dimensions and metrics over a date range.",
        capabilities: [.read],
        authSchemes: [
            .oauth2RefreshToken("OAuth refresh token with the `analytics.readonly` scope."),
            AuthScheme(
                name: "service_account",
                summary: "A service account's JSON key; the account must be added to the property as a viewer.",
                requiredFields: ["service_account_key"]
            ),
        ],
        options: [
            .init("property_id", .string, required: true, "Numeric GA4 property id (not the `G-…` measurement id), e.g. `312345678`."),
        ],
        // Quotas are counted in tokens per property, not requests, so only the concurrency cap applies:
        // 10 concurrent requests on standard properties (50 on Analytics 360).
        maxConcurrency: 10,
        resources: [report]
    )

    private static let report = ResourceDescriptor(
        name: "report",
        summary: "One row per combination of the requested dimensions. Fields are the requested API names in snake_case (`sessionSource` → `session_source`): dimensions are strings, metrics numbers. The common ones are declared below.",
        fields: [
            .init("date", .string, "Dimension `date` (YYYYMMDD)."),
            .init("session_source", .string, "Dimension `sessionSource`."),
            .init("session_medium", .string, "Dimension `sessionMedium`."),
            .init("session_campaign_name", .string, "Dimension `sessionCampaignName`."),
            .init("session_default_channel_group", .string, "Dimension `sessionDefaultChannelGroup`."),
            .init("landing_page", .string, "Dimension `landingPage`."),
            .init("country", .string, "Dimension `country`."),
            .init("device_category", .string, "Dimension `deviceCategory`."),
            .init("sessions", .int, "Metric `sessions`."),
            .init("engaged_sessions", .int, "Metric `engagedSessions`."),
            .init("engagement_rate", .double, "Metric `engagementRate` (0–1)."),
            .init("total_users", .int, "Metric `totalUsers`."),
            .init("new_users", .int, "Metric `newUsers`."),
            .init("screen_page_views", .int, "Metric `screenPageViews`."),
            .init("key_events", .double, "Metric `keyEvents` (formerly conversions)."),
            .init("total_revenue", .double, "Metric `totalRevenue`, in property currency."),
        ],
        parameters: [
            .init("dimensions", .list(.string), required: true, "API names of dimensions, e.g. `[date, sessionSource]`."),
            .init("metrics", .list(.string), required: true, "API names of metrics, e.g. `[sessions, keyEvents]`."),
            .init("date_range", .object([
                .init("start_date", .string, "`YYYY-MM-DD`, `today`, `yesterday` or `NdaysAgo`."),
                .init("end_date", .string, "Same forms as `start_date`."),
            ]), "`dateRanges[0]`.", default: "{ start_date: 7daysAgo, end_date: yesterday }"),
            .init("limit", .int, "Rows per page (at most 250,000).", default: "10000"),
        ]
    )
}
