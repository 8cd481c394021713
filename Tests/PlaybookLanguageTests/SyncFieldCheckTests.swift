import CEL
import Diagnostics
import PlaybookLanguage
import Testing

/// The fields a sync writes, checked against the platform's resource: names, read-only fields and
/// the types of the values.
struct SyncFieldCheckTests {
    /// A HubSpot contacts upsert writing `fields` (lines under `fields:`), from contacts read from HubSpot.
    static func writing(_ fields: String, mode: String = "upsert", matchOn: String = "email") -> String {
        DiagnosticExamples.header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: \(mode)
                  match_on: \(matchOn)
                  fields:
            \(fields.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n"))
            """
    }

    @Test func fieldsOfTheResourceWithValuesOfTheirTypesPass() {
        let source = Self.writing("""
            email: record.email
            first_name: record.?first_name.orValue("").trim()
            hubspot_score: record.page_views * 2
            properties: '{"lead_score_custom": string(record.page_views)}'
            """)
        #expect(validate(source).diagnostics.isEmpty, "\(validate(source).diagnostics)")
    }

    @Test func theMatchFieldMayBeWrittenThoughThePlatformSetsIt() {
        let update = Self.writing("id: record.id\nlead_status: '\"OPEN\"'", mode: "update", matchOn: "id")
        #expect(validate(update).diagnostics.isEmpty, "\(validate(update).diagnostics)")
        let diagnostics = validate(Self.writing("email: record.email\nid: record.id")).diagnostics
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.readOnlyField])
        #expect(diagnostics.first?.message == "'id' is read-only in hubspot contacts: HubSpot CRM sets it itself")
        #expect(diagnostics.first?.help?.contains("match_on: id") == true)
    }

    @Test func aMisspeltFieldIsOneErrorWithItsCorrection() throws {
        let diagnostics = validate(Self.writing("emial: record.email")).diagnostics
        // Not also "cannot match on 'email'": the misspelling is the one mistake.
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.unknownPlatformField])
        #expect(diagnostics.first?.help == "did you mean 'email'?")
        #expect(diagnostics.first?.fixIts.first?.edits.first?.replacement == "email")
    }

    @Test func aNameEndingInUnderscoreCIsPointedToTheCustomFields() throws {
        let source = """
            version: 1
            name: example
            connections:
              sf: { connector: salesforce, options: { instance_url: "https://acme.my.salesforce.com" }, auth: { token: { secret: SF_TOKEN } } }
            steps:
              leads:
                fetch: { connection: sf, resource: leads }
              save:
                sync:
                  from: leads
                  connection: sf
                  resource: leads
                  mode: update
                  match_on: id
                  fields:
                    id: record.id
                    Score__c: 5
            """
        let diagnostics = validate(source).diagnostics
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.unknownPlatformField], "\(diagnostics)")
        #expect(diagnostics.first?.help == #"a custom field is written inside 'custom_fields' by its API name: custom_fields: '{"Score__c": 5}'"#)
        let fixed = source.replacingOccurrences(of: "Score__c: 5", with: #"custom_fields: '{"Score__c": 5}'"#)
        #expect(validate(fixed).diagnostics.isEmpty, "\(validate(fixed).diagnostics)")
    }

    @Test func aValueOfAnotherTypeIsReportedWithTheConversion() throws {
        let diagnostics = validate(Self.writing("email: record.email\nhubspot_score: record.original_source")).diagnostics
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.fieldTypeMismatch])
        #expect(diagnostics.first?.message == "hubspot contacts field 'hubspot_score' is int, but the value written to it is string")
        #expect(diagnostics.first?.help == "convert it: int(record.original_source)")
        // A whole number into a decimal field is a number all the same.
        let companies = DiagnosticExamples.header + """
            steps:
              companies:
                fetch: { connection: crm, resource: companies }
              save:
                sync:
                  from: companies
                  connection: crm
                  resource: companies
                  mode: update
                  match_on: id
                  fields: { id: record.id, annual_revenue: record.?number_of_employees.orValue(0) * 1000 }
            """
        #expect(validate(companies).diagnostics.isEmpty, "\(validate(companies).diagnostics)")
    }

    @Test func recordsWrittenWithoutFieldsAreCheckedForTypesAndMayCarryReadOnlyFields() throws {
        let source = DiagnosticExamples.header + """
            steps:
              people:
                fetch: { file: people.jsonl, fields: { email: string, hubspot_score: string, page_views: int } }
              save:
                sync: { from: people, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """
        let diagnostics = validate(source).diagnostics
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.fieldTypeMismatch], "\(diagnostics)")
        #expect(diagnostics.first?.message == "hubspot contacts field 'hubspot_score' is int, but the records from 'people' have it as string")
        #expect(diagnostics.first?.help == "write the fields with 'fields:' and convert this one, e.g. convert it: int(record.hubspot_score)")
        let fixed = source.replacingOccurrences(of: "hubspot_score: string", with: "hubspot_score: int")
        #expect(validate(fixed).diagnostics.isEmpty, "\(validate(fixed).diagnostics)")
    }
}

/// `fields:` on a fetch declares fields only where the records could hold anything.
struct FetchFieldsTests {
    @Test func aPlatformResourceRefusesDeclaredFieldsAndSaysWhatToDoInstead() throws {
        let source = DiagnosticExamples.header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts, fields: { email: string } }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """
        let diagnostics = validate(source).diagnostics
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.fieldsOnPlatformFetch], "\(diagnostics)")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.message == "hubspot contacts has its own fields: 'fields:' declares the fields of files, webhooks and http resources only")
        #expect(diagnostic.help?.contains("params: { properties: [...] }") == true)
        let fieldsKey = try #require(source.range(of: "fields: { email"))
        #expect(diagnostic.range.start == source.utf8.distance(from: source.startIndex, to: fieldsKey.lowerBound))
    }

    @Test func filesWebhooksAndHTTPResourcesStillDeclareTheirFields() {
        let source = """
            version: 1
            name: example
            connections:
              api: { connector: http, options: { base_url: "https://api.example.com" } }
              exports: { connector: file, options: { directory: out } }
            steps:
              people:
                fetch: { connection: api, resource: people, fields: { email: string, score: int } }
              rows:
                fetch: { file: rows.csv, fields: { email: string } }
              both:
                transform: { from: [people, rows], select: [email] }
              save:
                sync: { from: both, connection: exports, resource: out.jsonl, mode: insert }
            """
        #expect(validate(source).diagnostics.isEmpty, "\(validate(source).diagnostics)")
    }
}

