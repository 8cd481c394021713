import Diagnostics
import Foundation
import Synchronization

/// Google Ads API: GAQL over `googleAds:search` (pages of 10,000 rows with `nextPageToken`) and
/// `googleAds:searchStream` (one JSON array of chunks), bearer plus `developer-token`, Google's error
/// body, and `RESOURCE_EXHAUSTED` with a `retryDelay` past the scaled quota.
final class GoogleAdsSandbox: SandboxPlatform {
    let name = "google_ads"
    let examplePath = "v23/customers/\(GoogleAdsSandbox.customerID)/googleAds:search"
    static let customerID = "1234567890"
    private let campaigns: [SeedCampaign]
    private let data: SeedData
    private let limits: SandboxLimits
    private let reportDays: Int
    private let window: Mutex<RollingWindow>
    let ids: SandboxIDs
    /// What mutates changed: campaign statuses and budget amounts (micros) by campaign id, conversions by
    /// order id, and Customer Match jobs.
    struct State {
        var statuses: [String: String] = [:]
        var budgets: [String: Int] = [:]
        var orderIDs: Set<String> = []
        var jobs: [String: (operations: Int, running: Bool)] = [:]
        var nextJob = 1
    }

    let state = Mutex(State())
    let campaignIDs: Set<String>

    init(data: SeedData, options: SandboxOptions) {
        self.data = data
        limits = options.limits
        reportDays = options.sizes.reportDays
        campaigns = data.campaigns(count: options.sizes.googleAdsCampaigns, firstID: 20_123_456_001, stream: 61, activeStatus: "ENABLED")
        window = Mutex(RollingWindow(limit: options.limits.googleAdsPerMinute, window: 60))
        ids = SandboxIDs(seed: options.seed, stream: 0x4741)
        campaignIDs = Set(campaigns.map(\.id))
    }

    func write(of request: SandboxRequest) -> WriteDescription? {
        guard request.method == .post, let (_, route) = Self.route(request.segments) else { return nil }
        switch route {
        case .search: return nil
        case .mutate(let resource): return WriteDescription(resource: resource, operation: "mutate")
        case .uploadClickConversions: return WriteDescription(resource: "clickConversions", operation: "upload")
        case .createJob: return WriteDescription(resource: "offlineUserDataJobs", operation: "create")
        case .addOperations: return WriteDescription(resource: "offlineUserDataJobs", operation: "addOperations")
        case .runJob: return WriteDescription(resource: "offlineUserDataJobs", operation: "run")
        }
    }

    /// What a path asks for, with the customer id it names.
    enum Route: Equatable {
        case search(stream: Bool)
        case mutate(resource: String)
        case uploadClickConversions
        case createJob
        case addOperations(job: String)
        case runJob(job: String)
    }

