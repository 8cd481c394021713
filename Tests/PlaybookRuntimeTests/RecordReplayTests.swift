import CEL
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

/// A replay sends given records through the steps that set them aside: those steps and the steps
/// after them run, nothing before them reads again, and the records are put on each step's types.
@Suite struct RecordReplayTests {
    private static let header = """
        version: 1
        name: replay
        connections:
          files: { connector: file }

        """

    /// Runs `yaml` replaying `given` (records as JSON objects, by step), with fixture records for
    /// its fetch steps; dead letters go to a folder of their own.
    private func replay(
        _ yaml: String, given: [String: [String]], fixtures: [String: [String]] = [:], state: MemoryRunState? = nil
    ) async throws -> (summary: RunSummary, connectors: FixtureConnectors, plan: Plan, replay: RecordReplay) {
        let plan = try #require(Runtime.plan(Self.header + yaml))
        func values(_ lines: [String: [String]]) throws -> [StepID: [CELValue]] {
            var values: [StepID: [CELValue]] = [:]
            for (step, records) in lines { values[StepID(step)] = try records.map { try JSONText.decode(Array($0.utf8)) } }
            return values
        }
        let replay = RecordReplay(records: try values(given))
        let connectors = FixtureConnectors(records: try values(fixtures))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-replay-\(UUID().uuidString)").path
        let options = RunOptions(baseDirectory: folder, batchSize: 2, state: state, replay: replay)
        let summary = await Executor(plan: plan, options: options, connectors: connectors).run()
        return (summary, connectors, plan, replay)
    }

