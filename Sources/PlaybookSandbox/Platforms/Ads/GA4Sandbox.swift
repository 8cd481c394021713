import Diagnostics
import Foundation
import Synchronization

/// The Google Analytics 4 Data API: `properties/{id}:runReport` with dimensions, metrics, date ranges and
/// `offset`/`limit` paging against `rowCount`, `propertyQuota` on request, and `RESOURCE_EXHAUSTED` (429)
/// past the scaled quota.
final class GA4Sandbox: SandboxPlatform {
    let name = "ga4"
    let examplePath = "v1beta/properties/123456789:runReport"
    private let data: SeedData
    private let limits: SandboxLimits
    private let window: Mutex<RollingWindow>
    static let defaultLimit = 10_000
    static let maximumLimit = 250_000
    /// The most dimension-value combinations one report may span, so a request cannot exhaust memory.
    static let maximumCombinations = 100_000

    /// The values each dimension takes; `date` comes from the date range.
    static let dimensionValues: [String: [String]] = [
        "sessionSource": ["google", "(direct)", "facebook.com", "linkedin.com", "newsletter", "bing", "instagram.com", "partner-blog.example"],
        "sessionMedium": ["organic", "(none)", "cpc", "referral", "email", "paid_social"],
        "sessionDefaultChannelGroup": ["Organic Search", "Direct", "Paid Search", "Paid Social", "Email", "Referral", "Organic Social"],
        "sessionCampaignName": ["(not set)", "spring_sale", "webinar_signups", "retargeting", "product_launch"],
        "country": ["United States", "Germany", "France", "United Kingdom", "Netherlands", "Poland", "Japan", "Brazil"],
        "deviceCategory": ["desktop", "mobile", "tablet"],
        "landingPage": ["/", "/pricing", "/blog/marketing-automation", "/demo", "/features", "/signup"],
        "eventName": ["page_view", "session_start", "first_visit", "scroll", "form_submit", "generate_lead", "purchase"],
    ]
    static let metricTypes: [String: String] = [
        "sessions": "TYPE_INTEGER", "totalUsers": "TYPE_INTEGER", "newUsers": "TYPE_INTEGER", "activeUsers": "TYPE_INTEGER",
        "screenPageViews": "TYPE_INTEGER", "engagedSessions": "TYPE_INTEGER", "eventCount": "TYPE_INTEGER", "conversions": "TYPE_FLOAT",
        "keyEvents": "TYPE_FLOAT", "bounceRate": "TYPE_FLOAT", "engagementRate": "TYPE_FLOAT",
        "averageSessionDuration": "TYPE_SECONDS", "userEngagementDuration": "TYPE_SECONDS", "totalRevenue": "TYPE_CURRENCY",
    ]
    /// Custom dimensions registered on the property, with their values. The website gives GA4 the
    /// CRM id of a visitor who signs in (the user property `crm_id`): one HubSpot contact in ten,
    /// so that a report can be joined with the CRM; visitors who never sign in are `(not set)`.
    private let customDimensionValues: [String: [String]]

    init(data: SeedData, options: SandboxOptions) {
        self.data = data
        customDimensionValues = [
            "customUser:crm_id": ["(not set)"] + stride(from: 0, to: data.hubSpotContacts.count, by: 10).map { String(HubSpotStore.firstContactID + $0) },
        ]
        limits = options.limits
        window = Mutex(RollingWindow(limit: options.limits.ga4PerMinute, window: 60))
    }