    static func route(_ s: [String]) -> (customer: String, route: Route)? {
        guard s.count >= 3, s[0].hasPrefix("v"), Int(s[0].dropFirst()) != nil, s[1] == "customers" else { return nil }
        if s.count == 3 {
            let parts = s[2].split(separator: ":", maxSplits: 1).map(String.init)
            return parts.count == 2 && parts[1] == "uploadClickConversions" ? (parts[0], .uploadClickConversions) : nil
        }
        switch (s.count, s[3]) {
        case (4, "googleAds:search"): return (s[2], .search(stream: false))
        case (4, "googleAds:searchStream"): return (s[2], .search(stream: true))
        case (4, "campaigns:mutate"): return (s[2], .mutate(resource: "campaigns"))
        case (4, "campaignBudgets:mutate"): return (s[2], .mutate(resource: "campaignBudgets"))
        case (4, "offlineUserDataJobs:create"): return (s[2], .createJob)
        case (5, "offlineUserDataJobs"):
            let parts = s[4].split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            if parts[1] == "addOperations" { return (s[2], .addOperations(job: parts[0])) }
            if parts[1] == "run" { return (s[2], .runJob(job: parts[0])) }
            return nil
        default: return nil
        }
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        let s = request.segments
        guard request.method == .post, let (customer, route) = Self.route(s) else {
            return googleError(404, status: "NOT_FOUND", message: "The requested URL was not found on this server.", version: s.first)
        }
        let stream = route == .search(stream: true)
        func wrap(_ reply: SandboxReply) -> SandboxReply {
            guard stream, reply.status >= 400 else { return reply }
            var copy = reply
            copy.body = Data("[".utf8) + reply.body + Data("]".utf8)
            return copy
        }
        guard request.bearerToken != nil else {
            return wrap(googleError(
                401, status: "UNAUTHENTICATED",
                message: "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                version: s[0]))
        }
        guard let developerToken = request.header("developer-token"), !developerToken.isEmpty else {
            return wrap(adsFailure(401, status: "UNAUTHENTICATED", code: ["authenticationError": "DEVELOPER_TOKEN_PARAMETER_MISSING"], message: "The developer token parameter is missing.", version: s[0]))
        }
        guard customer == Self.customerID else {
            return wrap(adsFailure(403, status: "PERMISSION_DENIED", code: ["authorizationError": "USER_PERMISSION_DENIED"], message: "User doesn't have permission to access customer \(customer). Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.", version: s[0]))
        }
        let decision = window.withLock { $0.admit(at: moment.now) }
        guard decision.allowed else { return wrap(exhausted(retryDelay: decision.retryAfterSeconds, version: s[0])) }
        switch route {
        case .search: break
        case .mutate(let resource): return mutate(resource: resource, request: request, version: s[0])
        case .uploadClickConversions: return uploadClickConversions(request, version: s[0])
        case .createJob, .addOperations, .runJob: return userDataJob(route, request: request, version: s[0])
        }
        guard let query = request.json?["query"]?.stringValue else {
            return wrap(adsFailure(400, status: "INVALID_ARGUMENT", code: ["queryError": "EXPECTED_SELECT"], message: "The request body needs a `query`.", version: s[0]))
        }
        let rows: [JSONValue]
        let mask: String
        do {
            let overrides = state.withLock { ($0.statuses, $0.budgets) }
            (rows, mask) = try GAQLReport(
                campaigns: campaigns, data: data, reportDays: reportDays, customerID: Self.customerID, statuses: overrides.0,
                budgetMicros: overrides.1
            ).run(query)
        } catch {
            return wrap(adsFailure(400, status: "INVALID_ARGUMENT", code: ["queryError": .string(error.code)], message: error.message, version: s[0]))
        }
        let size = max(1, limits.googleAdsPageSize)
        if stream {
            var chunks: [JSONValue] = []
            var start = 0
            repeat {
                let slice = Array(rows[min(start, rows.count)..<min(rows.count, start + size)])
                chunks.append(["results": .array(slice), "fieldMask": .string(mask), "requestId": .string(ids.token(22))])
                start += size
            } while start < rows.count
            return .json(200, .array(chunks))
        }
        let offset: Int
        if let token = request.json?["pageToken"]?.stringValue, !token.isEmpty {
            guard let decoded = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }), decoded.hasPrefix("offset:"),
                let value = Int(decoded.dropFirst(7)), value >= 0, value <= rows.count
            else {
                return adsFailure(400, status: "INVALID_ARGUMENT", code: ["requestError": "INVALID_PAGE_TOKEN"], message: "Page token is invalid.", version: s[0])
            }
            offset = value
        } else {
            offset = 0
        }
        let end = min(rows.count, offset + size)
        var body: [(String, JSONValue)] = [("results", .array(Array(rows[offset..<end]))), ("fieldMask", .string(mask))]
        if end < rows.count { body.append(("nextPageToken", .string(Data("offset:\(end)".utf8).base64EncodedString()))) }
        body.append(("queryResourceConsumption", .string(String(rows.count / 10 + 1))))
        return .json(200, .object(body))
    }

    func googleError(_ code: Int, status: String, message: String, version: String?) -> SandboxReply {
        .json(code, ["error": ["code": .int(code), "message": .string(message), "status": .string(status)]])
    }

    func adsFailure(_ code: Int, status: String, code errorCode: JSONValue, message: String, details: JSONValue? = nil, version: String) -> SandboxReply {
        var error: [(String, JSONValue)] = [("errorCode", errorCode), ("message", .string(message))]
        if let details { error.append(("details", details)) }
        return .json(
            code,
            [
                "error": [
                    "code": .int(code), "message": .string(code == 429 ? "Resource has been exhausted (e.g. check quota)." : "Request contains an invalid argument."),
                    "status": .string(status),
                    "details": [
                        [
                            "@type": .string("type.googleapis.com/google.ads.googleads.\(version).errors.GoogleAdsFailure"),
                            "errors": [.object(error)], "requestId": .string(ids.token(22)),
                        ]
                    ],
                ]
            ])
    }

    private func exhausted(retryDelay: Int, version: String) -> SandboxReply {
        adsFailure(
            429, status: "RESOURCE_EXHAUSTED", code: ["quotaError": "RESOURCE_EXHAUSTED"],
            message: "Too many requests. Retry in \(retryDelay) seconds.",
            details: ["quotaErrorDetails": ["rateScope": "DEVELOPER", "rateName": "Number of operations for basic access", "retryDelay": .string("\(retryDelay)s")]],
            version: version)
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        let version = request.segments.first ?? "v23"
        var reply: SandboxReply
        switch fault {
        case .rateLimited: reply = exhausted(retryDelay: 1, version: version)
        case .serverError(let status): reply = googleError(status, status: status == 503 ? "UNAVAILABLE" : "INTERNAL", message: "Internal error encountered.", version: version)
        default: reply = googleError(500, status: "INTERNAL", message: "Internal error encountered.", version: version)
        }
        if request.segments.last == "googleAds:searchStream" { reply.body = Data("[".utf8) + reply.body + Data("]".utf8) }
        return reply
    }
}
