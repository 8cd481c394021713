import Diagnostics
import Foundation
import Synchronization

/// Meta's Marketing API (Graph): campaigns and insights of one ad account with cursor paging, async
/// insights jobs, lead ad submissions, custom audience uploads and campaign updates; the `access_token`
/// parameter; rate limits signalled by `X-Business-Use-Case-Usage` and error codes 80000/80004/17 on HTTP 400.
final class MetaAdsSandbox: SandboxPlatform {
    let name = "meta_ads"
    let examplePath = "v25.0/act_\(MetaAdsSandbox.accountID)/insights?level=campaign&time_increment=1"
    static let accountID = "1234567890"
    static let formID = "771234567890123"
    static let audienceID = "23851234567890123"

    private struct State {
        var campaigns: [SeedCampaign]
        /// Campaign changes made through `POST /{campaign_id}`: status and daily budget by campaign id.
        var statuses: [String: String] = [:]
        var budgets: [String: Int] = [:]
        var jobs: [String: Job] = [:]
        var nextJob = 1
        var audienceSize = 0
        var accountWindow: RollingWindow
        var appWindow: RollingWindow
    }

    private struct Job {
        let query: [String: String]
        var polls = 0
    }

    private let state: Mutex<State>
    private let data: SeedData
    private let limits: SandboxLimits
    private struct Lead {
        let id: String
        let created: Date
        let adID: String
        let campaignID: String
        let campaignName: String
        let person: SeedPerson
    }

    private let leads: [Lead]
    private let ids: SandboxIDs
    private let reportDays: Int

    init(data: SeedData, options: SandboxOptions) {
        self.data = data
        limits = options.limits
        let campaigns = data.campaigns(count: options.sizes.metaCampaigns, firstID: 120_210_000_000_001, stream: 51)
        state = Mutex(State(
            campaigns: campaigns,
            accountWindow: RollingWindow(limit: options.limits.metaCallsPerMinute, window: 60),
            appWindow: RollingWindow(limit: options.limits.metaCallsPerMinute, window: 60)))
        var random = data.generator(stream: 52)
        leads = data.metaLeads.enumerated().map { index, person in
            let campaign = campaigns.isEmpty ? nil : campaigns[Int.random(in: 0..<campaigns.count, using: &random)]
            return Lead(
                id: String(9_100_000_000_000_000 + index * 13), created: person.lastModified,
                adID: campaign.map { String(Int($0.id)! + 500) } ?? "0", campaignID: campaign?.id ?? "0",
                campaignName: campaign?.name ?? "", person: person)
        }
        ids = SandboxIDs(seed: options.seed, stream: 0x4D45)
        reportDays = options.sizes.reportDays
        // Some campaigns were deleted: they keep their place in the account's list, so pages can come back short.
        state.withLock { state in
            for (index, campaign) in campaigns.enumerated() where index % 6 == 3 { state.statuses[campaign.id] = "DELETED" }
        }
    }

