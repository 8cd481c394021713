import Crypto
import Diagnostics
import Foundation
import Synchronization

/// Mailchimp Marketing 3.0: one audience's members (listed by `count`/`offset` with `total_items`),
/// upsert by subscriber hash (MD5 of the lower-cased e-mail), tags, HTTP Basic or bearer auth,
/// `application/problem+json` errors and a 429 past ten simultaneous requests.
final class MailchimpSandbox: SandboxPlatform {
    let name = "mailchimp"
    let examplePath = "3.0/lists/\(MailchimpSandbox.listID)/members"
    /// The one audience the sandbox holds.
    static let listID = "a1b2c3d4e5"
    private let state: Mutex<[Member]>
    private let concurrencyLimit: Int
    private let ids: SandboxIDs
    private let data: SeedData

    struct Member: Sendable {
        var email: String
        var status: String
        var mergeFields: [(String, JSONValue)]
        var tags: [String]
        var lastChanged: Date
        let optedIn: Date
    }

    init(data: SeedData, options: SandboxOptions) {
        var random = data.generator(stream: 41)
        state = Mutex(data.mailchimpMembers.map { person in
            Member(
                email: person.email.trimmingCharacters(in: .whitespaces), status: ["subscribed", "subscribed", "subscribed", "unsubscribed", "cleaned"].randomElement(using: &random)!,
                mergeFields: [("FNAME", .string(person.firstName)), ("LNAME", .string(person.lastName)), ("COUNTRY", .string(person.country))],
                tags: Bool.random(using: &random) ? ["newsletter"] : [], lastChanged: person.lastModified, optedIn: person.createdAt)
        })
        concurrencyLimit = options.limits.mailchimpConcurrentRequests
        self.data = data
        ids = SandboxIDs(seed: options.seed, stream: 0x4D43)
    }

    /// MD5 of the lower-cased e-mail, in hex: Mailchimp's member id.
    static func subscriberHash(_ email: String) -> String {
        Insecure.MD5.hash(data: Data(email.trimmingCharacters(in: .whitespaces).lowercased().utf8)).map { String($0, radix: 16).leftPadded(2) }.joined()
    }

    private func memberRoute(_ request: SandboxRequest) -> (list: String, rest: [String])? {
        let s = request.segments
        guard s.count >= 4, s[0] == "3.0", s[1] == "lists", s[3] == "members" else { return nil }
        return (s[2], Array(s.dropFirst(4)))
    }

    static let maximumBatchMembers = 500

    func write(of request: SandboxRequest) -> WriteDescription? {
        let s = request.segments
        if request.method == .post, s.count == 3, s[0] == "3.0", s[1] == "lists" {
            return WriteDescription(resource: "lists/\(s[2])", operation: "batch_subscribe")
        }
        guard let route = memberRoute(request) else { return nil }
        switch (request.method, route.rest.count) {
        case (.put, 1), (.patch, 1): return WriteDescription(resource: "lists/\(route.list)/members", operation: "upsert")
        case (.post, 2) where route.rest[1] == "tags": return WriteDescription(resource: "lists/\(route.list)/members/tags", operation: "tags")
        case (.post, 0): return WriteDescription(resource: "lists/\(route.list)/members", operation: "create")
        default: return nil
        }
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        guard request.basicPassword != nil || request.bearerToken != nil else {
            return problem(401, "API Key Missing", "Your request did not include an API key.")
        }
        guard moment.inFlight <= concurrencyLimit else {
            return problem(429, "Too Many Requests", "You have exceeded the limit of \(concurrencyLimit) simultaneous connections.")
        }
        let s = request.segments
        switch (request.method, s) {
        case (.get, ["3.0", "lists"]): return lists(request)
        case (.get, ["3.0", "campaigns"]): return campaigns(request)
        case (.post, let path) where path.count == 3 && path[0] == "3.0" && path[1] == "lists":
            guard path[2] == Self.listID else { return problem(404, "Resource Not Found", "The requested resource could not be found.") }
            return batchSubscribe(request, now: moment.now)
        default: break
        }
        guard let route = memberRoute(request) else {
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        }
        guard route.list == Self.listID else {
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        }
        switch (request.method, route.rest) {
        case (.get, []): return list(request)
        case (.get, let rest) where rest.count == 1: return read(hash: rest[0])
        case (.put, let rest) where rest.count == 1: return upsert(hash: rest[0], request, now: moment.now, createOnly: false)
        case (.patch, let rest) where rest.count == 1: return upsert(hash: rest[0], request, now: moment.now, createOnly: false)
        case (.post, []): return upsert(hash: nil, request, now: moment.now, createOnly: true)
        case (.post, let rest) where rest.count == 2 && rest[1] == "tags": return tags(hash: rest[0], request, now: moment.now)
        default: return problem(405, "Method Not Allowed", "The requested method and resource are not compatible.")
        }
    }

