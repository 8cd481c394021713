import Foundation
import PlaybookSandbox
import Testing

@Suite struct SalesforceSandboxTests {
    @Test func missingBearerGetsInvalidSessionId() async throws {
        try await withSandbox { _, origin in
            let answer = try await send(.GET, origin + "/salesforce/services/data/v65.0/query?q=SELECT+Id+FROM+Lead")
            #expect(answer.status == 401)
            #expect(answer.json?.arrayValue?.first?["errorCode"]?.stringValue == "INVALID_SESSION_ID")
            #expect(answer.json?.arrayValue?.first?["message"]?.stringValue == "Session expired or invalid")
        }
    }

    @Test func queryPagesFollowNextRecordsUrlUntilDone() async throws {
        var limits = SandboxLimits()
        limits.salesforceBatchSize = 200
        try await withSandbox(limits: limits) { _, origin in
            var url = origin + "/salesforce/services/data/v65.0/query?q=SELECT+Id,Email,LastModifiedDate+FROM+Lead+ORDER+BY+LastModifiedDate"
            var ids: [String] = []
            var stamps: [String] = []
            var pages = 0
            while true {
                let answer = try await send(.GET, url, headers: bearer)
                #expect(answer.status == 200)
                #expect(answer.header("Sforce-Limit-Info")?.hasPrefix("api-usage=") == true)
                let body = try #require(answer.json)
                #expect(body["totalSize"]?.intValue == 450)
                let records = try #require(body["records"]?.arrayValue)
                #expect(records.first?["attributes"]?["type"]?.stringValue == "Lead")
                ids += records.compactMap { $0["Id"]?.stringValue }
                stamps += records.compactMap { $0["LastModifiedDate"]?.stringValue }
                pages += 1
                if body["done"]?.boolValue == true {
                    #expect(body["nextRecordsUrl"] == nil)
                    break
                }
                let next = try #require(body["nextRecordsUrl"]?.stringValue)
                #expect(next.hasPrefix("/services/data/v65.0/query/"))
                url = origin + "/salesforce" + next
            }
            #expect(pages == 3)
            #expect(Set(ids).count == 450)
            #expect(stamps == stamps.sorted())
        }
    }

    @Test func whereClauseFiltersAndBadQueriesAreMalformed() async throws {
        try await withSandbox { _, origin in
            let since = "2026-05-25T00:00:00Z"
            let answer = try await send(
                .GET, origin + "/salesforce/services/data/v65.0/query?q=SELECT+Id,LastModifiedDate+FROM+Lead+WHERE+LastModifiedDate+>+\(since)",
                headers: bearer)
            let records = try #require(answer.json?["records"]?.arrayValue)
            let total = try #require(answer.json?["totalSize"]?.intValue)
            #expect(total > 0 && total < 450)
            #expect(records.allSatisfy { ($0["LastModifiedDate"]?.stringValue ?? "") > "2026-05-25" })
            let malformed = try await send(.GET, origin + "/salesforce/services/data/v65.0/query?q=SELEKT+Id", headers: bearer)
            #expect(malformed.status == 400)
            #expect(malformed.json?.arrayValue?.first?["errorCode"]?.stringValue == "MALFORMED_QUERY")
            let unknown = try await send(.GET, origin + "/salesforce/services/data/v65.0/query?q=SELECT+Shoe+FROM+Lead", headers: bearer)
            #expect(unknown.json?.arrayValue?.first?["errorCode"]?.stringValue == "INVALID_FIELD")
        }
    }

    @Test func compositeUpsertGivesPerRecordResultsAndIsVisible() async throws {
        try await withSandbox { _, origin in
            let body = """
                {"allOrNone":false,"records":[
                  {"attributes":{"type":"Lead"},"Ext_Id__c":"L-1","Title":"Chief Tester"},
                  {"attributes":{"type":"Lead"},"Ext_Id__c":"NEW-1","LastName":"Nova","Company":"Acme","Email":"nova@example.com"},
                  {"attributes":{"type":"Lead"},"Ext_Id__c":"NEW-2","LastName":"Bad","Company":"Acme","Email":"bad address"}]}
                """
            let answer = try await send(.PATCH, origin + "/salesforce/services/data/v65.0/composite/sobjects/Lead/Ext_Id__c", headers: bearer, json: body)
            #expect(answer.status == 200)
            let results = try #require(answer.json?.arrayValue)
            #expect(results.map { $0["success"]?.boolValue } == [true, true, false])
            #expect(results.map { $0["created"]?.boolValue } == [false, true, nil])
            #expect(results[2]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "INVALID_EMAIL_ADDRESS")
            let read = try await send(
                .GET, origin + "/salesforce/services/data/v65.0/query?q=SELECT+Title+FROM+Lead+WHERE+Ext_Id__c+=+'L-1'", headers: bearer)
            #expect(read.json?["records"]?.arrayValue?.first?["Title"]?.stringValue == "Chief Tester")
            let count = try await send(.GET, origin + "/salesforce/services/data/v65.0/query?q=SELECT+Id+FROM+Lead", headers: bearer)
            #expect(count.json?["totalSize"]?.intValue == 451)
        }
    }

