import Foundation
import Synchronization

/// Salesforce REST: SOQL queries paged by `nextRecordsUrl` until `done`, sObject Collections upsert by an
/// external id field (≤200 records, a result per record), single-record upsert, the OAuth refresh grant,
/// `Sforce-Limit-Info` on every answer and `REQUEST_LIMIT_EXCEEDED` past the allocation.
final class SalesforceSandbox: SandboxPlatform {
    let name = "salesforce"
    let examplePath = "services/data/v65.0/query?q=SELECT+Id,Email+FROM+Lead"
    private let state: Mutex<SalesforceStore>
    private let limits: SandboxLimits
    private let ids: SandboxIDs
    static let maximumUpsertRecords = 200

    init(data: SeedData, options: SandboxOptions) {
        state = Mutex(SalesforceStore(data: data))
        limits = options.limits
        ids = SandboxIDs(seed: options.seed, stream: 0x5346)
    }

    private func isVersion(_ segment: String) -> Bool {
        segment.hasPrefix("v") && Double(segment.dropFirst()) != nil
    }

    func write(of request: SandboxRequest) -> WriteDescription? {
        let s = request.segments
        if s.count == 5, s[0] == "services", s[1] == "data", isVersion(s[2]), s[3] == "composite", s[4] == "sobjects" {
            if request.method == .post { return WriteDescription(resource: "sobjects", operation: "create") }
            if request.method == .patch { return WriteDescription(resource: "sobjects", operation: "update") }
        }
        guard request.method == .patch, s.count >= 6, s[0] == "services", s[1] == "data", isVersion(s[2]) else { return nil }
        if s[3] == "composite", s[4] == "sobjects", s.count == 7 { return WriteDescription(resource: s[5], operation: "upsert") }
        if s[3] == "sobjects", s.count == 7 { return WriteDescription(resource: s[4], operation: "upsert") }
        return nil
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        let s = request.segments
        if s == ["services", "oauth2", "token"] { return token(request) }
        guard request.bearerToken != nil else {
            return .json(401, [["message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"]])
        }
        let used = state.withLock { store in
            store.requests += 1
            return store.requests
        }
        let limitInfo = "api-usage=\(min(used, limits.salesforceRequests))/\(limits.salesforceRequests)"
        guard used <= limits.salesforceRequests else {
            return .json(403, [["message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"]])
                .adding("Sforce-Limit-Info", limitInfo)
        }
        return route(request, now: moment.now).adding("Sforce-Limit-Info", limitInfo)
    }

    private func route(_ request: SandboxRequest, now: Date) -> SandboxReply {
        let s = request.segments
        guard s.count >= 4, s[0] == "services", s[1] == "data", isVersion(s[2]) else { return notFound(request) }
        let version = s[2]
        switch (request.method, Array(s.dropFirst(3))) {
        case (.get, ["query"]), (.get, ["queryAll"]): return query(request, version: version)
        case (.get, let rest) where rest.count == 2 && (rest[0] == "query" || rest[0] == "queryAll"):
            return more(cursor: rest[1], version: version)
        case (.post, ["composite", "sobjects"]): return collection(request, now: now, create: true)
        case (.patch, ["composite", "sobjects"]): return collection(request, now: now, create: false)
        case (.patch, let rest) where rest.count == 4 && rest[0] == "composite" && rest[1] == "sobjects":
            return upsertMany(request, object: rest[2], externalField: rest[3], version: version, now: now)
        case (.patch, let rest) where rest.count == 4 && rest[0] == "sobjects":
            return upsertOne(request, object: rest[1], externalField: rest[2], value: rest[3], version: version, now: now)
        default: return notFound(request)
        }
    }

    // MARK: Queries

