import Diagnostics
import Foundation

/// The part of GAQL the sandbox answers: `SELECT … FROM campaign | campaign_budget` with `segments.date`
/// (`DURING LAST_N_DAYS`, `BETWEEN 'a' AND 'b'`, comparisons), `campaign.status = '…'`, `ORDER BY` and `LIMIT`.
struct GAQLReport {
    let campaigns: [SeedCampaign]
    let data: SeedData
    let reportDays: Int
    let customerID: String
    var statuses: [String: String] = [:]
    var budgetMicros: [String: Int] = [:]

    struct QueryError: Error {
        let code: String
        let message: String
    }

    static let fields: Set = [
        "campaign.id", "campaign.name", "campaign.status", "campaign.resource_name", "campaign.advertising_channel_type",
        "campaign.campaign_budget", "campaign_budget.id", "campaign_budget.amount_micros", "campaign_budget.resource_name",
        "campaign.bidding_strategy_type", "campaign.start_date", "campaign.end_date", "campaign_budget.name",
        "campaign_budget.delivery_method", "campaign_budget.explicitly_shared", "campaign_budget.status",
        "metrics.clicks", "metrics.impressions", "metrics.cost_micros", "metrics.conversions", "metrics.ctr", "metrics.average_cpc",
        "metrics.conversions_value", "metrics.cost_per_conversion",
        "segments.date", "customer.id", "customer.currency_code",
    ]