    @Test func moreThanTwoHundredRecordsIsRefused() async throws {
        try await withSandbox { _, origin in
            let records = (0..<201).map { #"{"Ext_Id__c":"X\#($0)","LastName":"L","Company":"C"}"# }.joined(separator: ",")
            let answer = try await send(
                .PATCH, origin + "/salesforce/services/data/v65.0/composite/sobjects/Lead/Ext_Id__c", headers: bearer,
                json: #"{"records":[\#(records)]}"#)
            #expect(answer.status == 400)
        }
    }

    @Test func pastTheAllocationRequestsGetRequestLimitExceeded() async throws {
        var limits = SandboxLimits()
        limits.salesforceRequests = 2
        try await withSandbox(limits: limits) { _, origin in
            let url = origin + "/salesforce/services/data/v65.0/query?q=SELECT+Id+FROM+Contact+LIMIT+1"
            _ = try await send(.GET, url, headers: bearer)
            let second = try await send(.GET, url, headers: bearer)
            #expect(second.header("Sforce-Limit-Info") == "api-usage=2/2")
            let third = try await send(.GET, url, headers: bearer)
            #expect(third.status == 403)
            #expect(third.json?.arrayValue?.first?["errorCode"]?.stringValue == "REQUEST_LIMIT_EXCEEDED")
        }
    }
}

@Suite struct SalesforceCollectionsTests {
    @Test func createThenUpdateByIdThroughCollections() async throws {
        try await withSandbox { _, origin in
            let url = origin + "/salesforce/services/data/v65.0/composite/sobjects"
            let created = try await send(
                .POST, url, headers: bearer,
                json: #"{"allOrNone":false,"records":[{"attributes":{"type":"Contact"},"LastName":"Ng","Email":"ng@example.com"},{"attributes":{"type":"Contact"},"Email":"nolastname@example.com"}]}"#)
            let results = try #require(created.json?.arrayValue)
            #expect(results.map { $0["success"]?.boolValue } == [true, false])
            #expect(results[1]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "REQUIRED_FIELD_MISSING")
            let id = try #require(results[0]["id"]?.stringValue)
            let updated = try await send(
                .PATCH, url, headers: bearer,
                json: #"{"records":[{"attributes":{"type":"Contact"},"Id":"\#(id)","Title":"Buyer"},{"attributes":{"type":"Contact"},"Id":"003nope","Title":"x"}]}"#)
            #expect(updated.json?.arrayValue?.map { $0["success"]?.boolValue } == [true, false])
            let read = try await send(
                .GET, origin + "/salesforce/services/data/v65.0/query?q=SELECT+Title+FROM+Contact+WHERE+Id+=+'\(id)'", headers: bearer)
            #expect(read.json?["records"]?.arrayValue?.first?["Title"]?.stringValue == "Buyer")
        }
    }

    @Test func theConnectorsLeadAndCampaignQueriesAreAnswered() async throws {
        try await withSandbox { _, origin in
            for query in [
                "SELECT Id, Email, FirstName, LastName, Title, Phone, LeadSource, OwnerId, CreatedDate, LastModifiedDate, Company, Status, Rating, IsConverted FROM Lead",
                "SELECT Id, Email, FirstName, LastName, Title, Phone, LeadSource, OwnerId, CreatedDate, LastModifiedDate, AccountId, MailingCountry FROM Contact",
                "SELECT Id, Name, Type, Status, IsActive, StartDate, EndDate, BudgetedCost, ActualCost, NumberOfLeads, NumberOfResponses, CreatedDate, LastModifiedDate FROM Campaign",
                "SELECT Id, CampaignId, LeadId, ContactId, Status, HasResponded, CreatedDate, LastModifiedDate FROM CampaignMember",
            ] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                let answer = try await send(.GET, origin + "/salesforce/services/data/v65.0/query?q=" + encoded, headers: bearer)
                #expect(answer.status == 200, "\(query): \(answer.text)")
                #expect((answer.json?["totalSize"]?.intValue ?? 0) > 0)
            }
        }
    }
}
