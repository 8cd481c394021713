import Diagnostics
import Foundation

/// Salesforce writes: sObject Collections (create, update, upsert by external id) and single upserts, each
/// answered per record.
extension SalesforceSandbox {
    func upsertMany(_ request: SandboxRequest, object name: String, externalField: String, version: String, now: Date) -> SandboxReply {
        guard let records = request.json?["records"]?.arrayValue else {
            return .json(400, [["message": "Json Deserialization failed on token 'null' and has left off in the middle of parsing a row. The body needs `records`.", "errorCode": "JSON_PARSER_ERROR"]])
        }
        guard records.count <= Self.maximumUpsertRecords else {
            return .json(400, [["message": .string("Maximum of \(Self.maximumUpsertRecords) records can be upserted at a time, got \(records.count)."), "errorCode": "EXCEEDED_ID_LIMIT", "fields": []]])
        }
        let allOrNone = request.json?["allOrNone"]?.boolValue ?? false
        return state.withLock { store -> SandboxReply in
            guard var object = store.objects[name] else {
                return .json(404, [["message": .string("The requested resource does not exist: sObject type '\(name)'"), "errorCode": "NOT_FOUND"]])
            }
            guard let field = object.canonicalField(externalField) else {
                return .json(404, [["message": .string("Provided external ID field does not exist or is not accessible: \(externalField)"), "errorCode": "NOT_FOUND"]])
            }
            let original = object
            var results: [JSONValue] = []
            var failed = false
            for record in records {
                let outcome = Self.upsert(record, into: &object, field: field, now: now)
                if outcome["success"]?.boolValue == false { failed = true }
                results.append(outcome)
            }
            if allOrNone, failed {
                object = original
                results = results.map { result in
                    result["success"]?.boolValue == false
                        ? result
                        : ["id": nil, "success": false, "errors": [["statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK", "message": "Record rolled back because not all records were valid and the request was using AllOrNone header", "fields": []]]]
                }
            }
            store.objects[name] = object
            return .json(200, .array(results))
        }
    }

    func upsertOne(
        _ request: SandboxRequest, object name: String, externalField: String, value: String, version: String, now: Date
    ) -> SandboxReply {
        guard case .object(var members) = request.json ?? .object([]) else {
            return .json(400, [["message": "The body must be a JSON object", "errorCode": "JSON_PARSER_ERROR"]])
        }
        return state.withLock { store -> SandboxReply in
            guard var object = store.objects[name], let field = object.canonicalField(externalField) else {
                return .json(404, [["message": .string("The requested resource does not exist"), "errorCode": "NOT_FOUND"]])
            }
            members.removeAll { $0.0 == field }
            members.append((field, .string(value)))
            let outcome = Self.upsert(.object(members), into: &object, field: field, now: now)
            store.objects[name] = object
            guard outcome["success"]?.boolValue == true else {
                return .json(400, outcome["errors"] ?? [])
            }
            let created = outcome["created"]?.boolValue ?? false
            return .json(created ? 201 : 200, ["id": outcome["id"] ?? nil, "success": true, "errors": [], "created": .bool(created)])
        }
    }

    /// sObject Collections create (`POST`) or update by `Id` (`PATCH`): each record names its type in
    /// `attributes.type`; at most 200; one result per record, in order.
    func collection(_ request: SandboxRequest, now: Date, create: Bool) -> SandboxReply {
        guard let records = request.json?["records"]?.arrayValue else {
            return .json(400, [["message": "The body needs `records`.", "errorCode": "JSON_PARSER_ERROR"]])
        }
        guard records.count <= Self.maximumUpsertRecords else {
            return .json(400, [["message": .string("Maximum of \(Self.maximumUpsertRecords) records can be sent at a time, got \(records.count)."), "errorCode": "EXCEEDED_ID_LIMIT", "fields": []]])
        }
        let allOrNone = request.json?["allOrNone"]?.boolValue ?? false
        return state.withLock { store -> SandboxReply in
            let original = store.objects
            var results: [JSONValue] = []
            for record in records {
                guard let type = record["attributes"]?["type"]?.stringValue, var object = store.objects[type] else {
                    results.append(Self.failure("INVALID_TYPE", "Each record needs attributes.type naming a supported sObject (Lead, Contact, Campaign, CampaignMember)", []))
                    continue
                }
                let outcome = create ? Self.create(record, into: &object, now: now) : Self.update(record, in: &object, now: now)
                store.objects[type] = object
                results.append(outcome)
            }
            if allOrNone, results.contains(where: { $0["success"]?.boolValue == false }) {
                store.objects = original
                results = results.map { result in
                    result["success"]?.boolValue == false
                        ? result
                        : Self.failure("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", [])
                }
            }
            return .json(200, .array(results))
        }
    }

    static func failure(_ code: String, _ message: String, _ fields: [String]) -> JSONValue {
        ["id": nil, "success": false, "errors": [["statusCode": .string(code), "message": .string(message), "fields": .array(fields.map(JSONValue.string))]]]
    }

    /// A field a record names that its sObject does not have.
    struct UnknownField: Error {
        let name: String
    }