    func write(of request: SandboxRequest) -> WriteDescription? {
        let s = request.segments
        guard request.method == .post || request.method == .delete, s.count >= 2 else { return nil }
        if s.count == 3, s[2] == "users" || s[2] == "usersreplace" {
            return WriteDescription(resource: "custom_audience_users", operation: request.method == .delete ? "remove" : (s[2] == "users" ? "add" : "replace"))
        }
        if s.count == 2, !s[1].hasPrefix("act_"), request.method == .post {
            let id = s[1]
            let resource = state.withLock { state in
                state.campaigns.contains { $0.id == id } ? "campaigns" : (state.campaigns.contains { Self.adSetIDs(of: $0).contains(id) } ? "adsets" : "objects")
            }
            return WriteDescription(resource: resource, operation: "update")
        }
        return nil
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        let s = request.segments
        guard let version = s.first, version.hasPrefix("v"), version.hasSuffix(".0") else {
            return graphError(400, "Unknown path components: /\(s.joined(separator: "/"))", type: "OAuthException", code: 2500)
        }
        let parameters = request.query.merging(request.formFields.filter { _ in request.header("content-type")?.contains("form") == true }) { a, _ in a }
        let token = parameters["access_token"] ?? request.bearerToken ?? request.json?["access_token"]?.stringValue
        guard let token, !token.isEmpty else {
            return graphError(400, "An access token is required to request this resource.", type: "OAuthException", code: 104)
                .adding("WWW-Authenticate", "OAuth \"Facebook Platform\" \"invalid_request\" \"An access token is required to request this resource.\"")
        }
        let path = Array(s.dropFirst())
        if let account = path.first, account.hasPrefix("act_") {
            let useCase = path.count >= 2 && path[1] == "insights" ? "ads_insights" : "ads_management"
            let decision = state.withLock { $0.accountWindow.admit(at: moment.now) }
            let percent = min(100, (limits.metaCallsPerMinute - decision.remaining) * 100 / max(1, limits.metaCallsPerMinute))
            let regain = decision.allowed ? 0 : max(1, decision.retryAfterSeconds / 60)
            let usage = "{\"\(Self.accountID)\":[{\"type\":\"\(useCase)\",\"call_count\":\(decision.allowed ? percent : 100),\"total_cputime\":\((decision.allowed ? percent : 100) / 2),\"total_time\":\((decision.allowed ? percent : 100) / 2),\"estimated_time_to_regain_access\":\(regain)}]}"
            guard decision.allowed else { return accountLimited(useCase: useCase).adding("X-Business-Use-Case-Usage", usage) }
            guard account == "act_" + Self.accountID else {
                return unknownObject(account).adding("X-Business-Use-Case-Usage", usage)
            }
            return accountRoute(request, path: path, parameters: parameters).adding("X-Business-Use-Case-Usage", usage)
        }
        let decision = state.withLock { $0.appWindow.admit(at: moment.now) }
        let percent = min(100, (limits.metaCallsPerMinute - decision.remaining) * 100 / max(1, limits.metaCallsPerMinute))
        let appUsage = "{\"call_count\":\(decision.allowed ? percent : 100),\"total_cputime\":\(percent / 2),\"total_time\":\(percent / 2)}"
        guard decision.allowed else { return userLimited().adding("X-App-Usage", appUsage) }
        return objectRoute(request, path: path, parameters: parameters).adding("X-App-Usage", appUsage)
    }

    // MARK: Ad account edges

    private func accountRoute(_ request: SandboxRequest, path: [String], parameters: [String: String]) -> SandboxReply {
        switch (request.method, Array(path.dropFirst())) {
        case (.get, ["campaigns"]): return campaigns(request, parameters: parameters)
        case (.get, ["adsets"]): return adSets(request, parameters: parameters)
        case (.get, ["insights"]):
            return insights(request, parameters: parameters)
        case (.post, ["insights"]):
            let id = state.withLock { state -> String in
                let id = String(6_000_000_000_000_000 + state.nextJob)
                state.nextJob += 1
                state.jobs[id] = Job(query: parameters)
                return id
            }
            return .json(200, ["report_run_id": .string(id)])
        default:
            return graphError(400, "Unsupported \(request.method.rawValue.lowercased()) request. Unknown edge \(path.dropFirst().joined(separator: "/")) on act_\(Self.accountID).", type: "GraphMethodException", code: 100)
        }
    }

    private func campaigns(_ request: SandboxRequest, parameters: [String: String]) -> SandboxReply {
        let fields = commaList(parameters["fields"]).isEmpty ? ["id"] : commaList(parameters["fields"])
        let (all, statuses, budgets) = state.withLock { ($0.campaigns, $0.statuses, $0.budgets) }
        // Deleted campaigns use a slot of each page but are left out, so a page can be short and still have a next one.
        return paged(request, parameters: parameters, total: all.count) { range in
            all[range].compactMap { campaign -> JSONValue? in
                let status = statuses[campaign.id] ?? campaign.status
                if status == "DELETED" { return nil }
                let values: [String: JSONValue] = [
                    "id": .string(campaign.id), "name": .string(campaign.name), "status": .string(status),
                    "effective_status": .string(status), "objective": .string(campaign.objective),
                    "daily_budget": .string(String(budgets[campaign.id] ?? campaign.dailyBudgetCents)),
                    "created_time": .string(Self.graphTime(campaign.createdAt)), "account_id": .string(Self.accountID),
                    "updated_time": .string(Self.graphTime(campaign.createdAt.addingTimeInterval(86_400))),
                    "start_time": .string(Self.graphTime(campaign.createdAt)), "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
                    "budget_remaining": .string(String(budgets[campaign.id] ?? campaign.dailyBudgetCents)),
                ]
                return .object(fields.compactMap { name in values[name].map { (name, $0) } })
            }
        }
    }

