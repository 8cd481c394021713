import Diagnostics
import Foundation
import PlaybookSandbox
import Testing

let mailchimpAuth = [("Authorization", "Basic " + Data("anystring:key-us19".utf8).base64EncodedString())]

@Suite struct MailchimpSandboxTests {
    static let members = "/mailchimp/3.0/lists/a1b2c3d4e5/members"

    @Test func missingKeyGetsProblemJSON() async throws {
        try await withSandbox { _, origin in
            let answer = try await send(.GET, origin + Self.members)
            #expect(answer.status == 401)
            #expect(answer.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(answer.json?["title"]?.stringValue == "API Key Missing")
            #expect(answer.json?["type"]?.stringValue == "https://mailchimp.com/developer/marketing/docs/errors/")
        }
    }

    @Test func countAndOffsetWalkToTotalItems() async throws {
        try await withSandbox { _, origin in
            var offset = 0
            var emails: [String] = []
            while true {
                let answer = try await send(.GET, origin + Self.members + "?count=50&offset=\(offset)", headers: mailchimpAuth)
                let body = try #require(answer.json)
                let total = try #require(body["total_items"]?.intValue)
                #expect(total == 120)
                emails += body["members"]?.arrayValue?.compactMap { $0["email_address"]?.stringValue } ?? []
                offset += 50
                if offset >= total { break }
            }
            #expect(emails.count == 120)
            #expect(Set(emails).count == 120)
        }
    }

    @Test func putBySubscriberHashUpsertsAndTagsAreAdded() async throws {
        try await withSandbox { _, origin in
            let email = "Fresh.Member@Example.com"
            let lower = email.lowercased()
            let put = try await send(
                .PUT, origin + Self.members + "/" + md5Hex(lower), headers: mailchimpAuth,
                json: #"{"email_address":"\#(email)","status_if_new":"subscribed","merge_fields":{"FNAME":"Fresh"}}"#)
            #expect(put.status == 200)
            #expect(put.json?["id"]?.stringValue == md5Hex(lower))
            let tags = try await send(
                .POST, origin + Self.members + "/" + md5Hex(lower) + "/tags", headers: mailchimpAuth,
                json: #"{"tags":[{"name":"tier: champion","status":"active"}]}"#)
            #expect(tags.status == 204)
            let read = try await send(.GET, origin + Self.members + "/" + md5Hex(lower), headers: mailchimpAuth)
            #expect(read.json?["merge_fields"]?["FNAME"]?.stringValue == "Fresh")
            #expect(read.json?["tags"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.contains("tier: champion") == true)
            let list = try await send(.GET, origin + Self.members + "?count=1", headers: mailchimpAuth)
            #expect(list.json?["total_items"]?.intValue == 121)
            let mismatch = try await send(
                .PUT, origin + Self.members + "/" + md5Hex("other@example.com"), headers: mailchimpAuth,
                json: #"{"email_address":"\#(email)","status_if_new":"subscribed"}"#)
            #expect(mismatch.status == 400)
        }
    }

    @Test func moreThanTheConcurrencyLimitGets429() async throws {
        var limits = SandboxLimits()
        limits.mailchimpConcurrentRequests = 2
        try await withSandbox(faults: try FaultSpec.parse("latency=300ms"), limits: limits) { _, origin in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await send(.GET, origin + Self.members + "?count=1", headers: mailchimpAuth).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.contains(429))
            #expect(statuses.contains(200))
        }
    }
}

/// MD5 in hex, written out here so the test does not reuse the sandbox's own hashing.
func md5Hex(_ text: String) -> String {
    var message = Array(text.utf8)
    let originalBits = UInt64(message.count) * 8
    message.append(0x80)
    while message.count % 64 != 56 { message.append(0) }
    for shift in 0..<8 { message.append(UInt8((originalBits >> (8 * UInt64(shift))) & 0xFF)) }
    let s: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    let k: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4_294_967_296)) }
    var a0: UInt32 = 0x6745_2301, b0: UInt32 = 0xefcd_ab89, c0: UInt32 = 0x98ba_dcfe, d0: UInt32 = 0x1032_5476
    for chunk in stride(from: 0, to: message.count, by: 64) {
        let m: [UInt32] = (0..<16).map { i in
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(message[chunk + i * 4 + $1]) << (8 * UInt32($1)) }
        }
        var a = a0, b = b0, c = c0, d = d0
        for i in 0..<64 {
            var f: UInt32
            let g: Int
            switch i {
            case 0..<16: f = (b & c) | (~b & d); g = i
            case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
            case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
            default: f = c ^ (b | ~d); g = (7 * i) % 16
            }
            f = f &+ a &+ k[i] &+ m[g]
            a = d; d = c; c = b
            b = b &+ ((f << s[i]) | (f >> (32 - s[i])))
        }
        a0 = a0 &+ a; b0 = b0 &+ b; c0 = c0 &+ c; d0 = d0 &+ d
    }
    return [a0, b0, c0, d0].flatMap { word in (0..<4).map { UInt8((word >> (8 * UInt32($0))) & 0xFF) } }
        .map { String(format: "%02x", $0) }.joined()
}

