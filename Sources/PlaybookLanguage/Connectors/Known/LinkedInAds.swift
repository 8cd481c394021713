extension KnownConnectors {
    /// LinkedIn Marketing API (versioned `/rest/` endpoints, Rest.li 2.0).
    static let linkedInAds = ConnectorDescriptor(
        name: "linkedin_ads",
        title: "LinkedIn Ads",
        summary: "LinkedIn campaign analytics, campaigns and their budgets, and Lead Gen Form responses.",
        capabilities: [.read, .write],
        authSchemes: [
            .oauth2RefreshToken("OAuth app with programmatic refresh tokens (approved partners); refresh tokens last 365 days."),
            AuthScheme(
                name: "bearer",
                summary: "A 60-day member access token; it must be replaced by hand before it expires.",
                requiredFields: ["access_token"]
            ),
        ],
        options: [
            .init("ad_account_id", .string, required: true, "Sponsored account id, digits only, e.g. `508123456`."),
            // Required because the `LinkedIn-Version` header has no default and each version is
            // supported for about a year; pinning it in the playbook makes the upgrade a visible change.
            .init("api_version", .string, required: true, "`LinkedIn-Version` header, YYYYMM, e.g. `202603`."),
        ],
        // LinkedIn publishes no numbers: daily per-endpoint quotas reset at 00:00 UTC, a bare 429 when spent.
        resources: [campaignAnalytics, campaigns, leadFormResponses]
    )

    private static let campaignAnalytics = ResourceDescriptor(
        name: "campaign_analytics",
        summary: "One row per campaign and day (`/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY`); unpaged and capped at 15,000 rows, so the runtime splits long ranges. Names and budgets live on `campaigns`: join on `campaign_id`.",
        fields: [
            .init("campaign_id", .string, "Id from the `urn:li:sponsoredCampaign:…` in `pivotValues`."),
            .init("date", .string, "`dateRange.start` (YYYY-MM-DD)."),
            .init("impressions", .int, "`impressions`."),
            .init("clicks", .int, "`clicks`."),
            .init("landing_page_clicks", .int, "`landingPageClicks`."),
            .init("cost", .double, "`costInLocalCurrency`, in account currency."),
            .init("cost_usd", .double, "`costInUsd`."),
            .init("conversions", .double, "`externalWebsiteConversions`."),
            .init("leads", .int, "`oneClickLeads` (Lead Gen Form submissions)."),
            .init("cost_per_conversion", .double, "`cost` ÷ `conversions`; null when there are none."),
        ],
        parameters: [
            .init("start_date", .string, required: true, "First day (YYYY-MM-DD)."),
            .init("end_date", .string, "Last day (YYYY-MM-DD), inclusive; defaults to yesterday."),
            .init("time_granularity", .string, "`DAILY`, `MONTHLY` or `ALL`.", default: "DAILY"),
        ]
    )

    private static let campaigns = ResourceDescriptor(
        name: "campaigns",
        summary: "Campaigns of the ad account (`/rest/adAccounts/{id}/adCampaigns?q=search`); update changes budgets or status (partial update, one per call).",
        syncModes: [.update],
        fields: [
            .init("id", .string, "Campaign id (from `urn:li:sponsoredCampaign:…`)."),
            .init("name", .string, "`name`."),
            .init("status", .string, "`status`: `ACTIVE`, `PAUSED`, `ARCHIVED`, `DRAFT`, …."),
            .init("campaign_group_id", .string, "From `campaignGroup`."),
            .init("type", .string, "`type`, e.g. `SPONSORED_UPDATES`; read-only."),
            .init("cost_type", .string, "`costType`: `CPC`, `CPM`, …; read-only."),
            .init("currency", .string, "`dailyBudget.currencyCode`; read-only."),
            .init("daily_budget", .double, "`dailyBudget.amount`, in account currency."),
            .init("total_budget", .double, "`totalBudget.amount`, in account currency."),
            .init("unit_cost", .double, "Bid (`unitCost.amount`)."),
            .createdAt("changeAuditStamps.created.time"),
            .updatedAt("changeAuditStamps.lastModified.time"),
        ],
        matchFields: ["id"],
        parameters: [
            .init("status", .list(.string), "Only campaigns in these states, e.g. `[ACTIVE]`."),
        ],
        maxBatchSize: 1
    )

    private static let leadFormResponses = ResourceDescriptor(
        name: "lead_form_responses",
        summary: "Lead Gen Form submissions from sponsored content (`/rest/leadFormResponses?q=owner`), filtered on `submittedAt` for incremental reads.",
        fields: [
            .init("id", .string, "Response id."),
            .init("submitted_at", .timestamp, "`submittedAt` (epoch milliseconds)."),
            .init("form_id", .string, "From `leadGenFormUrn`."),
            .init("campaign_id", .string, "From `leadMetadata.sponsoredLeadMetadata.campaign`."),
            .init("test_lead", .bool, "`testLead`: submitted from the form preview."),
            .init("answers", .map(.string), "Answers by question name, e.g. `answers.email`, `answers.company_name`."),
        ],
        cursorFields: ["submitted_at"],
        parameters: [
            .init("form_id", .string, "Only responses to this form."),
        ]
    )
}
