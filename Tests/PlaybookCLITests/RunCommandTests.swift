import Foundation
import Testing

private let tradeShow = """
    version: 1
    name: trade-show
    params:
      min_visits: { type: int, default: 2 }
    connections:
      out: { connector: file, options: { directory: out } }
    steps:
      imported:
        fetch:
          file: leads.csv
          fields: { email: string, company: string, booth_visits: int, revenue: double }
          on_record_error: skip
      cleaned:
        transform:
          from: imported
          set:
            email: record.email.trim().lowerAscii()
            hot: record.booth_visits >= params.min_visits
      save:
        sync: { from: cleaned, connection: out, resource: leads.jsonl, mode: insert }
    """

private let leads = """
    email,company,booth_visits,revenue\r
    " Ann@Example.com",Acme,3,10.0\r
    bo@example.com,"Bo, Inc.",x,20.5\r
    cy@example.com,"Cyan
    Labs",1,2\r

    """

@Suite struct RunCommandTests {
    private func folder(_ files: [String: String]) async throws -> URL {
        try CLI.temporaryDirectory(files: files)
    }

    @Test func aRunReadsCSVWritesJSONLinesKeepsTypesAndSetsBadRowsAside() async throws {
        let directory = try await folder(["job.yaml": tradeShow, "leads.csv": leads])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CLI.run(["run", "job.yaml", "--format", "json"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try String(contentsOf: directory.appendingPathComponent("out/leads.jsonl"), encoding: .utf8)
        #expect(written == """
            {"email":"ann@example.com","company":"Acme","booth_visits":3,"revenue":10.0,"hot":true}
            {"email":"cy@example.com","company":"Cyan\\nLabs","booth_visits":1,"revenue":2.0,"hot":false}

            """)
        let summary = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["status"] as? String == "succeeded")
        let steps = try #require(summary["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == ["imported", "cleaned", "save"])
        #expect(steps[0]["records_out"] as? Int == 2)
        #expect(steps[0]["records_skipped"] as? Int == 1)
        let deadLetters = try #require((summary["dead_letters"] as? [String: Any])?["path"] as? String)
        let letter = try String(contentsOf: directory.appendingPathComponent(deadLetters), encoding: .utf8)
        #expect(letter.contains(#""reason":"leads.csv line 3: field 'booth_visits' expects an int, got \"x\"""#))
    }

    @Test func paramsAreTypedByTheirDeclaration() async throws {
        let directory = try await folder(["job.yaml": tradeShow, "leads.csv": leads])
        defer { try? FileManager.default.removeItem(at: directory) }
        let wrongType = try await CLI.run(["run", "job.yaml", "--param", "min_visits=many"], in: directory)
        #expect(wrongType.status == 2)
        #expect(wrongType.stderr.contains("param 'min_visits' is an int, and 'many' is not a whole number such as 42"))
        let unknown = try await CLI.run(["run", "job.yaml", "--param", "min_visit=1"], in: directory)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'min_visits'?"))
        let given = try await CLI.run(["run", "job.yaml", "--param", "min_visits=1"], in: directory)
        #expect(given.status == 0)
        let written = try String(contentsOf: directory.appendingPathComponent("out/leads.jsonl"), encoding: .utf8)
        #expect(written.components(separatedBy: "\"hot\":true").count == 3)
    }

    @Test func anInvalidPlaybookIsReportedAsValidateReportsItAndNothingRuns() async throws {
        let directory = try await folder(["job.yaml": tradeShow.replacingOccurrences(of: "from: imported", with: "from: imported_rows"), "leads.csv": leads])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CLI.run(["run", "job.yaml"], in: directory)
        #expect(result.status == 2)
        #expect(result.stderr.contains("job.yaml:15:13: error[PB0401]: unknown step 'imported_rows'"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    }

    @Test func aFailedRunExitsWithOneAndNamesTheFailedStepAndPlace() async throws {
        let failing = tradeShow.replacingOccurrences(of: "on_record_error: skip", with: "on_record_error: fail")
        let directory = try await folder(["job.yaml": failing, "leads.csv": leads])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CLI.run(["run", "job.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(result.stdout.contains("of trade-show: failed"))
        #expect(result.stdout.contains("imported failed: leads.csv line 3: field 'booth_visits' expects an int"))
        #expect(result.stdout.contains("save      sync       cancelled"))
    }

    @Test func aDryRunReadsButWritesNothing() async throws {
        let directory = try await folder(["job.yaml": tradeShow, "leads.csv": leads])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CLI.run(["run", "job.yaml", "--dry-run"], in: directory)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Dry run: nothing was written or sent."))
        #expect(result.stdout.contains("save would insert 2 record(s) to out leads.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/leads.jsonl").path))
    }

    @Test func ctrlCStopsTheRunCleanlyWithExitStatus130() async throws {
        let playbook = """
            version: 1
            name: endless
            connections:
              out: { connector: file }
            steps:
              incoming:
                fetch: { file: incoming.jsonl }
              save:
                sync: { from: incoming, connection: out, resource: saved.jsonl, mode: insert, batch_size: 1 }
            """
        let directory = try await folder(["job.yaml": playbook])
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("incoming.jsonl").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let (status, output) = try await CLI.onOwnThread { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["run", "job.yaml"]
            process.currentDirectoryURL = directory
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // Opening the pipe waits for the run to open it for reading, which it does once it runs.
            guard let writer = FileHandle(forWritingAtPath: fifo) else { throw CocoaError(.fileNoSuchFile) }
            writer.write(Data("{\"n\": 1}\n{\"n\": 2}\n".utf8))
            process.interrupt()
            // Once the run says it is stopping, end the input: the read in hand ends, and the run stops
            // instead of going on.
            var said = Data()
            while !String(decoding: said, as: UTF8.self).contains("Stopping:") {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                said.append(chunk)
            }
            try writer.close()
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        #expect(status == 130)
        #expect(output.contains("of endless: cancelled"))
    }
}
