import Diagnostics
import Foundation
import PlaybookSandbox
import Testing

/// `playbook dead-letters`: a run's records set aside are listed, sent through the fixed step once,
/// arrive, and show as retried; what cannot be retried is refused with a clear message.
@Suite(.serialized) struct DeadLettersCommandTests {
    private static let signups = """
        {"email":"ann@example.com","name":"Ann","company":"Acme"}
        {"email":"bo@example.com","name":"Bo"}
        {"email":"cy@example.com","name":"Cy","company":"Cyan Labs"}
        {"email":"di@example.com","name":"Di"}

        """

    /// Greets each signup "from" their company; those without one are set aside.
    private static let playbook = """
        version: 1
        name: webinar-follow-up
        connections:
          exports: { connector: file, options: { directory: out } }
        steps:
          signups:
            fetch:
              file: signups.jsonl
              fields: { email: string, name: string, company: string }
          greeted:
            transform:
              from: signups
              set:
                greeting: '"Hi " + record.name + " from " + record.company'
              on_record_error: skip
          follow_up:
            sync: { from: greeted, connection: exports, resource: follow-up.jsonl, mode: insert }
        """

    /// The playbook with the greeting fixed for signups without a company.
    private static let fixed = playbook.replacingOccurrences(
        of: #"'"Hi " + record.name + " from " + record.company'"#,
        with: #"'"Hi " + record.name + (has(record.company) ? " from " + record.company : "")'"#)

    private func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    private func letters(_ output: CLI.Output) throws -> [JSONValue] {
        guard case .array(let letters)? = try JSONValue(parsing: output.stdout)["dead_letters"] else {
            Issue.record("dead-letters --format json: \(output.stdout)\(output.stderr)")
            return []
        }
        return letters
    }

    @Test func recordsSetAsideGoThroughTheFixedStepOnceAndShowAsRetried() async throws {
        let folder = try CLI.temporaryDirectory(files: ["webinar.yaml": Self.playbook, "signups.jsonl": Self.signups])
        defer { try? FileManager.default.removeItem(at: folder) }
        let followUp = folder.appendingPathComponent("out/follow-up.jsonl")

        let first = try await CLI.run(["run", "webinar.yaml", "--no-progress", "--format", "json"], in: folder)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        guard case .string(let runID)? = try JSONValue(parsing: first.stdout)["run_id"] else { Issue.record("\(first.stdout)"); return }
        #expect(lines(followUp).count == 2)

        let before = try letters(try await CLI.run(["dead-letters", runID, "--format", "json"], in: folder))
        #expect(before.map { $0["record"]?["email"] } == [.string("bo@example.com"), .string("di@example.com")])
        #expect(before.allSatisfy { $0["step"] == .string("greeted") && $0["retried_by"] == .null })
        #expect(before.first?["reason"] == .string("no such key: 'company'"))
        #expect(before.first?["location"] == .string("webinar.yaml:14:53"))
        let listed = try await CLI.run(["dead-letters", runID], in: folder)
        #expect(listed.stdout.contains("greeted: no such key: 'company'") && listed.stdout.contains("not retried"), "\(listed.stdout)")

        try Self.fixed.write(to: folder.appendingPathComponent("webinar.yaml"), atomically: true, encoding: .utf8)
        let retried = try await CLI.run(["dead-letters", runID, "--retry", "webinar.yaml", "--no-progress", "--format", "json"], in: folder)
        #expect(retried.status == 0, "\(retried.stdout)\(retried.stderr)")
        let summary = try JSONValue(parsing: retried.stdout)
        guard case .string(let retryID)? = summary["run_id"], case .array(let steps)? = summary["steps"] else { Issue.record("\(retried.stdout)"); return }
        // The fetch did not read again; the fixed step got exactly the two records set aside.
        #expect(steps.first { $0["id"] == .string("signups") }?["status"] == .string("skipped"))
        #expect(steps.first { $0["id"] == .string("greeted") }?["records_in"] == .int(2))
        #expect(Array(lines(followUp).dropFirst(2)) == [
            #"{"email":"bo@example.com","name":"Bo","greeting":"Hi Bo"}"#, #"{"email":"di@example.com","name":"Di","greeting":"Hi Di"}"#,
        ])
        #expect(retried.stderr.contains("marked retried by run \(retryID)"), "\(retried.stderr)")