@Suite struct MetaAdsSandboxTests {
    static let account = "/meta_ads/v25.0/act_1234567890"

    @Test func missingAccessTokenGetsGraphError() async throws {
        try await withSandbox { _, origin in
            let answer = try await send(.GET, origin + Self.account + "/campaigns")
            #expect(answer.status == 400)
            #expect(answer.json?["error"]?["type"]?.stringValue == "OAuthException")
            #expect(answer.json?["error"]?["code"]?.intValue == 104)
        }
    }

    @Test func campaignsPageByCursorUntilNextIsAbsent() async throws {
        try await withSandbox { _, origin in
            var url = origin + Self.account + "/campaigns?fields=id,name,status&limit=5&access_token=t"
            var ids: [String] = []
            var shortPageWithNext = false
            while true {
                let answer = try await send(.GET, url)
                #expect(answer.status == 200)
                #expect(answer.header("X-Business-Use-Case-Usage")?.contains("ads_management") == true)
                let body = try #require(answer.json)
                let data = try #require(body["data"]?.arrayValue)
                ids += data.compactMap { $0["id"]?.stringValue }
                guard let next = body["paging"]?["next"]?.stringValue else { break }
                if data.count < 5 { shortPageWithNext = true }
                #expect(next.hasPrefix(origin + "/meta_ads/v25.0/act_1234567890/campaigns?"))
                url = next
            }
            #expect(shortPageWithNext)
            #expect(ids.count == 10)
            #expect(Set(ids).count == 10)
        }
    }

    @Test func dailyInsightsHaveStringMetricsPerCampaignAndDay() async throws {
        try await withSandbox { _, origin in
            let range = "%7B%22since%22%3A%222026-05-20%22%2C%22until%22%3A%222026-05-26%22%7D"
            let answer = try await send(
                .GET, origin + Self.account + "/insights?level=campaign&time_increment=1&fields=campaign_id,impressions,clicks,spend&time_range=\(range)&limit=500&access_token=t")
            #expect(answer.status == 200)
            let rows = try #require(answer.json?["data"]?.arrayValue)
            #expect(!rows.isEmpty)
            #expect(rows.allSatisfy { $0["impressions"]?.stringValue != nil && $0["spend"]?.stringValue != nil })
            #expect(rows.allSatisfy { $0["date_start"] == $0["date_stop"] })
            #expect(Set(rows.compactMap { $0["date_start"]?.stringValue }).count == 7)
            #expect(answer.json?["paging"]?["next"] == nil)
        }
    }

    @Test func asyncInsightsJobCompletesAfterPollsThenServesRows() async throws {
        try await withSandbox { _, origin in
            let started = try await send(
                .POST, origin + Self.account + "/insights?level=campaign&time_increment=1&fields=impressions&date_preset=last_7d&access_token=t")
            let id = try #require(started.json?["report_run_id"]?.stringValue)
            let early = try await send(.GET, origin + "/meta_ads/v25.0/\(id)/insights?access_token=t")
            #expect(early.status == 400)
            var statuses: [String] = []
            var percents: [Int] = []
            for _ in 0..<3 {
                let poll = try await send(.GET, origin + "/meta_ads/v25.0/\(id)?access_token=t")
                statuses.append(poll.json?["async_status"]?.stringValue ?? "")
                percents.append(poll.json?["async_percent_completion"]?.intValue ?? -1)
            }
            #expect(statuses.last == "Job Completed")
            #expect(percents == percents.sorted() && percents.last == 100 && percents.first! < 100)
            let rows = try await send(.GET, origin + "/meta_ads/v25.0/\(id)/insights?limit=500&access_token=t")
            #expect(rows.status == 200)
            #expect(rows.json?["data"]?.arrayValue?.isEmpty == false)
        }
    }