    /// Two ad sets per campaign, with their own budgets (as when campaign budget optimisation is off).
    static func adSetIDs(of campaign: SeedCampaign) -> [String] {
        [String(Int(campaign.id)! + 200), String(Int(campaign.id)! + 201)]
    }

    private func adSets(_ request: SandboxRequest, parameters: [String: String]) -> SandboxReply {
        let fields = commaList(parameters["fields"]).isEmpty ? ["id"] : commaList(parameters["fields"])
        let (campaigns, statuses, budgets) = state.withLock { ($0.campaigns, $0.statuses, $0.budgets) }
        let all = campaigns.flatMap { campaign in Self.adSetIDs(of: campaign).enumerated().map { (campaign, $0.offset, $0.element) } }
        return paged(request, parameters: parameters, total: all.count) { range in
            all[range].map { campaign, index, id in
                let status = statuses[id] ?? (statuses[campaign.id] == "DELETED" ? "DELETED" : campaign.status)
                let budget = budgets[id] ?? campaign.dailyBudgetCents / 2
                let values: [String: JSONValue] = [
                    "id": .string(id), "campaign_id": .string(campaign.id), "name": .string("\(campaign.name) – \(index == 0 ? "Broad" : "Lookalike")"),
                    "status": .string(status), "effective_status": .string(status), "optimization_goal": "LEAD_GENERATION",
                    "billing_event": "IMPRESSIONS", "daily_budget": .string(String(budget)), "lifetime_budget": "0",
                    "budget_remaining": .string(String(budget)), "created_time": .string(Self.graphTime(campaign.createdAt)),
                    "updated_time": .string(Self.graphTime(campaign.createdAt.addingTimeInterval(86_400))),
                ]
                return .object(fields.compactMap { name in values[name].map { (name, $0) } })
            }
        }
    }

    /// Insights rows for the request's level, fields, range and increment, paged by cursor.
    private func insights(_ request: SandboxRequest, parameters: [String: String]) -> SandboxReply {
        let rows: [JSONValue]
        switch insightRows(parameters) {
        case .success(let built): rows = built
        case .failure(let message): return graphError(400, message.message, type: "OAuthException", code: 100)
        }
        return paged(request, parameters: parameters, total: rows.count) { Array(rows[$0]) }
    }

    struct InsightsError: Error {
        let message: String
    }

