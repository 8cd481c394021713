import Diagnostics
import Foundation
import PlaybookSandbox
import PlaybookState
import Testing

/// `playbook run` with a state file, and `playbook runs`: messages are not sent twice across runs,
/// held-back ones go next time, and the history shows each run. Against a sandbox in this process.
@Suite(.serialized) struct RunStateCommandTests {
    private static let playbook = """
        version: 1
        name: welcome-members
        connections:
          mail: { connector: mailchimp, auth: { api_key: { secret: MAILCHIMP_API_KEY } } }
          team: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK_URL } } }
        steps:
          members:
            fetch:
              connection: mail
              resource: members
              params: { list_id: a1b2c3d4e5, status: subscribed }
              page_size: 1000
              incremental: { cursor: updated_at, start: "2000-01-01T00:00:00Z" }
          welcome:
            notify: { from: members, connection: team, message: "Welcome {{ record.email }}", once_per: record.email, max_messages: 3 }
        """

    /// The e-mails the team was told about, in the sandbox's journal, from `since` on.
    private func welcomed(_ server: SandboxServer, since: Int = 0) -> [String] {
        server.journal.entries(since: since).filter { $0.platform == "slack" && $0.applied }.compactMap { entry in
            guard case .string(let text)? = entry.body["text"] else { return nil }
            return String(text.dropFirst("Welcome ".count))
        }
    }