    @Test func leadByIdCarriesFieldData() async throws {
        try await withSandbox { _, origin in
            let list = try await send(.GET, origin + "/meta_ads/v25.0/771234567890123/leads?limit=3&access_token=t")
            let id = try #require(list.json?["data"]?.arrayValue?.first?["id"]?.stringValue)
            let lead = try await send(.GET, origin + "/meta_ads/v25.0/\(id)?access_token=t")
            let fields = try #require(lead.json?["field_data"]?.arrayValue)
            #expect(fields.contains { $0["name"]?.stringValue == "email" && $0["values"]?.arrayValue?.count == 1 })
        }
    }

    @Test func overTheAccountBudgetIsErrorCode80000OnHTTP400() async throws {
        var limits = SandboxLimits()
        limits.metaCallsPerMinute = 2
        try await withSandbox(limits: limits) { _, origin in
            var last: Answer?
            for _ in 0..<3 { last = try await send(.GET, origin + Self.account + "/insights?access_token=t") }
            #expect(last?.status == 400)
            #expect(last?.json?["error"]?["code"]?.intValue == 80000)
            let usage = try #require(last?.header("X-Business-Use-Case-Usage"))
            let parsed = try #require(JSONValue.parse(Data(usage.utf8)))
            #expect(parsed["1234567890"]?.arrayValue?.first?["call_count"]?.intValue == 100)
        }
    }
}

@Suite struct GoogleAdsSandboxTests {
    static let headers = bearer + [("developer-token", "dev")]