        let after = try letters(try await CLI.run(["dead-letters", runID, "--format", "json"], in: folder))
        #expect(after.map { $0["retried_by"] } == [.string(retryID), .string(retryID)])
        let history = try await CLI.run(["runs", "--format", "json"], in: folder)
        guard case .array(let runs) = try JSONValue(parsing: history.stdout) else { Issue.record("\(history.stdout)"); return }
        #expect(runs.first?["id"] == .string(retryID))
        #expect(runs.first?["trigger"] == .string("dead_letters"))

        // Sent once: a second retry finds nothing left to send, and the run's dead letters stay marked.
        let again = try await CLI.run(["dead-letters", runID, "--retry", "webinar.yaml", "--no-progress"], in: folder)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stderr.contains("no dead letters waiting"), "\(again.stderr)")
        #expect(lines(followUp).count == 4)
        let runsAfter = try await CLI.run(["runs", "--format", "json"], in: folder)
        guard case .array(let all) = try JSONValue(parsing: runsAfter.stdout) else { Issue.record("\(runsAfter.stdout)"); return }
        #expect(all.count == 2)
    }

    /// The retry goes where `run` would send it: here a sandbox, whose journal shows the messages.
    /// A record that fails again becomes a dead letter of the retry, and is retried from there.
    @Test func aRetryAgainstTheSandboxSendsTheMessagesAndARecordFailingAgainWaitsInTheRetry() async throws {
        let playbook = """
            version: 1
            name: hello-signups
            connections:
              team: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK_URL } } }
            steps:
              signups:
                fetch: { file: signups.jsonl, fields: { email: string, name: string, company: string } }
              hello:
                notify: { from: signups, connection: team, message: "{{ record.name }} of {{ record.company }} signed up", on_record_error: skip }
            """
        let signups = """
            {"email":"ann@example.com","name":"Ann","company":"Acme"}
            {"email":"bo@example.com","name":"Bo"}
            {"email":"di@example.com","company":"Dune"}

            """
        let folder = try CLI.temporaryDirectory(files: ["hello.yaml": playbook, "signups.jsonl": signups])
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = SandboxServer()
        let origin = try await server.start(port: 0).absoluteString
        func messages(since mark: Int) -> [String] {
            server.journal.entries(since: mark).filter { $0.platform == "slack" && $0.applied }.compactMap { entry in
                if case .string(let text)? = entry.body["text"] { return text }
                return nil
            }
        }
        let options = ["--sandbox-url", origin, "--state", "state.sqlite", "--no-progress"]

        let first = try await CLI.run(["run", "hello.yaml"] + options, in: folder)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(messages(since: 0) == ["Ann of Acme signed up"])
        var mark = server.journal.entries().count

        // Fixed for a signup without a company, not yet for one without a name.
        try playbook.replacingOccurrences(of: "{{ record.name }} of {{ record.company }}", with: "{{ record.name }}{{ has(record.company) ? ' of ' + record.company : '' }}")
            .write(to: folder.appendingPathComponent("hello.yaml"), atomically: true, encoding: .utf8)
        let retry = try await CLI.run(["dead-letters", "last", "--retry", "hello.yaml"] + options, in: folder)
        #expect(retry.status == 0, "\(retry.stdout)\(retry.stderr)")
        #expect(messages(since: mark) == ["Bo signed up"])
        mark = server.journal.entries().count
        // Di's record is a dead letter of the retry now; the first run's letters are both handled.
        let waiting = try await CLI.run(["dead-letters", "last", "--state", "state.sqlite", "--format", "json"], in: folder)
        let retryLetters = try letters(waiting)
        #expect(retryLetters.map { $0["record"]?["email"] } == [.string("di@example.com")])
        #expect(retryLetters.first?["retried_by"] == .null)

        try playbook.replacingOccurrences(of: "{{ record.name }} of {{ record.company }}", with: "{{ has(record.name) ? record.name : record.email }} of {{ record.company }}")
            .write(to: folder.appendingPathComponent("hello.yaml"), atomically: true, encoding: .utf8)
        let second = try await CLI.run(["dead-letters", "last", "--retry", "hello.yaml"] + options, in: folder)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(messages(since: mark) == ["di@example.com of Dune signed up"])
        await server.stop()
    }

    /// Lines of files that could not be read are kept in the state: a JSON Lines line is sent
    /// through its fetch again as the record it holds, a CSV line cannot be and is left waiting.
    @Test func aLineOfJSONThatCouldNotBeReadIsSentAgainAndACSVLineIsLeftWaiting() async throws {
        let playbook = """
            version: 1
            name: booth-leads
            connections:
              exports: { connector: file, options: { directory: out } }
            steps:
              online:
                fetch: { file: online.jsonl, fields: { email: string, visits: int }, on_record_error: skip }
              booth:
                fetch: { file: booth.csv, fields: { email: string, visits: int }, on_record_error: skip }
              online_out:
                sync: { from: online, connection: exports, resource: online.jsonl, mode: insert }
              booth_out:
                sync: { from: booth, connection: exports, resource: booth.jsonl, mode: insert }
            """
        let folder = try CLI.temporaryDirectory(files: [
            "leads.yaml": playbook,
            "online.jsonl": "{\"email\":\"ann@example.com\",\"visits\":3}\n{\"email\":\"bo@example.com\",\"visits\":\"two\"}\n",
            "booth.csv": "email,visits\ncy@example.com,4\ndi@example.com,many\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await CLI.run(["run", "leads.yaml", "--no-progress"], in: folder)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(!first.stderr.contains("warning"), "\(first.stderr)")
        let listed = try await CLI.run(["dead-letters", "last"], in: folder)
        #expect(listed.stdout.contains("input: di@example.com,many"), "\(listed.stdout)")
        #expect(listed.stdout.contains(#"input: {"email":"bo@example.com","visits":"two"}"#), "\(listed.stdout)")

        try playbook.replacingOccurrences(of: "online.jsonl, fields: { email: string, visits: int }", with: "online.jsonl, fields: { email: string, visits: string }")
            .write(to: folder.appendingPathComponent("leads.yaml"), atomically: true, encoding: .utf8)
        let retry = try await CLI.run(["dead-letters", "last", "--retry", "leads.yaml", "--no-progress"], in: folder)
        #expect(retry.status == 0, "\(retry.stdout)\(retry.stderr)")
        #expect(retry.stderr.contains("1 dead letter(s) of step 'booth' cannot be sent again"), "\(retry.stderr)")
        #expect(lines(folder.appendingPathComponent("out/online.jsonl")).last == #"{"email":"bo@example.com","visits":"two"}"#)
        #expect(lines(folder.appendingPathComponent("out/booth.jsonl")).count == 1)
    }

    @Test func anUnknownRunAPlaybookOfAnotherNameAndAStepThatIsGoneAreRefused() async throws {
        let folder = try CLI.temporaryDirectory(files: ["webinar.yaml": Self.playbook, "signups.jsonl": Self.signups])
        defer { try? FileManager.default.removeItem(at: folder) }
        let noState = try await CLI.run(["dead-letters", "last"], in: folder)
        #expect(noState.status == 2)
        #expect(noState.stderr.contains("there is no state file"), "\(noState.stderr)")

        let first = try await CLI.run(["run", "webinar.yaml", "--no-progress", "--format", "json"], in: folder)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        guard case .string(let runID)? = try JSONValue(parsing: first.stdout)["run_id"] else { Issue.record("\(first.stdout)"); return }

        let unknown = try await CLI.run(["dead-letters", "20200101T000000Z-00000000"], in: folder)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no run 20200101T000000Z-00000000 is recorded in .playbook/state.sqlite"), "\(unknown.stderr)")
        let unknownRetry = try await CLI.run(["dead-letters", "20200101T000000Z-00000000", "--retry", "webinar.yaml"], in: folder)
        #expect(unknownRetry.status == 2)

        try Self.fixed.replacingOccurrences(of: "name: webinar-follow-up", with: "name: webinar-reminders")
            .write(to: folder.appendingPathComponent("other.yaml"), atomically: true, encoding: .utf8)
        let otherName = try await CLI.run(["dead-letters", runID, "--retry", "other.yaml", "--no-progress"], in: folder)
        #expect(otherName.status == 2)
        #expect(otherName.stderr.contains("run \(runID) is a run of webinar-follow-up, not of webinar-reminders"), "\(otherName.stderr)")

        try Self.fixed.replacingOccurrences(of: "greeted", with: "welcomed")
            .write(to: folder.appendingPathComponent("renamed.yaml"), atomically: true, encoding: .utf8)
        let gone = try await CLI.run(["dead-letters", runID, "--retry", "renamed.yaml", "--no-progress"], in: folder)
        #expect(gone.status == 2)
        #expect(gone.stderr.contains("step 'greeted', which webinar-follow-up no longer has"), "\(gone.stderr)")
        // Nothing ran: the run's letters wait, and only the first run is recorded.
        let listed = try letters(try await CLI.run(["dead-letters", runID, "--format", "json"], in: folder))
        #expect(listed.count == 2 && listed.allSatisfy { $0["retried_by"] == .null })

        let usage = try await CLI.run(["dead-letters", runID, "--sandbox"], in: folder)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--sandbox goes with --retry"), "\(usage.stderr)")
    }
}
