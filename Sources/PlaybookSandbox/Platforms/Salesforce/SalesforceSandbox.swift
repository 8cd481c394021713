import Diagnostics
import Foundation
import Synchronization

/// Salesforce REST: SOQL queries paged by `nextRecordsUrl` until `done`, sObject Collections upsert by an
/// external id field (≤200 records, a result per record), single-record upsert, the OAuth refresh grant,
/// `Sforce-Limit-Info` on every answer and `REQUEST_LIMIT_EXCEEDED` past the allocation.
final class SalesforceSandbox: SandboxPlatform {
    let name = "salesforce"
    let examplePath = "services/data/v65.0/query?q=SELECT+Id,Email+FROM+Lead"
    let state: Mutex<SalesforceStore>
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
            // The passing kind of the limit: too many long requests at once. (The day's allowance running
            // out is the sandbox's own counter reaching its limit, answered as Salesforce does.)
            return .json(403, [["message": "ConcurrentPerOrgLongTxn Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"]])
                .adding("Sforce-Limit-Info", "api-usage=1/\(limits.salesforceRequests)")
        case .serverError(let status):
            return .json(status, [["message": "An unexpected error occurred. Please include this ErrorId if you contact support: 0000000000-00000 (0000000000)", "errorCode": "UNKNOWN_EXCEPTION"]])
        default: return .json(500, [["message": "An unexpected error occurred.", "errorCode": "UNKNOWN_EXCEPTION"]])
        }
    }
}