    @Test func authErrorsUseGooglesBody() async throws {
        try await withSandbox { _, origin in
            let url = origin + "/google_ads/v23/customers/1234567890/googleAds:search"
            let noToken = try await send(.POST, url, json: #"{"query":"SELECT campaign.id FROM campaign"}"#)
            #expect(noToken.status == 401)
            #expect(noToken.json?["error"]?["status"]?.stringValue == "UNAUTHENTICATED")
            let noDeveloperToken = try await send(.POST, url, headers: bearer, json: #"{"query":"SELECT campaign.id FROM campaign"}"#)
            #expect(noDeveloperToken.status == 401)
        }
    }

    @Test func searchPagesByNextPageTokenAndStreamGivesChunks() async throws {
        var limits = SandboxLimits()
        limits.googleAdsPageSize = 40
        try await withSandbox(limits: limits) { _, origin in
            let query = "SELECT campaign.id, segments.date, metrics.clicks, metrics.cost_micros FROM campaign WHERE segments.date DURING LAST_7_DAYS"
            var token: String?
            var rows: [JSONValue] = []
            repeat {
                let body = token.map { #"{"query":"\#(query)","pageToken":"\#($0)"}"# } ?? #"{"query":"\#(query)"}"#
                let answer = try await send(.POST, origin + "/google_ads/v23/customers/1234567890/googleAds:search", headers: Self.headers, json: body)
                #expect(answer.status == 200)
                #expect(answer.json?["fieldMask"]?.stringValue == "campaign.id,segments.date,metrics.clicks,metrics.costMicros")
                rows += answer.json?["results"]?.arrayValue ?? []
                token = answer.json?["nextPageToken"]?.stringValue
            } while token != nil
            #expect(rows.count == 70)
            #expect(rows.first?["metrics"]?["costMicros"]?.stringValue != nil)
            let stream = try await send(
                .POST, origin + "/google_ads/v23/customers/1234567890/googleAds:searchStream", headers: Self.headers, json: #"{"query":"\#(query)"}"#)
            let chunks = try #require(stream.json?.arrayValue)
            #expect(chunks.count == 2)
            #expect(chunks.reduce(0) { $0 + ($1["results"]?.arrayValue?.count ?? 0) } == 70)
        }
    }

    @Test func exhaustedQuotaSaysResourceExhaustedWithRetryDelay() async throws {
        var limits = SandboxLimits()
        limits.googleAdsPerMinute = 1
        try await withSandbox(limits: limits) { _, origin in
            let url = origin + "/google_ads/v23/customers/1234567890/googleAds:search"
            _ = try await send(.POST, url, headers: Self.headers, json: #"{"query":"SELECT campaign.id FROM campaign"}"#)
            let answer = try await send(.POST, url, headers: Self.headers, json: #"{"query":"SELECT campaign.id FROM campaign"}"#)
            #expect(answer.status == 429)
            #expect(answer.json?["error"]?["status"]?.stringValue == "RESOURCE_EXHAUSTED")
            let detail = answer.json?["error"]?["details"]?.arrayValue?.first?["errors"]?.arrayValue?.first
            #expect(detail?["errorCode"]?["quotaError"]?.stringValue == "RESOURCE_EXHAUSTED")
            #expect(detail?["details"]?["quotaErrorDetails"]?["retryDelay"]?.stringValue?.hasSuffix("s") == true)
        }
    }
}

@Suite struct GA4AndLinkedInSandboxTests {
    @Test func runReportPagesByOffsetAgainstRowCount() async throws {
        try await withSandbox { _, origin in
            var offset = 0
            var seen = 0
            var rowCount = 0
            repeat {
                let answer = try await send(
                    .POST, origin + "/ga4/v1beta/properties/123456789:runReport", headers: bearer,
                    json: #"{"dateRanges":[{"startDate":"7daysAgo","endDate":"yesterday"}],"dimensions":[{"name":"date"},{"name":"sessionSource"}],"metrics":[{"name":"sessions"},{"name":"totalUsers"}],"limit":20,"offset":\#(offset)}"#)
                #expect(answer.status == 200)
                rowCount = answer.json?["rowCount"]?.intValue ?? 0
                let rows = answer.json?["rows"]?.arrayValue ?? []
                #expect(rows.first?["metricValues"]?.arrayValue?.count == 2)
                seen += rows.count
                offset += 20
            } while offset < rowCount
            #expect(rowCount > 20)
            #expect(seen == rowCount)
            let unauthenticated = try await send(
                .POST, origin + "/ga4/v1beta/properties/123456789:runReport", json: #"{"metrics":[{"name":"sessions"}]}"#)
            #expect(unauthenticated.status == 401)
            #expect(unauthenticated.json?["error"]?["status"]?.stringValue == "UNAUTHENTICATED")
            let unknown = try await send(
                .POST, origin + "/ga4/v1beta/properties/123456789:runReport", headers: bearer, json: #"{"metrics":[{"name":"shoeSize"}]}"#)
            #expect(unknown.status == 400)
            #expect(unknown.json?["error"]?["status"]?.stringValue == "INVALID_ARGUMENT")
            let huge = try await send(
                .POST, origin + "/ga4/v1beta/properties/123456789:runReport", headers: bearer,
                json: #"{"dateRanges":[{"startDate":"2025-01-01","endDate":"2026-01-01"}],"dimensions":[{"name":"date"},{"name":"sessionSource"},{"name":"country"},{"name":"landingPage"}],"metrics":[{"name":"sessions"}]}"#)
            #expect(huge.status == 400)
        }
    }

    @Test func linkedInNeedsVersionAndPagesByNextPageToken() async throws {
        try await withSandbox { _, origin in
            let base = origin + "/linkedin_ads/rest/adAccounts/508123456/adCampaigns?q=search&pageSize=100"
            let noVersion = try await send(.GET, base, headers: bearer)
            #expect(noVersion.status == 400)
            #expect(noVersion.json?["code"]?.stringValue == "VERSION_MISSING")
            let headers = bearer + [("LinkedIn-Version", "202603"), ("X-Restli-Protocol-Version", "2.0.0")]
            var url = base
            var ids: [Int] = []
            while true {
                let answer = try await send(.GET, url, headers: headers)
                #expect(answer.status == 200)
                ids += answer.json?["elements"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
                guard let token = answer.json?["metadata"]?["nextPageToken"]?.stringValue else { break }
                url = base + "&pageToken=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token)
            }
            #expect(ids.count == 230)
            #expect(Set(ids).count == 230)
        }
    }

    @Test func linkedInPartialUpdateIsVisible() async throws {
        try await withSandbox { _, origin in
            let headers = bearer + [("LinkedIn-Version", "202603")]
            let list = try await send(.GET, origin + "/linkedin_ads/rest/adAccounts/508123456/adCampaigns?q=search&pageSize=1", headers: headers)
            let id = try #require(list.json?["elements"]?.arrayValue?.first?["id"]?.intValue)
            let update = try await send(
                .POST, origin + "/linkedin_ads/rest/adAccounts/508123456/adCampaigns/\(id)", headers: headers + [("X-RestLi-Method", "PARTIAL_UPDATE")],
                json: #"{"patch":{"$set":{"status":"PAUSED"}}}"#)
            #expect(update.status == 204)
            let paused = try await send(
                .GET, origin + "/linkedin_ads/rest/adAccounts/508123456/adCampaigns?q=search&search=(status:(values:List(PAUSED)))&pageSize=500",
                headers: headers)
            #expect(paused.json?["elements"]?.arrayValue?.contains { $0["id"]?.intValue == id } == true)
        }
    }
}

@Suite struct MailchimpBatchTests {
    @Test func batchSubscribeAddsUpdatesAndListsErrorsPerEmail() async throws {
        try await withSandbox { _, origin in
            let first = try await send(.GET, origin + MailchimpSandboxTests.members + "?count=1", headers: mailchimpAuth)
            let existing = try #require(first.json?["members"]?.arrayValue?.first?["email_address"]?.stringValue)
            let body = """
                {"members":[{"email_address":"batch.new@example.com","status_if_new":"subscribed","tags":["tier: engaged"]},
                            {"email_address":"\(existing)","merge_fields":{"FNAME":"Renamed"}},
                            {"email_address":"not-an-email"}],"update_existing":true}
                """
            let answer = try await send(.POST, origin + "/mailchimp/3.0/lists/a1b2c3d4e5", headers: mailchimpAuth, json: body)
            #expect(answer.status == 200)
            #expect(answer.json?["total_created"]?.intValue == 1)
            #expect(answer.json?["total_updated"]?.intValue == 1)
            #expect(answer.json?["errors"]?.arrayValue?.first?["email_address"]?.stringValue == "not-an-email")
            let read = try await send(.GET, origin + MailchimpSandboxTests.members + "/" + md5Hex("batch.new@example.com"), headers: mailchimpAuth)
            #expect(read.json?["tags"]?.arrayValue?.first?["name"]?.stringValue == "tier: engaged")
            let again = try await send(
                .POST, origin + "/mailchimp/3.0/lists/a1b2c3d4e5", headers: mailchimpAuth,
                json: #"{"members":[{"email_address":"batch.new@example.com"}],"update_existing":false}"#)
            #expect(again.json?["errors"]?.arrayValue?.first?["error_code"]?.stringValue == "ERROR_CONTACT_EXISTS")
        }
    }

    @Test func listsAndCampaignsAreServed() async throws {
        try await withSandbox { _, origin in
            let lists = try await send(.GET, origin + "/mailchimp/3.0/lists", headers: mailchimpAuth)
            #expect(lists.json?["lists"]?.arrayValue?.first?["id"]?.stringValue == "a1b2c3d4e5")
            #expect(lists.json?["lists"]?.arrayValue?.first?["stats"]?["member_count"]?.intValue != nil)
            let sent = try await send(.GET, origin + "/mailchimp/3.0/campaigns?status=sent&count=1000", headers: mailchimpAuth)
            let campaigns = try #require(sent.json?["campaigns"]?.arrayValue)
            #expect(campaigns.count == sent.json?["total_items"]?.intValue)
            #expect(campaigns.allSatisfy { $0["status"]?.stringValue == "sent" })
        }
    }
}

@Suite struct MetaAdSetTests {
    @Test func adSetsAreListedAndTheirBudgetsChange() async throws {
        try await withSandbox { _, origin in
            let list = try await send(.GET, origin + MetaAdsSandboxTests.account + "/adsets?fields=id,campaign_id,daily_budget&limit=100&access_token=t")
            let first = try #require(list.json?["data"]?.arrayValue?.first)
            let id = try #require(first["id"]?.stringValue)
            let update = try await send(.POST, origin + "/meta_ads/v25.0/\(id)?access_token=t", json: #"{"daily_budget":"4321"}"#)
            #expect(update.json?["success"]?.boolValue == true)
            let after = try await send(.GET, origin + MetaAdsSandboxTests.account + "/adsets?fields=id,daily_budget&limit=100&access_token=t")
            #expect(after.json?["data"]?.arrayValue?.first { $0["id"]?.stringValue == id }?["daily_budget"]?.stringValue == "4321")
        }
    }
}

@Suite struct GoogleAdsWriteTests {
    static let customer = "/google_ads/v23/customers/1234567890"

    func campaignIDs(_ origin: String, status: String) async throws -> [String] {
        let answer = try await send(
            .POST, origin + Self.customer + "/googleAds:search", headers: GoogleAdsSandboxTests.headers,
            json: #"{"query":"SELECT campaign.id FROM campaign WHERE campaign.status = '\#(status)'"}"#)
        return answer.json?["results"]?.arrayValue?.compactMap { $0["campaign"]?["id"]?.stringValue } ?? []
    }

    @Test func partialFailureAppliesTheValidOperationsOnly() async throws {
        try await withSandbox { _, origin in
            let enabled = try await campaignIDs(origin, status: "ENABLED")
            let target = try #require(enabled.first)
            let body = """
                {"operations":[
                  {"update":{"resourceName":"customers/1234567890/campaigns/\(target)","status":"PAUSED"},"updateMask":"status"},
                  {"update":{"resourceName":"customers/1234567890/campaigns/999","status":"PAUSED"},"updateMask":"status"}],
                 "partialFailure":true}
                """
            let answer = try await send(.POST, origin + Self.customer + "/campaigns:mutate", headers: GoogleAdsSandboxTests.headers, json: body)
            #expect(answer.status == 200)
            #expect(answer.json?["results"]?.arrayValue?.first?["resourceName"]?.stringValue == "customers/1234567890/campaigns/\(target)")
            let failure = answer.json?["partialFailureError"]?["details"]?.arrayValue?.first?["errors"]?.arrayValue?.first
            #expect(failure?["location"]?["fieldPathElements"]?.arrayValue?.first?["index"]?.intValue == 1)
            #expect(try await campaignIDs(origin, status: "PAUSED").contains(target))

            let strict = body.replacingOccurrences(of: "\"partialFailure\":true", with: "\"partialFailure\":false")
                .replacingOccurrences(of: "PAUSED", with: "ENABLED")
            let refused = try await send(.POST, origin + Self.customer + "/campaigns:mutate", headers: GoogleAdsSandboxTests.headers, json: strict)
            #expect(refused.status == 400)
            #expect(try await campaignIDs(origin, status: "PAUSED").contains(target))
        }
    }

    @Test func customerMatchJobRunsAfterOperations() async throws {
        try await withSandbox { _, origin in
            let created = try await send(
                .POST, origin + Self.customer + "/offlineUserDataJobs:create", headers: GoogleAdsSandboxTests.headers,
                json: #"{"job":{"type":"CUSTOMER_MATCH_USER_LIST","customerMatchUserListMetadata":{"userList":"customers/1234567890/userLists/1"}}}"#)
            let name = try #require(created.json?["resourceName"]?.stringValue)
            let job = try #require(name.split(separator: "/").last)
            let hash = String(repeating: "ab", count: 32)
            let added = try await send(
                .POST, origin + Self.customer + "/offlineUserDataJobs/\(job):addOperations", headers: GoogleAdsSandboxTests.headers,
                json: #"{"operations":[{"create":{"userIdentifiers":[{"hashedEmail":"\#(hash)"}]}}]}"#)
            #expect(added.status == 200)
            let plain = try await send(
                .POST, origin + Self.customer + "/offlineUserDataJobs/\(job):addOperations", headers: GoogleAdsSandboxTests.headers,
                json: #"{"operations":[{"create":{"userIdentifiers":[{"hashedEmail":"anna@example.com"}]}}]}"#)
            #expect(plain.status == 400)
            let run = try await send(.POST, origin + Self.customer + "/offlineUserDataJobs/\(job):run", headers: GoogleAdsSandboxTests.headers, json: "{}")
            #expect(run.status == 200)
            let again = try await send(.POST, origin + Self.customer + "/offlineUserDataJobs/\(job):run", headers: GoogleAdsSandboxTests.headers, json: "{}")
            #expect(again.status == 400)
        }
    }
}

@Suite struct LinkedInLeadFormTests {
    @Test func responsesPageByStartUntilAShortPage() async throws {
        try await withSandbox { _, origin in
            let headers = bearer + [("LinkedIn-Version", "202603")]
            let owner = "(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A508123456)"
            var start = 0
            var ids: [String] = []
            while true {
                let answer = try await send(.GET, origin + "/linkedin_ads/rest/leadFormResponses?q=owner&owner=\(owner)&start=\(start)&count=4", headers: headers)
                #expect(answer.status == 200)
                let elements = answer.json?["elements"]?.arrayValue ?? []
                ids += elements.compactMap { $0["id"]?.stringValue }
                #expect(elements.first.map { $0["formResponse"]?["answers"]?.arrayValue?.count == 5 } ?? true)
                if elements.count < 4 { break }
                start += 4
            }
            #expect(ids.count == 10)
            #expect(Set(ids).count == 10)
        }
    }
}
