import Foundation
import Testing
@testable import PlaybookLanguage

private let catalog = ConnectorCatalog.builtIn
private let expectedNames = [
    "hubspot", "mailchimp", "salesforce", "google_ads", "meta_ads", "linkedin_ads",
    "ga4", "slack", "sendgrid", "http", "webhook", "file",
]

private func connector(_ name: String) throws -> ConnectorDescriptor {
    try #require(catalog[name], "no connector \(name)")
}

/// `COUNT/DURATION` as written in `rate_limit:`: digits, a slash, optional digits and a unit.
/// Returns the count and the window in seconds, or nil when the text does not have that shape.
private func parseRateLimit(_ text: String) -> (count: Int, seconds: Double)? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let count = Int(parts[0]), count > 0, parts[0].allSatisfy(\.isASCII) else { return nil }
    let window = parts[1]
    let digits = window.prefix(while: { $0.isASCII && $0.isNumber })
    let unit = window.dropFirst(digits.count)
    let unitSeconds: [Substring: Double] = ["ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400]
    guard let perUnit = unitSeconds[unit] else { return nil }
    let amount = digits.isEmpty ? 1 : Double(digits)!
    guard amount > 0 else { return nil }
    return (count, amount * perUnit)
}

private func isSnakeCase(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
    return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
}

@Suite struct ConnectorCatalogTests {
    // MARK: names

    @Test func catalogueHoldsExactlyTheTwelveConnectorsInOrder() {
        #expect(catalog.names == expectedNames)
        #expect(Set(catalog.names).count == catalog.names.count)
    }

    @Test func lookupByNameFindsDeclaredConnectorsOnly() throws {
        #expect(try connector("ga4").title == "Google Analytics 4")
        #expect(catalog["hubspt"] == nil)
    }

    // MARK: resources and fields

    @Test(arguments: expectedNames)
    func resourceAndFieldNamesAreUniqueAndSnakeCase(name: String) throws {
        let connector = try connector(name)
        let resourceNames = connector.resources.map(\.name)
        #expect(Set(resourceNames).count == resourceNames.count)
        for resource in connector.allResourceShapes {
            let fieldNames = resource.fields.map(\.name)
            #expect(Set(fieldNames).count == fieldNames.count, "duplicate field in \(name).\(resource.name)")
            for field in fieldNames {
                #expect(isSnakeCase(field), "\(name).\(resource.name).\(field) is not snake_case")
            }
            let parameterNames = (resource.parameters + resource.syncParameters).map(\.name)
            #expect(Set(resource.parameters.map(\.name)).count == resource.parameters.count)
            #expect(parameterNames.allSatisfy(isSnakeCase))
        }
    }

    @Test(arguments: expectedNames)
    func cursorFieldsExistAndCanBeOrdered(name: String) throws {
        for resource in try connector(name).allResourceShapes {
            if !resource.cursorFields.isEmpty {
                #expect(resource.readable, "\(name).\(resource.name) has a cursor but cannot be read")
            }
            for cursor in resource.cursorFields {
                let field = try #require(resource.field(named: cursor), "\(name).\(resource.name): cursor \(cursor) is not a field")
                #expect([.timestamp, .int, .string].contains(field.type), "\(name).\(resource.name).\(cursor) is \(field.type)")
            }
        }
    }

    @Test(arguments: expectedNames)
    func matchFieldsExistAsScalarKeys(name: String) throws {
        for resource in try connector(name).allResourceShapes {
            for key in resource.matchFields {
                let field = try #require(resource.field(named: key), "\(name).\(resource.name): match field \(key) is not a field")
                #expect([.string, .int].contains(field.type), "\(name).\(resource.name).\(key) is \(field.type)")
            }
            // Untyped records (generic HTTP) can match on whatever field the playbook names.
            let typed = !resource.fields.isEmpty
            if typed && (resource.syncModes.contains(.upsert) || resource.syncModes.contains(.update)) {
                #expect(!resource.matchFields.isEmpty, "\(name).\(resource.name) updates without a match field")
            }
        }
    }

    // MARK: batch limits