    func write(of request: SandboxRequest) -> WriteDescription? { nil }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        let s = request.segments
        guard s.count == 3, s[0].hasPrefix("v1"), s[1] == "properties", s[2].hasSuffix(":runReport"), request.method == .post else {
            return error(404, "NOT_FOUND", "The requested URL was not found on this server.")
        }
        guard request.bearerToken != nil else {
            return error(401, "UNAUTHENTICATED", "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
        }
        let property = String(s[2].dropLast(":runReport".count))
        guard !property.isEmpty, property.allSatisfy(\.isNumber) else {
            return error(400, "INVALID_ARGUMENT", "Invalid property ID: \(property). A numeric Property ID is required.")
        }
        let decision = window.withLock { $0.admit(at: moment.now) }
        guard decision.allowed else { return exhausted() }
        guard let body = request.json, body.objectValue != nil else {
            return error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        }
        let dimensions = (body["dimensions"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let metrics = (body["metrics"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        if let unknown = dimensions.first(where: { $0 != "date" && values(of: $0) == nil && !$0.hasPrefix("customEvent:") }) {
            return error(400, "INVALID_ARGUMENT", "Field \(unknown) is not a valid dimension. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema")
        }
        if let unknown = metrics.first(where: { Self.metricTypes[$0] == nil }) {
            return error(400, "INVALID_ARGUMENT", "Field \(unknown) is not a valid metric. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema")
        }
        guard !metrics.isEmpty || !dimensions.isEmpty else {
            return error(400, "INVALID_ARGUMENT", "A report needs at least one dimension or metric.")
        }
        let limit = body["limit"]?.intValue ?? Self.defaultLimit
        let offset = body["offset"]?.intValue ?? 0
        guard limit > 0, limit <= Self.maximumLimit, offset >= 0 else {
            return error(400, "INVALID_ARGUMENT", "limit must be from 1 to \(Self.maximumLimit) and offset at least 0; got limit \(limit), offset \(offset).")
        }
        guard let days = dateRange(body["dateRanges"]?.arrayValue?.first) else {
            return error(400, "INVALID_ARGUMENT", "dateRanges needs startDate and endDate as YYYY-MM-DD, NdaysAgo, yesterday or today, with startDate not after endDate.")
        }
        let combinations = dimensions.reduce(1) { product, name in
            product * (name == "date" ? days.count : (values(of: name)?.count ?? 4))
        }
        guard combinations <= Self.maximumCombinations else {
            return error(400, "INVALID_ARGUMENT", "The report would have \(combinations) rows before thresholds; the sandbox answers at most \(Self.maximumCombinations). Use fewer dimensions or a shorter date range.")
        }
        let rows = buildRows(dimensions: dimensions, metrics: metrics, days: days, property: property)
        var answer: [(String, JSONValue)] = [
            ("dimensionHeaders", .array(dimensions.map { ["name": .string($0)] })),
            ("metricHeaders", .array(metrics.map { ["name": .string($0), "type": .string(Self.metricTypes[$0]!)] })),
            ("rows", .array(Array(rows.dropFirst(offset).prefix(limit)))),
            ("rowCount", .int(rows.count)),
            ("metadata", ["currencyCode": "EUR", "timeZone": "Europe/Warsaw"]),
            ("kind", "analyticsData#runReport"),
        ]
        if body["returnPropertyQuota"]?.boolValue == true {
            let used = limits.ga4PerMinute - decision.remaining
            answer.append(("propertyQuota", [
                "tokensPerDay": ["consumed": .int(used * 10), "remaining": .int(200_000 - used * 10)],
                "tokensPerHour": ["consumed": .int(used * 10), "remaining": .int(40_000 - used * 10)],
                "concurrentRequests": ["consumed": 0, "remaining": 10],
                "serverErrorsPerProjectPerHour": ["consumed": 0, "remaining": 10],
                "potentiallyThresholdedRequestsPerHour": ["consumed": 0, "remaining": 120],
            ]))
        }
        return .json(200, .object(answer))
    }

    /// The values a dimension takes, standard or registered custom; nil for one the property lacks.
    private func values(of dimension: String) -> [String]? {
        Self.dimensionValues[dimension] ?? customDimensionValues[dimension]
    }

    private func dateRange(_ value: JSONValue?) -> [Date]? {
        let yesterday = data.reportDays(1)[0]
        func resolve(_ text: String?) -> Date? {
            guard let text else { return nil }
            if text == "today" { return yesterday.addingTimeInterval(86_400) }
            if text == "yesterday" { return yesterday }
            if text.hasSuffix("daysAgo"), let count = Int(text.dropLast(7)) { return yesterday.addingTimeInterval(Double(1 - count) * 86_400) }
            return SandboxTime.parseInstant(text)
        }
        guard let value else { return data.reportDays(28) }
        guard let start = resolve(value["startDate"]?.stringValue), let end = resolve(value["endDate"]?.stringValue), start <= end,
            end.timeIntervalSince(start) <= 400 * 86_400
        else { return nil }
        return stride(from: start.timeIntervalSince1970, through: end.timeIntervalSince1970, by: 86_400).map { Date(timeIntervalSince1970: $0) }
    }

    /// Every combination of the dimensions' values that had traffic, with metrics that follow from the seed.
    private func buildRows(dimensions: [String], metrics: [String], days: [Date], property: String) -> [JSONValue] {
        var combinations: [[String]] = [[]]
        for dimension in dimensions {
            let values = dimension == "date"
                ? days.map { SandboxTime.day($0).replacingOccurrences(of: "-", with: "") }
                : (values(of: dimension) ?? ["(not set)", "alpha", "beta", "gamma"])
            combinations = combinations.flatMap { prefix in values.map { prefix + [$0] } }
        }
        let dimensionsOnly = dimensions.count
        let totalDays = dimensions.contains("date") ? 1 : days.count
        return combinations.compactMap { values -> JSONValue? in
            let key = SlackSandbox.stableHash(property + "|" + values.joined(separator: "|"))
            var random = SeededGenerator(seed: SeededGenerator.value(seed: data.seed, stream: 0x6A4, index: key))
            if dimensionsOnly > 1, Int.random(in: 0..<10, using: &random) < 3 { return nil }
            let sessions = max(1, Int.random(in: 5...400, using: &random) * totalDays / max(1, dimensionsOnly * dimensionsOnly))
            let metricValues: [JSONValue] = metrics.map { name in
                let value: String
                switch name {
                case "sessions": value = String(sessions)
                case "totalUsers", "activeUsers": value = String(Int(Double(sessions) * 0.8))
                case "newUsers": value = String(Int(Double(sessions) * 0.45))
                case "screenPageViews": value = String(sessions * Int.random(in: 1...5, using: &random))
                case "engagedSessions": value = String(Int(Double(sessions) * 0.6))
                case "eventCount": value = String(sessions * Int.random(in: 4...12, using: &random))
                case "conversions", "keyEvents": value = String(Int(Double(sessions) * Double.random(in: 0.01...0.06, using: &random)))
                case "bounceRate": value = decimalText(Double.random(in: 0.25...0.7, using: &random), places: 6)
                case "engagementRate": value = decimalText(Double.random(in: 0.3...0.75, using: &random), places: 6)
                case "averageSessionDuration": value = decimalText(Double.random(in: 20...300, using: &random), places: 6)
                case "userEngagementDuration": value = String(sessions * Int.random(in: 30...300, using: &random))
                default: value = decimalText(Double(sessions) * Double.random(in: 0...3, using: &random), places: 2)
                }
                return ["value": .string(value)]
            }
            return ["dimensionValues": .array(values.map { ["value": .string($0)] }), "metricValues": .array(metricValues)]
        }
    }

    private func error(_ code: Int, _ status: String, _ message: String) -> SandboxReply {
        .json(code, ["error": ["code": .int(code), "message": .string(message), "status": .string(status)]])
    }

    private func exhausted() -> SandboxReply {
        error(429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per hour for this property. Wait before retrying, or reduce the size of requests.")
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited: return exhausted()
        case .serverError(let status): return error(status, status == 503 ? "UNAVAILABLE" : "INTERNAL", "Internal error encountered.")
        default: return error(500, "INTERNAL", "Internal error encountered.")
        }
    }
}