    /// The record's fields by their API names, or the name of one the object does not have.
    static func fieldValues(_ record: JSONValue, object: SalesforceObject) -> Result<[String: JSONValue], UnknownField> {
        var values: [String: JSONValue] = [:]
        for (name, value) in record.objectValue ?? [] where name != "attributes" {
            guard let canonical = object.canonicalField(name) else { return .failure(UnknownField(name: name)) }
            values[canonical] = value
        }
        return .success(values)
    }

    static func create(_ record: JSONValue, into object: inout SalesforceObject, now: Date) -> JSONValue {
        var values: [String: JSONValue]
        switch fieldValues(record, object: object) {
        case .success(let found): values = found
        case .failure(let unknown): return failure("INVALID_FIELD", "No such column '\(unknown.name)' on sobject of type \(object.name)", [unknown.name])
        }
        if values["Id"] != nil { return failure("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"]) }
        if let email = values["Email"]?.textValue, !email.isEmpty, !HubSpotSandbox.isValidEmail(email) {
            return failure("INVALID_EMAIL_ADDRESS", "Email: invalid email address: \(email)", ["Email"])
        }
        let required = object.name == "Lead" ? ["LastName", "Company"] : (object.name == "Contact" ? ["LastName"] : [])
        if required.contains(where: { (values[$0]?.textValue ?? "").isEmpty }) {
            return failure("REQUIRED_FIELD_MISSING", "Required fields are missing: [\(required.joined(separator: ", "))]", required)
        }
        let id = object.newID()
        values["Id"] = .string(id)
        values["CreatedDate"] = .string(SalesforceObject.timestamp(now))
        values["LastModifiedDate"] = .string(SalesforceObject.timestamp(now))
        object.records.append(SalesforceRecord(id: id, fields: values))
        return ["id": .string(id), "success": true, "errors": []]
    }

    static func update(_ record: JSONValue, in object: inout SalesforceObject, now: Date) -> JSONValue {
        var values: [String: JSONValue]
        switch fieldValues(record, object: object) {
        case .success(let found): values = found
        case .failure(let unknown): return failure("INVALID_FIELD", "No such column '\(unknown.name)' on sobject of type \(object.name)", [unknown.name])
        }
        guard let id = values["Id"]?.stringValue else { return failure("MISSING_ARGUMENT", "Id not specified in an update call", ["Id"]) }
        guard let position = object.records.firstIndex(where: { $0.id == id }) else {
            return failure(id.hasPrefix(object.idPrefix) ? "ENTITY_IS_DELETED" : "MALFORMED_ID", "invalid cross reference id: \(id)", ["Id"])
        }
        if let email = values["Email"]?.textValue, !email.isEmpty, !HubSpotSandbox.isValidEmail(email) {
            return failure("INVALID_EMAIL_ADDRESS", "Email: invalid email address: \(email)", ["Email"])
        }
        values["Id"] = nil
        values["CreatedDate"] = nil
        values["LastModifiedDate"] = .string(SalesforceObject.timestamp(now))
        for (name, value) in values { object.records[position].fields[name] = value }
        return ["id": .string(id), "success": true, "errors": []]
    }

    /// Applies one record; answers Salesforce's per-record result.
    static func upsert(_ record: JSONValue, into object: inout SalesforceObject, field: String, now: Date) -> JSONValue {
        func failure(_ code: String, _ message: String, _ fields: [String]) -> JSONValue {
            ["id": nil, "success": false, "errors": [["statusCode": .string(code), "message": .string(message), "fields": .array(fields.map(JSONValue.string))]]]
        }
        var values: [String: JSONValue] = [:]
        for (name, value) in record.objectValue ?? [] where name != "attributes" {
            guard let canonical = object.canonicalField(name) else {
                return failure("INVALID_FIELD", "No such column '\(name)' on sobject of type \(object.name)", [name])
            }
            values[canonical] = value
        }
        guard let key = values[field]?.textValue, !key.isEmpty else {
            return failure("MISSING_ARGUMENT", "\(field) not specified", [field])
        }
        if let email = values["Email"]?.textValue, !email.isEmpty, !HubSpotSandbox.isValidEmail(email) {
            return failure("INVALID_EMAIL_ADDRESS", "Email: invalid email address: \(email)", ["Email"])
        }
        values["LastModifiedDate"] = .string(SalesforceObject.timestamp(now))
        values["Id"] = nil
        values["CreatedDate"] = nil
        let matches = object.records.indices.filter {
            compare(object.records[$0].fields[field] ?? .null, .string(key), field: field) == .orderedSame
        }
        if matches.count > 1 {
            return failure("DUPLICATE_EXTERNAL_ID", "\(field): more than one record found for external id field: \(key)", [field])
        }
        if let position = matches.first {
            for (name, value) in values { object.records[position].fields[name] = value }
            return ["id": .string(object.records[position].id), "success": true, "errors": [], "created": false]
        }
        if object.name == "Lead", (values["LastName"]?.textValue ?? "").isEmpty || (values["Company"]?.textValue ?? "").isEmpty {
            return failure("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName, Company]", ["LastName", "Company"])
        }
        let id = object.newID()
        values["Id"] = .string(id)
        values["CreatedDate"] = .string(SalesforceObject.timestamp(now))
        object.records.append(SalesforceRecord(id: id, fields: values))
        return ["id": .string(id), "success": true, "errors": [], "created": true]
    }
}