    /// Per-call write limits, from `reference/marketing-apis.md` where it gives one. The exceptions
    /// are calls the reference does not cover: Meta and LinkedIn change one object per call, and
    /// Google Ads click-conversion uploads are not a mutate (Google documents 2,000 per request).
    static let batchLimits: [String: Int] = [
        "hubspot.contacts": 100, "hubspot.companies": 100, "hubspot.deals": 100,
        "salesforce.leads": 200, "salesforce.contacts": 200, "salesforce.campaign_members": 200,
        "mailchimp.members": 500,
        "google_ads.campaigns": 10_000, "google_ads.campaign_budgets": 10_000,
        "google_ads.customer_match_users": 10_000, "google_ads.offline_conversions": 2_000,
        "meta_ads.custom_audience_users": 10_000, "meta_ads.campaigns": 1, "meta_ads.adsets": 1,
        "linkedin_ads.campaigns": 1,
        "sendgrid.mail": 1_000, "slack.messages": 1, "webhook.events": 1,
    ]

    @Test func everyNamedWritableOrNotifyResourceDeclaresItsReferenceBatchLimit() {
        var declared: [String: Int] = [:]
        var missing: [String] = []
        for connector in catalog.connectors {
            for resource in connector.resources where resource.writable || resource.notifies {
                let key = "\(connector.name).\(resource.name)"
                if let size = resource.maxBatchSize { declared[key] = size } else { missing.append(key) }
            }
        }
        #expect(missing.isEmpty)
        #expect(declared == Self.batchLimits)
    }

    // MARK: capabilities

    @Test(arguments: expectedNames)
    func capabilitiesAgreeWithResources(name: String) throws {
        let connector = try connector(name)
        let shapes = connector.allResourceShapes
        #expect(connector.capabilities.contains(.read) == shapes.contains(where: \.readable))
        #expect(connector.capabilities.contains(.write) == shapes.contains(where: \.writable))
        #expect(connector.capabilities.contains(.notify) == shapes.contains(where: \.notifies))
    }

    @Test(arguments: [("slack", "messages"), ("sendgrid", "mail"), ("webhook", "events")])
    func notifyConnectorsDeliverThroughTheirMessageResource(name: String, resource: String) throws {
        let connector = try connector(name)
        #expect(connector.capabilities == [.notify])
        let target = try #require(connector.resource(named: resource))
        #expect(target.notifies && !target.readable && !target.writable)
    }

    @Test func onlyEmailNeedsSubjectAndRecipient() {
        let needing = catalog.connectors.filter { $0.notifyNeedsSubject || $0.notifyNeedsRecipient }
        #expect(needing.map(\.name) == ["sendgrid"])
        #expect(needing.first.map { $0.notifyNeedsSubject && $0.notifyNeedsRecipient } == true)
    }

    @Test func genericConnectorsAcceptAnyResourceNameWithUntypedRecords() throws {
        #expect(catalog.connectors.filter(\.acceptsAnyResource).map(\.name) == ["http", "file"])
        let csv = try #require(try connector("file").resource(named: "leads.csv"))
        #expect(csv.name == "leads.csv")
        #expect(csv.fields.isEmpty && csv.readable && csv.syncModes == [.insert])
        #expect(try connector("http").resource(named: "v2/orders")?.syncModes == [.insert, .update, .upsert])
        #expect(try connector("hubspot").resource(named: "leads.csv") == nil)
    }

    // MARK: auth and options

    @Test(arguments: expectedNames)
    func authSchemesAreDistinctAndNameDeclaredOptions(name: String) throws {
        let connector = try connector(name)
        let optionNames = Set(connector.options.map(\.name))
        #expect(Set(connector.authSchemes.map(\.name)).count == connector.authSchemes.count)
        for scheme in connector.authSchemes {
            #expect(scheme.allFields.allSatisfy(isSnakeCase))
            for option in scheme.requiredOptions {
                #expect(optionNames.contains(option), "\(name) scheme \(scheme.name) needs undeclared option \(option)")
            }
        }
    }

    @Test(arguments: [
        ("hubspot", ["token", "client_id", "client_secret", "refresh_token"]),
        ("mailchimp", ["api_key", "token"]),
        ("google_ads", ["developer_token", "client_id", "client_secret", "refresh_token"]),
        ("slack", ["webhook_url", "bot_token"]),
        ("sendgrid", ["api_key"]),
        ("http", ["token", "api_key", "username", "password", "client_id", "client_secret"]),
        ("webhook", ["signing_secret", "url"]),
        ("file", []),
    ])
    func authFieldsAreTheOnesMarketersWrite(name: String, fields: [String]) throws {
        #expect(try connector(name).authFieldNames == fields)
    }