    private func insightRows(_ parameters: [String: String]) -> Result<[JSONValue], InsightsError> {
        let level = parameters["level"] ?? "account"
        guard ["account", "campaign"].contains(level) else {
            return .failure(InsightsError(message: "(#100) level must be one of the following values: account, campaign"))
        }
        let fields = commaList(parameters["fields"]).isEmpty ? ["impressions", "spend"] : commaList(parameters["fields"])
        var selected = data.reportDays(reportDays)
        if let range = parameters["time_range"] {
            guard let json = JSONValue.parse(Data(range.utf8)), let since = json["since"]?.stringValue.flatMap(SandboxTime.parseInstant),
                let until = json["until"]?.stringValue.flatMap(SandboxTime.parseInstant), since <= until,
                until.timeIntervalSince(since) <= 37 * 30 * 86_400
            else {
                return .failure(InsightsError(message: "(#100) time_range must be {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}, at most 37 months long"))
            }
            selected = stride(from: since.timeIntervalSince1970, through: until.timeIntervalSince1970, by: 86_400).map { Date(timeIntervalSince1970: $0) }
        } else if let preset = parameters["date_preset"], !preset.isEmpty {
            let count = ["yesterday": 1, "last_3d": 3, "last_7d": 7, "last_14d": 14, "last_28d": 28, "last_30d": 30, "last_90d": 90][preset]
            guard let count else { return .failure(InsightsError(message: "(#100) date_preset \(preset) is not supported")) }
            selected = data.reportDays(count)
        }
        let daily = parameters["time_increment"] == "1"
        let campaigns = state.withLock { $0.campaigns }
        let groups: [[SeedCampaign]] = level == "campaign" ? campaigns.map { [$0] } : [campaigns]
        let periods: [[Date]] = daily ? selected.map { [$0] } : [selected]
        var rows: [JSONValue] = []
        for group in groups {
            for period in periods {
                let metrics = group.flatMap { campaign in period.map { DailyMetrics(campaign: campaign, day: $0, seed: data.seed) } }
                let impressions = metrics.reduce(0) { $0 + $1.impressions }
                if level == "campaign", impressions == 0 { continue }
                let clicks = metrics.reduce(0) { $0 + $1.clicks }
                let spend = metrics.reduce(0) { $0 + $1.spend }
                let reach = metrics.reduce(0) { $0 + $1.reach }
                var values: [String: String] = [
                    "impressions": String(impressions), "clicks": String(clicks), "spend": decimalText(spend), "reach": String(reach),
                    "ctr": decimalText(impressions > 0 ? Double(clicks) * 100 / Double(impressions) : 0, places: 6),
                    "cpc": decimalText(clicks > 0 ? spend / Double(clicks) : 0, places: 6),
                    "cpm": decimalText(impressions > 0 ? spend * 1000 / Double(impressions) : 0, places: 6),
                    "frequency": decimalText(reach > 0 ? Double(impressions) / Double(reach) : 0, places: 6),
                    "conversions": String(metrics.reduce(0) { $0 + $1.conversions }),
                    "inline_link_clicks": String(clicks * 4 / 5),
                    "account_id": Self.accountID, "account_name": "Sandbox Ads", "account_currency": "EUR",
                ]
                if level == "campaign" {
                    values["campaign_id"] = group[0].id
                    values["campaign_name"] = group[0].name
                }
                var members: [(String, JSONValue)] = fields.compactMap { name in
                    if name == "actions" {
                        let conversions = metrics.reduce(0) { $0 + $1.conversions }
                        return ("actions", [
                            ["action_type": "link_click", "value": .string(String(clicks * 4 / 5))],
                            ["action_type": "lead", "value": .string(String(conversions))],
                        ])
                    }
                    return values[name].map { (name, .string($0)) }
                }
                if level == "campaign", !fields.contains("campaign_id") { members.append(("campaign_id", .string(group[0].id))) }
                members.append(("date_start", .string(SandboxTime.day(period.first ?? data.reference))))
                members.append(("date_stop", .string(SandboxTime.day(period.last ?? data.reference))))
                rows.append(.object(members))
            }
        }
        return .success(rows)
    }

    /// Cursor paging over positions `0..<total`: `after` and `before` are opaque cursors; the last page has no
    /// `next`.
    private func paged(_ request: SandboxRequest, parameters: [String: String], total: Int, rows: (Range<Int>) -> [JSONValue]) -> SandboxReply {
        let limit = min(500, max(1, parameters["limit"].flatMap(Int.init) ?? 25))
        let start = parameters["after"].flatMap(Self.position(of:)).map { $0 + 1 } ?? 0
        guard start <= total else { return graphError(400, "(#100) Invalid cursor", type: "OAuthException", code: 100) }
        let end = min(total, start + limit)
        var body: [(String, JSONValue)] = [("data", .array(rows(start..<end)))]
        if end > start {
            var paging: [(String, JSONValue)] = [("cursors", ["before": .string(Self.cursor(start)), "after": .string(Self.cursor(end - 1))])]
            if end < total {
                var query = parameters
                query["after"] = Self.cursor(end - 1)
                query["limit"] = String(limit)
                paging.append(("next", .string(request.baseURL + "/" + request.segments.joined(separator: "/") + "?" + HubSpotSandbox.encodeQuery(query))))
            }
            body.append(("paging", .object(paging)))
        }
        return .json(200, .object(body))
    }

    static func cursor(_ position: Int) -> String { Data("pos:\(position)".utf8).base64EncodedString() }

    static func position(of cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("pos:") else { return nil }
        return Int(text.dropFirst(4)).flatMap { $0 >= 0 ? $0 : nil }
    }

    // MARK: Objects by id

