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
    func canonicalField(_ field: String) -> String? {
        fieldNames.first { $0.lowercased() == field.lowercased() }
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
            "CreatedDate": .string(timestamp(person.createdAt)), "LastModifiedDate": .string(timestamp(person.lastModified)),
        ]
    }

    static func contact(_ person: SeedPerson, index: Int) -> [String: JSONValue] {
        [
            "FirstName": .string(person.firstName), "LastName": .string(person.lastName), "Email": .string(person.email),
            "Title": .string(person.jobTitle), "MailingCountry": .string(person.country), "Phone": .string(person.phone),
            "Ext_Id__c": .string("C-\(index + 1)"), "CreatedDate": .string(timestamp(person.createdAt)),
            "LastModifiedDate": .string(timestamp(person.lastModified)),
        ]
    }
}

/// Salesforce's data: leads and contacts, plus open query cursors.
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
                "Ext_Id__c", "CreatedDate", "LastModifiedDate",
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
                "Id", "FirstName", "LastName", "Email", "Title", "MailingCountry", "Phone", "Ext_Id__c", "CreatedDate", "LastModifiedDate",
            ])
        for (index, person) in data.salesforceContacts.enumerated() {
            let id = contacts.newID()
            var fields = SalesforceObject.contact(person, index: index)
            fields["Id"] = .string(id)
            contacts.records.append(SalesforceRecord(id: id, fields: fields))
        }
        objects = ["Lead": leads, "Contact": contacts]
    }
}
