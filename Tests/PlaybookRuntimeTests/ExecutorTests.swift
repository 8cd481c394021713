import CEL
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

private let header = """
    version: 1
    name: test
    connections:
      files: { connector: file }

    """

@Suite struct TransformTests {
    @Test func setSeesFieldsSetAboveItAndOperationsRunInTheDocumentedOrder() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              contacts:
                fetch: { file: in.jsonl, fields: { email: string, first: string, views: int, opened: bool } }
              scored:
                transform:
                  from: contacts
                  select: [mail, score, bonus, shout, fields]
                  set:
                    email: record.email.trim().lowerAscii()
                    score: record.views * 2
                    bonus: "record.opened ? record.score + 10 : record.score"
                    shout: record.email.upperAscii()
                    fields: size(record)
                  rename: { email: mail }
                  drop: [first]
              out:
                sync: { from: scored, connection: files, resource: out.jsonl, mode: insert }
            """, records: ["contacts": [
                #"{"email": "  Ann@Example.COM ", "first": "Ann", "views": 40, "opened": true}"#,
                #"{"email": "bo@example.com", "first": "Bo", "views": 3, "opened": false}"#,
                #"{"email": "cy@example.com", "views": 1, "opened": true}"#,
            ]])
        #expect(summary.status == .succeeded)
        // `fields` counts what its value sees: the input's fields and the three set above it.
        #expect(Runtime.json(connectors.written["out"]) == [
            #"{"mail":"ann@example.com","score":80,"bonus":90,"shout":"ANN@EXAMPLE.COM","fields":7}"#,
            #"{"mail":"bo@example.com","score":6,"bonus":6,"shout":"BO@EXAMPLE.COM","fields":7}"#,
            #"{"mail":"cy@example.com","score":2,"bonus":12,"shout":"CY@EXAMPLE.COM","fields":6}"#,
        ])
        #expect(summary.step("scored")?.recordsIn == 3)
        #expect(summary.step("scored")?.recordsOut == 3)
    }

    @Test func aValueThatKeepsTheRecordItSawKeepsItAsItWas() async throws {
        // `before` holds the record as `set` had built it so far; the fields set after it, and
        // `before` itself, are not in it.
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              contacts:
                fetch: { file: in.jsonl, fields: { email: string, views: int } }
              kept:
                transform:
                  from: contacts
                  set:
                    score: record.views * 2
                    before: record
                    after: record.score + 1
              out:
                sync: { from: kept, connection: files, resource: out.jsonl, mode: insert }
            """, records: ["contacts": [#"{"email": "ann@example.com", "views": 40}"#]])
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        #expect(Runtime.json(connectors.written["out"]) == [
            #"{"email":"ann@example.com","views":40,"score":80,"before":{"email":"ann@example.com","views":40,"score":80},"after":81}"#,
        ])
    }

    @Test func aRenameAloneKeepsEveryValueUnderItsNewName() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              contacts:
                fetch: { file: in.jsonl, fields: { email: string, views: int } }
              renamed:
                transform:
                  from: contacts
                  set: { score: record.views * 2 }
                  rename: { email: mail, views: visits }
              out:
                sync: { from: renamed, connection: files, resource: out.jsonl, mode: insert }
            """, records: ["contacts": [#"{"email": "ann@example.com", "views": 40}"#, #"{"views": 3}"#]])
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        #expect(Runtime.json(connectors.written["out"]) == [
            #"{"mail":"ann@example.com","visits":40,"score":80}"#,
            #"{"visits":3,"score":6}"#,
        ])
    }

    @Test func recordsWithoutDeclaredFieldsAreReshapedByName() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              rows:
                fetch: { file: in.jsonl }
              tidy:
                transform:
                  from: rows
                  set: { total: record.a + record.b }
                  rename: { a: first }
                  drop: [b]
              out:
                sync: { from: tidy, connection: files, resource: out.jsonl, mode: insert }
            """, records: ["rows": [#"{"a": 1, "b": 2, "c": "x"}"#]])
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        #expect(Runtime.json(connectors.written["out"]) == [#"{"first":1,"c":"x","total":3}"#])
    }

    @Test func dedupeKeepsTheFirstOrTheLastRecordOfEachKeyInArrivalOrder() async throws {
        let rows = [#"{"k": "a", "n": 1}"#, #"{"k": "b", "n": 2}"#, #"{"k": "a", "n": 3}"#, #"{"k": "c", "n": 4}"#, #"{"k": "b", "n": 5}"#]
        for (keep, expected) in [("first", [1, 2, 4]), ("last", [3, 4, 5])] {
            let (summary, connectors) = try await Runtime.run(header + """
                steps:
                  rows:
                    fetch: { file: in.jsonl, fields: { k: string, n: int } }
                  unique:
                    transform: { from: rows, dedupe: { by: record.k, keep: \(keep) } }
                  out:
                    sync: { from: unique, connection: files, resource: out.jsonl, mode: insert }
                """, records: ["rows": rows])
            #expect(summary.status == .succeeded)
            #expect(connectors.written["out"]?.map { $0["n"] ?? .null }.map(\.rendered) == expected.map(String.init), "keep: \(keep)")
        }
    }

    @Test func aggregateComputesEveryFunctionPerGroupInFirstSeenOrder() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              rows:
                fetch: { file: in.jsonl, fields: { channel: string, spend: double, clicks: int } }
              per_channel:
                transform:
                  from: rows
                  aggregate:
                    group_by: [channel]
                    compute:
                      spend: { sum: record.spend }
                      clicks: { sum: record.clicks }
                      days: { count: true }
                      active: { count: record.spend > 0.0 }
                      average: { avg: record.clicks }
                      cheapest: { min: record.spend }
                      most: { max: record.clicks }
              out:
                sync: { from: per_channel, connection: files, resource: out.jsonl, mode: insert }
            """, records: ["rows": [
                #"{"channel": "meta", "spend": 10.5, "clicks": 3}"#,
                #"{"channel": "google", "spend": 0.0, "clicks": 1}"#,
                #"{"channel": "meta", "spend": 4.5, "clicks": 8}"#,
            ]])
        #expect(summary.status == .succeeded)
        #expect(Runtime.json(connectors.written["out"]) == [
            #"{"channel":"meta","spend":15.0,"clicks":11,"days":2,"active":2,"average":5.5,"cheapest":4.5,"most":8}"#,
            #"{"channel":"google","spend":0.0,"clicks":1,"days":1,"active":0,"average":1.0,"cheapest":0.0,"most":1}"#,
        ])
    }

    @Test func anAggregateOfNoRecordsGivesOneRecordWithoutGroupByAndNoneWithIt() async throws {
        for (groupBy, expected) in [("", [#"{"n":0,"total":0}"#]), ("group_by: [k]", [])] {
            let (summary, connectors) = try await Runtime.run(header + """
                steps:
                  rows:
                    fetch: { file: in.jsonl, fields: { k: string, v: int } }
                  totals:
                    transform:
                      from: rows
                      aggregate:
                        \(groupBy)
                        compute: { n: { count: true }, total: { sum: record.v }, mean: { avg: record.v } }
                  out:
                    sync: { from: totals, connection: files, resource: out.jsonl, mode: insert }
                """, records: ["rows": []])
            #expect(summary.status == .succeeded)
            #expect(Runtime.json(connectors.written["out"]) == expected, "\(groupBy)")
        }
    }

    @Test func aLeftJoinLeavesTheFieldAbsentAndAnInnerJoinDropsTheRecord() async throws {
        for (kind, expected) in [
            ("left", [#"{"id":1,"campaign_id":"c1","campaign":{"id":"c1","budget":5}}"#, #"{"id":2,"campaign_id":"zz"}"#]),
            ("inner", [#"{"id":1,"campaign_id":"c1","campaign":{"id":"c1","budget":5}}"#]),
        ] {
            let (summary, connectors) = try await Runtime.run(header + """
                steps:
                  rows:
                    fetch: { file: rows.jsonl, fields: { id: int, campaign_id: string } }
                  campaigns:
                    fetch: { file: campaigns.jsonl, fields: { id: string, budget: int } }
                  joined:
                    transform:
                      from: rows
                      join: { with: campaigns, left_on: campaign_id, right_on: id, as: campaign, type: \(kind) }
                  out:
                    sync: { from: joined, connection: files, resource: out.jsonl, mode: insert }
                """, records: [
                    "rows": [#"{"id": 1, "campaign_id": "c1"}"#, #"{"id": 2, "campaign_id": "zz"}"#],
                    "campaigns": [#"{"id": "c1", "budget": 5}"#, #"{"id": "c1", "budget": 99}"#],
                ])
            #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
            #expect(Runtime.json(connectors.written["out"]) == expected, "\(kind)")
        }
    }

    @Test func aMergeKeepsTheFieldsAllInputsHave() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              meta:
                fetch: { file: meta.jsonl, fields: { email: string, form: string } }
              linkedin:
                fetch: { file: linkedin.jsonl, fields: { email: string, company: string } }
              all:
                transform: { from: [meta, linkedin] }
              out:
                sync: { from: all, connection: files, resource: out.jsonl, mode: insert }
            """, records: ["meta": [#"{"email": "a@x.io", "form": "f"}"#], "linkedin": [#"{"email": "b@x.io", "company": "B"}"#]])
        #expect(summary.status == .succeeded)
        #expect(Set(Runtime.json(connectors.written["out"])) == [#"{"email":"a@x.io"}"#, #"{"email":"b@x.io"}"#])
    }
}

@Suite struct SegmentTests {
    @Test func eachRecordGoesToTheFirstSegmentItMeetsAndReadersGetTheirSegment() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              members:
                fetch: { file: in.jsonl, fields: { email: string, rating: int } }
              tiers:
                segment:
                  from: members
                  segments:
                    champions: record.rating >= 4
                    engaged: record.rating >= 2
                  otherwise: dormant
              champions:
                sync: { from: tiers.champions, connection: files, resource: champions.jsonl, mode: insert }
              dormant:
                sync: { from: tiers.dormant, connection: files, resource: dormant.jsonl, mode: insert }
              everyone:
                sync: { from: tiers, connection: files, resource: all.jsonl, mode: insert }
            """, records: ["members": [#"{"email": "a", "rating": 5}"#, #"{"email": "b", "rating": 2}"#, #"{"email": "c", "rating": 0}"#]])
        #expect(summary.status == .succeeded)
        #expect(connectors.written["champions"]?.map { $0["email"]!.rendered } == ["a"])
        #expect(connectors.written["dormant"]?.map { $0["email"]!.rendered } == ["c"])
        #expect(connectors.written["everyone"]?.count == 3)
    }
}

@Suite struct ErrorHandlingTests {
    @Test func aSkippedRecordGoesToTheDeadLettersWithTheExpressionsLocation() async throws {
        let folder = ScratchFolder()
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              rows:
                fetch: { file: in.jsonl }
              scored:
                transform:
                  from: rows
                  set: { score: int(record.views) * 2 }
                  on_record_error: skip
              out:
                sync: { from: scored, connection: files, resource: out.jsonl, mode: insert }
            """, records: ["rows": [#"{"views": 2}"#, #"{"name": "no views"}"#]], directory: folder.path)
        #expect(summary.status == .succeeded)
        #expect(summary.step("scored")?.recordsSkipped == 1)
        #expect(connectors.written["out"]?.count == 1)
        let path = try #require(summary.deadLetterPath)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let letter = try JSONText.decode(Array(lines[0].utf8))
        guard case .map(let fields) = letter else { Issue.record("not an object"); return }
        #expect(fields["step"]?.rendered == "scored")
        #expect(fields["location"]?.rendered == "test.yaml:11:25")
        #expect(fields["record"].map { JSONText.string($0) } == #"{"name":"no views"}"#)
    }

    /// A record whose fields are declared is reshaped by slot; one set aside halfway (after a join
    /// and a set value replaced some of its fields) is set aside as it came.
    @Test func aRecordSetAsideAfterItsFieldsWereReplacedIsSetAsideAsItCame() async throws {
        let folder = ScratchFolder()
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              teams:
                fetch: { file: teams.jsonl, fields: { id: int, name: string } }
              rows:
                fetch: { file: in.jsonl, fields: { email: string, views: string, team_id: int } }
              scored:
                transform:
                  from: rows
                  join: { with: teams, left_on: team_id, right_on: id, as: team }
                  set:
                    email: record.email.lowerAscii()
                    views: record.views + "!"
                    score: int(record.views.substring(0, size(record.views) - 1)) * 2
                  on_record_error: skip
              out:
                sync: { from: scored, connection: files, resource: out.jsonl, mode: insert }
            """, records: [
                "teams": [#"{"id": 1, "name": "Blue"}"#],
                "rows": [
                    #"{"email": "A@X.COM", "views": "2", "team_id": 1}"#,
                    #"{"email": "B@X.COM", "views": "many", "team_id": 1}"#,
                    #"{"email": "C@X.COM", "views": "3", "team_id": 1}"#,
                ],
            ], directory: folder.path)
        #expect(summary.status == .succeeded)
        #expect(summary.step("scored")?.recordsSkipped == 1)
        let written = connectors.written["out"]?.map { JSONText.string(.map($0)) }
        #expect(written == [
            #"{"email":"a@x.com","views":"2!","team_id":1,"team":{"id":1,"name":"Blue"},"score":4}"#,
            #"{"email":"c@x.com","views":"3!","team_id":1,"team":{"id":1,"name":"Blue"},"score":6}"#,
        ])
        let path = try #require(summary.deadLetterPath)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let letter = try JSONText.decode(Array(lines[0].utf8))
        guard case .map(let fields) = letter else { Issue.record("not an object"); return }
        #expect(fields["record"].map { JSONText.string($0) } == #"{"email":"B@X.COM","views":"many","team_id":1}"#)
    }

    @Test func withOnRecordErrorFailTheFirstBadRecordFailsTheStepAndTheRun() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              rows:
                fetch: { file: in.jsonl }
              scored:
                transform: { from: rows, set: { score: int(record.views) * 2 } }
              out:
                sync: { from: scored, connection: files, resource: out.jsonl, mode: insert }
            """, records: ["rows": [#"{"name": "no views"}"#]])
        #expect(summary.status == .failed)
        #expect(summary.step("scored")?.status == .failed)
        #expect(summary.step("scored")?.errorLocation?.line == 9)
        #expect(summary.step("out")?.status == .cancelled)
        #expect(connectors.written["out"] == nil)
    }

    @Test func withOnErrorContinueIndependentBranchesFinishAndDependentsAreCancelled() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              rows:
                fetch: { file: in.jsonl }
              broken:
                transform: { from: rows, set: { x: int(record.missing) }, on_error: continue }
              after_broken:
                sync: { from: broken, connection: files, resource: a.jsonl, mode: insert }
              fine:
                sync: { from: rows, connection: files, resource: b.jsonl, mode: insert }
            """, records: ["rows": [#"{"a": 1}"#]])
        #expect(summary.status == .succeeded)
        #expect(summary.step("broken")?.status == .failed)
        #expect(summary.step("after_broken")?.status == .cancelled)
        #expect(summary.step("fine")?.status == .succeeded)
        #expect(connectors.written["fine"]?.count == 1)
    }

    @Test func aFalseIfSkipsTheStepAndItsReadersRunOnNoRecords() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            params:
              apply: { type: bool, default: false }
            steps:
              rows:
                fetch: { file: in.jsonl }
              gated:
                transform: { from: rows, if: params.apply }
              out:
                sync: { from: gated, connection: files, resource: out.jsonl, mode: insert, if: "steps.gated.status == 'pending'" }
            """, records: ["rows": [#"{"a": 1}"#]])
        #expect(summary.status == .succeeded)
        #expect(summary.step("gated")?.status == .skipped)
        #expect(summary.step("out")?.status == .succeeded)
        #expect(summary.step("out")?.recordsIn == 0)
        #expect(connectors.written["out"] == nil)
    }

    @Test func stepsSeeTheFinalResultsOfTheStepsTheyComeAfter() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
            steps:
              rows:
                fetch: { file: in.jsonl }
              first:
                sync: { from: rows, connection: files, resource: a.jsonl, mode: insert }
              second:
                transform:
                  from: rows
                  after: first
                  set: { written_before: steps.first.records_out, status: steps.first.status, unseen: steps.second.status }
              out:
                sync: { from: second, connection: files, resource: b.jsonl, mode: insert }
            """, records: ["rows": [#"{"a": 1}"#, #"{"a": 2}"#, #"{"a": 3}"#]])
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        #expect(connectors.written["out"]?.first.map { JSONText.string(.map($0)) } == #"{"a":1,"written_before":3,"status":"succeeded","unseen":"pending"}"#)
    }
}

@Suite struct NotifyAndDryRunTests {
    @Test func aDryRunWritesNothingAndReportsWhatItWouldHaveDone() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
              chat: { connector: slack, auth: { webhook_url: { secret: SLACK_URL } } }
            steps:
              rows:
                fetch: { file: in.jsonl, fields: { email: string, score: int } }
              out:
                sync: { from: rows, connection: files, resource: out.jsonl, mode: insert }
              tell:
                notify: { from: rows, connection: chat, message: "{{ record.email }} scored {{ record.score }} (dry run: {{ run.dry_run }})" }
            """, records: ["rows": [#"{"email": "a@x.io", "score": 90}"#, #"{"email": "b@x.io", "score": 10}"#]], dryRun: true)
        #expect(summary.status == .succeeded)
        #expect(connectors.written.isEmpty)
        #expect(connectors.sent.isEmpty)
        #expect(summary.step("out")?.dryRun?.count == 2)
        #expect(summary.step("out")?.dryRun?.sampleRecords.count == 2)
        #expect(summary.step("tell")?.dryRun?.sampleMessages.map(\.text) == ["a@x.io scored 90 (dry run: true)", "b@x.io scored 10 (dry run: true)"])
    }

    @Test func oncePerAndMaxMessagesHoldMessagesBackAndADigestSendsOne() async throws {
        let (summary, connectors) = try await Runtime.run(header + """
              chat: { connector: slack, auth: { webhook_url: { secret: SLACK_URL } } }
            steps:
              rows:
                fetch: { file: in.jsonl, fields: { email: string } }
              each:
                notify: { from: rows, connection: chat, message: "hi {{ record.email }}", once_per: record.email, max_messages: 2 }
              digest:
                notify: { from: rows, connection: chat, mode: digest, message: "- {{ record.email }}" }
            """, records: ["rows": [#"{"email": "a"}"#, #"{"email": "a"}"#, #"{"email": "b"}"#, #"{"email": "c"}"#]])
        #expect(summary.status == .succeeded)
        #expect(connectors.sent["each"]?.map(\.text) == ["hi a", "hi b"])
        #expect(summary.step("each")?.messagesHeldBack == 2)
        #expect(connectors.sent["digest"]?.map(\.text) == ["- a\n- a\n- b\n- c"])
    }

    @Test func anAlertThatFiresIsReportedWithItsMessage() async throws {
        let (summary, _) = try await Runtime.run(header + """
              chat: { connector: slack, auth: { webhook_url: { secret: SLACK_URL } } }
            steps:
              rows:
                fetch: { file: in.jsonl }
              out:
                sync: { from: rows, connection: files, resource: out.jsonl, mode: insert }
            alerts:
              - name: few
                when: steps.out.records_out < 5 && run.status == "succeeded"
                notify: chat
                message: "only {{ steps.out.records_out }} written by run {{ run.id }}"
              - name: never
                when: run.status == "failed"
                notify: chat
                message: "failed"
            """, records: ["rows": [#"{"a": 1}"#]])
        #expect(summary.alerts.count == 1)
        #expect(summary.alerts.first?.name == "few")
        #expect(summary.alerts.first?.message.text == "only 1 written by run \(summary.runID)")
    }
}
