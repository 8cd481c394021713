import Diagnostics
import Foundation
import PlaybookState

/// The playbook the crash harness kills, and what reading the state file and the journal tells
/// about one of its runs.
///
/// The playbook welcomes VIP subscribers of the Mailchimp audience in Slack (`once_per` their
/// e-mail, at most `maxMessages` a run), then copies every subscriber to HubSpot. Its steps go
/// one after another (`after:`), so that a run passes through clear phases: the fetch, the
/// messages, the sync, the end (the cursor committed, the run recorded).
struct CrashScenario: Sendable {
    static let playbookName = "crash-harness"
    static let fetchStep = "members"
    static let notifyStep = "welcome"
    static let messagePrefix = "VIP subscriber "

    /// Messages a run may send: half the VIPs, so the first run holds back the other half and
    /// the next run sends them.
    let maxMessages: Int

    var playbook: String {
        """
        version: 1
        name: \(Self.playbookName)
        description: Welcome VIP subscribers in Slack, then copy every subscriber to HubSpot.
        params:
          trial: { type: int, default: 0, description: "The trial of the harness, named in each message." }
        connections:
          audience: { connector: mailchimp, auth: { api_key: { secret: MAILCHIMP_API_KEY } } }
          team: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK_URL } }, rate_limit: 50/1s }
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } }, rate_limit: 10/1s }
        defaults:
          retry: { max_attempts: 10, backoff: exponential, initial_delay: 10ms, max_delay: 200ms, jitter: full }
          timeout: 5s
        steps:
          \(Self.fetchStep):
            fetch:
              connection: audience
              resource: members
              params: { list_id: a1b2c3d4e5, status: subscribed }
              page_size: 50
              incremental: { cursor: updated_at, start: "2000-01-01T00:00:00Z" }
          contacts:
            transform:
              from: \(Self.fetchStep)
              set: { email: record.email.trim().lowerAscii() }
          vips:
            segment: { from: contacts, where: record.vip }
          \(Self.notifyStep):
            notify:
              from: vips
              after: \(Self.fetchStep)
              connection: team
              message: "\(Self.messagePrefix){{ record.email }} (trial {{ params.trial }})"
              once_per: record.email
              max_messages: \(maxMessages)
          copy:
            sync:
              from: contacts
              after: \(Self.notifyStep)
              connection: crm
              resource: contacts
              mode: upsert
              match_on: email
              fields: { email: record.email, first_name: record.first_name }
              batch_size: 50
        """
    }

    /// The `once_per` key of a Slack message of this trial, from its text; nil for another trial's.
    static func messageKey(_ line: JournalLine, trial: Int) -> String? {
        guard line.platform == "slack", case .string(let text)? = line.body["text"], text.hasPrefix(messagePrefix) else { return nil }
        let suffix = " (trial \(trial))"
        guard text.hasSuffix(suffix) else { return nil }
        return String(text.dropFirst(messagePrefix.count).dropLast(suffix.count))
    }

    /// The e-mails and first names a HubSpot upsert carried.
    static func upserts(_ line: JournalLine) -> [(email: String, firstName: String?)] {
        guard line.platform == "hubspot", line.resource == "contacts", line.operation == "upsert",
              case .array(let inputs)? = line.body["inputs"] else { return [] }
        return inputs.compactMap { input in
            guard case .string(let email)? = input["id"] else { return nil }
            let firstName: String? = if case .string(let name)? = input["properties"]?["firstname"] { name } else { nil }
            return (email, firstName)
        }
    }
}

/// The incremental cursor committed in a state file.
struct CommittedCursor: Equatable {
    /// The cursor's value in milliseconds since 1970.
    var value: Int64
    /// The ids of the records delivered at exactly that value.
    var keys: Set<String>
    var runID: String

    /// Whether the cursor has passed the member: the next run would not read it again.
    func covers(_ member: AudienceMember) -> Bool {
        member.changedAt < value || (member.changedAt == value && keys.contains(member.id))
    }
}

/// Reads a trial's state file the way `playbook runs` does: never creating one, never changing one.
enum StateFile {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func cursor(_ path: String) async throws -> CommittedCursor? {
        guard exists(path) else { return nil }
        let store = try SQLiteRunStateStore(path: path)
        guard let stored = try await store.cursor(playbook: CrashScenario.playbookName, step: CrashScenario.fetchStep) else { return nil }
        guard let value = Timestamps.milliseconds(stored.position.value) else {
            throw SandboxClient.Unanswered(description: "the committed cursor \(stored.position.value) is not a time")
        }
        return CommittedCursor(value: value, keys: stored.position.keysAtValue, runID: stored.runID)
    }

    static func runs(_ path: String) async throws -> [RunRecord] {
        guard exists(path) else { return [] }
        return try await SQLiteRunStateStore(path: path).runs(playbook: CrashScenario.playbookName, limit: 1_000)
    }

    /// The keys the state reports uncertain for any of its runs.
    static func uncertainKeys(_ path: String) async throws -> Set<String> {
        guard exists(path) else { return [] }
        let store = try SQLiteRunStateStore(path: path)
        var keys: Set<String> = []
        for run in try await store.runs(playbook: CrashScenario.playbookName, limit: 1_000) {
            for entry in try await store.uncertainNotifications(runID: run.id) { keys.insert(entry.key) }
        }
        return keys
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
