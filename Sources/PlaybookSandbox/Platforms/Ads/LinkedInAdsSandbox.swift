import Diagnostics
import Foundation
import Synchronization

/// LinkedIn Marketing (`/rest/…`): an ad account's campaigns by cursor (`pageSize`/`pageToken` →
/// `metadata.nextPageToken`), partial updates of a campaign, and daily campaign analytics (unpaged);
/// bearer plus the required `LinkedIn-Version` header, and a bare 429 past the scaled quota.
final class LinkedInAdsSandbox: SandboxPlatform {
    let name = "linkedin_ads"
    let examplePath = "rest/adAccounts/\(LinkedInAdsSandbox.accountID)/adCampaigns?q=search"
    static let accountID = "508123456"
    private struct Campaign {
        let seed: SeedCampaign
        var status: String
        var dailyBudget: String
        var lastModified: Date
    }

    private let state: Mutex<[Campaign]>
    private let data: SeedData
    private let reportDays: Int
    private let window: Mutex<RollingWindow>
    /// People who answered the account's lead form, newest first.
    private let leads: [SeedPerson]
    static let maximumAnalyticsElements = 15_000

    init(data: SeedData, options: SandboxOptions) {
        self.data = data
        reportDays = options.sizes.reportDays
        let seeded = data.campaigns(count: options.sizes.linkedInCampaigns, firstID: 612_345_001, stream: 71)
        state = Mutex(seeded.enumerated().map { index, campaign in
            Campaign(
                seed: campaign, status: index % 9 == 8 ? "ARCHIVED" : campaign.status,
                dailyBudget: decimalText(Double(campaign.dailyBudgetCents) / 100), lastModified: campaign.createdAt.addingTimeInterval(86_400))
        })
        window = Mutex(RollingWindow(limit: options.limits.linkedInPerMinute, window: 60))
        leads = SeedData.people(count: options.sizes.metaLeads, seed: options.seed, stream: 6, reference: data.reference)
            .sorted { $0.createdAt > $1.createdAt }
    }

    func write(of request: SandboxRequest) -> WriteDescription? {
        let s = request.segments
        guard request.method == .post, s.count == 5, s[0] == "rest", s[1] == "adAccounts", s[3] == "adCampaigns" else { return nil }
        return WriteDescription(resource: "adCampaigns", operation: "partial_update")
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        guard request.bearerToken != nil else {
            return .json(401, ["status": 401, "serviceErrorCode": 65600, "code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token"])
        }
        guard let version = request.header("linkedin-version"), version.count == 6, version.allSatisfy(\.isNumber) else {
            return .json(400, ["status": 400, "code": "VERSION_MISSING", "message": "A version must be present. Please specify a version by adding the LinkedIn-Version header."])
        }
        let decision = window.withLock { $0.admit(at: moment.now) }
        guard decision.allowed else { return throttled() }
        let s = request.segments
        switch (request.method, s) {
        case (.get, let path) where path.count == 4 && path[0] == "rest" && path[1] == "adAccounts" && path[3] == "adCampaigns":
            guard path[2] == Self.accountID else { return notFound("adAccounts/\(path[2])") }
            return campaigns(request)
        case (.post, let path) where path.count == 5 && path[0] == "rest" && path[1] == "adAccounts" && path[3] == "adCampaigns":
            guard path[2] == Self.accountID else { return notFound("adAccounts/\(path[2])") }
            return update(campaignID: path[4], request: request, now: moment.now)
        case (.get, ["rest", "adAnalytics"]):
            return analytics(request)
        case (.get, ["rest", "leadFormResponses"]):
            return leadFormResponses(request)
        case (.get, let path) where path.count == 3 && path[0] == "rest" && path[1] == "leadForms":
            guard path[2] == Self.formID else { return notFound("leadForms/\(path[2])") }
            return .json(200, Self.leadForm)
        default:
            return notFound(s.joined(separator: "/"))
        }
    }

