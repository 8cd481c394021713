/// Generates realistic playbooks of a chosen size, deterministically, for benchmarks.
struct CorpusGenerator {
    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    private mutating func pick<T>(_ items: [T]) -> T { random.pick(items) }
    private mutating func number(_ range: ClosedRange<Int>) -> Int { random.number(range) }

    /// One playbook of about `stepCount` steps: chains of fetch → transform → segment → sync/notify.
    mutating func playbook(index: Int, stepCount: Int) -> String {
        var lines = [
            "# Generated playbook \(index) for the validation benchmark.",
            "version: 1",
            "name: generated-\(index)",
            "description: Scores contacts and routes them to sales, marketing and the CRM.",
            "labels: { team: growth, owner: ops-\(index % 7) }",
            "triggers:",
            "  - schedule: \"*/\(number(5...30)) 8-18 * * MON-FRI\"",
            "    timezone: \(pick(["Europe/Warsaw", "America/New_York", "Europe/Berlin", "UTC"]))",
            "    catch_up: latest",
            "params:",
            "  min_score: { type: int, default: \(number(40...90)) }",
            "  countries: { type: list, default: [PL, DE, FR] }",
            "connections:",
            "  crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } }, rate_limit: 100/10s }",
            "  sales: { connector: slack, auth: { webhook_url: { secret: SLACK_SALES_WEBHOOK } } }",
            "defaults:",
            "  retry: { max_attempts: 5, backoff: exponential, initial_delay: 1s, max_delay: 1m, jitter: full }",
            "  timeout: 30s",
            "steps:",
        ]
        var step = 0
        var chain = 0
        while step < stepCount {
            let prefix = "c\(chain)"
            lines += [
                "  \(prefix)_contacts:",
                "    description: Contacts changed since the last run.",
                "    fetch:",
                "      connection: crm",
                "      resource: contacts",
                "      incremental: { cursor: updated_at }",
                "      max_pages: \(number(10...500))",
                "  \(prefix)_scored:",
                "    transform:",
                "      from: \(prefix)_contacts",
                "      set:",
                "        score: \"record.page_views * \(number(1...5)) + (record.opened_last_email ? 10 : 0)\"",
                "        email: record.email.trim().lowerAscii()",
                "      drop: [phone]",
                "      on_record_error: skip",
                "  \(prefix)_tiers:",
                "    segment:",
                "      from: \(prefix)_scored",
                "      segments:",
                "        hot: record.score >= params.min_score",
                "        warm: record.score >= params.min_score / 2",
                "      otherwise: cold",
                "  \(prefix)_tell_sales:",
                "    notify:",
                "      from: \(prefix)_tiers.hot",
                "      connection: sales",
                "      message: \"Hot lead {{ record.email }} scored {{ record.score }} at stage {{ record.lifecycle_stage }}\"",
                "      once_per: record.email",
                "  \(prefix)_update_crm:",
                "    sync:",
                "      from: \(prefix)_tiers.warm",
                "      connection: crm",
                "      resource: contacts",
                "      mode: upsert",
                "      match_on: email",
                "      batch_size: 100",
                "      retry: { max_attempts: 3 }",
                "  \(prefix)_nurture:",
                "    sync: { from: \(prefix)_tiers.cold, connection: crm, resource: contacts, mode: update, match_on: email, if: \"size(params.countries) > 0\" }",
            ]
            step += 6
            chain += 1
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