    private func json(_ member: Member) -> JSONValue {
        let hash = Self.subscriberHash(member.email)
        return [
            "id": .string(hash), "email_address": .string(member.email), "unique_email_id": .string(String(hash.prefix(10))),
            "status": .string(member.status), "merge_fields": .object(member.mergeFields),
            "timestamp_opt": .string(SandboxTime.iso8601(member.optedIn)), "last_changed": .string(SandboxTime.iso8601(member.lastChanged)),
            "timestamp_signup": .string(SandboxTime.iso8601(member.optedIn)),
            "stats": ["avg_open_rate": .double(Double(hash.utf8.first ?? 0) / 255), "avg_click_rate": .double(Double(hash.utf8.last ?? 0) / 1020)],
            // Mailchimp sends these on every member; the sandbox derives them from the subscriber hash.
            "vip": .bool((hash.utf8.first ?? 0) % 16 == 0), "member_rating": .int(1 + Int(hash.utf8.dropFirst().first ?? 0) % 5),
            "language": "en",
            "tags_count": .int(member.tags.count),
            "tags": .array(member.tags.map { ["id": .int(Int(SlackSandbox.stableHash($0) % 100_000)), "name": .string($0)] }),
            "list_id": .string(Self.listID),
        ]
    }

    private func list(_ request: SandboxRequest) -> SandboxReply {
        let count = request.query["count"].flatMap(Int.init) ?? 10
        let offset = request.query["offset"].flatMap(Int.init) ?? 0
        guard (0...1_000).contains(count), offset >= 0 else {
            return problem(400, "Invalid Resource", "count must be from 0 to 1000 and offset at least 0.")
        }
        let status = request.query["status"]
        var changedSince: Date?
        if let since = request.query["since_last_changed"] {
            guard let date = SandboxTime.parseInstant(since) else {
                return problem(400, "Invalid Resource", "since_last_changed must be an ISO 8601 time, such as 2026-01-01T00:00:00+00:00.")
            }
            changedSince = date
        }
        let (page, total) = state.withLock { members -> ([Member], Int) in
            var matching = status.map { wanted in members.filter { $0.status == wanted } } ?? members
            // Mailchimp's `since_last_changed` includes the instant itself.
            if let changedSince { matching = matching.filter { $0.lastChanged >= changedSince } }
            return (Array(matching.dropFirst(offset).prefix(count)), matching.count)
        }
        return .json(
            200,
            ["members": .array(page.map(json)), "list_id": .string(Self.listID), "total_items": .int(total), "_links": []])
    }

    private func read(hash: String) -> SandboxReply {
        let member = state.withLock { members in members.first { Self.subscriberHash($0.email) == hash.lowercased() } }
        guard let member else { return problem(404, "Resource Not Found", "The requested resource could not be found.") }
        return .json(200, json(member))
    }

    private func upsert(hash: String?, _ request: SandboxRequest, now: Date, createOnly: Bool) -> SandboxReply {
        guard let body = request.json, body.objectValue != nil else {
            return problem(400, "Invalid Resource", "The resource submitted could not be validated: the body must be a JSON object.")
        }
        let email = body["email_address"]?.stringValue
        let lookup = hash?.lowercased() ?? email.map(Self.subscriberHash)
        guard let lookup else {
            return problem(400, "Invalid Resource", "The resource submitted could not be validated.", errors: [("email_address", "This value should not be blank.")])
        }
        if let email, Self.subscriberHash(email) != lookup {
            return problem(400, "Invalid Resource", "The subscriber hash in the path does not match the lower-cased MD5 of email_address.")
        }
        if let email, !HubSpotSandbox.isValidEmail(email) {
            return problem(400, "Invalid Resource", "Please provide a valid email address.", errors: [("email_address", "Please provide a valid email address.")])
        }
        let statuses: Set = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"]
        for field in ["status", "status_if_new"] {
            if let value = body[field]?.stringValue, !statuses.contains(value) {
                return problem(400, "Invalid Resource", "The resource submitted could not be validated.", errors: [(field, "Data did not match any of the schemas described in anyOf.")])
            }
        }
        return state.withLock { members -> SandboxReply in
            if let position = members.firstIndex(where: { Self.subscriberHash($0.email) == lookup }) {
                if createOnly {
                    return problem(400, "Member Exists", "\(members[position].email) is already a list member. Use PUT to insert or update list members.")
                }
                if let status = body["status"]?.stringValue { members[position].status = status }
                if let email { members[position].email = email.trimmingCharacters(in: .whitespaces) }
                merge(body["merge_fields"], into: &members[position].mergeFields)
                members[position].lastChanged = now
                return .json(200, json(members[position]))
            }
            guard let email else {
                return problem(400, "Invalid Resource", "The resource submitted could not be validated.", errors: [("email_address", "This value should not be blank.")])
            }
            var member = Member(
                email: email.trimmingCharacters(in: .whitespaces),
                status: body["status_if_new"]?.stringValue ?? body["status"]?.stringValue ?? "subscribed", mergeFields: [],
                tags: (body["tags"]?.arrayValue ?? []).compactMap(\.stringValue), lastChanged: now, optedIn: now)
            merge(body["merge_fields"], into: &member.mergeFields)
            members.append(member)
            return .json(200, json(member))
        }
    }

