import Foundation
import Testing

/// Every example playbook runs against the sandbox, without and with injected faults, and does the
/// same there both ways: the writes and messages the sandbox applied are the same, nothing lost and
/// nothing doubled, once the attempts refused by a fault (and tried again) are set aside, and but for
/// the messages and inserts reported uncertain because a fault hid whether they arrived.
@Suite struct SandboxExamplesTests {
    static let examples: [(playbook: String, payload: String?)] = [
        ("hot-lead-alerts", nil),
        ("lead-scoring", nil),
        ("tier-segmentation", nil),
        ("ad-leads-to-crm", nil),
        ("budget-rebalancing", nil),
        ("weekly-campaign-report", nil),
        ("trade-show-import", nil),
        ("trade-show-to-acme", nil),
        ("form-to-mailing-list", "newsletter-form"),
        ("welcome-email", "product-event"),
    ]

    static let faults = "429=0.05,500=0.05,reset=0.03,malformed=0.02"

    /// The applied writes and messages of a run, each as one line of text, sorted: the order of a
    /// retried call may change, its effect may not. Values a sender makes fresh for every message
    /// (event ids and times) are left out.
    private func effects(of playbook: String, payload: String?, faults: String?) async throws -> (status: Int32, effects: [String], uncertain: Int, summary: String) {
        // A copy of the examples, so that what their file connections write stays out of the repository.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-examples-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("playbooks"), to: folder.appendingPathComponent("playbooks"))
        var arguments = ["run", "playbooks/\(playbook).yaml", "--sandbox", "--seed", "5", "--format", "json", "--no-progress",
                         "--dead-letters", folder.appendingPathComponent("dead.jsonl").path]
        if let payload { arguments += ["--payload", "playbooks/data/\(payload).json"] }
        if let faults { arguments += ["--faults", faults] }
        let output = try await CLI.run(arguments, in: folder)
        let summary = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        let journal = (summary["sandbox"] as? [String: Any])?["journal"] as? [[String: Any]] ?? []
        let lines = journal.filter { $0["applied"] as? Bool == true }.flatMap(Self.perRecord).map { entry -> String in
            var body = entry["body"]
            if var object = body as? [String: Any] {
                for volatile in ["id", "timestamp"] where entry["platform"] as? String == "webhook" { object[volatile] = nil }
                // A digest lists records as they arrive from steps that run at the same time, so
                // its lines may come in another order; the lines themselves must be the same.
                if let text = object["text"] as? String { object["text"] = text.split(separator: "\n").sorted().joined(separator: "\n") }
                body = object
            }
            let bodyText = (try? JSONSerialization.data(withJSONObject: body ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed]))
                .map { String(decoding: $0, as: UTF8.self) } ?? ""
            return "\(entry["platform"] ?? "") \(entry["resource"] ?? "") \(entry["operation"] ?? "") \(bodyText)"
        }
        let uncertain = (summary["steps"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["uncertain_keys"] as? [Any])?.count ?? 0) }
        return (output.status, lines.sorted(), uncertain, output.stdout + output.stderr)
    }

    /// A batch's entry as one entry per record, so that records written in other batches (steps
    /// that run at the same time feed a sync in another order when faults delay one) compare
    /// equal: a body with one list of objects gives an entry per object, beside its other members.
    private static func perRecord(_ entry: [String: Any]) -> [[String: Any]] {
        guard let body = entry["body"] as? [String: Any] else { return [entry] }
        let lists = body.filter { ($0.value as? [[String: Any]])?.isEmpty == false }
        guard lists.count == 1, let (name, records) = lists.first.map({ ($0.key, $0.value as! [[String: Any]]) }) else { return [entry] }
        return records.map { record in
            var single = entry
            var members = body
            members[name] = [record]
            single["body"] = members
            return single
        }
    }

    @Test(arguments: examples.map(\.playbook))
    func anExampleDoesTheSameWithAndWithoutFaults(playbook: String) async throws {
        let payload = Self.examples.first { $0.playbook == playbook }?.payload
        let clean = try await effects(of: playbook, payload: payload, faults: nil)
        #expect(clean.status == 0, "\(clean.summary.prefix(2000))")
        #expect(clean.uncertain == 0)
        let faulted = try await effects(of: playbook, payload: payload, faults: Self.faults)
        #expect(faulted.status == 0, "\(faulted.summary.prefix(2000))")
        // A message sent once_per key, or a record inserted, is not tried again after a failure
        // that leaves its delivery unknown: it is reported uncertain instead. Everything else is
        // retried until it has the same effect as without faults.
        var difference = Self.difference(clean.effects, faulted.effects)
        if !difference.extra.isEmpty || difference.missing.count != faulted.uncertain {
            // Expressions read `now` (an e-mail opened within the last 7 days), and the sandbox's
            // data is as old as today: a record whose age crossed such a line between the two runs
            // has another effect. A clean run just after the faulted one then agrees with it.
            let cleanAfter = try await effects(of: playbook, payload: payload, faults: nil)
            difference = Self.difference(cleanAfter.effects, faulted.effects)
        }
        for effect in difference.extra {
            Issue.record("\(playbook): with faults, an effect the clean run did not have, or had fewer times: \(effect.prefix(300))")
        }
        #expect(difference.missing.count == faulted.uncertain,
                "\(playbook): \(difference.missing.count) effect(s) missing with faults, \(faulted.uncertain) reported uncertain: \(difference.missing.prefix(3))")
    }

    /// The effects of a clean run that a faulted run lacks, and those it has in excess.
    private static func difference(_ clean: [String], _ faulted: [String]) -> (missing: [String], extra: [String]) {
        var missing = clean
        var extra: [String] = []
        for effect in faulted {
            if let index = missing.firstIndex(of: effect) { missing.remove(at: index) } else { extra.append(effect) }
        }
        return (missing, extra)
    }
}
