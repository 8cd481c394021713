import CEL
import Diagnostics
import Foundation
import Hummingbird
import PlaybookLanguage
@testable import PlaybookRuntime
import Synchronization
import Testing

/// A request as the test server saw it.
struct SeenRequest: Sendable {
    var method: String
    /// The path after the connector's prefix, with the query.
    var target: String
    var body: String
    var headers: [String: String]

    /// Whether the request asks for a later page, by any platform's way of saying so.
    var isLaterPage: Bool {
        let text = target + " " + body
        return ["after=", "pageToken", "offset=2", "\"offset\":2", "/query/01g", "QVFI2", "DgH2", "NTI1Cg"].contains { text.contains($0) }
    }
}

final class SeenRequests: Sendable {
    let list = Mutex<[SeenRequest]>([])
}

/// Each built-in connector's reading and writing, against the answers its platform's documentation
/// shows (`PlatformAnswers`), over HTTP on loopback.
@Suite struct PlatformConnectorTests {
    /// Reads `resource` through a connection of `connector`; the server answers with `answer`.
    private func read(
        _ connector: String, _ resource: String, connection extra: String = "", params: String = "{}", fetch more: String = "",
        answer: @escaping @Sendable (SeenRequest) -> (status: Int, body: String)
    ) async throws -> (records: [Record], requests: [SeenRequest]) {
        let descriptor = try #require(ConnectorCatalog.builtIn[connector])
        // A credential sent as it is (not an OAuth flow), so that the server answers only the platform's calls.
        let scheme = try #require(descriptor.authSchemes.first { scheme in
            guard !scheme.requiredFields.isEmpty else { return false }
            if case .oauth2? = descriptor.http?.auth[scheme.name] { return false }
            return true
        } ?? descriptor.authSchemes.first { !$0.requiredFields.isEmpty })
        let auth = scheme.requiredFields.map { "\($0): { secret: S_\($0.uppercased()) }" }.joined(separator: ", ")
        let yaml = """
            version: 1
            name: documented-answers
            connections:
              source: { connector: \(connector), auth: { \(auth) }\(extra.isEmpty ? "" : ", " + extra) }
            steps:
              read:
                fetch: { connection: source, resource: \(resource), params: \(params)\(more.isEmpty ? "" : ", " + more) }
            """
        let plan = try #require(Runtime.plan(yaml))
        let seen = SeenRequests()
        let records = Mutex<[Record]>([])
        try await withLoopbackServer({ router in
            router.on("**", method: .get) { request, context in try await Self.respond(request, seen: seen, answer: answer) }
            router.on("**", method: .post) { request, context in try await Self.respond(request, seen: seen, answer: answer) }
        }) { base in
            let connectors = StandardConnectors(sandboxURL: base)
            let options = RunOptions(baseDirectory: NSTemporaryDirectory(), outputObserver: { step, _, batch in
                if step == StepID("read") { records.withLock { $0 += batch } }
            })
            let summary = await Executor(plan: plan, options: options, connectors: connectors).run()
            await connectors.shutdown()
            #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        }
        return (records.withLock { $0 }, seen.list.withLock { $0 })
    }

    private static func respond(
        _ request: Request, seen: SeenRequests,
        answer: @Sendable (SeenRequest) -> (status: Int, body: String)
    ) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1_000_000))
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let path = request.uri.description
        let prefixEnd = path.dropFirst().firstIndex(of: "/") ?? path.endIndex
        let target = SeenRequest(method: request.method.rawValue, target: String(path[prefixEnd...]), body: body, headers: headers)
        seen.list.withLock { $0.append(target) }
        // OAuth token requests get a token, so that a connector without another scheme can be read.
        if target.method == "POST", target.target.hasSuffix("/token") || target.target.contains("oauth2/token") {
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"access_token":"documented-token","expires_in":3600,"token_type":"Bearer"}"#)))
        }
        let (status, text) = answer(target)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func shown(_ value: CELValue?) -> String { value.map { JSONText.string($0) } ?? "absent" }

    @Test func hubspotContactsFollowTheAfterCursorAndReadPropertiesAsTyped() async throws {
        let (records, requests) = try await read("hubspot", "contacts") { request in
            (200, request.isLaterPage ? PlatformAnswers.hubspotContactsPage2 : PlatformAnswers.hubspotContactsPage1)
        }
        #expect(records.count == 3)
        #expect(requests.count == 2)
        #expect(requests.first?.target.hasPrefix("/crm/v3/objects/contacts") == true)
        #expect(requests.first?.headers["authorization"]?.hasPrefix("Bearer ") == true)
        #expect(shown(records.first?["email"]) == #""Ann.Lee@Example.com""#)
        #expect(shown(records.first?["first_name"]) == #""Ann""#)
        #expect(shown(records.first?["page_views"]) == "42")
        #expect(shown(records.last?["id"]) == #""103""#)
    }

    @Test func salesforceLeadsFollowNextRecordsURLUntilDone() async throws {
        let (records, requests) = try await read("salesforce", "leads", connection: "options: { instance_url: \"https://acme.my.salesforce.com\" }") { request in
            (200, request.isLaterPage ? PlatformAnswers.salesforceQueryPage2 : PlatformAnswers.salesforceQueryPage1)
        }
        #expect(records.count == 3)
        #expect(requests.count == 2)
        #expect(requests.last?.target.contains("/services/data/v65.0/query/01gRO0000016PIAYA2-2") == true)
        #expect(shown(records.first?["email"]) == #""ann@example.com""#)
        #expect(shown(records.first?["company"]) == #""Acme""#)
    }

    @Test func mailchimpMembersPageByOffsetAgainstTheTotal() async throws {
        let (records, requests) = try await read("mailchimp", "members", connection: "options: { server_prefix: us21 }",
                                                 params: "{ list_id: a1b2c3d4e5 }", fetch: "page_size: 2") { request in
            (200, request.isLaterPage ? PlatformAnswers.mailchimpMembersPage2 : PlatformAnswers.mailchimpMembersPage1)
        }
        #expect(records.count == 3, "\(requests.map(\.target))")
        #expect(shown(records.first?["email"]) == #""ann@example.com""#)
        #expect(shown(records.first?["first_name"]) == #""Ann""#)
        #expect(shown(records.first?["tags"]) == #"["vip"]"#)
    }

    @Test func mailchimpIncrementalReadsAskOnlyForMembersChangedSinceTheCursor() async throws {
        let (records, requests) = try await read("mailchimp", "members", connection: "options: { server_prefix: us21 }",
                                                 params: "{ list_id: a1b2c3d4e5 }",
                                                 fetch: #"page_size: 2, incremental: { cursor: updated_at, start: "2026-03-01T09:00:00Z" }"#) { request in
            (200, request.isLaterPage ? PlatformAnswers.mailchimpMembersPage2 : PlatformAnswers.mailchimpMembersPage1)
        }
        let query = try #require(requests.first?.target.split(separator: "?").last)
        #expect(query.contains("since_last_changed=2026-03-01T09:00:00Z"), "\(query)")
        // A member the platform sends from before the cursor is dropped all the same; one changed
        // at the very instant is read.
        #expect(records.compactMap { JSONPath.text(($0["email"] ?? .null).plainJSON) } == ["bo@example.org", "cy@example.net"])
    }

    @Test func metaInsightsGoOnAfterAShortPageWhileThereIsANextPage() async throws {
        let (records, requests) = try await read("meta_ads", "campaign_insights", connection: "options: { ad_account_id: \"1234\" }") { request in
            // Insights run as a report job: started, polled until complete, then read page by page.
            if request.method == "POST" { return (200, #"{"report_run_id":"6123"}"#) }
            if request.target.hasPrefix("/v25.0/6123?") || request.target == "/v25.0/6123" {
                return (200, #"{"id":"6123","async_status":"Job Completed","async_percent_completion":100}"#)
            }
            return (200, request.isLaterPage ? PlatformAnswers.metaInsightsPage2 : PlatformAnswers.metaInsightsPage1)
        }
        #expect(records.count == 2, "\(requests.map(\.target))")
        #expect(shown(records.first?["impressions"]) == "12000")
        #expect(shown(records.first?["spend"]) == "120.5")
        #expect(shown(records.first?["date"]) == #""2026-03-01""#)
    }

    @Test func googleAdsSearchFollowsNextPageTokenAndScalesMicros() async throws {
        let (records, requests) = try await read("google_ads", "campaign_performance", connection: "options: { customer_id: \"1234567890\" }") { request in
            (200, request.isLaterPage ? PlatformAnswers.googleAdsSearchPage2 : PlatformAnswers.googleAdsSearchPage1)
        }
        #expect(records.count == 2, "\(requests.map(\.target))")
        let search = requests.first { $0.target.contains("googleAds:search") }
        #expect(search?.method == "POST")
        #expect(search?.body.contains("SELECT") == true)
        #expect(search?.headers["developer-token"] != nil)
        #expect(shown(records.first?["clicks"]) == "120")
        #expect(shown(records.first?["campaign_name"]) == #""Brand""#)
        #expect(shown(records.first?["cost"]) == "5.5")
    }

    @Test func linkedInCampaignsFollowTheNextPageToken() async throws {
        let (records, requests) = try await read("linkedin_ads", "campaigns", connection: "options: { ad_account_id: \"123\", api_version: \"202603\" }") { request in
            (200, request.isLaterPage ? PlatformAnswers.linkedInCampaignsPage2 : PlatformAnswers.linkedInCampaignsPage1)
        }
        #expect(records.count == 2, "\(requests.map(\.target))")
        #expect(requests.first?.headers["linkedin-version"] == "202603")
        #expect(shown(records.first?["name"]) == #""Q1 lead gen""#)
    }

    @Test func linkedInLeadAnswersAreNamedByTheFormReadOnce() async throws {
        let (records, requests) = try await read("linkedin_ads", "lead_form_responses", connection: "options: { ad_account_id: \"123\", api_version: \"202603\" }") { request in
            if request.target.contains("/leadForms/") {
                return request.target.hasSuffix("/leadForms/4242") ? (200, PlatformAnswers.linkedInLeadForm) : (404, #"{"status":404,"message":"Not Found"}"#)
            }
            return (200, PlatformAnswers.linkedInLeadResponses)
        }
        #expect(records.count == 1, "\(requests.map(\.target))")
        #expect(requests.filter { $0.target.contains("/leadForms/") }.count == 1)
        let answers = try #require(records.first?["answers"])
        // Standard questions by their field in lower case; a custom one the form does not list by
        // its id; a multiple-choice answer is not text and is left out.
        guard case .object(let members) = answers.plainJSON else {
            Issue.record("answers is not a map: \(shown(answers))")
            return
        }
        let byName = Dictionary(members.map { ($0.0, JSONPath.text($0.1) ?? "") }, uniquingKeysWith: { first, _ in first })
        #expect(byName == ["first_name": "Ann", "email": "ann@example.com", "job_title": "Head of growth", "15": "Spring"])
        #expect(shown(records.first?["form_id"]) == #""urn:li:leadGenForm:4242""#)
    }

    @Test func ga4ReportRowsBecomeRecordsByTheirHeaders() async throws {
        let (records, requests) = try await read("ga4", "report", connection: "options: { property_id: \"123456789\" }",
                                                 params: "{ dimensions: [date, sessionSource], metrics: [sessions, engagementRate], limit: 2 }") { request in
            (200, request.isLaterPage ? PlatformAnswers.ga4ReportPage2 : PlatformAnswers.ga4ReportPage1)
        }
        #expect(records.count == 3, "\(requests.map { $0.target + " " + $0.body })")
        #expect(shown(records.first?["session_source"]) == #""google""#)
        #expect(shown(records.first?["sessions"]) == "120")
        #expect(shown(records.first?["engagement_rate"]) == "0.61")
    }

    /// A custom dimension is text and a custom metric a number, as the checker typed them, under
    /// their names in snake_case.
    @Test func ga4CustomDimensionsAndMetricsAreFieldsOfTheirRequestedTypes() async throws {
        let answer = #"""
            {"dimensionHeaders":[{"name":"customUser:plan"}],"metricHeaders":[{"name":"customEvent:seats","type":"TYPE_FLOAT"},{"name":"eventCount","type":"TYPE_INTEGER"}],
             "rows":[{"dimensionValues":[{"value":"pro"}],"metricValues":[{"value":"12.5"},{"value":"40"}]}],"rowCount":1}
            """#
        let (records, _) = try await read("ga4", "report", connection: "options: { property_id: \"123456789\" }",
                                          params: #"{ dimensions: ["customUser:plan"], metrics: ["customEvent:seats", eventCount] }"#) { _ in (200, answer) }
        #expect(records.count == 1)
        #expect(shown(records.first?["custom_user_plan"]) == #""pro""#)
        #expect(shown(records.first?["custom_event_seats"]) == "12.5")
        #expect(shown(records.first?["event_count"]) == "40")
    }
}

/// Fixture records in, real HTTP out: for checking how a connector writes.
private struct FixturesInHTTPOut: ConnectorProvider {
    let fixtures: FixtureConnectors
    let http: StandardConnectors

    func source(for fetch: FetchOperation, in context: ConnectorContext) throws -> any RecordSource { try fixtures.source(for: fetch, in: context) }
    func sink(for sync: SyncOperation, in context: ConnectorContext) throws -> any RecordSink { try http.sink(for: sync, in: context) }
    func sender(for connection: ConnectionName, in context: ConnectorContext) throws -> any MessageSender { try http.sender(for: connection, in: context) }
}

/// Each platform's batch writes against the answers its documentation shows for a batch accepted in part.
@Suite struct PlatformWriteTests {
    private func write(
        connection: String, sync: String, records: [String], answer: @escaping @Sendable (SeenRequest) -> (status: Int, body: String)
    ) async throws -> (summary: RunSummary, requests: [SeenRequest], deadLetters: String) {
        let yaml = """
            version: 1
            name: documented-writes
            connections:
              target: \(connection)
            steps:
              people:
                fetch: { file: people.jsonl }
              save:
                sync: { from: people, connection: target, \(sync), on_record_error: skip }
            """
        let plan = try #require(Runtime.plan(yaml))
        let seen = SeenRequests()
        let folder = NSTemporaryDirectory() + "playbook-writes-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let summary = try await withLoopbackServer({ router in
            for method in [HTTPRequest.Method.post, .patch, .put] {
                router.on("**", method: method) { request, _ -> Response in
                    let body = String(buffer: try await request.body.collect(upTo: 1_000_000))
                    let path = request.uri.description
                    let prefixEnd = path.dropFirst().firstIndex(of: "/") ?? path.endIndex
                    let target = SeenRequest(method: request.method.rawValue, target: String(path[prefixEnd...]), body: body, headers: [:])
                    seen.list.withLock { $0.append(target) }
                    let (status, text) = answer(target)
                    return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
                }
            }
        }) { base in
            let fixtures = FixtureConnectors(records: [StepID("people"): try records.map { try JSONText.decode(Array($0.utf8)) }])
            let http = StandardConnectors(sandboxURL: base)
            let options = RunOptions(baseDirectory: folder, deadLetterPath: folder + "/dead.jsonl")
            let summary = await Executor(plan: plan, options: options, connectors: FixturesInHTTPOut(fixtures: fixtures, http: http)).run()
            await http.shutdown()
            return summary
        }
        let deadLetters = (try? String(contentsOfFile: folder + "/dead.jsonl", encoding: .utf8)) ?? ""
        return (summary, seen.list.withLock { $0 }, deadLetters)
    }

    @Test func hubspotBatchUpsertSetsAsideExactlyTheInputHubSpotListed() async throws {
        let (summary, requests, deadLetters) = try await write(
            connection: "{ connector: hubspot, auth: { token: { secret: T } } }",
            sync: "resource: contacts, mode: upsert, match_on: email",
            records: [#"{"email":"ann.lee@example.com","first_name":"Ann"}"#, #"{"email":"not-an-email","first_name":"Bo"}"#]
        ) { _ in (207, PlatformAnswers.hubspotBatchPartial) }
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        let body = try JSONValue(parsing: try #require(requests.first?.body))
        #expect(requests.first?.target == "/crm/v3/objects/contacts/batch/upsert")
        #expect(JSONPath.text(JSONPath.value(at: "inputs.0.idProperty", in: body)) == "email")
        #expect(JSONPath.text(JSONPath.value(at: "inputs.0.id", in: body)) == "ann.lee@example.com")
        #expect(JSONPath.text(JSONPath.value(at: "inputs.0.properties.firstname", in: body)) == "Ann")
        #expect(summary.steps.first { $0.id.rawValue == "save" }?.recordsOut == 1)
        #expect(deadLetters.contains("not-an-email") && deadLetters.contains("Property values were not valid"))
        #expect(!deadLetters.contains("ann.lee"))
    }

    @Test func googleAdsCustomerMatchCreatesAJobAddsHashedPeopleAndRunsIt() async throws {
        let (summary, requests, _) = try await write(
            connection: """
                { connector: google_ads, options: { customer_id: "1234567890" },
                      auth: { developer_token: { secret: D }, client_id: { secret: C }, client_secret: { secret: S }, refresh_token: { secret: R } } }
                """,
            sync: "resource: customer_match_users, mode: add_to_list, match_on: email, params: { user_list_id: \"555\" }",
            records: [#"{"email":" Ann@Example.com ","phone":"+48123456789","first_name":"Ann","country_code":"PL"}"#,
                      #"{"email":"bo@example.com"}"#]
        ) { request in
            if request.target.hasSuffix("/token") { return (200, #"{"access_token":"documented-token","expires_in":3599,"token_type":"Bearer"}"#) }
            if request.target.hasSuffix("offlineUserDataJobs:create") { return (200, PlatformAnswers.googleAdsJobCreated) }
            if request.target.hasSuffix(":addOperations") { return (200, PlatformAnswers.googleAdsOperationsAdded) }
            return (200, PlatformAnswers.googleAdsJobRunning)
        }
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        let calls = requests.filter { !$0.target.hasSuffix("/token") }
        #expect(calls.map(\.target) == [
            "/v23/customers/1234567890/offlineUserDataJobs:create",
            "/v23/customers/1234567890/offlineUserDataJobs/9012345678:addOperations",
            "/v23/customers/1234567890/offlineUserDataJobs/9012345678:run",
        ])
        try #require(calls.count == 3)
        let job = try JSONValue(parsing: calls[0].body)
        #expect(JSONPath.text(JSONPath.value(at: "job.customerMatchUserListMetadata.userList", in: job)) == "customers/1234567890/userLists/555")
        let added = try JSONValue(parsing: calls[1].body)
        #expect(added["enablePartialFailure"] == .bool(true))
        // E-mail trimmed and lower-cased, then SHA-256 in hex; the phone and the name hashed the same way,
        // the country in clear; what a record lacks is not sent at all.
        guard case .array(let first)? = JSONPath.value(at: "operations.0.create.userIdentifiers", in: added),
              case .array(let second)? = JSONPath.value(at: "operations.1.create.userIdentifiers", in: added) else {
            Issue.record("no identifiers in \(calls[1].body)")
            return
        }
        #expect(first.count == 3)
        #expect(JSONPath.text(first[0]["hashedEmail"]) == "71d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476")
        #expect(JSONPath.text(first[1]["hashedPhoneNumber"]) == "7af87dd94e1187579818739230965dee6e025ea02bdbd79546907cc121589e3f")
        #expect(JSONPath.text(first[2]["addressInfo"]?["hashedFirstName"]) == "49915e0d7d4b402e3017d010bc1c0e83cac6c797d6c16e66340fe3268693a6a1")
        #expect(JSONPath.text(first[2]["addressInfo"]?["countryCode"]) == "PL")
        #expect(first[2]["addressInfo"]?["hashedLastName"] == nil)
        #expect(second.count == 1)
        #expect(summary.steps.first { $0.id.rawValue == "save" }?.recordsOut == 2)
    }

    @Test func salesforceUpsertSetsAsideTheRecordWhoseResultFailed() async throws {
        let (summary, requests, deadLetters) = try await write(
            connection: #"{ connector: salesforce, auth: { token: { secret: T } }, options: { instance_url: "https://acme.my.salesforce.com" } }"#,
            sync: "resource: leads, mode: upsert, match_on: external_id, params: { external_id_field: Ext_Id__c }",
            records: [#"{"external_id":"42","email":"ann@example.com","last_name":"Lee","company":"Acme"}"#,
                      #"{"external_id":"43","email":"bo@example.com","company":"Beta"}"#,
                      #"{"external_id":"44","email":"cy@example.com","last_name":"Ng","company":"Gamma"}"#]
        ) { _ in (200, PlatformAnswers.salesforceUpsertResults) }
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        #expect(requests.first?.method == "PATCH")
        #expect(requests.first?.target == "/services/data/v65.0/composite/sobjects/Lead/Ext_Id__c")
        let body = try JSONValue(parsing: try #require(requests.first?.body))
        #expect(JSONPath.text(JSONPath.value(at: "records.0.attributes.type", in: body)) == "Lead")
        #expect(JSONPath.text(JSONPath.value(at: "records.0.Ext_Id__c", in: body)) == "42")
        #expect(JSONPath.text(JSONPath.value(at: "records.0.Email", in: body)) == "ann@example.com")
        #expect(JSONPath.value(at: "records.0.external_id", in: body) == nil)
        #expect(body["allOrNone"] == .bool(false))
        #expect(summary.steps.first { $0.id.rawValue == "save" }?.recordsOut == 2)
        #expect(deadLetters.contains("Required fields are missing") && deadLetters.contains("bo@example.com"))
    }
}
