extension KnownConnectors {
    /// Salesforce REST API: SOQL queries to read, sObject Collections to write.
    static let salesforce = ConnectorDescriptor(
        name: "salesforce",
        title: "Salesforce",
        summary: "Leads, contacts, campaigns and campaign members in Salesforce Sales Cloud.",
        capabilities: [.read, .write],
        authSchemes: [
            // The token response names the org's instance URL, so this scheme needs no `instance_url`.
            .oauth2RefreshToken(
                "Connected app: the runtime refreshes access tokens at `login_url` and learns `instance_url` from the answer.",
                clientSecretRequired: false
            ),
            AuthScheme(
                name: "bearer",
                summary: "An access (session) token; it expires, so use it for short-lived runs only.",
                requiredFields: ["token"],
                requiredOptions: ["instance_url"]
            ),
        ],
        options: [
            .init("instance_url", .string, "The org's API host, e.g. `https://acme.my.salesforce.com`."),
            .init("login_url", .string, "Where tokens are refreshed; `https://test.salesforce.com` for sandboxes.", default: "https://login.salesforce.com"),
            .init("api_version", .string, "REST API version in the path `/services/data/v{api_version}/` (Winter '26 = `65.0`).", default: "65.0"),
        ],
        // The daily allocation depends on edition and licences (`Sforce-Limit-Info` reports it), so no
        // fixed rate; the documented cap is 25 concurrent long-running (≥ 20 s) requests in production.
        maxConcurrency: 25,
        resources: [leads, contacts, campaigns, campaignMembers]
    )

    // sObject Collections create, update and upsert take at most 200 records per call.
    private static let collectionLimit = 200

    private static let personMatchFields = ["id", "external_id"]

    private static let externalIdParameter = ConnectorOption(
        "external_id_field", .string,
        "API name of the External ID field upsert matches `external_id` against, e.g. `Ext_Id__c`."
    )

    private static let soqlParameters: [ConnectorOption] = [
        .init("where", .string, "Extra SOQL condition, e.g. `LeadSource = 'Web'`."),
        .init("include_deleted", .bool, "Use `queryAll` to include deleted records.", default: "false"),
    ]

    private static func personFields(extra: [ValueType.Field]) -> [ValueType.Field] {
        [
            .init("id", .string, "18-character record id (`Id`)."),
            .init("external_id", .string, "Value of the External ID field named by `external_id_field`."),
            .init("email", .string, "`Email`."),
            .init("first_name", .string, "`FirstName`."),
            .init("last_name", .string, "`LastName`."),
            .init("title", .string, "`Title`."),
            .init("phone", .string, "`Phone`."),
            .init("lead_source", .string, "`LeadSource`."),
            .init("owner_id", .string, "`OwnerId`."),
        ] + extra + [
            .init("custom_fields", .map(.dyn), "Custom fields by API name (`Score__c`)."),
            .createdAt("CreatedDate"),
            .updatedAt("LastModifiedDate"),
        ]
    }

    private static let leads = ResourceDescriptor(
        name: "leads",
        summary: "Lead records (`SELECT … FROM Lead`; writes via `/composite/sobjects/Lead`).",
        syncModes: [.upsert, .insert, .update],
        fields: personFields(extra: [
            .init("company", .string, "`Company` (required when creating)."),
            .init("status", .string, "`Status`, e.g. `Open - Not Contacted`."),
            .init("rating", .string, "`Rating`: `Hot`, `Warm` or `Cold`."),
            .init("is_converted", .bool, "`IsConverted`; read-only."),
        ]),
        cursorFields: ["updated_at", "created_at"],
        // Upsert matches an External ID field (Email is not one by default); update matches the Id.
        matchFields: personMatchFields,
        parameters: soqlParameters,
        maxBatchSize: collectionLimit,
        syncParameters: [externalIdParameter]
    )

    private static let contacts = ResourceDescriptor(
        name: "contacts",
        summary: "Contact records (`SELECT … FROM Contact`; writes via `/composite/sobjects/Contact`).",
        syncModes: [.upsert, .insert, .update],
        fields: personFields(extra: [
            .init("account_id", .string, "`AccountId`."),
            .init("mailing_country", .string, "`MailingCountry`."),
        ]),
        cursorFields: ["updated_at", "created_at"],
        matchFields: personMatchFields,
        parameters: soqlParameters,
        maxBatchSize: collectionLimit,
        syncParameters: [externalIdParameter]
    )

    private static let campaigns = ResourceDescriptor(
        name: "campaigns",
        summary: "Campaign records (`SELECT … FROM Campaign`).",
        fields: [
            .init("id", .string, "`Id`."),
            .init("name", .string, "`Name`."),
            .init("type", .string, "`Type`, e.g. `Webinar`."),
            .init("status", .string, "`Status`."),
            .init("is_active", .bool, "`IsActive`."),
            .init("start_date", .string, "`StartDate` (YYYY-MM-DD)."),
            .init("end_date", .string, "`EndDate` (YYYY-MM-DD)."),
            .init("budgeted_cost", .double, "`BudgetedCost`, in the org currency."),
            .init("actual_cost", .double, "`ActualCost`, in the org currency."),
            .init("number_of_leads", .int, "`NumberOfLeads`."),
            .init("number_of_responses", .int, "`NumberOfResponses`."),
            .createdAt("CreatedDate"),
            .updatedAt("LastModifiedDate"),
        ],
        cursorFields: ["updated_at", "created_at"],
        parameters: soqlParameters
    )

    private static let campaignMembers = ResourceDescriptor(
        name: "campaign_members",
        summary: "Leads and contacts attached to campaigns (`CampaignMember`); insert adds a person to a campaign.",
        syncModes: [.insert, .update],
        fields: [
            .init("id", .string, "`Id`."),
            .init("campaign_id", .string, "`CampaignId`."),
            .init("lead_id", .string, "`LeadId`, when the member is a lead."),
            .init("contact_id", .string, "`ContactId`, when the member is a contact."),
            .init("status", .string, "`Status`, e.g. `Sent`, `Responded`."),
            .init("has_responded", .bool, "`HasResponded`; read-only."),
            .createdAt("CreatedDate"),
            .updatedAt("LastModifiedDate"),
        ],
        cursorFields: ["updated_at", "created_at"],
        matchFields: ["id"],
        parameters: soqlParameters,
        maxBatchSize: collectionLimit
    )
}