    /// The records a run set aside, as step and reason, read from its dead-letter file.
    private func setAside(_ summary: RunSummary) throws -> [(step: String, reason: String, record: String)] {
        guard let path = summary.deadLetterPath else { return [] }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            guard case .map(let letter) = try JSONText.decode(Array(line.utf8)) else { return ("", "", "") }
            return (letter["step"]?.rendered ?? "", letter["reason"]?.rendered ?? "",
                    (letter["record"] ?? letter["input"]).map { JSONText.string($0) } ?? "")
        }
    }

    @Test func theGivenStepAndTheStepsAfterItRunAndNothingBeforeItOrBesideIt() async throws {
        let run = try await replay("""
            steps:
              rows:
                fetch: { file: rows.jsonl, fields: { email: string, views: int } }
              scored:
                transform: { from: rows, set: { score: record.views * 2 } }
              out:
                sync: { from: scored, connection: files, resource: out.jsonl, mode: insert }
              others:
                fetch: { file: others.jsonl, fields: { email: string } }
              others_out:
                sync: { from: others, connection: files, resource: others.jsonl, mode: insert }
            """,
            given: ["scored": [#"{"email": "bo@example.com", "views": 3}"#, #"{"email": "di@example.com", "views": 5}"#, #"{"email": "ed@example.com", "views": 1}"#]],
            fixtures: ["rows": [#"{"email": "ann@example.com", "views": 1}"#], "others": [#"{"email": "x@example.com"}"#]])
        #expect(run.summary.status == .succeeded, "\(run.summary.steps.map { ($0.id, $0.error) })")
        #expect(Runtime.json(run.connectors.written["out"]) == [
            #"{"email":"bo@example.com","views":3,"score":6}"#, #"{"email":"di@example.com","views":5,"score":10}"#,
            #"{"email":"ed@example.com","views":1,"score":2}"#,
        ])
        for left in ["rows", "others", "others_out"] {
            #expect(run.summary.step(left)?.status == .skipped, "\(left)")
            #expect(run.summary.step(left)?.recordsOut == 0, "\(left)")
        }
        #expect(run.connectors.written["others_out"] == nil)
        #expect(run.summary.step("scored")?.recordsIn == 3)
        #expect(run.replay.stepsDelivered(in: run.summary, plan: run.plan) == [StepID("scored")])
    }

    @Test func givenRecordsTakeTheStepsTypesAndOnesThatDoNotFitAreSetAsideAgain() async throws {
        let run = try await replay("""
            steps:
              signups:
                fetch: { file: signups.jsonl, fields: { email: string, signed_up: timestamp } }
              dated:
                transform:
                  from: signups
                  set: { year: record.signed_up.getFullYear() }
                  on_record_error: skip
              out:
                sync: { from: dated, connection: files, resource: out.jsonl, mode: insert }
            """,
            given: ["dated": [
                #"{"email": "ann@example.com", "signed_up": "2026-03-01T10:00:00Z", "left_over": "dropped"}"#,
                #"{"email": "bo@example.com", "signed_up": "last tuesday"}"#,
                #"["not", "a", "record"]"#,
            ]])
        #expect(run.summary.status == .succeeded, "\(run.summary.steps.map { ($0.id, $0.error) })")
        #expect(Runtime.json(run.connectors.written["out"]) == [#"{"email":"ann@example.com","signed_up":"2026-03-01T10:00:00Z","year":2026}"#])
        let letters = try setAside(run.summary)
        #expect(letters.map(\.step) == ["dated", "dated"])
        #expect(letters[0].reason.contains("signed_up") && letters[0].record == #"{"email":"bo@example.com","signed_up":"last tuesday"}"#, "\(letters)")
        #expect(letters[1].reason.contains("map of fields"), "\(letters)")
        #expect(run.summary.step("dated")?.recordsIn == 3)
        #expect(run.summary.step("dated")?.recordsSkipped == 2)
    }

    @Test func aFetchGivenRecordsPassesThemOnWithoutReadingItsSource() async throws {
        // No fixture for `leads`: reading it would fail the step.
        let run = try await replay("""
            steps:
              leads:
                fetch: { file: leads.jsonl, fields: { email: string, visits: int }, on_record_error: skip }
              out:
                sync: { from: leads, connection: files, resource: out.jsonl, mode: insert }
            """,
            given: ["leads": [#"{"email": "bo@example.com", "visits": 2}"#, #"{"email": "cy@example.com", "visits": "two"}"#]])
        #expect(run.summary.status == .succeeded, "\(run.summary.steps.map { ($0.id, $0.error) })")
        #expect(Runtime.json(run.connectors.written["out"]) == [#"{"email":"bo@example.com","visits":2}"#])
        let letters = try setAside(run.summary)
        #expect(letters.map(\.step) == ["leads"])
        #expect(letters.first?.record == JSONText.string(.string(#"{"email":"cy@example.com","visits":"two"}"#)), "\(letters)")
    }

    @Test func aStepAfterTheGivenOneThatJoinsRunsTheLookedUpStepAndMovesNoCursor() async throws {
        let state = MemoryRunState()
        let run = try await replay("""
            steps:
              rows:
                fetch: { file: rows.jsonl, fields: { id: int, owner_id: string } }
              checked:
                transform: { from: rows, set: { checked: true } }
              owners:
                fetch: { connection: crm, resource: contacts, incremental: { cursor: updated_at, start: "2026-01-01T00:00:00Z" } }
              joined:
                transform:
                  from: checked
                  join: { with: owners, left_on: owner_id, right_on: id, as: owner }
              out:
                sync: { from: joined, connection: files, resource: out.jsonl, mode: insert }
            """.replacingOccurrences(of: "steps:\n", with: "  crm: { connector: hubspot, auth: { token: { secret: T } } }\nsteps:\n"),
            given: ["checked": [#"{"id": 7, "owner_id": "c1"}"#]],
            fixtures: ["rows": [#"{"id": 1, "owner_id": "c1"}"#], "owners": [#"{"id": "c1", "email": "owner@example.com", "updated_at": "2026-02-01T00:00:00Z"}"#]],
            state: state)
        #expect(run.summary.status == .succeeded, "\(run.summary.steps.map { ($0.id, $0.error) })")
        #expect(run.summary.step("rows")?.status == .skipped)
        #expect(run.summary.step("owners")?.status == .succeeded)
        // The step run for the join feeds only the join: `checked` got the given record alone.
        #expect(run.summary.step("checked")?.recordsIn == 1)
        let written = try #require(run.connectors.written["out"])
        #expect(written.map { $0["id"]?.rendered } == ["7"])
        guard case .map(let owner)? = written.first?["owner"] else { Issue.record("no owner joined: \(Runtime.json(written))"); return }
        #expect(owner["email"]?.rendered == "owner@example.com")
        #expect(try await state.cursor(playbook: "replay", step: StepID("owners")) == nil)
    }

    @Test func recordsOfTwoStepsOneAfterTheOtherEachGoThroughTheirOwnStep() async throws {
        let run = try await replay("""
            steps:
              rows:
                fetch: { file: rows.jsonl, fields: { email: string } }
              tagged:
                transform: { from: rows, set: { tag: '"vip"' } }
              out:
                sync: { from: tagged, connection: files, resource: out.jsonl, mode: insert }
            """,
            given: ["tagged": [#"{"email": "a@example.com"}"#], "out": [#"{"email": "b@example.com", "tag": "late"}"#]])
        #expect(run.summary.status == .succeeded, "\(run.summary.steps.map { ($0.id, $0.error) })")
        #expect(Set(Runtime.json(run.connectors.written["out"])) == [#"{"email":"a@example.com","tag":"vip"}"#, #"{"email":"b@example.com","tag":"late"}"#])
        #expect(run.replay.stepsDelivered(in: run.summary, plan: run.plan) == [StepID("tagged"), StepID("out")])
    }

    @Test func aStepWhoseRecordsFailFurtherOnIsNotDelivered() async throws {
        let run = try await replay("""
            steps:
              rows:
                fetch: { file: rows.jsonl, fields: { email: string, views: string } }
              scored:
                transform: { from: rows, set: { score: int(record.views) } }
              out:
                sync: { from: scored, connection: files, resource: out.jsonl, mode: insert }
              notes:
                fetch: { file: notes.jsonl, fields: { text: string } }
              notes_out:
                sync: { from: notes, connection: files, resource: notes.jsonl, mode: insert }
            """,
            given: ["rows": [#"{"email": "a@example.com", "views": "many"}"#], "notes": [#"{"text": "hello"}"#]])
        // `scored` fails on the record (on_record_error: fail): the records of `rows` were not all
        // delivered; those of `notes` were.
        #expect(run.summary.step("scored")?.status == .failed)
        #expect(run.replay.stepsDelivered(in: run.summary, plan: run.plan) == [StepID("notes")])
    }

    @Test func aNotifyWithoutFromCannotBeGivenRecordsAndOtherStepsCan() throws {
        let plan = try #require(Runtime.plan("""
            version: 1
            name: replay
            connections:
              files: { connector: file }
              chat: { connector: slack, auth: { webhook_url: { secret: W } } }
            steps:
              rows:
                fetch: { file: rows.jsonl }
              ping:
                notify: { connection: chat, message: "done" }
              out:
                sync: { from: rows, connection: files, resource: out.jsonl, mode: insert }
            """))
        #expect(RecordReplay.refusal(of: try #require(plan.step("ping"))) != nil)
        #expect(RecordReplay.refusal(of: try #require(plan.step("rows"))) == nil)
        #expect(RecordReplay.refusal(of: try #require(plan.step("out"))) == nil)
    }
}
