/// Why a limits spec was refused; the message names the item and what was expected.
public struct LimitsSpecError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension SandboxLimits {
    /// The platforms a limits spec can name, each with the limit it sets and that limit's unit.
    static var adjustable: [(name: String, unit: String, keyPath: WritableKeyPath<SandboxLimits, Int>)] { [
        ("hubspot", "requests per rolling 10 s", \.hubSpotPerTenSeconds),
        ("slack", "messages per rolling 10 s", \.slackMessagesPerWindow),
        ("sendgrid", "requests per rolling minute", \.sendGridPerMinute),
        ("salesforce", "requests while the sandbox runs", \.salesforceRequests),
        ("mailchimp", "simultaneous requests", \.mailchimpConcurrentRequests),
        ("meta_ads", "calls per rolling minute", \.metaCallsPerMinute),
        ("google_ads", "queries per rolling minute", \.googleAdsPerMinute),
        ("ga4", "reports per rolling minute", \.ga4PerMinute),
        ("linkedin_ads", "calls per rolling minute", \.linkedInPerMinute),
    ] }

    /// Reads `slack=100,hubspot=1000`: each named platform's rate limit, in that platform's own unit
    /// (Slack and HubSpot per rolling 10 s, Mailchimp simultaneous requests, …); the platforms not
    /// named keep their scaled-down limits. An empty text changes nothing.
    public static func parse(_ text: String) throws(LimitsSpecError) -> SandboxLimits {
        var limits = SandboxLimits()
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if items == [""] { return limits }
        var named: Set<String> = []
        for (position, item) in items.enumerated() {
            let place = "limits item \(position + 1) `\(item)`"
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw LimitsSpecError(message: "\(place): expected PLATFORM=N, for example slack=100")
            }
            let name = parts[0].lowercased()
            guard let limit = adjustable.first(where: { $0.name == name }) else {
                let names = adjustable.map(\.name)
                throw LimitsSpecError(
                    message: "\(place): no limit for `\(name)`; expected \(names.dropLast().joined(separator: ", ")) or \(names.last!)")
            }
            guard let value = Int(parts[1].replacingOccurrences(of: "_", with: "")), (1...1_000_000_000).contains(value) else {
                throw LimitsSpecError(message: "\(place): the limit must be a whole number from 1 to 1000000000 (\(limit.unit))")
            }
            guard named.insert(name).inserted else {
                throw LimitsSpecError(message: "\(place): `\(name)` is given twice")
            }
            limits[keyPath: limit.keyPath] = value
        }
        return limits
    }
}