    private func query(_ request: SandboxRequest, version: String) -> SandboxReply {
        guard let text = request.query["q"], !text.isEmpty else {
            return .json(400, [["message": "A query string has to be specified", "errorCode": "MALFORMED_QUERY"]])
        }
        let parsed: SOQLQuery
        do {
            parsed = try SOQLQuery.parse(text)
        } catch {
            return .json(400, [["message": .string(error.message), "errorCode": "MALFORMED_QUERY"]])
        }
        let batchSize = batchSize(request)
        return state.withLock { store -> SandboxReply in
            guard let object = store.objects.values.first(where: { $0.name.lowercased() == parsed.object.lowercased() }) else {
                return .json(400, [["message": .string("sObject type '\(parsed.object)' is not supported."), "errorCode": "INVALID_TYPE"]])
            }
            let named = parsed.fields + parsed.conditions.map(\.field) + (parsed.orderBy.map { [$0.field] } ?? [])
            if let unknown = named.first(where: { object.canonicalField($0) == nil }) {
                return .json(
                    400, [["message": .string("No such column '\(unknown)' on entity '\(object.name)'."), "errorCode": "INVALID_FIELD"]])
            }
            var matching = object.records.filter { record in
                parsed.conditions.allSatisfy { Self.holds($0, on: record, object: object) }
            }
            if let order = parsed.orderBy, let field = object.canonicalField(order.field) {
                matching.sort { a, b in
                    let result = Self.compare(a.fields[field] ?? .null, b.fields[field] ?? .null, field: field)
                    return result == .orderedSame ? a.id < b.id : (order.descending ? result == .orderedDescending : result == .orderedAscending)
                }
            }
            if let limit = parsed.limit { matching = Array(matching.prefix(limit)) }
            let fields = parsed.fields.compactMap { object.canonicalField($0) }
            let rows: [JSONValue] = matching.map { record in
                .object(
                    [("attributes", ["type": .string(object.name), "url": .string("/services/data/\(version)/sobjects/\(object.name)/\(record.id)")])]
                        + fields.map { ($0, record.fields[$0] ?? .null) })
            }
            let cursor = store.nextCursor
            store.nextCursor += 1
            let cursorID = "01gSB" + String(cursor).leftPadded(8) + "QAC"
            return page(rows: rows, total: rows.count, offset: 0, batchSize: batchSize, cursorID: cursorID, version: version, store: &store)
        }
    }

    private func more(cursor: String, version: String) -> SandboxReply {
        let parts = cursor.split(separator: "-")
        guard parts.count == 2, let offset = Int(parts[1]), offset >= 0 else {
            return .json(400, [["message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"]])
        }
        let cursorID = String(parts[0])
        return state.withLock { store -> SandboxReply in
            guard let open = store.cursors[cursorID] else {
                return .json(400, [["message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"]])
            }
            return page(rows: open.rows, total: open.rows.count, offset: offset, batchSize: open.batchSize, cursorID: cursorID, version: version, store: &store)
        }
    }

    private func page(
        rows: [JSONValue], total: Int, offset: Int, batchSize: Int, cursorID: String, version: String, store: inout SalesforceStore
    ) -> SandboxReply {
        let slice = Array(rows.dropFirst(offset).prefix(batchSize))
        let done = offset + slice.count >= total
        var body: [(String, JSONValue)] = [("totalSize", .int(total)), ("done", .bool(done))]
        if done {
            store.cursors[cursorID] = nil
        } else {
            store.cursors[cursorID] = SalesforceStore.QueryCursor(rows: rows, batchSize: batchSize)
            body.append(("nextRecordsUrl", .string("/services/data/\(version)/query/\(cursorID)-\(offset + slice.count)")))
        }
        body.append(("records", .array(slice)))
        return .json(200, .object(body))
    }