    /// `POST /lists/{id}`: up to 500 members, added or (with `update_existing`) updated; failures are listed
    /// per e-mail in `errors`.
    private func batchSubscribe(_ request: SandboxRequest, now: Date) -> SandboxReply {
        guard let members = request.json?["members"]?.arrayValue else {
            return problem(400, "Invalid Resource", "The resource submitted could not be validated.", errors: [("members", "This value should not be blank.")])
        }
        guard members.count <= Self.maximumBatchMembers else {
            return problem(400, "Invalid Resource", "You can only add up to \(Self.maximumBatchMembers) members in one request; got \(members.count).")
        }
        let updateExisting = request.json?["update_existing"]?.boolValue ?? false
        var created: [JSONValue] = []
        var updated: [JSONValue] = []
        var errors: [JSONValue] = []
        state.withLock { list in
            for input in members {
                let email = input["email_address"]?.stringValue ?? ""
                guard HubSpotSandbox.isValidEmail(email) else {
                    errors.append(["email_address": .string(email), "error": .string("\(email) looks fake or invalid, please enter a real email address."), "error_code": "ERROR_GENERIC"])
                    continue
                }
                let hash = Self.subscriberHash(email)
                let tags = (input["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
                if let position = list.firstIndex(where: { Self.subscriberHash($0.email) == hash }) {
                    guard updateExisting else {
                        errors.append(["email_address": .string(email), "error": .string("\(email) is already a list member, do you want to update? please provide update_existing:'true' in the request body"), "error_code": "ERROR_CONTACT_EXISTS"])
                        continue
                    }
                    if let status = input["status"]?.stringValue { list[position].status = status }
                    merge(input["merge_fields"], into: &list[position].mergeFields)
                    for tag in tags where !list[position].tags.contains(tag) { list[position].tags.append(tag) }
                    list[position].lastChanged = now
                    updated.append(json(list[position]))
                } else {
                    var member = Member(
                        email: email.trimmingCharacters(in: .whitespaces),
                        status: input["status"]?.stringValue ?? input["status_if_new"]?.stringValue ?? "subscribed", mergeFields: [],
                        tags: tags, lastChanged: now, optedIn: now)
                    merge(input["merge_fields"], into: &member.mergeFields)
                    list.append(member)
                    created.append(json(member))
                }
            }
        }
        return .json(200, [
            "new_members": .array(created), "updated_members": .array(updated), "errors": .array(errors),
            "total_created": .int(created.count), "total_updated": .int(updated.count), "error_count": .int(errors.count), "_links": [],
        ])
    }

    private func lists(_ request: SandboxRequest) -> SandboxReply {
        let (subscribed, unsubscribed, earliest) = state.withLock { members in
            (members.filter { $0.status == "subscribed" }.count, members.filter { $0.status == "unsubscribed" }.count,
             members.map(\.optedIn).min() ?? Date(timeIntervalSince1970: 0))
        }
        let offset = request.query["offset"].flatMap(Int.init) ?? 0
        let list: JSONValue = [
            "id": .string(Self.listID), "name": "Newsletter", "date_created": .string(SandboxTime.iso8601(earliest)),
            "stats": [
                "member_count": .int(subscribed), "unsubscribe_count": .int(unsubscribed), "open_rate": 41.5, "click_rate": 6.2,
                "avg_open_rate": 41.5, "avg_click_rate": 6.2, "campaign_last_sent": .string(SandboxTime.iso8601(data.reference.addingTimeInterval(-3 * 86_400))),
            ],
        ]
        return .json(200, ["lists": offset > 0 ? [] : [list], "total_items": 1, "_links": []])
    }

    private func campaigns(_ request: SandboxRequest) -> SandboxReply {
        let count = min(1_000, max(0, request.query["count"].flatMap(Int.init) ?? 10))
        let offset = max(0, request.query["offset"].flatMap(Int.init) ?? 0)
        let status = request.query["status"].flatMap { $0.isEmpty ? nil : $0 }
        let all = (0..<24).map { index -> (status: String, value: JSONValue) in
            let sent = data.reference.addingTimeInterval(-Double(index * 3 + 1) * 86_400)
            let campaignStatus = index == 0 ? "save" : "sent"
            let emails = 1_500 + (index * 37) % 400
            let uniqueOpens = emails * (30 + index % 15) / 100
            let clicks = uniqueOpens * (10 + index % 7) / 100
            return (campaignStatus, [
                "id": .string(String(SlackSandbox.stableHash("campaign\(index)") % 0xFFFF_FFFF_FF, radix: 16)), "type": "regular",
                "status": .string(campaignStatus), "create_time": .string(SandboxTime.iso8601(sent.addingTimeInterval(-86_400))),
                "send_time": .string(campaignStatus == "sent" ? SandboxTime.iso8601(sent) : ""), "emails_sent": .int(campaignStatus == "sent" ? emails : 0),
                "recipients": ["list_id": .string(Self.listID)],
                "settings": ["title": .string("Newsletter #\(24 - index)"), "subject_line": .string("What's new this week (#\(24 - index))")],
                "report_summary": [
                    "opens": .int(uniqueOpens * 3 / 2), "unique_opens": .int(uniqueOpens), "open_rate": .double(Double(uniqueOpens) / Double(emails)),
                    "clicks": .int(clicks * 3 / 2), "subscriber_clicks": .int(clicks), "click_rate": .double(Double(clicks) / Double(emails)),
                ],
            ])
        }.filter { status == nil || $0.status == status }
        return .json(200, ["campaigns": .array(all.dropFirst(offset).prefix(count).map(\.value)), "total_items": .int(all.count), "_links": []])
    }

    private func merge(_ fields: JSONValue?, into target: inout [(String, JSONValue)]) {
        for (name, value) in fields?.objectValue ?? [] {
            if let position = target.firstIndex(where: { $0.0 == name }) { target[position].1 = value } else { target.append((name, value)) }
        }
    }

    private func tags(hash: String, _ request: SandboxRequest, now: Date) -> SandboxReply {
        guard let tags = request.json?["tags"]?.arrayValue else {
            return problem(400, "Invalid Resource", "The resource submitted could not be validated.", errors: [("tags", "This value should not be blank.")])
        }
        return state.withLock { members -> SandboxReply in
            guard let position = members.firstIndex(where: { Self.subscriberHash($0.email) == hash.lowercased() }) else {
                return problem(404, "Resource Not Found", "The requested resource could not be found.")
            }
            for tag in tags {
                guard let name = tag["name"]?.stringValue else { continue }
                if tag["status"]?.stringValue == "inactive" {
                    members[position].tags.removeAll { $0 == name }
                } else if !members[position].tags.contains(name) {
                    members[position].tags.append(name)
                }
            }
            members[position].lastChanged = now
            return SandboxReply(status: 204)
        }
    }

    private func problem(_ status: Int, _ title: String, _ detail: String, errors: [(String, String)] = []) -> SandboxReply {
        var body: [(String, JSONValue)] = [
            ("type", "https://mailchimp.com/developer/marketing/docs/errors/"), ("title", .string(title)), ("status", .int(status)),
            ("detail", .string(detail)), ("instance", .string(ids.uuid())),
        ]
        if !errors.isEmpty { body.append(("errors", .array(errors.map { ["field": .string($0.0), "message": .string($0.1)] }))) }
        return .json(status, .object(body), contentType: "application/problem+json; charset=utf-8")
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited: return problem(429, "Too Many Requests", "You have exceeded the limit of \(concurrencyLimit) simultaneous connections.")
        case .serverError(let status): return problem(status, "Internal Server Error", "An unexpected internal error has occurred.")
        default: return problem(500, "Internal Server Error", "An unexpected internal error has occurred.")
        }
    }
}
