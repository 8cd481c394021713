import Foundation

/// `playbook-bench run`: generates data, runs each job as a playbook with the built `playbook`
/// executable, then the same job as a plain Python loop and in DuckDB, checks that all of them wrote
/// the same records and prints a table of their times and peak memory.
///
/// Every tool runs as a child process, timed from outside and its peak memory read by `wait4`, so
/// the benchmark needs none of the runtime's code and measures the binary as shipped.
enum RunBenchmark {
    struct Options {
        var sizes = [1_000_000]
        var playbook = ".build/release/playbook"
        var peers: String?
        var jobs = RunJob.all.map(\.name)
        var python = "python3"
        var keep = false
        /// Also runs Playbook with a fresh state file, to show what the state costs the job.
        var withState = false
    }

    /// One tool's run of one job.
    struct Row {
        var tool: String
        var measurement: ChildMeasurement?
        var output: String?
        var note: String?
    }

    static let usage = """
        usage: playbook-bench run [--records N[,N…]] [--playbook PATH] [--jobs contacts,join,aggregate,dedupe]
                                  [--peers PATH/run_peers.py] [--python PYTHON] [--state] [--keep]
        """

    static func run(arguments: [String]) {
        guard let options = options(from: arguments) else {
            print(usage)
            return
        }
        let peers = options.peers ?? peersScript()
        let hasPlaybook = FileManager.default.isExecutableFile(atPath: options.playbook)
        if !hasPlaybook {
            print("no playbook executable at \(options.playbook): Playbook is skipped (build it with")
            print("  swift build -c release --static-swift-stdlib --product playbook, or pass --playbook PATH)")
        }
        let hasPeers = peers.map(FileManager.default.fileExists) ?? false
        var hasDuckDB = false
        if hasPeers, let peers {
            hasDuckDB = (try? ChildProcess.measure([options.python, peers, "duckdb-ready"]).status) == 0
        } else {
            print("no Benchmarks/run_peers.py here: run from the package's folder or pass --peers PATH; the peers are skipped")
        }
        print("\(ProcessInfo.processInfo.activeProcessorCount) cores; sizes in MB are 1,000,000 bytes; times include each program's start-up")

        for size in options.sizes {
            let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("playbook-bench-run-\(getpid())-\(size)")
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                defer { if !options.keep { try? FileManager.default.removeItem(atPath: folder) } }
                let inputBytes = try generate(size: size, jobs: options.jobs, in: folder)
                for job in RunJob.all where options.jobs.contains(job.name) {
                    let bytes = job.inputs.reduce(0) { $0 + (inputBytes[$1] ?? 0) }
                    var rows: [Row] = []
                    if hasPlaybook {
                        rows.append(try runPlaybook(job, binary: options.playbook, in: folder))
                        if options.withState { rows.append(try runPlaybook(job, binary: options.playbook, withState: true, in: folder)) }
                    }
                    if hasPeers, let peers {
                        rows.append(try runPeer(job, tool: "python", label: "Python json loop", script: peers, python: options.python, in: folder))
                        if hasDuckDB {
                            rows.append(try runPeer(job, tool: "duckdb", label: "DuckDB, 2 threads", script: peers, python: options.python, in: folder))
                        }
                    }
                    let verdict = try compareOutputs(of: job, rows: rows, script: peers, python: options.python, in: folder)
                    report(job, records: size, inputBytes: bytes, rows: rows, verdict: verdict, in: folder)
                }
                if options.keep { print("files kept in \(folder)") }
            } catch {
                print("the benchmark stopped at \(size) records: \(error)")
            }
        }
    }

    /// Writes the data the chosen jobs read: N contacts, N events, N/10 accounts.
    private static func generate(size: Int, jobs: [String], in folder: String) throws -> [String: Int] {
        let needed = Set(RunJob.all.filter { jobs.contains($0.name) }.flatMap(\.inputs))
        var bytes: [String: Int] = [:]
        let start = ContinuousClock.now
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        if needed.contains("contacts.jsonl") {
            bytes["contacts.jsonl"] = try BenchmarkData.writeContacts(count: size, to: path("contacts.jsonl"), seed: 2026)
        }
        if needed.contains("events.jsonl") {
            bytes["events.jsonl"] = try BenchmarkData.writeEvents(count: size, accountCount: max(size / 10, 1), to: path("events.jsonl"), seed: 2027)
        }
        if needed.contains("accounts.jsonl") {
            bytes["accounts.jsonl"] = try BenchmarkData.writeAccounts(count: max(size / 10, 1), to: path("accounts.jsonl"), seed: 2028)
        }
        let listed = bytes.sorted { $0.key < $1.key }.map { "\($0.key) \(megabytes($0.value)) MB" }
        print("\ngenerated in \(format(seconds(since: start), 2)) s, in \(folder): " + listed.joined(separator: ", "))
        return bytes
    }

    private static func runPlaybook(_ job: RunJob, binary: String, withState: Bool = false, in folder: String) throws -> Row {
        let file = (folder as NSString).appendingPathComponent(job.playbookFile)
        try job.playbook.write(toFile: file, atomically: true, encoding: .utf8)
        let output = (withState ? "playbook-state-" : "playbook-") + job.output
        // The job's sync appends, and always to its own file name: start from no file, and move
        // the result aside so the next tool's run cannot be mistaken for it.
        let written = (folder as NSString).appendingPathComponent(job.output)
        try? FileManager.default.removeItem(atPath: written)
        // Without the state file, as the peers keep none; with `--state`, once more with a new
        // state file, as a first run of the playbook would keep it (docs/performance.md "Run state").
        var stateOption = ["--no-state"]
        if withState {
            let state = (folder as NSString).appendingPathComponent("\(job.name)-state.sqlite")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: state + suffix) }
            stateOption = ["--state", state]
        }
        let measurement = try ChildProcess.measure(
            [binary, "run", file] + stateOption + ["--format", "json"],
            standardOutput: file + ".summary.json", standardError: file + ".stderr"
        )
        var row = Row(tool: withState ? "playbook, state file" : "playbook", measurement: measurement)
        if measurement.status == 0, FileManager.default.fileExists(atPath: written) {
            let kept = (folder as NSString).appendingPathComponent(output)
            try? FileManager.default.removeItem(atPath: kept)
            try FileManager.default.moveItem(atPath: written, toPath: kept)
            row.output = output
        } else {
            row.note = "exit status \(measurement.status): " + tail(of: file + ".stderr", orElse: file + ".summary.json")
        }
        return row
    }

    private static func runPeer(_ job: RunJob, tool: String, label: String, script: String, python: String, in folder: String) throws -> Row {
        let output = "\(tool)-\(job.output)"
        let path = (folder as NSString).appendingPathComponent(output)
        let errors = path + ".stderr"
        let measurement = try ChildProcess.measure([python, script, "run", job.name, tool, folder, path], standardError: errors)
        var row = Row(tool: label, measurement: measurement)
        if measurement.status == 0 {
            row.output = output
        } else {
            row.note = "exit status \(measurement.status): " + tail(of: errors, orElse: errors)
        }
        return row
    }

    /// What the comparison of the outputs said, in one line.
    private static func compareOutputs(of job: RunJob, rows: [Row], script: String?, python: String, in folder: String) throws -> String {
        let outputs = rows.compactMap(\.output).map { (folder as NSString).appendingPathComponent($0) }
        guard outputs.count >= 2, let script else { return "fewer than two outputs: nothing to compare" }
        let verdict = (folder as NSString).appendingPathComponent("\(job.name)-compare.txt")
        _ = try ChildProcess.measure([python, script, "compare", job.key] + outputs, standardOutput: verdict, standardError: verdict)
        return ((try? String(contentsOfFile: verdict, encoding: .utf8)) ?? "the comparison printed nothing")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func report(_ job: RunJob, records: Int, inputBytes: Int, rows: [Row], verdict: String, in folder: String) {
        print("\n\(job.name): \(job.summary)")
        print("  \(grouped(records)) records in, \(megabytes(inputBytes)) MB")
        let playbookSeconds = rows.first { $0.tool == "playbook" && $0.output != nil }?.measurement?.seconds
        // A child reports at least this process's own peak (see `ChildProcess`): a figure at or
        // under it says only that the child used no more.
        let floor = ChildProcess.ownPeakResidentBytes() ?? 0
        let header = ["tool", "seconds", "records/s", "MB/s", "peak RSS MB", "records out", "× Playbook's time"]
        var table = [header]
        for row in rows {
            guard let measurement = row.measurement, row.output != nil else {
                table.append([row.tool, "failed", "", "", "", "", ""])
                continue
            }
            let seconds = measurement.seconds
            let written = row.output.map { lineCount(of: (folder as NSString).appendingPathComponent($0)) } ?? 0
            table.append([
                row.tool,
                format(seconds, 3),
                grouped(Int(Double(records) / seconds)),
                format(Double(inputBytes) / 1e6 / seconds, 1),
                measurement.peakResidentBytes <= floor ? "≤ " + megabytes(floor) : megabytes(measurement.peakResidentBytes),
                grouped(written),
                playbookSeconds.map { format(seconds / $0, 2) } ?? "–",
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            let cells = line.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }
            let text = "  " + cells.joined(separator: "   ")
            print(text.prefix(through: text.lastIndex { $0 != " " } ?? text.startIndex))
        }
        for row in rows where row.note != nil { print("  \(row.tool): \(row.note!)") }
        print("  " + verdict)
    }

    // MARK: - Helpers

    private static func options(from arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let option = rest.popFirst() {
            if option == "--keep" {
                options.keep = true
                continue
            }
            if option == "--state" {
                options.withState = true
                continue
            }
            guard let value = rest.popFirst() else { return nil }
            switch option {
            case "--records":
                let sizes = value.split(separator: ",").compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }
                guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { return nil }
                options.sizes = sizes
            case "--playbook": options.playbook = value
            case "--peers": options.peers = value
            case "--python": options.python = value
            case "--jobs":
                let jobs = value.split(separator: ",").map(String.init)
                guard jobs.allSatisfy({ name in RunJob.all.contains { $0.name == name } }) else { return nil }
                options.jobs = jobs
            default: return nil
            }
        }
        return options
    }

    /// `Benchmarks/run_peers.py` in the current folder, else beside this source file's package.
    private static func peersScript() -> String? {
        let here = "Benchmarks/run_peers.py"
        if FileManager.default.fileExists(atPath: here) { return here }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let beside = package.appendingPathComponent(here).path
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }

    /// The last lines of the first file that has any, for a failed run's message.
    private static func tail(of path: String, orElse other: String) -> String {
        for file in [path, other] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n").suffix(5)
            if !lines.isEmpty { return lines.joined(separator: "\n    ") }
        }
        return "it printed nothing"
    }

    /// Counts lines a megabyte at a time: the benchmark keeps its own memory small, because a child
    /// started by it reports at least the memory its parent had (see `ChildProcess`).
    private static func lineCount(of path: String) -> Int {
        guard let file = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? file.close() }
        var count = 0
        while let chunk = try? file.read(upToCount: 1 << 20), !chunk.isEmpty {
            count += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return count
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static func format(_ value: Double, _ places: Int) -> String {
        String(format: "%.\(places)f", value)
    }

    private static func megabytes(_ bytes: Int) -> String { format(Double(bytes) / 1e6, 1) }

    /// `1234567` as `1,234,567`.
    private static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
