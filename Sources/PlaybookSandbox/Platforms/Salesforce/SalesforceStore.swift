import Diagnostics
import Foundation

/// A Salesforce record: field values by API name (`Email`, `Lead_Score__c`).
struct SalesforceRecord: Sendable {
    let id: String
    var fields: [String: JSONValue]
}

/// One sObject type's records and the fields it has.
struct SalesforceObject: Sendable {
    let name: String
    let idPrefix: String
    var fieldNames: [String]
    var records: [SalesforceRecord] = []
    var nextNumber = 1

    /// The field named `field`, matched without regard to case as SOQL does.
    /// The field's name as the object spells it; a custom field (`…__c`) exists as written, since
    /// an org may have added any.
    func canonicalField(_ field: String) -> String? {
        fieldNames.first { $0.lowercased() == field.lowercased() } ?? (field.hasSuffix("__c") && field.count > 3 ? field : nil)
    }

    mutating func newID() -> String {
        defer { nextNumber += 1 }
        return idPrefix + String(nextNumber).leftPadded(12) + "AAQ"
    }

    static func timestamp(_ date: Date) -> String { SandboxTime.salesforce(date) }

    static func lead(_ person: SeedPerson, index: Int) -> [String: JSONValue] {
        [
            "FirstName": .string(person.firstName), "LastName": .string(person.lastName), "Email": .string(person.email),
            "Company": .string(person.company), "Title": .string(person.jobTitle), "Country": .string(person.country),
            "Phone": .string(person.phone), "Status": .string(person.leadStatus),
            "LeadSource": .string(["Web", "Trade Show", "Partner Referral", "Advertisement", "Webinar"][index % 5]),
            "Lead_Score__c": .int(person.leadScore), "Ext_Id__c": .string("L-\(index + 1)"),
            "OwnerId": .string("005SANDBOX00000" + String(index % 5 + 1) + "AAA"), "Rating": .string(["Hot", "Warm", "Cold"][person.leadScore % 3]),
            "IsConverted": .bool(person.leadStatus == "Closed - Converted"),
            "CreatedDate": .string(timestamp(person.createdAt)), "LastModifiedDate": .string(timestamp(person.lastModified)),
        ]
    }

    static func contact(_ person: SeedPerson, index: Int) -> [String: JSONValue] {
        [
            "FirstName": .string(person.firstName), "LastName": .string(person.lastName), "Email": .string(person.email),
            "Title": .string(person.jobTitle), "MailingCountry": .string(person.country), "Phone": .string(person.phone),
            "Ext_Id__c": .string("C-\(index + 1)"), "CreatedDate": .string(timestamp(person.createdAt)),
            "LeadSource": .string(["Web", "Trade Show", "Partner Referral", "Advertisement", "Webinar"][index % 5]),
            "OwnerId": .string("005SANDBOX00000" + String(index % 5 + 1) + "AAA"),
            "AccountId": .string("001SANDBOX" + String(index % 40 + 1).leftPadded(5) + "AAA"),
            "LastModifiedDate": .string(timestamp(person.lastModified)),
        ]
    }
}

private func timestampOf(_ date: Date) -> String { SalesforceObject.timestamp(date) }

/// Salesforce's data: leads, contacts, campaigns and their members, plus open query cursors.
struct SalesforceStore: Sendable {
    var objects: [String: SalesforceObject] = [:]
    /// An open query's rows and page size, kept until its last page is read through `nextRecordsUrl`.
    struct QueryCursor: Sendable {
        let rows: [JSONValue]
        let batchSize: Int
    }

    var cursors: [String: QueryCursor] = [:]
    var nextCursor = 1
    var requests = 0

    init(data: SeedData) {
        var leads = SalesforceObject(
            name: "Lead", idPrefix: "00Q",
            fieldNames: [
                "Id", "FirstName", "LastName", "Email", "Company", "Title", "Country", "Phone", "Status", "LeadSource", "Lead_Score__c",
                "Ext_Id__c", "OwnerId", "Rating", "IsConverted", "CreatedDate", "LastModifiedDate",
            ])
        for (index, person) in data.salesforceLeads.enumerated() {
            let id = leads.newID()
            var fields = SalesforceObject.lead(person, index: index)
            fields["Id"] = .string(id)
            leads.records.append(SalesforceRecord(id: id, fields: fields))
        }
        var contacts = SalesforceObject(
            name: "Contact", idPrefix: "003",
            fieldNames: [
                "Id", "FirstName", "LastName", "Email", "Title", "MailingCountry", "Phone", "Ext_Id__c", "LeadSource", "OwnerId", "AccountId",
                "CreatedDate", "LastModifiedDate",
            ])
        for (index, person) in data.salesforceContacts.enumerated() {
            let id = contacts.newID()
            var fields = SalesforceObject.contact(person, index: index)
            fields["Id"] = .string(id)
            contacts.records.append(SalesforceRecord(id: id, fields: fields))
        }
        var campaigns = SalesforceObject(
            name: "Campaign", idPrefix: "701",
            fieldNames: [
                "Id", "Name", "Type", "Status", "IsActive", "StartDate", "EndDate", "BudgetedCost", "ActualCost", "NumberOfLeads",
                "NumberOfResponses", "CreatedDate", "LastModifiedDate",
            ])
        var members = SalesforceObject(
            name: "CampaignMember", idPrefix: "00v",
            fieldNames: ["Id", "CampaignId", "LeadId", "ContactId", "Status", "HasResponded", "CreatedDate", "LastModifiedDate"])
        let types = ["Webinar", "Email", "Conference", "Advertisement", "Direct Mail"]
        for (index, seed) in data.campaigns(count: 8, firstID: 1, stream: 31).enumerated() {
            let id = campaigns.newID()
            let leadIDs = leads.records.enumerated().filter { $0.offset % 8 == index }.map(\.element.id)
            campaigns.records.append(SalesforceRecord(id: id, fields: [
                "Id": .string(id), "Name": .string(seed.name), "Type": .string(types[index % types.count]),
                "Status": .string(seed.status == "ACTIVE" ? "In Progress" : "Completed"), "IsActive": .bool(seed.status == "ACTIVE"),
                "StartDate": .string(SandboxTime.day(seed.createdAt)), "EndDate": .string(SandboxTime.day(seed.createdAt.addingTimeInterval(90 * 86_400))),
                "BudgetedCost": .int(seed.dailyBudgetCents * 30 / 100), "ActualCost": .int(seed.dailyBudgetCents * 20 / 100),
                "NumberOfLeads": .int(leadIDs.count), "NumberOfResponses": .int(leadIDs.count / 3),
                "CreatedDate": .string(timestampOf(seed.createdAt)), "LastModifiedDate": .string(timestampOf(seed.createdAt.addingTimeInterval(86_400))),
            ]))
            for (position, leadID) in leadIDs.prefix(50).enumerated() {
                let memberID = members.newID()
                members.records.append(SalesforceRecord(id: memberID, fields: [
                    "Id": .string(memberID), "CampaignId": .string(id), "LeadId": .string(leadID), "ContactId": .null,
                    "Status": .string(position % 3 == 0 ? "Responded" : "Sent"), "HasResponded": .bool(position % 3 == 0),
                    "CreatedDate": .string(timestampOf(seed.createdAt)), "LastModifiedDate": .string(timestampOf(seed.createdAt)),
                ]))
            }
        }
        objects = ["Lead": leads, "Contact": contacts, "Campaign": campaigns, "CampaignMember": members]
    }
}
