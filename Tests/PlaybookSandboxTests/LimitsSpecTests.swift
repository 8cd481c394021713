import Foundation
import PlaybookSandbox
import Testing

/// `playbook sandbox --limits`: the rate limits to use instead of the scaled-down ones.
@Suite struct LimitsSpecTests {
    @Test(arguments: [
        ("", nil),
        ("slack=3", nil),
        ("hubspot=1_000, mailchimp=2", nil),
        ("slack", "limits item 1 `slack`: expected PLATFORM=N, for example slack=100"),
        ("slack=0", "limits item 1 `slack=0`: the limit must be a whole number from 1 to 1000000000 (messages per rolling 10 s)"),
        ("hubspot=fast", "limits item 1 `hubspot=fast`: the limit must be a whole number from 1 to 1000000000 (requests per rolling 10 s)"),
        ("slack=5,twitter=9", "limits item 2 `twitter=9`: no limit for `twitter`; expected hubspot, slack, sendgrid, salesforce, mailchimp, meta_ads, google_ads, ga4 or linkedin_ads"),
        ("slack=5,slack=6", "limits item 2 `slack=6`: `slack` is given twice"),
    ] as [(String, String?)])
    func limitSpecsParseOrSayWhatIsWrong(text: String, expected: String?) {
        do {
            _ = try SandboxLimits.parse(text)
            #expect(expected == nil)
        } catch {
            #expect(error.message == expected)
        }
    }

    @Test func namedLimitsChangeAndTheOthersStay() throws {
        let limits = try SandboxLimits.parse("hubspot=1_000, mailchimp=2, ga4=7")
        let defaults = SandboxLimits()
        #expect(limits.hubSpotPerTenSeconds == 1_000)
        #expect(limits.mailchimpConcurrentRequests == 2)
        #expect(limits.ga4PerMinute == 7)
        #expect(limits.slackMessagesPerWindow == defaults.slackMessagesPerWindow)
        #expect(limits.salesforceRequests == defaults.salesforceRequests)
    }

    @Test func aParsedSlackLimitIsTheOneTheSandboxEnforces() async throws {
        try await withSandbox(limits: try SandboxLimits.parse("slack=3")) { _, origin in
            var statuses: [Int] = []
            for _ in 0..<4 {
                statuses.append(try await send(.POST, origin + "/slack/services/T1/B1/secret", json: #"{"text":"x"}"#).status)
            }
            #expect(statuses == [200, 200, 200, 429])
        }
    }
}