    /// The page size: `Sforce-Query-Options: batchSize=N` (200 to 2,000) or the sandbox's default.
    private func batchSize(_ request: SandboxRequest) -> Int {
        if let options = request.header("sforce-query-options"),
            let value = options.split(separator: ",").compactMap({ part -> Int? in
                let pair = part.split(separator: "=")
                return pair.count == 2 && pair[0].trimmingCharacters(in: .whitespaces) == "batchSize" ? Int(pair[1]) : nil
            }).first
        {
            return min(2_000, max(200, value))
        }
        return max(1, limits.salesforceBatchSize)
    }

    static func holds(_ condition: SOQLQuery.Condition, on record: SalesforceRecord, object: SalesforceObject) -> Bool {
        let field = object.canonicalField(condition.field)!
        let value = record.fields[field] ?? .null
        guard let literal = condition.literal else {
            return condition.operation == "=" ? value == .null : (condition.operation == "!=" ? value != .null : false)
        }
        guard value != .null else { return condition.operation == "!=" }
        let result = compare(value, .string(literal), field: field)
        switch condition.operation {
        case "=": return result == .orderedSame
        case "!=": return result != .orderedSame
        case ">": return result == .orderedDescending
        case ">=": return result != .orderedAscending
        case "<": return result == .orderedAscending
        case "<=": return result != .orderedDescending
        default: return false
        }
    }

    /// Date-times as instants, numbers as numbers, text without regard to case, as SOQL compares.
    static func compare(_ left: JSONValue, _ right: JSONValue, field: String) -> ComparisonResult {
        let a = left.textValue ?? ""
        let b = right.textValue ?? ""
        if field.hasSuffix("Date"), let x = instant(a), let y = instant(b) {
            return x == y ? .orderedSame : (x < y ? .orderedAscending : .orderedDescending)
        }
        if let x = Double(a), let y = Double(b) { return x == y ? .orderedSame : (x < y ? .orderedAscending : .orderedDescending) }
        let x = a.lowercased()
        let y = b.lowercased()
        return x == y ? .orderedSame : (x < y ? .orderedAscending : .orderedDescending)
    }

    static func instant(_ text: String) -> Date? { SandboxTime.parseInstant(text) }

    // MARK: Upserts

    private func upsertMany(_ request: SandboxRequest, object name: String, externalField: String, version: String, now: Date) -> SandboxReply {
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

    private func upsertOne(
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
    private func collection(_ request: SandboxRequest, now: Date, create: Bool) -> SandboxReply {
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

    // MARK: OAuth, errors

    private func token(_ request: SandboxRequest) -> SandboxReply {
        let form = request.formFields
        guard request.method == .post, form["grant_type"] == "refresh_token", let refresh = form["refresh_token"], !refresh.isEmpty,
            form["client_id"].map({ !$0.isEmpty }) ?? false
        else {
            return .json(400, ["error": "invalid_grant", "error_description": "expired access/refresh token"])
        }
        let origin = request.baseURL
        return .json(
            200,
            [
                "access_token": .string("00DSANDBOX!" + ids.token(40)), "instance_url": .string(origin),
                "id": .string(origin + "/id/00DSANDBOX000000AAA/005SANDBOX000000AAA"), "token_type": "Bearer",
                "issued_at": .string(String(Int64(Date().timeIntervalSince1970 * 1000))), "signature": .string(ids.token(43) + "="),
            ])
    }

    private func notFound(_ request: SandboxRequest) -> SandboxReply {
        .json(404, [["errorCode": "NOT_FOUND", "message": "The requested resource does not exist"]])
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited:
            return .json(403, [["message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"]])
                .adding("Sforce-Limit-Info", "api-usage=\(limits.salesforceRequests)/\(limits.salesforceRequests)")
        case .serverError(let status):
            return .json(status, [["message": "An unexpected error occurred. Please include this ErrorId if you contact support: 0000000000-00000 (0000000000)", "errorCode": "UNKNOWN_EXCEPTION"]])
        default: return .json(500, [["message": "An unexpected error occurred.", "errorCode": "UNKNOWN_EXCEPTION"]])
        }
    }
}