    @Test func optionalAuthIsAnExplicitSchemeWithoutRequiredFields() throws {
        #expect(try connector("http").authSchemes.contains { $0.requiredFields.isEmpty })
        #expect(try connector("webhook").authSchemes.contains { $0.requiredFields.isEmpty })
        #expect(try connector("hubspot").authSchemes.allSatisfy { !$0.requiredFields.isEmpty })
    }

    @Test(arguments: [
        ("google_ads", "customer_id"), ("meta_ads", "ad_account_id"), ("linkedin_ads", "ad_account_id"),
        ("linkedin_ads", "api_version"), ("ga4", "property_id"), ("http", "base_url"), ("sendgrid", "from"),
    ])
    func requiredOptionsAreRequired(name: String, option: String) throws {
        #expect(try connector(name).options.first { $0.name == option }?.required == true)
    }

    @Test func mailchimpNeedsServerPrefixOnlyWithAnOAuthToken() throws {
        let mailchimp = try connector("mailchimp")
        #expect(mailchimp.options.first { $0.name == "server_prefix" }?.required == false)
        #expect(mailchimp.authSchemes.first { $0.requiredFields == ["token"] }?.requiredOptions == ["server_prefix"])
        #expect(mailchimp.authSchemes.first { $0.requiredFields == ["api_key"] }?.requiredOptions == [])
        #expect(mailchimp.maxConcurrency == 10)
    }

    // MARK: rate limits

    @Test(arguments: expectedNames)
    func defaultRateLimitsParseAsCountPerDuration(name: String) throws {
        if let limit = try connector(name).defaultRateLimit {
            #expect(parseRateLimit(limit) != nil, "\(name): \(limit)")
        }
    }

    @Test func documentedLimitsAreTheReferenceNumbers() throws {
        func parsedLimit(_ name: String) throws -> (count: Int, seconds: Double) {
            let text = try #require(try connector(name).defaultRateLimit)
            return try #require(parseRateLimit(text))
        }
        let hubspot = try parsedLimit("hubspot")
        #expect(hubspot.count == 100 && hubspot.seconds == 10)
        let ads = try parsedLimit("google_ads")
        #expect(ads.count == 15_000 && ads.seconds == 86_400)
        #expect(try parsedLimit("slack").count == 1)
        #expect(try connector("ga4").maxConcurrency == 10)
    }

    @Test(arguments: ["100/10s", "1/s", "15000/24h", "5/250ms", "600/1m"])
    func rateLimitCheckAcceptsWellFormedText(text: String) {
        #expect(parseRateLimit(text) != nil)
    }

    @Test(arguments: ["100 per 10s", "/10s", "100/10", "100/10 s", "0/1s", "100/0s", "100/10y", "a/1s"])
    func rateLimitCheckRejectsMalformedText(text: String) {
        #expect(parseRateLimit(text) == nil)
    }

    // MARK: platform facts a playbook relies on

    @Test func designExampleFieldsExistOnHubSpotContacts() throws {
        let contacts = try #require(try connector("hubspot").resource(named: "contacts"))
        #expect(contacts.field(named: "page_views")?.type == .int)
        #expect(contacts.field(named: "opened_last_email")?.type == .bool)
        #expect(contacts.field(named: "email")?.type == .string)
        #expect(contacts.syncModes == [.upsert, .insert, .update])
        #expect(contacts.cursorFields.first == "updated_at")
    }

    @Test(arguments: [
        ("google_ads", "campaign_performance", "cost"),
        ("meta_ads", "campaign_insights", "spend"),
        ("linkedin_ads", "campaign_analytics", "cost"),
    ])
    func adReportsCarryWeeklyReportMetrics(name: String, resource: String, costField: String) throws {
        let report = try #require(try connector(name).resource(named: resource))
        #expect(report.readable)
        for (field, type) in [("campaign_id", ValueType.string), ("date", .string), ("impressions", .int),
                              ("clicks", .int), (costField, .double), ("conversions", .double),
                              ("cost_per_conversion", .double)] {
            #expect(report.field(named: field)?.type == type, "\(name).\(resource).\(field)")
        }
    }