    private func objectRoute(_ request: SandboxRequest, path: [String], parameters: [String: String]) -> SandboxReply {
        guard let id = path.first else { return unknownObject("") }
        let rest = Array(path.dropFirst())
        if let job = state.withLock({ $0.jobs[id] }) { return reportRun(id: id, job: job, request: request, rest: rest) }
        // Any lead form's id reads the seeded leads, so a playbook's own form id works too.
        if id == Self.formID || (id.count >= 6 && id.allSatisfy(\.isNumber)), rest == ["leads"], request.method == .get {
            return paged(request, parameters: parameters, total: leads.count) { range in
                leads[range].map { lead(at: $0, fields: commaList(parameters["fields"])) }
            }
        }
        if id == Self.audienceID, rest == ["users"] || rest == ["usersreplace"] { return audienceUsers(request, parameters: parameters) }
        if let position = leads.firstIndex(where: { $0.id == id }), rest.isEmpty, request.method == .get {
            return .json(200, lead(at: leads[position], fields: commaList(parameters["fields"])))
        }
        let isCampaign = state.withLock { state in
            state.campaigns.contains { $0.id == id || Self.adSetIDs(of: $0).contains(id) }
        }
        if isCampaign, rest.isEmpty, request.method == .post { return updateCampaign(id: id, request: request, parameters: parameters) }
        return unknownObject(id)
    }

    private func lead(at lead: Lead, fields: [String]) -> JSONValue {
        let person = lead.person
        let all: [(String, JSONValue)] = [
            ("id", .string(lead.id)), ("created_time", .string(Self.graphTime(lead.created))), ("ad_id", .string(lead.adID)),
            ("form_id", .string(Self.formID)), ("campaign_id", .string(lead.campaignID)), ("campaign_name", .string(lead.campaignName)),
            ("adset_id", .string(String((Int(lead.adID) ?? 0) + 200))), ("ad_name", .string("\(lead.campaignName) – ad")),
            ("platform", .string(Int(lead.id)! % 3 == 0 ? "ig" : "fb")), ("is_organic", false),
            ("field_data", [
                ["name": "email", "values": [.string(person.email)]],
                ["name": "full_name", "values": [.string("\(person.firstName) \(person.lastName)")]],
                // Forms that ask for the name in two fields, as most B2B lead forms do.
                ["name": "first_name", "values": [.string(person.firstName)]],
                ["name": "last_name", "values": [.string(person.lastName)]],
                ["name": "phone_number", "values": [.string(person.phone)]],
                ["name": "job_title", "values": [.string(person.jobTitle)]],
                ["name": "company_name", "values": [.string(person.company)]],
                ["name": "country", "values": [.string(person.country)]],
            ]),
        ]
        let wanted = fields.isEmpty ? ["id", "created_time", "ad_id", "form_id", "field_data"] : fields + (fields.contains("id") ? [] : ["id"])
        return .object(all.filter { wanted.contains($0.0) })
    }

    private func reportRun(id: String, job: Job, request: SandboxRequest, rest: [String]) -> SandboxReply {
        let polls = limits.metaAsyncPolls
        if rest.isEmpty {
            let done = state.withLock { state -> Int in
                state.jobs[id]!.polls += 1
                return state.jobs[id]!.polls
            }
            let complete = done >= polls
            let percent = complete ? 100 : done * 100 / max(1, polls)
            return .json(
                200,
                [
                    "id": .string(id), "account_id": .string(Self.accountID),
                    "async_status": .string(complete ? "Job Completed" : (done <= 1 ? "Job Started" : "Job Running")),
                    "async_percent_completion": .int(percent),
                ])
        }
        guard rest == ["insights"] else { return unknownObject(id + "/" + rest.joined(separator: "/")) }
        guard job.polls >= polls else {
            return graphError(400, "(#100) The report is not ready yet; poll the report run until async_status is Job Completed.", type: "OAuthException", code: 100)
        }
        var parameters = job.query
        for (name, value) in request.query where ["after", "limit"].contains(name) { parameters[name] = value }
        parameters["access_token"] = nil
        switch insightRows(parameters) {
        case .success(let rows): return paged(request, parameters: parameters, total: rows.count) { Array(rows[$0]) }
        case .failure(let error): return graphError(400, error.message, type: "OAuthException", code: 100)
        }
    }

