import Foundation

/// One HubSpot CRM object: every property value is a string.
struct HubSpotRecord: Sendable {
    let id: Int
    var properties: [String: String]
    let createdAt: Date
    var updatedAt: Date
    var archived = false
}

/// One object type's records (contacts, companies or deals), in id order.
struct HubSpotObjectStore: Sendable {
    let objectType: String
    /// Properties returned when a request names none.
    let defaultProperties: [String]
    /// The property holding the last change time (`lastmodifieddate` on contacts).
    let modifiedProperty: String
    /// The property whose values are unique and looked up by value (a contact's `email`).
    let uniqueProperty: String?
    private(set) var records: [HubSpotRecord] = []
    private var positions: [Int: Int] = [:]
    /// Ids of live records by their normalised `uniqueProperty`, so that a batch upsert by e-mail
    /// costs the same with 100 contacts as with 100,000.
    private var idsByUniqueValue: [String: Int] = [:]
    private var nextID: Int

    init(objectType: String, defaultProperties: [String], modifiedProperty: String, uniqueProperty: String? = nil, firstID: Int) {
        self.objectType = objectType
        self.defaultProperties = defaultProperties
        self.modifiedProperty = modifiedProperty
        self.uniqueProperty = uniqueProperty
        self.nextID = firstID
    }

    func record(id: Int) -> HubSpotRecord? { positions[id].map { records[$0] } }

    /// The record whose `property` equals `value`, ignoring case and surrounding spaces (HubSpot's e-mails are
    /// unique that way).
    func record(where property: String, equals value: String) -> HubSpotRecord? {
        let wanted = HubSpotStore.normalized(value)
        if property == uniqueProperty { return idsByUniqueValue[wanted].flatMap(record(id:)) }
        return records.first { !$0.archived && $0.properties[property].map(HubSpotStore.normalized) == wanted }
    }

    @discardableResult
    mutating func insert(properties: [String: String], createdAt: Date, updatedAt: Date) -> HubSpotRecord {
        let id = nextID
        nextID += 1
        var values = properties
        values["hs_object_id"] = String(id)
        values["createdate"] = SandboxTime.iso8601(createdAt)
        values[modifiedProperty] = SandboxTime.iso8601(updatedAt)
        let record = HubSpotRecord(id: id, properties: values, createdAt: createdAt, updatedAt: updatedAt)
        positions[id] = records.count
        records.append(record)
        indexUniqueValue(of: record, previous: nil)
        return record
    }

    @discardableResult
    mutating func update(id: Int, properties: [String: String], at now: Date) -> HubSpotRecord? {
        guard let position = positions[id] else { return nil }
        let previous = records[position]
        for (name, value) in properties where !["hs_object_id", "createdate"].contains(name) {
            records[position].properties[name] = value
        }
        records[position].updatedAt = now
        records[position].properties[modifiedProperty] = SandboxTime.iso8601(now)
        indexUniqueValue(of: records[position], previous: previous)
        return records[position]
    }

    private mutating func indexUniqueValue(of record: HubSpotRecord, previous: HubSpotRecord?) {
        guard let uniqueProperty else { return }
        if let old = previous?.properties[uniqueProperty].map(HubSpotStore.normalized), idsByUniqueValue[old] == record.id {
            idsByUniqueValue[old] = nil
        }
        if !record.archived, let value = record.properties[uniqueProperty].map(HubSpotStore.normalized) {
            idsByUniqueValue[value] = idsByUniqueValue[value] ?? record.id
        }
    }
}

/// One answer to a HubSpot form.
struct HubSpotFormSubmission: Sendable {
    let submittedAt: Date
    let values: [(String, String)]
    let pageURL: String
}

/// HubSpot's data: contacts, companies and deals, and the submissions of one form.
struct HubSpotStore: Sendable {
    var objects: [String: HubSpotObjectStore]
    /// Newest first, as HubSpot lists them.
    let formSubmissions: [HubSpotFormSubmission]
    /// The GUID of the sandbox's one form.
    static let formID = "3f6b2a1c-8d4e-4c1a-9b2f-5e7d6c4b3a21"

    /// The id of the first seeded contact; the others follow in order.
    static let firstContactID = 1001