    func run(_ query: String) throws(QueryError) -> ([JSONValue], String) {
        let pattern = #"^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators]),
            let match = regex.firstMatch(in: query, range: NSRange(query.startIndex..., in: query))
        else { throw QueryError(code: "EXPECTED_SELECT", message: "Error in query: expected SELECT … FROM ….") }
        func group(_ index: Int) -> String? {
            Range(match.range(at: index), in: query).map { String(query[$0]) }
        }
        let selected = group(1)!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let resource = group(2)!.lowercased()
        guard resource == "campaign" || resource == "campaign_budget" else {
            throw QueryError(code: "INVALID_RESOURCE_NAME_IN_FROM_CLAUSE", message: "Error in query: the sandbox serves FROM campaign and FROM campaign_budget.")
        }
        if let unknown = selected.first(where: { !Self.fields.contains($0) }) {
            throw QueryError(code: "UNRECOGNIZED_FIELD", message: "Error in SELECT clause: unrecognized field '\(unknown)'.")
        }
        var days: [Date]? = selected.contains("segments.date") ? data.reportDays(reportDays) : nil
        var status: String?
        for condition in (group(3) ?? "").components(separatedBy: " AND ").map({ $0.trimmingCharacters(in: .whitespaces) }) where !condition.isEmpty {
            let upper = condition.uppercased()
            if upper.hasPrefix("SEGMENTS.DATE DURING ") {
                let preset = upper.dropFirst("SEGMENTS.DATE DURING ".count)
                let counts = ["YESTERDAY": 1, "LAST_7_DAYS": 7, "LAST_14_DAYS": 14, "LAST_30_DAYS": 30, "LAST_BUSINESS_WEEK": 5]
                guard let count = counts[String(preset)] else { throw QueryError(code: "INVALID_VALUE_WITH_DURING_OPERATOR", message: "Error in WHERE clause: invalid value \(preset) with DURING.") }
                days = data.reportDays(count)
            } else if upper.hasPrefix("SEGMENTS.DATE BETWEEN ") {
                let values = condition.components(separatedBy: "'").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
                guard values.count == 2, let since = SandboxTime.parseInstant(values[0]), let until = SandboxTime.parseInstant(values[1]),
                    since <= until, until.timeIntervalSince(since) <= 4 * 366 * 86_400
                else {
                    throw QueryError(code: "INVALID_VALUE_WITH_BETWEEN_OPERATOR", message: "Error in WHERE clause: BETWEEN needs two dates 'YYYY-MM-DD', the first not after the second, at most four years apart.")
                }
                days = stride(from: since.timeIntervalSince1970, through: until.timeIntervalSince1970, by: 86_400).map { Date(timeIntervalSince1970: $0) }
            } else if upper.hasPrefix("SEGMENTS.DATE") {
                let parts = condition.split(separator: " ", maxSplits: 2).map(String.init)
                guard parts.count == 3, let day = SandboxTime.parseInstant(parts[2].trimmingCharacters(in: CharacterSet(charactersIn: "'\""))) else {
                    throw QueryError(code: "BAD_VALUE_IN_WHERE_CLAUSE", message: "Error in WHERE clause: \(condition).")
                }
                let all = days ?? data.reportDays(reportDays)
                switch parts[1] {
                case ">=": days = all.filter { $0 >= day }
                case ">": days = all.filter { $0 > day }
                case "<=": days = all.filter { $0 <= day }
                case "<": days = all.filter { $0 < day }
                case "=": days = all.filter { $0 == day }
                default: throw QueryError(code: "BAD_OPERATOR", message: "Error in WHERE clause: unsupported operator \(parts[1]).")
                }
            } else if upper.hasPrefix("CAMPAIGN.STATUS") {
                status = condition.components(separatedBy: "'").dropFirst().first ?? String(condition.split(separator: " ").last ?? "")
            } else {
                throw QueryError(code: "BAD_FIELD_NAME", message: "Error in WHERE clause: the sandbox does not filter on \(condition).")
            }
        }
        var rows: [[String: JSONValue]] = []
        for campaign in campaigns {
            let currentStatus = statuses[campaign.id] ?? campaign.status
            if let status, status != currentStatus { continue }
            let base: [String: JSONValue] = [
                "campaign.id": .string(campaign.id), "campaign.name": .string(campaign.name), "campaign.status": .string(currentStatus),
                "campaign.resource_name": .string("customers/\(customerID)/campaigns/\(campaign.id)"),
                "campaign.advertising_channel_type": "SEARCH",
                "campaign.campaign_budget": .string("customers/\(customerID)/campaignBudgets/\(campaign.id)"),
                "campaign_budget.id": .string(campaign.id), "campaign_budget.amount_micros": .string(String(budgetMicros[campaign.id] ?? campaign.dailyBudgetCents * 10_000)),
                "campaign_budget.resource_name": .string("customers/\(customerID)/campaignBudgets/\(campaign.id)"),
                "customer.id": .string(customerID), "customer.currency_code": "EUR",
                "campaign.bidding_strategy_type": .string(Int(campaign.id)! % 2 == 0 ? "MAXIMIZE_CONVERSIONS" : "TARGET_CPA"),
                "campaign.start_date": .string(SandboxTime.day(campaign.createdAt)), "campaign.end_date": "2037-12-30",
                "campaign_budget.name": .string("\(campaign.name) budget"), "campaign_budget.delivery_method": "STANDARD",
                "campaign_budget.explicitly_shared": false, "campaign_budget.status": "ENABLED",
            ]
            let periods: [[Date]] = days.map { $0.map { [$0] } } ?? [data.reportDays(reportDays)]
            for period in periods {
                let metrics = period.map { DailyMetrics(campaign: campaign, day: $0, seed: data.seed) }
                let clicks = metrics.reduce(0) { $0 + $1.clicks }
                let impressions = metrics.reduce(0) { $0 + $1.impressions }
                let cost = metrics.reduce(0) { $0 + $1.spend }
                var row = base
                row["metrics.clicks"] = .string(String(clicks))
                row["metrics.impressions"] = .string(String(impressions))
                row["metrics.cost_micros"] = .string(String(Int((cost * 1_000_000).rounded())))
                let conversions = metrics.reduce(0) { $0 + $1.conversions }
                row["metrics.conversions"] = .int(conversions)
                row["metrics.conversions_value"] = .int(conversions * 120)
                row["metrics.cost_per_conversion"] = .int(conversions > 0 ? Int((cost * 1_000_000 / Double(conversions)).rounded()) : 0)
                row["metrics.ctr"] = .double(impressions > 0 ? Double(clicks) / Double(impressions) : 0)
                row["metrics.average_cpc"] = .int(clicks > 0 ? Int((cost * 1_000_000 / Double(clicks)).rounded()) : 0)
                if days != nil { row["segments.date"] = .string(SandboxTime.day(period[0])) }
                rows.append(row)
            }
        }
        if let order = group(4) {
            let parts = order.split(separator: " ").map(String.init)
            let field = parts[0]
            let descending = parts.count > 1 && parts[1].uppercased() == "DESC"
            rows.sort { a, b in
                let x = a[field]?.textValue ?? ""
                let y = b[field]?.textValue ?? ""
                let less = Double(x).flatMap { dx in Double(y).map { dx < $0 } } ?? (x < y)
                let greater = Double(x).flatMap { dx in Double(y).map { dx > $0 } } ?? (x > y)
                return descending ? greater : less
            }
        }
        if let limit = group(5).flatMap(Int.init) { rows = Array(rows.prefix(limit)) }
        let results = rows.map { row in Self.nest(selected.map { ($0, row[$0] ?? .null) }) }
        return (results, selected.map(Self.camelPath).joined(separator: ","))
    }

    /// `metrics.cost_micros` → `metrics.costMicros`, as the REST answer spells fields.
    static func camelPath(_ path: String) -> String {
        path.split(separator: ".").map { part in
            let words = part.split(separator: "_")
            return words.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }.joined()
        }.joined(separator: ".")
    }

    /// Dotted fields as nested objects: `{"campaign": {"id": …}, "metrics": {"clicks": …}}`.
    static func nest(_ values: [(String, JSONValue)]) -> JSONValue {
        var groups: [(String, [(String, JSONValue)])] = []
        for (path, value) in values {
            let parts = camelPath(path).split(separator: ".", maxSplits: 1).map(String.init)
            if let position = groups.firstIndex(where: { $0.0 == parts[0] }) {
                groups[position].1.append((parts[1], value))
            } else {
                groups.append((parts[0], [(parts[1], value)]))
            }
        }
        return .object(groups.map { ($0.0, .object($0.1)) })
    }
}