    private func json(_ campaign: Campaign) -> JSONValue {
        [
            "id": .int(Int(campaign.seed.id)!), "name": .string(campaign.seed.name), "status": .string(campaign.status),
            "account": .string("urn:li:sponsoredAccount:\(Self.accountID)"), "campaignGroup": "urn:li:sponsoredCampaignGroup:700000001",
            "type": "SPONSORED_UPDATES", "costType": "CPM",
            "dailyBudget": ["amount": .string(campaign.dailyBudget), "currencyCode": "EUR"],
            "unitCost": ["amount": "8.50", "currencyCode": "EUR"],
            "changeAuditStamps": [
                "created": ["time": .int(Int((campaign.seed.createdAt.timeIntervalSince1970 * 1000).rounded()))],
                "lastModified": ["time": .int(Int((campaign.lastModified.timeIntervalSince1970 * 1000).rounded()))],
            ],
        ]
    }

    private func campaigns(_ request: SandboxRequest) -> SandboxReply {
        guard request.query["q"] == "search" else {
            return .json(400, ["status": 400, "code": "QUERY_PARAM_NOT_ALLOWED", "message": "The finder needs q=search"])
        }
        let pageSize = min(1_000, max(1, request.query["pageSize"].flatMap(Int.init) ?? 100))
        let start: Int
        if let token = request.query["pageToken"] {
            guard let decoded = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }), decoded.hasPrefix("start:"),
                let value = Int(decoded.dropFirst(6)), value >= 0
            else { return .json(400, ["status": 400, "code": "INVALID_PAGE_TOKEN", "message": "Invalid page token"]) }
            start = value
        } else {
            start = 0
        }
        let statuses = Self.statusFilter(request.query["search"])
        let matching = state.withLock { campaigns in campaigns.filter { statuses?.contains($0.status) ?? true } }
        let end = min(matching.count, start + pageSize)
        let page = start < end ? Array(matching[start..<end]) : []
        var metadata: [(String, JSONValue)] = []
        if end < matching.count { metadata.append(("nextPageToken", .string(Data("start:\(end)".utf8).base64EncodedString()))) }
        return .json(200, ["metadata": .object(metadata), "elements": .array(page.map(json))])
    }

    /// The values of `status:(values:List(A,B))` in a Rest.li search expression, or nil for no filter.
    static func statusFilter(_ search: String?) -> Set<String>? {
        guard let search, let range = search.range(of: "status:(values:List(") else { return nil }
        let rest = search[range.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        return Set(rest[..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    private func update(campaignID: String, request: SandboxRequest, now: Date) -> SandboxReply {
        guard request.header("x-restli-method")?.uppercased() == "PARTIAL_UPDATE" else {
            return .json(400, ["status": 400, "code": "METHOD_NOT_ALLOWED", "message": "Use X-RestLi-Method: PARTIAL_UPDATE to change a campaign"])
        }
        guard let set = request.json?["patch"]?["$set"], set.objectValue != nil else {
            return .json(400, ["status": 400, "code": "INVALID_PATCH", "message": "The body must be {\"patch\":{\"$set\":{…}}}"])
        }
        let status = set["status"]?.stringValue
        if let status, !["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "CANCELED"].contains(status) {
            return .json(422, ["status": 422, "code": "FIELD_VALUE_INVALID", "message": .string("status \(status) is not valid")])
        }
        let amount = set["dailyBudget"]?["amount"]?.textValue
        if let amount, Double(amount).map({ $0 < 10 }) ?? true {
            return .json(422, ["status": 422, "code": "FIELD_VALUE_TOO_LOW", "message": "dailyBudget.amount must be at least 10.00"])
        }
        let found = state.withLock { campaigns -> Bool in
            guard let position = campaigns.firstIndex(where: { $0.seed.id == campaignID }) else { return false }
            if let status { campaigns[position].status = status }
            if let amount, let value = Double(amount) { campaigns[position].dailyBudget = decimalText(value) }
            campaigns[position].lastModified = now
            return true
        }
        return found ? SandboxReply(status: 204) : notFound("adCampaigns/\(campaignID)")
    }

    private func analytics(_ request: SandboxRequest) -> SandboxReply {
        guard request.query["q"] == "analytics", request.query["pivot"] == "CAMPAIGN" else {
            return .json(400, ["status": 400, "code": "QUERY_PARAM_NOT_ALLOWED", "message": "The sandbox answers q=analytics&pivot=CAMPAIGN"])
        }
        let daily = request.query["timeGranularity"] == "DAILY"
        var days = data.reportDays(reportDays)
        if let range = request.query["dateRange"] {
            let numbers = range.components(separatedBy: CharacterSet.decimalDigits.inverted).compactMap(Int.init)
            guard numbers.count >= 3 else {
                return .json(400, ["status": 400, "code": "INVALID_DATE_RANGE", "message": "dateRange must be (start:(year:Y,month:M,day:D),end:(…))"])
            }
            func date(_ y: Int, _ m: Int, _ d: Int) -> Date? {
                SandboxTime.parseInstant("\(y)-\(String(m).leftPadded(2))-\(String(d).leftPadded(2))")
            }
            guard let start = date(numbers[0], numbers[1], numbers[2]) else {
                return .json(400, ["status": 400, "code": "INVALID_DATE_RANGE", "message": "dateRange start is not a date"])
            }
            let end = numbers.count >= 6 ? date(numbers[3], numbers[4], numbers[5]) ?? start : days.last ?? start
            guard start <= end, end.timeIntervalSince(start) <= 4 * 366 * 86_400 else {
                return .json(400, ["status": 400, "code": "INVALID_DATE_RANGE", "message": "dateRange must end after it starts and span at most four years"])
            }
            days = stride(from: start.timeIntervalSince1970, through: end.timeIntervalSince1970, by: 86_400).map { Date(timeIntervalSince1970: $0) }
        }
        let fields = commaList(request.query["fields"])
        let campaigns = state.withLock { $0 }
        var elements: [JSONValue] = []
        for campaign in campaigns {
            for period in daily ? days.map({ [$0] }) : [days] {
                let metrics = period.map { DailyMetrics(campaign: campaign.seed, day: $0, seed: data.seed) }
                let impressions = metrics.reduce(0) { $0 + $1.impressions }
                guard impressions > 0, let first = period.first, let last = period.last else { continue }
                let values: [String: JSONValue] = [
                    "impressions": .int(impressions), "clicks": .int(metrics.reduce(0) { $0 + $1.clicks }),
                    "costInLocalCurrency": .string(decimalText(metrics.reduce(0) { $0 + $1.spend })),
                    "externalWebsiteConversions": .int(metrics.reduce(0) { $0 + $1.conversions }),
                    "costInUsd": .string(decimalText(metrics.reduce(0) { $0 + $1.spend } * 1.08)),
                    "landingPageClicks": .int(metrics.reduce(0) { $0 + $1.clicks } * 9 / 10),
                    "oneClickLeads": .int(metrics.reduce(0) { $0 + $1.conversions } / 2),
                    "pivotValues": [.string("urn:li:sponsoredCampaign:\(campaign.seed.id)")],
                    "dateRange": [
                        "start": Self.dateParts(first), "end": Self.dateParts(last),
                    ],
                ]
                let wanted = fields.isEmpty ? ["impressions", "clicks", "costInLocalCurrency", "dateRange", "pivotValues"] : fields
                elements.append(.object(wanted.compactMap { name in values[name].map { (name, $0) } }))
                if elements.count == Self.maximumAnalyticsElements { break }
            }
        }
        return .json(200, ["paging": ["start": 0, "count": 10, "links": []], "elements": .array(Array(elements.prefix(Self.maximumAnalyticsElements)))])
    }

    static let formID = "7012345"

    /// The account's one Lead Gen Form: its questions, by the ids the responses answer.
    static let leadForm: JSONValue = [
        "id": .int(Int(formID)!), "name": "Demo request", "creationLocale": ["country": "US", "language": "en"],
        "owner": ["sponsoredAccount": .string("urn:li:sponsoredAccount:\(accountID)")], "state": "PUBLISHED",
        "content": [
            "questions": .array([(1, "FIRST_NAME"), (2, "LAST_NAME"), (3, "EMAIL"), (4, "COMPANY_NAME"), (5, "JOB_TITLE")].map { id, field in
                [
                    "questionId": .int(id), "name": .string(field.lowercased()), "predefinedField": .string(field),
                    "question": ["localized": ["en_US": .string(field.capitalized.replacingOccurrences(of: "_", with: " "))]],
                    "questionDetails": ["textQuestionDetails": ["maxResponseLength": 300]],
                ]
            }),
        ],
    ]

    /// Lead Gen Form responses of the account (`q=owner`), newest first, paged by `start`/`count`: a
    /// short page is the last.
    private func leadFormResponses(_ request: SandboxRequest) -> SandboxReply {
        guard request.query["q"] == "owner", let owner = request.query["owner"],
            owner.contains("urn:li:sponsoredAccount:\(Self.accountID)")
        else {
            return .json(400, ["status": 400, "code": "QUERY_PARAM_NOT_ALLOWED", "message": .string("The finder needs q=owner&owner=(sponsoredAccount:urn:li:sponsoredAccount:\(Self.accountID))")])
        }
        let start = max(0, request.query["start"].flatMap(Int.init) ?? 0)
        let count = min(500, max(1, request.query["count"].flatMap(Int.init) ?? 10))
        let campaigns = state.withLock { $0.map(\.seed.id) }
        let responses = leads.enumerated().map { index, person -> JSONValue in
            let answers: [(Int, String)] = [(1, person.firstName), (2, person.lastName), (3, person.email), (4, person.company), (5, person.jobTitle)]
            return [
                "id": .string("urn:li:leadFormResponse:\(9_000_000 + index)"), "submittedAt": .int(Int((person.createdAt.timeIntervalSince1970 * 1000).rounded())),
                "leadGenFormUrn": .string("urn:li:leadGenForm:\(Self.formID)"), "testLead": .bool(index % 25 == 0),
                "owner": ["sponsoredAccount": .string("urn:li:sponsoredAccount:\(Self.accountID)")],
                "leadMetadata": ["sponsoredLeadMetadata": ["campaign": .string("urn:li:sponsoredCampaign:\(campaigns.isEmpty ? "0" : campaigns[index % campaigns.count])")]],
                "formResponse": ["answers": .array(answers.map { ["questionId": .int($0.0), "answerDetails": ["textQuestionAnswer": ["answer": .string($0.1)]]] })],
            ]
        }
        let page = Array(responses.dropFirst(start).prefix(count))
        return .json(200, ["paging": ["start": .int(start), "count": .int(count), "total": .int(responses.count), "links": []], "elements": .array(page)])
    }

    static func dateParts(_ date: Date) -> JSONValue {
        let parts = SandboxTime.day(date).split(separator: "-").compactMap { Int($0) }
        return ["year": .int(parts[0]), "month": .int(parts[1]), "day": .int(parts[2])]
    }

    private func notFound(_ path: String) -> SandboxReply {
        .json(404, ["status": 404, "code": "NOT_FOUND", "message": .string("Not Found: \(path)")])
    }

    private func throttled() -> SandboxReply {
        .json(429, ["status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS", "message": "Resource level throttle limit for calls to this resource is reached."])
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited: return throttled()
        case .serverError(let status): return .json(status, ["status": .int(status), "code": "INTERNAL_SERVER_ERROR", "message": "Internal Server Error"])
        default: return .json(500, ["status": 500, "code": "INTERNAL_SERVER_ERROR", "message": "Internal Server Error"])
        }
    }
}
