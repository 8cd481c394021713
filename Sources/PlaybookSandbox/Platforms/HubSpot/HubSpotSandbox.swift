import Diagnostics
import Foundation
import Synchronization

/// HubSpot's CRM API: contacts, companies and deals (list, search, batch create/update/upsert) and the
/// OAuth token endpoint, with HubSpot's bearer check, error bodies and ten-second rolling rate limit.
final class HubSpotSandbox: SandboxPlatform {
    let name = "hubspot"
    let examplePath = "crm/v3/objects/contacts"
    private let state: Mutex<HubSpotStore>
    private let limiter: Mutex<RollingWindow>
    private let ids: SandboxIDs
    static let maximumBatchInputs = 100
    static let maximumSearchPage = 200
    static let maximumSearchResults = 10_000

    init(data: SeedData, options: SandboxOptions) {
        state = Mutex(HubSpotStore(data: data, sizes: options.sizes))
        limiter = Mutex(RollingWindow(limit: options.limits.hubSpotPerTenSeconds, window: 10))
        ids = SandboxIDs(seed: options.seed, stream: 0x4855)
    }

    /// The CRM route a path names: object type and what follows it, for `crm/v3/objects/contacts/…` and the
    /// date-based `crm/objects/2026-03/contacts/…`.
    private func crmRoute(_ segments: [String]) -> (type: String, rest: [String])? {
        if segments.count >= 4, segments[0] == "crm", segments[1].hasPrefix("v"), segments[2] == "objects" {
            return (segments[3], Array(segments.dropFirst(4)))
        }
        if segments.count >= 4, segments[0] == "crm", segments[1] == "objects", segments[2].contains("-") {
            return (segments[3], Array(segments.dropFirst(4)))
        }
        return nil
    }