    static func normalized(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces).lowercased()
    }

    init(data: SeedData, sizes: SandboxDataSizes) {
        var contacts = HubSpotObjectStore(
            objectType: "contacts",
            defaultProperties: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
            modifiedProperty: "lastmodifieddate", uniqueProperty: "email", firstID: Self.firstContactID)
        var random = data.generator(stream: 11)
        let leadStatuses = ["NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED"]
        let sources = ["ORGANIC_SEARCH", "PAID_SEARCH", "PAID_SOCIAL", "SOCIAL_MEDIA", "EMAIL_MARKETING", "REFERRALS", "DIRECT_TRAFFIC"]
        for person in data.hubSpotContacts {
            var properties = [
                "email": person.email, "firstname": person.firstName, "lastname": person.lastName, "company": person.company,
                "jobtitle": person.jobTitle, "country": person.country, "phone": person.phone,
                "lifecyclestage": person.lifecycleStage, "hs_lead_status": leadStatuses.randomElement(using: &random)!,
                "hs_analytics_num_page_views": String(person.pageViews), "hs_email_open": String(person.emailsOpened),
                "hubspotscore": String(person.leadScore), "hs_analytics_source": sources.randomElement(using: &random)!,
                "hubspot_owner_id": String(Int.random(in: 1...6, using: &random) * 1_111_111),
                "demo_requested": Int.random(in: 0..<5, using: &random) == 0 ? "true" : "false",
            ]
            if person.emailsOpened > 0 {
                let sent = person.lastModified.addingTimeInterval(-Double(Int.random(in: 1...10, using: &random)) * 86_400)
                let opened = min(person.lastModified, sent.addingTimeInterval(Double(Int.random(in: -5...2, using: &random)) * 86_400))
                properties["hs_email_last_send_date"] = SandboxTime.iso8601(sent)
                properties["hs_email_last_open_date"] = SandboxTime.iso8601(opened)
            }
            contacts.insert(properties: properties, createdAt: person.createdAt, updatedAt: person.lastModified)
        }
        var companies = HubSpotObjectStore(
            objectType: "companies",
            defaultProperties: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
            modifiedProperty: "hs_lastmodifieddate", firstID: 5001)
        for index in 0..<max(0, sizes.hubSpotCompanies) {
            let name = SeedData.companies[index % SeedData.companies.count] + (index < SeedData.companies.count ? "" : " \(index / SeedData.companies.count + 1)")
            let modified = data.reference.addingTimeInterval(-Double(Int.random(in: 0..<(42 * 86_400), using: &random)))
            companies.insert(
                properties: [
                    "name": name, "domain": name.lowercased().replacingOccurrences(of: " ", with: "") + ".example.com",
                    "country": SeedData.countries.randomElement(using: &random)!,
                    "numberofemployees": String(Int.random(in: 5..<5_000, using: &random)),
                    "annualrevenue": String(Int.random(in: 1..<500, using: &random) * 100_000),
                    "city": ["Berlin", "Warsaw", "Lyon", "Austin", "Osaka", "Leeds", "Utrecht", "Porto"].randomElement(using: &random)!,
                    "lifecyclestage": ["lead", "opportunity", "customer"].randomElement(using: &random)!,
                    "industry": ["SOFTWARE", "RETAIL", "FINANCIAL_SERVICES", "HOSPITAL_HEALTH_CARE", "MARKETING_AND_ADVERTISING"]
                        .randomElement(using: &random)!,
                ], createdAt: modified.addingTimeInterval(-86_400 * 60), updatedAt: modified)
        }
        var deals = HubSpotObjectStore(
            objectType: "deals",
            defaultProperties: [
                "amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline",
            ],
            modifiedProperty: "hs_lastmodifieddate", firstID: 9001)
        let stages = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"]
        for index in 0..<max(0, sizes.hubSpotDeals) {
            let modified = data.reference.addingTimeInterval(-Double(Int.random(in: 0..<(42 * 86_400), using: &random)))
            let company = SeedData.companies.randomElement(using: &random)!
            deals.insert(
                properties: [
                    "dealname": "\(company) – deal \(index + 1)", "amount": String(Int.random(in: 1..<200, using: &random) * 500),
                    "dealstage": stages.randomElement(using: &random)!, "pipeline": "default", "deal_currency_code": "EUR",
                    "closedate": SandboxTime.iso8601(modified.addingTimeInterval(86_400 * 30)),
                ], createdAt: modified.addingTimeInterval(-86_400 * 20), updatedAt: modified)
        }
        objects = ["contacts": contacts, "companies": companies, "deals": deals]
        let pages = ["https://www.example.com/demo", "https://www.example.com/pricing", "https://www.example.com/webinar"]
        formSubmissions = data.hubSpotContacts.enumerated().filter { $0.offset % 4 == 0 }.map { index, person in
            HubSpotFormSubmission(
                submittedAt: person.createdAt,
                values: [
                    ("email", person.email), ("firstname", person.firstName), ("lastname", person.lastName), ("company", person.company),
                    ("jobtitle", person.jobTitle),
                ],
                pageURL: pages[index % pages.count])
        }.sorted { $0.submittedAt > $1.submittedAt }
    }
}
