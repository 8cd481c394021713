import Foundation
import Testing

@Suite struct BackfillCommandTests {
    static let playbook = """
        version: 1
        name: daily-report
        triggers:
          - schedule: "0 9 * * *"
            timezone: Europe/Warsaw
        connections:
          out: { connector: file, options: { directory: out } }
        steps:
          rows:
            fetch: { file: rows.jsonl }
          stamped:
            transform:
              from: rows
              set: { day_of: string(trigger.fired_at), kind: trigger.kind }
          save:
            sync: { from: stamped, connection: out, resource: report.jsonl, mode: insert }
        """

    @Test func eachFireTimeOfTheRangeRunsInOrderWithItsTime() async throws {
        let folder = try CLI.temporaryDirectory(files: ["report.yaml": Self.playbook, "rows.jsonl": "{\"n\": 1}\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await CLI.run(["backfill", "report.yaml", "--from", "2026-10-24", "--to", "2026-10-26T23:59"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOf: folder.appendingPathComponent("out/report.jsonl"), encoding: .utf8).split(separator: "\n")
        // 09:00 in Warsaw: summer time (UTC+2) until the clocks go back on 25 October, then UTC+1.
        #expect(lines.count == 3)
        #expect(lines[0].contains("2026-10-24T07:00:00Z"))
        #expect(lines[1].contains("2026-10-25T08:00:00Z"))
        #expect(lines[2].contains("2026-10-26T08:00:00Z"))
        #expect(lines.allSatisfy { $0.contains("\"schedule\"") })
        #expect(result.stderr.contains("backfill: 3 run(s), 3 succeeded"))
        let runs = try await CLI.run(["runs", "daily-report", "--state", ".playbook/state.sqlite"], in: folder)
        #expect(runs.stdout.components(separatedBy: "schedule").count - 1 >= 3, "\(runs.stdout)")
    }

    @Test func aPlaybookWithoutAScheduleOrAnEmptyRangeIsSaidPlainly() async throws {
        let folder = try CLI.temporaryDirectory(files: [
            "report.yaml": Self.playbook,
            "manual.yaml": "version: 1\nname: by-hand\nsteps:\n  rows:\n    fetch: { file: rows.jsonl }\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let none = try await CLI.run(["backfill", "manual.yaml", "--from", "2026-10-24", "--to", "2026-10-25"], in: folder)
        #expect(none.status == 2)
        #expect(none.stderr.contains("has no schedule trigger"))
        let backwards = try await CLI.run(["backfill", "report.yaml", "--from", "2026-10-25", "--to", "2026-10-24"], in: folder)
        #expect(backwards.status == 2)
        #expect(backwards.stderr.contains("is after --to"))
        let garbled = try await CLI.run(["backfill", "report.yaml", "--from", "yesterday", "--to", "2026-10-24"], in: folder)
        #expect(garbled.status == 2)
        #expect(garbled.stderr.contains("RFC 3339"))
    }
}