    func write(of request: SandboxRequest) -> WriteDescription? {
        guard request.method == .post, let route = crmRoute(request.segments), route.rest.count == 2, route.rest[0] == "batch" else {
            return nil
        }
        return WriteDescription(resource: route.type, operation: route.rest[1])
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        if request.segments == ["oauth", "v1", "token"] { return token(request) }
        guard request.bearerToken != nil else {
            return error(
                401, category: "INVALID_AUTHENTICATION",
                message: "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
        }
        let decision = limiter.withLock { $0.admit(at: moment.now) }
        // HubSpot sends no rate-limit headers on search answers.
        let isSearch = request.segments.last == "search"
        guard decision.allowed else { return isSearch ? rateLimited() : withRateHeaders(rateLimited(), decision) }
        let reply = route(request, now: moment.now)
        return isSearch ? reply : withRateHeaders(reply, decision)
    }

    private func route(_ request: SandboxRequest, now: Date) -> SandboxReply {
        let s = request.segments
        if request.method == .get, s.count == 5, s[0] == "form-integrations", s[2] == "submissions", s[3] == "forms" {
            return formSubmissions(formID: s[4], request)
        }
        guard let route = crmRoute(s) else { return notFound(request) }
        let known = state.withLock { $0.objects[route.type] != nil }
        guard known else {
            return error(400, category: "OBJECT_NOT_FOUND", message: "Unable to infer object type from: \(route.type)")
        }
        switch (request.method, route.rest) {
        case (.get, []): return list(route.type, request)
        case (.get, let rest) where rest.count == 1: return readOne(route.type, id: rest[0], request)
        case (.post, ["search"]): return search(route.type, request)
        case (.post, ["batch", "create"]): return batch(route.type, request, now: now, operation: .create)
        case (.post, ["batch", "update"]): return batch(route.type, request, now: now, operation: .update)
        case (.post, ["batch", "upsert"]): return batch(route.type, request, now: now, operation: .upsert)
        default: return notFound(request)
        }
    }

    // MARK: Reads

    private func requestedProperties(_ names: [String], store: HubSpotObjectStore) -> [String] {
        names.isEmpty ? store.defaultProperties : names
    }

    private func json(_ record: HubSpotRecord, properties: [String]) -> JSONValue {
        [
            "id": .string(String(record.id)),
            "properties": .object(properties.map { ($0, JSONValue.optional(record.properties[$0])) }),
            "createdAt": .string(SandboxTime.iso8601(record.createdAt)),
            "updatedAt": .string(SandboxTime.iso8601(record.updatedAt)),
            "archived": .bool(record.archived),
        ]
    }

    private func list(_ type: String, _ request: SandboxRequest) -> SandboxReply {
        let limit = min(100, max(1, request.query["limit"].flatMap(Int.init) ?? 10))
        let after = request.query["after"].flatMap(Int.init) ?? 0
        let archived = request.query["archived"] == "true"
        let (page, nextID, properties) = state.withLock { store -> ([HubSpotRecord], Int?, [String]) in
            let objects = store.objects[type]!
            let matching = objects.records.lazy.filter { $0.id >= after && $0.archived == archived }
            let page = Array(matching.prefix(limit + 1))
            let properties = requestedProperties(commaList(request.query["properties"]), store: objects)
            return (Array(page.prefix(limit)), page.count > limit ? page[limit].id : nil, properties)
        }
        var body: [(String, JSONValue)] = [("results", .array(page.map { json($0, properties: properties) }))]
        if let nextID {
            var query = request.query
            query["after"] = String(nextID)
            query["limit"] = String(limit)
            let link = request.baseURL + "/" + request.segments.joined(separator: "/") + "?" + Self.encodeQuery(query)
            body.append(("paging", ["next": ["after": .string(String(nextID)), "link": .string(link)]]))
        }
        return .json(200, .object(body))
    }

    private func readOne(_ type: String, id: String, _ request: SandboxRequest) -> SandboxReply {
        let found = state.withLock { store -> (HubSpotRecord, [String])? in
            let objects = store.objects[type]!
            let record: HubSpotRecord?
            if let property = request.query["idProperty"] {
                record = objects.record(where: property, equals: id)
            } else {
                record = Int(id).flatMap { objects.record(id: $0) }
            }
            return record.map { ($0, requestedProperties(commaList(request.query["properties"]), store: objects)) }
        }
        guard let (record, properties) = found else {
            return error(404, category: "OBJECT_NOT_FOUND", message: "resource not found")
        }
        return .json(200, json(record, properties: properties))
    }

    private func search(_ type: String, _ request: SandboxRequest) -> SandboxReply {
        guard let body = request.json, case .object = body else {
            return error(400, category: "VALIDATION_ERROR", message: "Invalid input JSON on line 1: the body must be a JSON object")
        }
        let limit = body["limit"]?.intValue ?? 10
        guard limit >= 0, limit <= Self.maximumSearchPage else {
            return error(400, category: "VALIDATION_ERROR", message: "limit must be between 0 and \(Self.maximumSearchPage), got \(limit)")
        }
        let offset = body["after"]?.intValue ?? 0
        guard offset >= 0 else {
            return error(400, category: "VALIDATION_ERROR", message: "after must be a position from 0, got \(offset)")
        }
        guard offset + limit <= Self.maximumSearchResults else {
            return error(
                400, category: "VALIDATION_ERROR",
                message: "Paging through more than \(Self.maximumSearchResults) results is not supported; narrow the filters")
        }
        let groups: [HubSpotFilterGroup]
        do {
            groups = try HubSpotFilterGroup.parse(body["filterGroups"])
        } catch {
            return self.error(400, category: "VALIDATION_ERROR", message: error.message)
        }
        let sorts = HubSpotSort.parse(body["sorts"])
        let names = (body["properties"]?.arrayValue ?? []).compactMap(\.stringValue)
        let (page, total, properties) = state.withLock { store -> ([HubSpotRecord], Int, [String]) in
            let objects = store.objects[type]!
            var matching = objects.records.filter { record in
                !record.archived && (groups.isEmpty || groups.contains { $0.matches(record) })
            }
            matching.sort { HubSpotSort.ordered($0, $1, by: sorts) }
            let page = Array(matching.dropFirst(offset).prefix(limit))
            return (page, matching.count, requestedProperties(names, store: objects))
        }
        var answer: [(String, JSONValue)] = [
            ("total", .int(total)), ("results", .array(page.map { json($0, properties: properties) })),
        ]
        if offset + page.count < total, limit > 0 {
            answer.append(("paging", ["next": ["after": .string(String(offset + page.count))]]))
        }
        return .json(200, .object(answer))
    }

    /// A form's submissions, newest first, 20 a page by default and at most 50, paged by `after`.
    private func formSubmissions(formID: String, _ request: SandboxRequest) -> SandboxReply {
        guard formID == HubSpotStore.formID else {
            return error(404, category: "OBJECT_NOT_FOUND", message: "Form \(formID) does not exist")
        }
        let limit = min(50, max(1, request.query["limit"].flatMap(Int.init) ?? 20))
        let offset = max(0, request.query["after"].flatMap(Int.init) ?? 0)
        let submissions = state.withLock { $0.formSubmissions }
        let page = submissions.dropFirst(offset).prefix(limit)
        var body: [(String, JSONValue)] = [
            ("results", .array(page.map { submission in
                [
                    "submittedAt": .int(Int((submission.submittedAt.timeIntervalSince1970 * 1000).rounded())),
                    "values": .array(submission.values.map { ["name": .string($0.0), "value": .string($0.1)] }),
                    "pageUrl": .string(submission.pageURL),
                ]
            }))
        ]
        if offset + page.count < submissions.count {
            var query = request.query
            query["after"] = String(offset + page.count)
            query["limit"] = String(limit)
            let link = request.baseURL + "/" + request.segments.joined(separator: "/") + "?" + Self.encodeQuery(query)
            body.append(("paging", ["next": ["after": .string(String(offset + page.count)), "link": .string(link)]]))
        }
        return .json(200, .object(body))
    }

    // MARK: Writes

    enum BatchOperation { case create, update, upsert }

    private func batch(_ type: String, _ request: SandboxRequest, now: Date, operation: BatchOperation) -> SandboxReply {
        guard let inputs = request.json?["inputs"]?.arrayValue else {
            return error(400, category: "VALIDATION_ERROR", message: "Invalid input JSON: the body must be an object with an `inputs` list")
        }
        guard inputs.count <= Self.maximumBatchInputs else {
            return error(
                400, category: "VALIDATION_ERROR",
                message: "Batch input limit exceeded: at most \(Self.maximumBatchInputs) inputs are accepted, got \(inputs.count)")
        }
        var results: [JSONValue] = []
        var errors: [JSONValue] = []
        let started = now
        state.withLock { store in
            // Taken out while it changes, so that changing it does not copy every record.
            var objects = store.objects.removeValue(forKey: type)!
            for (index, input) in inputs.enumerated() {
                let properties = Self.stringProperties(input["properties"])
                if let email = properties["email"], type == "contacts", !Self.isValidEmail(email) {
                    errors.append(validationError(index: index, email: email))
                    continue
                }
                switch operation {
                case .create:
                    if type == "contacts", let email = properties["email"], let existing = objects.record(where: "email", equals: email) {
                        errors.append(batchError(
                            category: "CONFLICT", message: "Contact already exists. Existing ID: \(existing.id)",
                            context: ["id": [.string(String(existing.id))]]))
                        continue
                    }
                    let record = objects.insert(properties: properties, createdAt: now, updatedAt: now)
                    results.append(json(record, properties: Array(record.properties.keys).sorted()))
                case .update:
                    guard let id = input["id"]?.textValue, let number = Int(id), objects.record(id: number) != nil else {
                        let id = input["id"]?.textValue ?? ""
                        errors.append(batchError(
                            category: "OBJECT_NOT_FOUND",
                            message: "Could not get some \(type.uppercased()) objects, they may be deleted or not exist. Check that ids are valid.",
                            context: ["ids": [.string(id)]]))
                        continue
                    }
                    let record = objects.update(id: number, properties: properties, at: now)!
                    results.append(json(record, properties: Array(properties.keys).sorted()))
                case .upsert:
                    let idProperty = input["idProperty"]?.stringValue ?? "hs_object_id"
                    guard let id = input["id"]?.textValue, !id.isEmpty else {
                        errors.append(batchError(
                            category: "VALIDATION_ERROR", message: "Each input needs an `id` with the value of `\(idProperty)`",
                            context: ["index": [.string(String(index))]]))
                        continue
                    }
                    if idProperty == "email", !Self.isValidEmail(id) {
                        errors.append(validationError(index: index, email: id))
                        continue
                    }
                    let existing = idProperty == "hs_object_id" ? Int(id).flatMap { objects.record(id: $0) } : objects.record(where: idProperty, equals: id)
                    var values = properties
                    if let existing {
                        let record = objects.update(id: existing.id, properties: values, at: now)!
                        results.append(upserted(json(record, properties: Array(values.keys).sorted()), new: false))
                    } else {
                        if idProperty != "hs_object_id" { values[idProperty] = id }
                        let record = objects.insert(properties: values, createdAt: now, updatedAt: now)
                        results.append(upserted(json(record, properties: Array(values.keys).sorted()), new: true))
                    }
                }
            }
            store.objects[type] = objects
        }
        var answer: [(String, JSONValue)] = [
            ("status", "COMPLETE"), ("results", .array(results)), ("startedAt", .string(SandboxTime.iso8601(started))),
            ("completedAt", .string(SandboxTime.iso8601(now))),
        ]
        if !errors.isEmpty {
            answer.append(("numErrors", .int(errors.count)))
            answer.append(("errors", .array(errors)))
            return .json(207, .object(answer))
        }
        return .json(operation == .create ? 201 : 200, .object(answer))
    }

    private func upserted(_ record: JSONValue, new: Bool) -> JSONValue {
        guard case .object(var members) = record else { return record }
        members.append(("new", .bool(new)))
        return .object(members)
    }

    private func validationError(index: Int, email: String) -> JSONValue {
        [
            "status": "error", "category": "VALIDATION_ERROR", "message": "Property values were not valid",
            "context": ["index": [.string(String(index))]],
            "errors": [
                [
                    "message": .string("Email address \(email) is invalid"), "code": "INVALID_EMAIL", "in": "email",
                    "context": [:], "subCategory": "PROPERTY_VALIDATION",
                ]
            ],
        ]
    }

    private func batchError(category: String, message: String, context: JSONValue) -> JSONValue {
        ["status": "error", "category": .string(category), "message": .string(message), "context": context]
    }

    static func stringProperties(_ value: JSONValue?) -> [String: String] {
        var result: [String: String] = [:]
        for (name, item) in value?.objectValue ?? [] {
            result[name] = item.textValue ?? ""
        }
        return result
    }

    /// HubSpot refuses e-mails without one `@` and a dotted domain; it trims spaces first.
    static func isValidEmail(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else {
            return false
        }
        return !trimmed.contains(" ")
    }

    // MARK: OAuth

    private func token(_ request: SandboxRequest) -> SandboxReply {
        let form = request.formFields
        guard request.method == .post, form["grant_type"] == "refresh_token", let refresh = form["refresh_token"], !refresh.isEmpty,
            form["client_id"].map({ !$0.isEmpty }) ?? false, form["client_secret"].map({ !$0.isEmpty }) ?? false
        else {
            return .json(
                400,
                [
                    "status": "BAD_REFRESH_TOKEN", "message": "missing or unknown refresh token, client_id or client_secret",
                    "correlationId": .string(ids.uuid()),
                ])
        }
        return .json(
            200,
            [
                "token_type": "bearer", "refresh_token": .string(refresh), "access_token": .string("sandbox-hubspot-" + ids.token(24)),
                "expires_in": 1800,
            ])
    }

    // MARK: Errors and limits

    private func error(_ status: Int, category: String, message: String) -> SandboxReply {
        .json(
            status,
            [
                "status": "error", "message": .string(message), "correlationId": .string(ids.uuid()), "category": .string(category),
            ])
    }

    private func notFound(_ request: SandboxRequest) -> SandboxReply {
        error(404, category: "OBJECT_NOT_FOUND", message: "No route for \(request.method.rawValue) /\(request.segments.joined(separator: "/"))")
    }

    private func rateLimited() -> SandboxReply {
        .json(
            429,
            [
                "status": "error", "message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT",
                "correlationId": .string(ids.uuid()), "policyName": "TEN_SECONDLY_ROLLING",
            ])
    }

    private func withRateHeaders(_ reply: SandboxReply, _ decision: RollingWindow.Decision) -> SandboxReply {
        reply.adding("X-HubSpot-RateLimit-Max", String(limiter.withLock { $0.limit }))
            .adding("X-HubSpot-RateLimit-Remaining", String(decision.remaining))
            .adding("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited:
            return rateLimited().adding("X-HubSpot-RateLimit-Max", String(limiter.withLock { $0.limit }))
                .adding("X-HubSpot-RateLimit-Remaining", "0").adding("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
        case .serverError(let status):
            return error(status, category: "INTERNAL_ERROR", message: "internal error")
        default:
            return error(500, category: "INTERNAL_ERROR", message: "internal error")
        }
    }

    static func encodeQuery(_ query: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,")
        return query.keys.sorted().map { key in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(query[key]!.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
