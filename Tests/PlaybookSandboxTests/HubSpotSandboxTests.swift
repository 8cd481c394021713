import Foundation
import PlaybookSandbox
import Testing

@Suite struct HubSpotSandboxTests {
    @Test func missingBearerGetsHubSpotsAuthenticationError() async throws {
        try await withSandbox { _, origin in
            let answer = try await send(.GET, origin + "/hubspot/crm/v3/objects/contacts")
            #expect(answer.status == 401)
            #expect(answer.json?["status"]?.stringValue == "error")
            #expect(answer.json?["category"]?.stringValue == "INVALID_AUTHENTICATION")
            #expect(answer.json?["correlationId"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func listingFollowsAfterCursorToALastPageWithoutPaging() async throws {
        try await withSandbox { _, origin in
            var ids: [String] = []
            var pages = 0
            var url = origin + "/hubspot/crm/v3/objects/contacts?limit=100&properties=email,country"
            while true {
                let answer = try await send(.GET, url, headers: bearer)
                #expect(answer.status == 200)
                let body = try #require(answer.json)
                let results = try #require(body["results"]?.arrayValue)
                ids += results.compactMap { $0["id"]?.stringValue }
                #expect(results.first?["properties"]?["country"]?.stringValue != nil)
                pages += 1
                guard let next = body["paging"]?["next"] else { break }
                let after = try #require(next["after"]?.stringValue)
                let link = try #require(next["link"]?.stringValue)
                #expect(link.hasPrefix(origin + "/hubspot/crm/v3/objects/contacts?"))
                #expect(link.contains("after=\(after)"))
                url = link
            }
            #expect(pages == 3)
            #expect(ids.count == 250)
            #expect(Set(ids).count == 250)
        }
    }

    @Test func searchFiltersByModifiedTimeSortsAndCountsTotal() async throws {
        try await withSandbox { _, origin in
            let since = Int64(referenceDate.timeIntervalSince1970 - 7 * 86_400) * 1000
            let query = """
                {"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE","value":"\(since)"}]}],
                 "sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],
                 "properties":["email","lastmodifieddate"],"limit":200}
                """
            let answer = try await send(.POST, origin + "/hubspot/crm/v3/objects/contacts/search", headers: bearer, json: query)
            #expect(answer.status == 200)
            let body = try #require(answer.json)
            let total = try #require(body["total"]?.intValue)
            #expect(total > 0 && total < 250)
            let results = try #require(body["results"]?.arrayValue)
            let stamps = results.compactMap { $0["properties"]?["lastmodifieddate"]?.stringValue }
            #expect(stamps == stamps.sorted())
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            #expect(stamps.allSatisfy { formatter.date(from: $0)!.timeIntervalSince1970 * 1000 >= Double(since) })
            #expect((body["paging"] == nil) == (total <= 200))
            #expect(answer.header("X-HubSpot-RateLimit-Remaining") == nil)
        }
    }

    @Test(arguments: ["3", "3.0"]) func searchLimitReadsAWholeNumberWrittenEitherWay(limit: String) async throws {
        try await withSandbox { _, origin in
            let answer = try await send(
                .POST, origin + "/hubspot/crm/v3/objects/contacts/search", headers: bearer, json: #"{"limit":\#(limit)}"#)
            #expect(answer.status == 200)
            #expect(answer.json?["results"]?.arrayValue?.count == 3)
        }
    }

    @Test func batchUpsertByEmailIsVisibleToSearchAndList() async throws {
        try await withSandbox { _, origin in
            let upsert = """
                {"inputs":[
                  {"idProperty":"email","id":"new.person@example.com","properties":{"firstname":"New","lead_score":91}},
                  {"idProperty":"email","id":"NEW.person@example.com ","properties":{"lifecyclestage":"customer"}}]}
                """
            let answer = try await send(.POST, origin + "/hubspot/crm/v3/objects/contacts/batch/upsert", headers: bearer, json: upsert)
            #expect(answer.status == 200)
            let results = try #require(answer.json?["results"]?.arrayValue)
            #expect(results.map { $0["new"]?.boolValue } == [true, false])
            #expect(results[0]["id"] == results[1]["id"])
            let search = """
                {"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"new.person@example.com"}]}],
                 "properties":["firstname","lead_score","lifecyclestage"]}
                """
            let found = try await send(.POST, origin + "/hubspot/crm/v3/objects/contacts/search", headers: bearer, json: search)
            #expect(found.json?["total"]?.intValue == 1)
            let properties = try #require(found.json?["results"]?.arrayValue?.first?["properties"])
            #expect(properties["firstname"]?.stringValue == "New")
            #expect(properties["lead_score"]?.stringValue == "91")
            #expect(properties["lifecyclestage"]?.stringValue == "customer")
        }
    }

    @Test func batchCreateReportsInvalidEmailsAsPartialFailure() async throws {
        try await withSandbox { _, origin in
            let create = """
                {"inputs":[{"properties":{"email":"ok.person@example.com"}},{"properties":{"email":"not an email"}}]}
                """
            let answer = try await send(.POST, origin + "/hubspot/crm/v3/objects/contacts/batch/create", headers: bearer, json: create)
            #expect(answer.status == 207)
            #expect(answer.json?["results"]?.arrayValue?.count == 1)
            #expect(answer.json?["numErrors"]?.intValue == 1)
            let error = try #require(answer.json?["errors"]?.arrayValue?.first)
            #expect(error["category"]?.stringValue == "VALIDATION_ERROR")
            #expect(error["errors"]?.arrayValue?.first?["code"]?.stringValue == "INVALID_EMAIL")
        }
    }

    @Test func batchUpdateOfUnknownIdFailsThatInputOnly() async throws {
        try await withSandbox { _, origin in
            let update = """
                {"inputs":[{"id":"1001","properties":{"country":"IS"}},{"id":"999999","properties":{"country":"IS"}}]}
                """
            let answer = try await send(.POST, origin + "/hubspot/crm/v3/objects/contacts/batch/update", headers: bearer, json: update)
            #expect(answer.status == 207)
            #expect(answer.json?["errors"]?.arrayValue?.first?["category"]?.stringValue == "OBJECT_NOT_FOUND")
            let read = try await send(.GET, origin + "/hubspot/crm/v3/objects/contacts/1001?properties=country", headers: bearer)
            #expect(read.json?["properties"]?["country"]?.stringValue == "IS")
        }
    }

    @Test func moreThanOneHundredInputsIsRefusedWhole() async throws {
        try await withSandbox { _, origin in
            let inputs = (0..<101).map { #"{"properties":{"email":"p\#($0)@example.com"}}"# }.joined(separator: ",")
            let answer = try await send(
                .POST, origin + "/hubspot/crm/v3/objects/companies/batch/create", headers: bearer, json: #"{"inputs":[\#(inputs)]}"#)
            #expect(answer.status == 400)
            #expect(answer.json?["category"]?.stringValue == "VALIDATION_ERROR")
            let list = try await send(.GET, origin + "/hubspot/crm/v3/objects/companies?limit=100", headers: bearer)
            #expect(list.json?["results"]?.arrayValue?.count == 30)
        }
    }

    @Test func tenSecondLimitAnswers429WithPolicyAndHeaders() async throws {
        var limits = SandboxLimits()
        limits.hubSpotPerTenSeconds = 3
        try await withSandbox(limits: limits) { _, origin in
            var statuses: [Int] = []
            var remaining: [String?] = []
            var last: Answer?
            for _ in 0..<4 {
                let answer = try await send(.GET, origin + "/hubspot/crm/v3/objects/deals?limit=1", headers: bearer)
                statuses.append(answer.status)
                remaining.append(answer.header("X-HubSpot-RateLimit-Remaining"))
                last = answer
            }
            #expect(statuses == [200, 200, 200, 429])
            #expect(remaining == ["2", "1", "0", "0"])
            #expect(last?.json?["policyName"]?.stringValue == "TEN_SECONDLY_ROLLING")
            #expect(last?.header("X-HubSpot-RateLimit-Max") == "3")
            #expect(last?.header("X-HubSpot-RateLimit-Interval-Milliseconds") == "10000")
        }
    }

    @Test func refreshTokenGrantGivesAHalfHourToken() async throws {
        try await withSandbox { _, origin in
            let answer = try await send(
                .POST, origin + "/hubspot/oauth/v1/token", form: "grant_type=refresh_token&client_id=a&client_secret=b&refresh_token=r")
            #expect(answer.status == 200)
            #expect(answer.json?["expires_in"]?.intValue == 1800)
            #expect(answer.json?["access_token"]?.stringValue?.isEmpty == false)
            let refused = try await send(.POST, origin + "/hubspot/oauth/v1/token", form: "grant_type=refresh_token")
            #expect(refused.status == 400)
            let negative = try await send(
                .POST, origin + "/hubspot/crm/v3/objects/contacts/search", headers: bearer, json: #"{"after":"-5","limit":10}"#)
            #expect(negative.status == 400)
        }
    }

    @Test func sameSeedGivesSameContacts() async throws {
        let first = try await withSandbox(seed: 7) { _, origin in
            try await send(.GET, origin + "/hubspot/crm/v3/objects/contacts?limit=50&properties=email,jobtitle", headers: bearer).json?["results"]
        }
        let second = try await withSandbox(seed: 7) { _, origin in
            try await send(.GET, origin + "/hubspot/crm/v3/objects/contacts?limit=50&properties=email,jobtitle", headers: bearer).json?["results"]
        }
        let other = try await withSandbox(seed: 8) { _, origin in
            try await send(.GET, origin + "/hubspot/crm/v3/objects/contacts?limit=50&properties=email,jobtitle", headers: bearer).json?["results"]
        }
        #expect(first != nil)
        #expect(first == second)
        #expect(first != other)
    }
}

@Suite struct HubSpotFormSubmissionTests {
    @Test func submissionsComeNewestFirstAndPageByAfter() async throws {
        try await withSandbox { _, origin in
            var url = origin + "/hubspot/form-integrations/v1/submissions/forms/3f6b2a1c-8d4e-4c1a-9b2f-5e7d6c4b3a21?limit=50"
            var stamps: [Int64] = []
            while true {
                let answer = try await send(.GET, url, headers: bearer)
                #expect(answer.status == 200)
                let results = try #require(answer.json?["results"]?.arrayValue)
                stamps += results.compactMap { if case .int(let value) = $0["submittedAt"] { value } else { nil } }
                #expect(results.first?["values"]?.arrayValue?.contains { $0["name"]?.stringValue == "email" } == true)
                guard let link = answer.json?["paging"]?["next"]?["link"]?.stringValue else { break }
                url = link
            }
            #expect(stamps.count == 63)
            #expect(stamps == stamps.sorted(by: >))
            let unknown = try await send(.GET, origin + "/hubspot/form-integrations/v1/submissions/forms/nope", headers: bearer)
            #expect(unknown.status == 404)
        }
    }
}