/// A GA4 report's rows hold exactly the dimensions and metrics the fetch requests.
struct GA4RequestedFieldsTests {
    static func report(_ params: String, reading condition: String) -> String {
        """
        version: 1
        name: example
        connections:
          analytics: { connector: ga4, options: { property_id: "312345678" }, auth: { service_account_key: { secret: GA4_KEY } } }
          exports: { connector: file, options: { directory: out } }
        steps:
          traffic:
            fetch: { connection: analytics, resource: report, params: \(params) }
          busy:
            segment: { from: traffic, where: '\(condition)' }
          save:
            sync: { from: busy, connection: exports, resource: traffic.jsonl, mode: insert }
        """
    }

    @Test func requestedFieldsHaveTheirTypesAndCustomOnesAreReadInSnakeCase() {
        let source = Self.report(
            #"{ dimensions: [date, "customUser:plan"], metrics: [sessions, engagementRate, "customEvent:seats"] }"#,
            reading: #"record.sessions > 10 && record.engagement_rate > 0.5 && record.custom_user_plan == "pro" && record.custom_event_seats > 1.5 && record.date != """#
        )
        #expect(validate(source).diagnostics.isEmpty, "\(validate(source).diagnostics)")
    }

    @Test func aFieldThatWasNotRequestedCannotBeRead() throws {
        let source = Self.report("{ dimensions: [date], metrics: [sessions] }", reading: "record.country == \"PL\"")
        let diagnostics = validate(source).diagnostics
        #expect(diagnostics.map(\.code) == [CELDiagnosticCode.unknownField], "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("'country'") == true)
    }

    @Test func aMisspeltNameIsReportedWithTheClosestOne() throws {
        let source = Self.report("{ dimensions: [date, sessionSorce], metrics: [sessions] }", reading: "record.sessions > 10")
        let diagnostics = validate(source).diagnostics
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.unknownParameterValue], "\(diagnostics)")
        #expect(diagnostics.first?.message == "'sessionSorce' is not a value of ga4 report's parameter 'dimensions'")
        #expect(diagnostics.first?.help == "did you mean 'sessionSource'?")
    }
}

/// Documented values and id forms of connection options and parameters.
struct ParameterValueTests {
    static func meta(accountID: String, preset: String, params: String = "") -> String {
        """
        version: 1
        name: example
        \(params)connections:
          meta: { connector: meta_ads, options: { ad_account_id: \(accountID) }, auth: { access_token: { secret: META_TOKEN } } }
          exports: { connector: file, options: { directory: out } }
        steps:
          spend:
            fetch: { connection: meta, resource: campaign_insights, params: { date_preset: \(preset) } }
          save:
            sync: { from: spend, connection: exports, resource: spend.jsonl, mode: insert }
        """
    }

    @Test func documentedValuesAndIdsOfTheirFormPass() {
        for source in [
            Self.meta(accountID: "act_1234567890", preset: "last_30d"),
            Self.meta(accountID: "\"1234567890\"", preset: "this_month"),
        ] {
            #expect(validate(source).diagnostics.isEmpty, "\(source)\n\(validate(source).diagnostics)")
        }
    }

    @Test func anUndocumentedValueAndAnIdOfAnotherFormAreErrorsWithTheFix() throws {
        let preset = validate(Self.meta(accountID: "act_1234567890", preset: "last_7_days")).diagnostics
        #expect(preset.map(\.code) == [LanguageDiagnosticCode.unknownParameterValue])
        #expect(preset.first?.message == "'last_7_days' is not a value of meta_ads campaign_insights's parameter 'date_preset'")
        #expect(preset.first?.help?.hasPrefix("it takes: today, yesterday,") == true)
        #expect(preset.first?.help?.contains("last_7d") == true)
        let misspelt = validate(Self.meta(accountID: "act_1234567890", preset: "last_7")).diagnostics
        #expect(misspelt.first?.help == "did you mean 'last_7d'?")
        let account = validate(Self.meta(accountID: "\"urn:act:12\"", preset: "last_7d")).diagnostics
        #expect(account.map(\.code) == [LanguageDiagnosticCode.invalidParameterForm])
        #expect(account.first?.message == "'urn:act:12' is not in the form of meta_ads's option 'ad_account_id'")
        #expect(account.first?.help?.contains("Meta Business Settings") == true)
    }
}
