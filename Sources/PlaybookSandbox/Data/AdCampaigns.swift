import Foundation

/// A made-up ad campaign with its daily numbers, shared by the ad platforms.
struct SeedCampaign: Sendable {
    let id: String
    let name: String
    let status: String
    let objective: String
    let dailyBudgetCents: Int
    let createdAt: Date
    /// Typical daily impressions, click rate and cost per click, from which each day's numbers vary.
    let baseImpressions: Int
    let clickRate: Double
    let costPerClick: Double
}

/// One campaign's numbers for one day, the same for a seed whichever platform or page asks.
struct DailyMetrics: Sendable {
    let day: Date
    let impressions: Int
    let clicks: Int
    let spend: Double
    let reach: Int
    let conversions: Int

    init(campaign: SeedCampaign, day: Date, seed: UInt64) {
        self.day = day
        let index = UInt64(bitPattern: Int64(day.timeIntervalSince1970 / 86_400))
        var random = SeededGenerator(seed: SeededGenerator.value(seed: seed, stream: SlackSandbox.stableHash(campaign.id), index: index))
        let active = campaign.status == "ACTIVE" || campaign.status == "ENABLED"
        let impressions = active ? Int(Double(campaign.baseImpressions) * Double.random(in: 0.6...1.4, using: &random)) : 0
        let clicks = Int(Double(impressions) * campaign.clickRate * Double.random(in: 0.7...1.3, using: &random))
        self.impressions = impressions
        self.clicks = clicks
        self.spend = (Double(clicks) * campaign.costPerClick * Double.random(in: 0.8...1.2, using: &random) * 100).rounded() / 100
        self.reach = Int(Double(impressions) * Double.random(in: 0.55...0.85, using: &random))
        self.conversions = Int(Double(clicks) * Double.random(in: 0.01...0.08, using: &random))
    }
}

extension SeedData {
    static let campaignThemes = [
        "Spring Sale", "Brand Awareness", "Webinar Signups", "Retargeting", "Product Launch", "Lead Gen – Whitepaper",
        "Holiday Promo", "App Installs", "Free Trial", "Customer Stories", "Trade Show Follow-up", "Newsletter Growth",
    ]

    /// `count` campaigns whose ids start at `firstID`; every fifth is paused.
    func campaigns(count: Int, firstID: Int, stream: UInt64, activeStatus: String = "ACTIVE", pausedStatus: String = "PAUSED") -> [SeedCampaign] {
        var random = generator(stream: stream)
        let objectives = ["OUTCOME_LEADS", "OUTCOME_TRAFFIC", "OUTCOME_AWARENESS", "OUTCOME_SALES"]
        return (0..<max(0, count)).map { index in
            SeedCampaign(
                id: String(firstID + index * 7),
                name: "\(Self.campaignThemes[index % Self.campaignThemes.count])\(index < Self.campaignThemes.count ? "" : " \(index / Self.campaignThemes.count + 1)")",
                status: index % 5 == 4 ? pausedStatus : activeStatus, objective: objectives.randomElement(using: &random)!,
                dailyBudgetCents: Int.random(in: 20...400, using: &random) * 100,
                createdAt: reference.addingTimeInterval(-Double(Int.random(in: 40...200, using: &random)) * 86_400),
                baseImpressions: Int.random(in: 2_000...40_000, using: &random), clickRate: Double.random(in: 0.005...0.03, using: &random),
                costPerClick: Double.random(in: 0.3...2.5, using: &random))
        }
    }

    /// The report days, oldest first, ending the day before the reference date.
    func reportDays(_ count: Int) -> [Date] {
        let today = (reference.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return (1...max(1, count)).reversed().map { Date(timeIntervalSince1970: today - Double($0) * 86_400) }
    }
}

/// A metric value as text with at most `places` decimals, the way Meta writes spend and rates.
func decimalText(_ value: Double, places: Int = 2) -> String {
    String(format: "%.\(places)f", value)
}