    private func audienceUsers(_ request: SandboxRequest, parameters: [String: String]) -> SandboxReply {
        let payloadText = parameters["payload"] ?? request.json?["payload"].map { $0.stringValue ?? $0.serialized }
        guard let payloadText, let payload = JSONValue.parse(Data(payloadText.utf8)), let rows = payload["data"]?.arrayValue,
            let schema = payload["schema"]
        else {
            return graphError(400, "(#100) The parameter payload is required and must hold schema and data", type: "OAuthException", code: 100)
        }
        guard rows.count <= 10_000 else {
            return graphError(400, "(#2650) Too many users in one request: at most 10000", type: "OAuthException", code: 2650)
        }
        let width = schema.arrayValue?.count ?? 1
        let invalid = rows.filter { row in
            let values = row.arrayValue ?? [row]
            return values.count != width || values.contains { ($0.stringValue ?? "").range(of: "^[0-9a-f]{64}$", options: .regularExpression) == nil }
        }.count
        let accepted = rows.count - invalid
        state.withLock { state in
            switch (request.method, request.segments.last) {
            case (.delete, _): state.audienceSize = max(0, state.audienceSize - accepted)
            case (_, "usersreplace"): state.audienceSize = accepted
            default: state.audienceSize += accepted
            }
        }
        let session = JSONValue.parse(Data((parameters["session"] ?? "{}").utf8))
        return .json(
            200,
            [
                "audience_id": .string(Self.audienceID), "session_id": .string(session?["session_id"]?.textValue ?? String(SlackSandbox.stableHash(payloadText) % 1_000_000_000)),
                "num_received": .int(rows.count), "num_invalid_entries": .int(invalid), "invalid_entry_samples": [:],
            ])
    }

    private func updateCampaign(id: String, request: SandboxRequest, parameters: [String: String]) -> SandboxReply {
        let body = request.json
        let status = parameters["status"] ?? body?["status"]?.stringValue
        let budget = parameters["daily_budget"] ?? body?["daily_budget"]?.textValue
        if let status, !["ACTIVE", "PAUSED", "DELETED", "ARCHIVED"].contains(status) {
            return graphError(400, "(#100) status must be one of the following values: ACTIVE, PAUSED, DELETED, ARCHIVED", type: "OAuthException", code: 100)
        }
        if let budget, Int(budget).map({ $0 < 100 }) ?? true {
            return graphError(400, "(#100) daily_budget must be a whole number of cents, at least 100", type: "OAuthException", code: 100)
        }
        state.withLock { state in
            if let status { state.statuses[id] = status }
            if let budget { state.budgets[id] = Int(budget) }
        }
        return .json(200, ["success": true])
    }

    // MARK: Errors

    static func graphTime(_ date: Date) -> String { SandboxTime.graph(date) }

    private func graphError(_ status: Int, _ message: String, type: String, code: Int, subcode: Int? = nil, transient: Bool = false) -> SandboxReply {
        var error: [(String, JSONValue)] = [("message", .string(message)), ("type", .string(type)), ("code", .int(code))]
        if let subcode { error.append(("error_subcode", .int(subcode))) }
        if transient { error.append(("is_transient", true)) }
        error.append(("fbtrace_id", .string(ids.token(11))))
        return .json(status, ["error": .object(error)])
    }

    private func unknownObject(_ id: String) -> SandboxReply {
        graphError(
            400,
            "Unsupported get request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
            type: "GraphMethodException", code: 100, subcode: 33)
    }

    private func accountLimited(useCase: String) -> SandboxReply {
        graphError(
            400, "There have been too many calls from this ad-account. Wait a bit and try again.", type: "OAuthException",
            code: useCase == "ads_insights" ? 80000 : 80004, subcode: 2446079, transient: true)
    }

    private func userLimited() -> SandboxReply {
        graphError(400, "User request limit reached", type: "OAuthException", code: 17, subcode: 2446079, transient: true)
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited:
            let path = Array(request.segments.dropFirst())
            if let account = path.first, account.hasPrefix("act_") {
                let useCase = path.count >= 2 && path[1] == "insights" ? "ads_insights" : "ads_management"
                return accountLimited(useCase: useCase).adding(
                    "X-Business-Use-Case-Usage",
                    "{\"\(Self.accountID)\":[{\"type\":\"\(useCase)\",\"call_count\":100,\"total_cputime\":50,\"total_time\":50,\"estimated_time_to_regain_access\":1}]}")
            }
            return userLimited()
        case .serverError(let status):
            return graphError(status, "An unexpected error has occurred. Please retry your request later.", type: "OAuthException", code: 2, transient: true)
        default:
            return graphError(500, "An unexpected error has occurred. Please retry your request later.", type: "OAuthException", code: 2, transient: true)
        }
    }
}
