import Foundation

/// The platforms' limits, scaled down so a run on a laptop meets them; each can be changed.
public struct SandboxLimits: Sendable {
    /// HubSpot: requests per rolling 10 seconds (the real Free/Starter burst limit is 100).
    public var hubSpotPerTenSeconds = 100
    /// Slack: messages per rolling window of `slackWindowSeconds` (about one a second with short bursts).
    public var slackMessagesPerWindow = 10
    public var slackWindowSeconds: TimeInterval = 10
    /// SendGrid: requests per rolling minute.
    public var sendGridPerMinute = 600
    /// Salesforce: API requests in the sandbox's run (the real allocation is per rolling 24 hours).
    public var salesforceRequests = 5_000
    /// Salesforce: records per query page (real default 2,000).
    public var salesforceBatchSize = 2_000
    /// Mailchimp: simultaneous requests before a 429 (real: 10).
    public var mailchimpConcurrentRequests = 10
    /// Meta: calls per rolling minute per ad account before the usage header reaches 100 %.
    public var metaCallsPerMinute = 200
    /// Meta: polls of an async insights job before it completes.
    public var metaAsyncPolls = 3
    /// Google Ads: queries per rolling minute before `RESOURCE_EXHAUSTED`.
    public var googleAdsPerMinute = 600
    /// Google Ads: rows per `googleAds:search` page (real: 10,000) and per `searchStream` chunk.
    public var googleAdsPageSize = 10_000
    /// GA4: reports per rolling minute before `RESOURCE_EXHAUSTED`.
    public var ga4PerMinute = 600
    /// LinkedIn: calls per rolling minute before a bare 429 (the real quota is daily).
    public var linkedInPerMinute = 600

    public init() {}
}

/// How much seeded data the sandbox makes.
public struct SandboxDataSizes: Sendable {
    public var hubSpotContacts = 3_000
    public var hubSpotCompanies = 300
    public var hubSpotDeals = 500
    public var salesforceLeads = 2_500
    public var salesforceContacts = 1_500
    public var mailchimpMembers = 2_000
    public var metaCampaigns = 12
    public var metaLeads = 200
    public var googleAdsCampaigns = 10
    public var linkedInCampaigns = 250
    /// Days of daily insights and reports, ending yesterday.
    public var reportDays = 30

    public init() {}

    /// No seeded data at all.
    static var empty: SandboxDataSizes {
        var sizes = SandboxDataSizes()
        sizes.hubSpotContacts = 0
        sizes.hubSpotCompanies = 0
        sizes.hubSpotDeals = 0
        sizes.salesforceLeads = 0
        sizes.salesforceContacts = 0
        sizes.mailchimpMembers = 0
        sizes.metaCampaigns = 0
        sizes.metaLeads = 0
        sizes.googleAdsCampaigns = 0
        sizes.linkedInCampaigns = 0
        sizes.reportDays = 0
        return sizes
    }
}

/// Everything a sandbox is started with besides its address.
struct SandboxOptions: Sendable {
    /// The same seed gives the same data and the same faults.
    var seed: UInt64 = 1
    var faults: FaultSpec = .none
    var limits = SandboxLimits()
    var sizes = SandboxDataSizes()
    /// The instant the seeded data is laid out before (times spread over the weeks before it). Nil: the
    /// start of the current UTC day, so the data stays recent and is the same all day.
    var referenceDate: Date?
    /// How long a `timeout` fault holds a request before closing it; stopping the sandbox releases it sooner.
    var timeoutHold: Duration = .seconds(120)
    var clock: any SandboxClock = SystemSandboxClock()

    init(seed: UInt64 = 1, faults: FaultSpec = .none) {
        self.seed = seed
        self.faults = faults
    }

    var resolvedReferenceDate: Date {
        if let referenceDate { return referenceDate }
        let now = clock.now().timeIntervalSince1970
        return Date(timeIntervalSince1970: (now / 86_400).rounded(.down) * 86_400)
    }
}
