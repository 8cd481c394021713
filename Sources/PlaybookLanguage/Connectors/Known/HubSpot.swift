extension KnownConnectors {
    /// HubSpot CRM v3 objects and forms. Record fields are snake_case; each summary names the HubSpot
    /// property it maps to, and `properties` carries custom properties by their internal names.
    static let hubspot = ConnectorDescriptor(
        name: "hubspot",
        title: "HubSpot CRM",
        summary: "Contacts, companies and deals in HubSpot CRM, and submissions of HubSpot forms.",
        capabilities: [.read, .write],
        authSchemes: [
            AuthScheme(
                name: "bearer",
                summary: "Private (or service) app access token, sent as `Authorization: Bearer`.",
                requiredFields: ["token"]
            ),
            .oauth2RefreshToken("OAuth app: the runtime refreshes the 30-minute access token at `oauth/v1/token`."),
        ],
        // The lowest documented burst limit (Free and Starter, per app per 10 s); paid tiers allow 190,
        // and the `X-HubSpot-RateLimit-*` headers slow the bucket further at run time.
        defaultRateLimit: "100/10s",
        resources: [contacts, companies, deals, formSubmissions]
    )

    // Batch read, create, update and upsert all take at most 100 inputs.
    private static let batchLimit = 100

    private static let objectParameters: [ConnectorOption] = [
        .init("properties", .list(.string), "Extra HubSpot properties to read, by internal name; they appear under `properties`."),
        .init("archived", .bool, "Read archived records instead of live ones.", default: "false"),
    ]

    private static let contacts = ResourceDescriptor(
        name: "contacts",
        summary: "CRM contacts (`/crm/v3/objects/contacts`); incremental reads use the search endpoint (5 requests/s, 10,000 results per query).",
        syncModes: [.upsert, .insert, .update],
        fields: [
            .init("id", .string, "HubSpot record id (`hs_object_id`)."),
            .init("email", .string, "Primary e-mail (`email`); unique, so upsert can match on it."),
            .init("first_name", .string, "`firstname`."),
            .init("last_name", .string, "`lastname`."),
            .init("phone", .string, "`phone`."),
            .init("company", .string, "Company name as typed on the contact (`company`)."),
            .init("job_title", .string, "`jobtitle`."),
            .init("lifecycle_stage", .string, "`lifecyclestage`, e.g. `lead`, `marketingqualifiedlead`, `customer`."),
            .init("lead_status", .string, "`hs_lead_status`, e.g. `NEW`, `OPEN`, `IN_PROGRESS`."),
            .init("owner_id", .string, "`hubspot_owner_id`."),
            .init("hubspot_score", .int, "`hubspotscore`."),
            .init("page_views", .int, "Website page views (`hs_analytics_num_page_views`); read-only."),
            .init("emails_opened", .int, "Marketing e-mails opened (`hs_email_open`); read-only."),
            .init("last_email_opened_at", .timestamp, "`hs_email_last_open_date`; read-only."),
            .init("opened_last_email", .bool, "True when `hs_email_last_open_date` is not before `hs_email_last_send_date`; read-only."),
            .init("original_source", .string, "`hs_analytics_source`, e.g. `ORGANIC_SEARCH`, `PAID_SOCIAL`; read-only."),
            .init("properties", .map(.dyn), "Custom and extra properties by internal name."),
            .createdAt("createdate"),
            .updatedAt("lastmodifieddate"),
            .init("archived", .bool, "Whether the record is archived."),
        ],
        cursorFields: ["updated_at", "created_at"],
        // Upsert needs a unique property (`idProperty`); `email` is one, `id` is the object id.
        matchFields: ["email", "id"],
        parameters: objectParameters,
        maxBatchSize: batchLimit
    )

    private static let companies = ResourceDescriptor(
        name: "companies",
        summary: "CRM companies (`/crm/v3/objects/companies`).",
        syncModes: [.insert, .update],
        fields: [
            .init("id", .string, "HubSpot record id (`hs_object_id`)."),
            .init("name", .string, "`name`."),
            .init("domain", .string, "Company website domain (`domain`)."),
            .init("industry", .string, "`industry`."),
            .init("number_of_employees", .int, "`numberofemployees`."),
            .init("annual_revenue", .double, "`annualrevenue`, in the portal currency."),
            .init("city", .string, "`city`."),
            .init("country", .string, "`country`."),
            .init("lifecycle_stage", .string, "`lifecyclestage`."),
            .init("owner_id", .string, "`hubspot_owner_id`."),
            .init("properties", .map(.dyn), "Custom and extra properties by internal name."),
            .createdAt("createdate"),
            .updatedAt("hs_lastmodifieddate"),
            .init("archived", .bool, "Whether the record is archived."),
        ],
        cursorFields: ["updated_at", "created_at"],
        // `domain` is not a unique property out of the box, so there is no upsert; update matches by id.
        matchFields: ["id"],
        parameters: objectParameters,
        maxBatchSize: batchLimit
    )

    private static let deals = ResourceDescriptor(
        name: "deals",
        summary: "CRM deals (`/crm/v3/objects/deals`).",
        syncModes: [.insert, .update],
        fields: [
            .init("id", .string, "HubSpot record id (`hs_object_id`)."),
            .init("name", .string, "`dealname`."),
            .init("amount", .double, "`amount`, in the deal currency."),
            .init("currency", .string, "`deal_currency_code`."),
            .init("stage", .string, "`dealstage` (stage id within the pipeline)."),
            .init("pipeline", .string, "`pipeline` id."),
            .init("close_date", .timestamp, "`closedate`."),
            .init("owner_id", .string, "`hubspot_owner_id`."),
            .init("properties", .map(.dyn), "Custom and extra properties by internal name."),
            .createdAt("createdate"),
            .updatedAt("hs_lastmodifieddate"),
            .init("archived", .bool, "Whether the record is archived."),
        ],
        cursorFields: ["updated_at", "created_at"],
        matchFields: ["id"],
        parameters: objectParameters,
        maxBatchSize: batchLimit
    )

    private static let formSubmissions = ResourceDescriptor(
        name: "form_submissions",
        summary: "Submissions of one HubSpot form, newest first (`/form-integrations/v1/submissions/forms/{form_id}`).",
        fields: [
            .init("form_id", .string, "The form's GUID."),
            .init("submitted_at", .timestamp, "`submittedAt` (epoch milliseconds)."),
            .init("page_url", .string, "`pageUrl`, the page the form was on."),
            .init("email", .string, "The `email` answer, lower-cased, when the form asks for one."),
            .init("values", .map(.string), "Every answer by field name (`values[].name` → `values[].value`)."),
        ],
        cursorFields: ["submitted_at"],
        parameters: [
            .init("form_id", .string, required: true, "The form's GUID, from the form editor URL."),
        ]
    )
}