    @Test(arguments: [
        ("google_ads", "campaign_budgets", "amount"),
        ("meta_ads", "campaigns", "daily_budget"),
        ("meta_ads", "adsets", "daily_budget"),
        ("linkedin_ads", "campaigns", "daily_budget"),
    ])
    func budgetsCanBeUpdatedByID(name: String, resource: String, budgetField: String) throws {
        let budgets = try #require(try connector(name).resource(named: resource))
        #expect(budgets.syncModes == [.update])
        #expect(budgets.matchFields == ["id"])
        #expect(budgets.field(named: budgetField)?.type == .double)
    }

    @Test(arguments: [("meta_ads", "leads", "created_at"), ("linkedin_ads", "lead_form_responses", "submitted_at"),
                      ("hubspot", "form_submissions", "submitted_at")])
    func leadSourcesReadIncrementallyByTime(name: String, resource: String, cursor: String) throws {
        let leads = try #require(try connector(name).resource(named: resource))
        #expect(leads.readable && !leads.writable)
        #expect(leads.cursorFields == [cursor])
        #expect(leads.field(named: cursor)?.type == .timestamp)
    }

    @Test func listUploadsNeedTheTargetListAsSyncParameter() throws {
        let meta = try #require(try connector("meta_ads").resource(named: "custom_audience_users"))
        #expect(meta.syncModes == [.addToList])
        #expect(meta.syncParameters.contains { $0.name == "audience_id" && $0.required })
        let google = try #require(try connector("google_ads").resource(named: "customer_match_users"))
        #expect(google.syncParameters.contains { $0.name == "user_list_id" && $0.required })
        let mailchimp = try #require(try connector("mailchimp").resource(named: "members"))
        #expect(mailchimp.syncParameters.contains { $0.name == "list_id" && $0.required })
    }

    // MARK: generated reference

    @Test func markdownReferenceCoversEveryConnectorAndResource() {
        let markdown = catalog.markdownReference()
        for connector in catalog.connectors {
            #expect(markdown.contains("\n## \(connector.name)\n"))
            for resource in connector.resources {
                #expect(markdown.contains("#### `\(resource.name)`"), "\(connector.name).\(resource.name)")
            }
        }
        #expect(markdown.contains("| `customer_id` | `string` | yes |  | "))
        #expect(markdown.contains("- Sync modes: `upsert`, `insert`, `update`\n- At most 100 records per call"))
    }

    @Test func docsConnectorsPageEqualsTheGeneratedReference() throws {
        // Tests/PlaybookLanguageTests/<this file> → repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let page = root.appendingPathComponent("docs/connectors.md")
        let generated = catalog.markdownReference()
        // The page is the generated reference, then the hand-written guide to writing a connector
        // spec after a marker line; recording replaces only the generated part.
        let marker = ConnectorCatalog.endOfGeneratedReference
        let existing = (try? String(contentsOf: page, encoding: .utf8)) ?? ""
        let guide = existing.range(of: marker).map { String(existing[$0.lowerBound...]) } ?? marker + "\n"
        if ProcessInfo.processInfo.environment["PLAYBOOK_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: page.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (generated + "\n" + guide).write(to: page, atomically: true, encoding: .utf8)
        }
        let onDisk = try String(contentsOf: page, encoding: .utf8)
        let onDiskReference = onDisk.range(of: "\n" + marker).map { String(onDisk[..<$0.lowerBound]) } ?? onDisk
        // Name the first differing line instead of printing two 1,000-line strings.
        let diskLines = onDiskReference.split(separator: "\n", omittingEmptySubsequences: false)
        let generatedLines = generated.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = (0..<max(diskLines.count, generatedLines.count)).first { index in
            diskLines.indices.contains(index) != generatedLines.indices.contains(index)
                || (diskLines.indices.contains(index) && diskLines[index] != generatedLines[index])
        }
        #expect(firstDifference == nil, """
            docs/connectors.md is stale from line \((firstDifference ?? 0) + 1); \
            rerun with PLAYBOOK_RECORD_SNAPSHOTS=1 swift test --filter ConnectorCatalogTests
            """)
        #expect(onDisk.contains(marker), "docs/connectors.md has lost the guide to writing a connector spec")
    }
}