    @Test func messagesHeldBackGoNextRunAndNoneTwiceAndTheHistoryShowsEachRun() async throws {
        let folder = try CLI.temporaryDirectory(files: ["welcome.yaml": Self.playbook])
        defer { try? FileManager.default.removeItem(at: folder) }
        var limits = SandboxLimits()
        limits.slackMessagesPerWindow = 100
        let server = SandboxServer(limits: limits)
        let origin = try await server.start(port: 0).absoluteString
        let arguments = ["run", "welcome.yaml", "--sandbox-url", origin, "--state", "state.sqlite", "--no-progress"]

        let first = try await CLI.run(arguments, in: folder)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let firstWelcomed = welcomed(server)
        #expect(firstWelcomed.count == 3)
        let mark = server.journal.entries().count

        let second = try await CLI.run(arguments, in: folder)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        let secondWelcomed = welcomed(server, since: mark)
        // The three held back by max_messages go now, and nobody is welcomed twice.
        #expect(secondWelcomed.count == 3)
        #expect(Set(firstWelcomed).isDisjoint(with: secondWelcomed))

        let history = try await CLI.run(["runs", "--state", "state.sqlite"], in: folder)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.components(separatedBy: "welcome-members").count - 1 == 2, "\(history.stdout)")
        let json = try await CLI.run(["runs", "--state", "state.sqlite", "--format", "json"], in: folder)
        guard case .array(let runs) = try JSONValue(parsing: json.stdout), case .string(let newest)? = runs.first?["id"] else {
            Issue.record("runs --format json: \(json.stdout)")
            await server.stop()
            return
        }
        let shown = try await CLI.run(["runs", "show", newest, "--state", "state.sqlite"], in: folder)
        #expect(shown.stdout.contains("Run \(newest) of welcome-members: succeeded"), "\(shown.stdout)")
        #expect(shown.stdout.contains("welcome"))
        await server.stop()
    }

    @Test func aFailedRunResumedSendsWhatItHadNotAndNothingTwice() async throws {
        let playbook = Self.playbook
            .replacingOccurrences(of: "once_per: record.email, max_messages: 3 }", with: "once_per: record.email, max_messages: 12, retry: { max_attempts: 1 } }")
        let folder = try CLI.temporaryDirectory(files: ["welcome.yaml": playbook])
        defer { try? FileManager.default.removeItem(at: folder) }
        var limits = SandboxLimits()
        limits.slackMessagesPerWindow = 100
        // The first sandbox refuses one call in four: the notify step, allowed one attempt, fails.
        let failing = SandboxServer(limits: limits)
        let failingOrigin = try await failing.start(port: 0, seed: 3, faults: try FaultSpec.parse("503=0.25")).absoluteString
        let first = try await CLI.run(["run", "welcome.yaml", "--sandbox-url", failingOrigin, "--state", "state.sqlite", "--no-progress"], in: folder)
        let sentFirst = welcomed(failing)
        await failing.stop()
        try #require(first.status == 1, "the first run should fail: \(first.stdout)\(first.stderr)")
        #expect(sentFirst.count < 12)

        let healthy = SandboxServer(limits: limits)
        let healthyOrigin = try await healthy.start(port: 0, seed: 3).absoluteString
        let resumed = try await CLI.run(["run", "welcome.yaml", "--resume", "last", "--sandbox-url", healthyOrigin, "--state", "state.sqlite", "--no-progress"], in: folder)
        let sentResumed = welcomed(healthy)
        await healthy.stop()
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        // Nobody twice: the resumed run sent only to people the first attempt had not reached, up to
        // its own max_messages.
        #expect(Set(sentFirst).isDisjoint(with: sentResumed))
        #expect(sentResumed.count == 12)
        #expect(Set(sentResumed).count == 12)
        // One run in the history, tried twice.
        let history = try await CLI.run(["runs", "--state", "state.sqlite", "--format", "json"], in: folder)
        guard case .array(let runs) = try JSONValue(parsing: history.stdout) else { Issue.record("\(history.stdout)"); return }
        #expect(runs.count == 1)
        #expect(runs.first?["status"] == .string("succeeded"))
    }

    /// Slack carries out some messages but the answers never arrive (the connection drops), and
    /// refuses others with a 503. A refused one is tried again; a lost one is not, since it may
    /// have arrived: it is reported uncertain, in this run and the next, and nobody gets two.
    @Test func aMessageWhoseAnswerWasLostIsNotSentAgainInTheRunOrAfter() async throws {
        let folder = try CLI.temporaryDirectory(files: ["welcome.yaml": Self.quickPlaybook(notify: "")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (lossy, lossyOrigin) = try await Self.sandbox(faults: "lost=0.2,503=0.2")
        let first = try await CLI.run(["run", "welcome.yaml", "--sandbox-url", lossyOrigin, "--state", "state.sqlite", "--no-progress", "--format", "json"], in: folder)
        let journal = lossy.journal.entries().filter { $0.platform == "slack" }
        await lossy.stop()
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        func email(_ entry: JournalEntry) -> String? {
            guard case .string(let text)? = entry.body["text"] else { return nil }
            return String(text.dropFirst("Welcome ".count))
        }
        let arrived = journal.filter(\.applied).compactMap(email)
        let lost = Set(journal.filter { $0.applied && $0.fault == .lost }.compactMap(email))
        #expect(arrived.count == Set(arrived).count, "someone was welcomed twice: \(arrived)")
        #expect(!lost.isEmpty && journal.contains { $0.fault == .serverError(503) }, "the seed should give both faults")
        // Each 503 was tried again until it went through or its key was let go of.
        let reported = try Self.uncertainKeys(first.stdout, step: "welcome")
        #expect(Set(reported) == lost)

        let (healthy, healthyOrigin) = try await Self.sandbox(faults: "")
        let second = try await CLI.run(["run", "welcome.yaml", "--sandbox-url", healthyOrigin, "--state", "state.sqlite", "--no-progress", "--format", "json"], in: folder)
        let secondArrived = welcomed(healthy)
        await healthy.stop()
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(!secondArrived.isEmpty)
        #expect(Set(arrived).isDisjoint(with: secondArrived), "the second run welcomed again someone the first had reached")
        #expect(Set(try Self.uncertainKeys(second.stdout, step: "welcome")) == lost)
    }

    /// The same faults under `delivery: at_least_once`: a message whose answer was lost is tried
    /// again, so everyone is welcomed, some twice, and nothing is left uncertain.
    @Test func atLeastOnceWelcomesEveryoneAndSomeTwiceWhenAnswersAreLost() async throws {
        let folder = try CLI.temporaryDirectory(files: ["welcome.yaml": Self.quickPlaybook(notify: "delivery: at_least_once, ")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (lossy, origin) = try await Self.sandbox(faults: "lost=0.2,503=0.2")
        let run = try await CLI.run(["run", "welcome.yaml", "--sandbox-url", origin, "--state", "state.sqlite", "--no-progress", "--format", "json"], in: folder)
        let arrived = welcomed(lossy)
        await lossy.stop()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(Set(arrived).count == 20)
        #expect(arrived.count > 20, "no answer was lost, so nothing was sent twice")
        #expect(try Self.uncertainKeys(run.stdout, step: "welcome").isEmpty)
    }

    /// The playbook welcoming up to 20 members, with `extra` on its notify step, retries 10 ms
    /// apart and Slack paced fast, so that faults cost little time.
    private static func quickPlaybook(notify extra: String) -> String {
        let quickRetries = "retry: { max_attempts: 8, initial_delay: 10ms, max_delay: 10ms }"
        return playbook
            .replacingOccurrences(of: "max_messages: 3 }", with: "max_messages: 20, \(extra)\(quickRetries) }")
            .replacingOccurrences(of: "page_size: 1000\n", with: "page_size: 1000\n      \(quickRetries)\n")
            .replacingOccurrences(of: "team: { connector: slack,", with: "team: { connector: slack, rate_limit: 100/1s,")
    }

    /// A sandbox in this process (seed 11) with these faults and Slack's limit raised; stop it after use.
    private static func sandbox(faults: String) async throws -> (SandboxServer, String) {
        var limits = SandboxLimits()
        limits.slackMessagesPerWindow = 1000
        let server = SandboxServer(limits: limits)
        return (server, try await server.start(port: 0, seed: 11, faults: try FaultSpec.parse(faults)).absoluteString)
    }

    /// A read that fails half-way is resumed from its checkpoint: the pages read before are passed
    /// on again from the state file, not read again, and the read goes on from where it stopped.
    @Test func aResumedRunReadsOnlyThePagesItHadNotRead() async throws {
        let playbook = """
            version: 1
            name: copy-contacts
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts, page_size: 100, retry: { max_attempts: 1 } }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: upsert
                  match_on: email
                  fields: { email: record.email }
                  retry: { max_attempts: 8, initial_delay: 10ms, max_delay: 10ms }
            """
        let folder = try CLI.temporaryDirectory(files: ["copy.yaml": playbook])
        defer { try? FileManager.default.removeItem(at: folder) }
        let failing = SandboxServer()
        let failingOrigin = try await failing.start(port: 0, seed: 4, faults: try FaultSpec.parse("500=0.1")).absoluteString
        let first = try await CLI.run(["run", "copy.yaml", "--sandbox-url", failingOrigin, "--state", "state.sqlite", "--no-progress", "--format", "json"], in: folder)
        let upsertedBefore = Self.upserted(failing)
        await failing.stop()
        try #require(first.status == 1, "the read should fail part-way: \(first.stdout)\(first.stderr)")
        let firstFetch = try Self.step(first.stdout, "contacts")
        let readBefore = try #require(firstFetch["records_out"].flatMap { if case .int(let count) = $0 { Int(count) } else { nil } })
        try #require(readBefore >= 100, "the seed should fail the read after its first page")

        let healthy = SandboxServer()
        let healthyOrigin = try await healthy.start(port: 0, seed: 4).absoluteString
        let resumed = try await CLI.run(["run", "copy.yaml", "--resume", "last", "--sandbox-url", healthyOrigin, "--state", "state.sqlite", "--no-progress", "--format", "json"], in: folder)
        let upserted = Self.upserted(healthy)
        await healthy.stop()
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        let fetch = try Self.step(resumed.stdout, "contacts")
        let kept = readBefore / 100
        #expect(fetch["pages_resumed"] == .int(Int64(kept)))
        guard case .int(let total)? = fetch["records_out"], case .int(let calls)? = fetch["calls"] else {
            Issue.record("\(fetch)")
            return
        }
        // Only the pages not read before were asked for, and only the batches not written before
        // were written; every contact was written by one attempt or the other.
        #expect(Int(calls) == (Int(total) + 99) / 100 - kept, "\(calls) calls for \(total) records, \(kept) pages kept")
        guard case .int(let skipped)? = try Self.step(resumed.stdout, "copy")["batches_already_written"] else {
            Issue.record("\(resumed.stdout)")
            return
        }
        #expect(skipped >= 1)
        #expect(upserted.count == Int(total) - 100 * Int(skipped))
        #expect(upserted.union(upsertedBefore).count == Int(total))
    }

    /// The e-mails of the contacts a sandbox upserted.
    private static func upserted(_ server: SandboxServer) -> Set<String> {
        Set(server.journal.entries().filter(\.applied).flatMap { entry -> [String] in
            guard case .array(let inputs)? = entry.body["inputs"] else { return [] }
            return inputs.compactMap { if case .string(let email)? = $0["id"] { email } else { nil } }
        })
    }

    private static func step(_ summary: String, _ id: String) throws -> JSONValue {
        guard case .array(let steps)? = try JSONValue(parsing: summary)["steps"],
              let step = steps.first(where: { $0["id"] == .string(id) }) else { return .null }
        return step
    }

    private static func uncertainKeys(_ summary: String, step: String) throws -> [String] {
        guard case .array(let steps)? = try JSONValue(parsing: summary)["steps"],
              case .array(let keys)? = steps.first(where: { $0["id"] == .string(step) })?["uncertain_keys"] else { return [] }
        return keys.compactMap { if case .string(let key) = $0 { key } else { nil } }
    }

    @Test func aRunWhoseTriggerQueuesWaitsForTheRunInProgress() async throws {
        let playbook = Self.playbook.replacingOccurrences(of: "steps:\n", with: "triggers:\n  - manual: true\n    concurrency: queue\nsteps:\n")
        let folder = try CLI.temporaryDirectory(files: ["welcome.yaml": playbook])
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteRunStateStore(path: folder.appendingPathComponent("state.sqlite").path)
        _ = try await store.startRun(NewRun(id: "20261206T000000Z-00000002", playbook: "welcome-members", contentHash: "x", startedAt: Date()), wait: .no)
        let ending = Task {
            try await Task.sleep(for: .seconds(2))
            try await store.finishRun(id: "20261206T000000Z-00000002", status: .succeeded, summary: nil, finishedAt: Date())
        }
        let queued = try await CLI.run(["run", "welcome.yaml", "--state", "state.sqlite", "--sandbox", "--no-progress"], in: folder)
        try await ending.value
        #expect(queued.status == 0, "\(queued.stdout)\(queued.stderr)")
        #expect(queued.stderr.contains("waiting for run 20261206T000000Z-00000002"), "\(queued.stderr)")
    }

    @Test func aSecondRunWhileOneIsRunningIsRefusedAndADamagedStateFileStopsTheRun() async throws {
        let folder = try CLI.temporaryDirectory(files: ["welcome.yaml": Self.playbook])
        defer { try? FileManager.default.removeItem(at: folder) }
        // A run of the playbook is running in this (live) process.
        let store = try SQLiteRunStateStore(path: folder.appendingPathComponent("state.sqlite").path)
        _ = try await store.startRun(NewRun(id: "20261206T000000Z-00000001", playbook: "welcome-members", contentHash: "x", startedAt: Date()), wait: .no)
        let refused = try await CLI.run(["run", "welcome.yaml", "--state", "state.sqlite", "--sandbox", "--no-progress"], in: folder)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("20261206T000000Z-00000001"), "\(refused.stderr)")

        try Data("this is not a database, it is a note".utf8).write(to: folder.appendingPathComponent("broken.sqlite"))
        let broken = try await CLI.run(["run", "welcome.yaml", "--state", "broken.sqlite", "--sandbox", "--no-progress"], in: folder)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("broken.sqlite"), "\(broken.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("broken.sqlite"), encoding: .utf8) == "this is not a database, it is a note")
    }
}
