import CEL
import Foundation
import PlaybookLanguage
import PlaybookRuntime

/// `playbook-bench files [--records N]`: records per second written to and read from a JSON Lines
/// file of generated contacts (about 230 bytes a line), with and without declared fields.
enum FilesBenchmark {
    static let fields: [(name: String, type: ValueType)] = [
        ("id", .int), ("email", .string), ("first_name", .string), ("last_name", .string), ("country", .string),
        ("score", .double), ("vip", .bool), ("created_at", .timestamp), ("tags", .list(.string)), ("visits", .int),
    ]

    static func run(arguments: [String]) throws {
        var count = 1_000_000
        if let flag = arguments.firstIndex(of: "--records"), flag + 1 < arguments.count, let value = Int(arguments[flag + 1]) { count = value }
        let path = NSTemporaryDirectory() + "playbook-bench-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = CELRecordSchema(fieldNames: fields.map(\.name))
        let records = (0..<count).map { contact($0, schema: schema) }

        var start = ContinuousClock.now
        let writer = try RecordFileWriter(path: path, format: .jsonl)
        for batch in stride(from: 0, to: count, by: 1000) {
            _ = try writer.append(Array(records[batch..<min(batch + 1000, count)]))
        }
        try writer.close()
        report("write", count: count, since: start)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("  \(size / max(count, 1)) bytes a line")

        for declared in [true, false] {
            start = ContinuousClock.now
            let reader = try RecordFileReader(path: path, format: .jsonl, fields: declared ? fields : nil, schema: declared ? schema : nil)
            var read = 0
            while true {
                let outcomes = try reader.read(upTo: 1000)
                if outcomes.isEmpty { break }
                read += outcomes.count
            }
            report(declared ? "read, declared fields" : "read, no declared fields", count: read, since: start)
        }
    }

    static func contact(_ index: Int, schema: CELRecordSchema) -> Record {
        Record(schema: schema, values: [
            .int(Int64(index)), .string("contact\(index)@example.com"), .string("Annabelle"), .string("Smith-Jones"),
            .string(["PL", "DE", "FR", "US"][index % 4]), .double(Double(index % 1000) / 7), .bool(index % 3 == 0),
            .timestamp(CELTimestamp(nanos: Int128(1_780_000_000 + index) * 1_000_000_000)),
            .list([.string("newsletter"), .string("b2b"), .string("webinar-2026")]), .int(Int64(index % 97)),
        ])
    }

    static func report(_ what: String, count: Int, since start: ContinuousClock.Instant) {
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("\(what): \(count) records in \(String(format: "%.2f", seconds)) s, \(Int(Double(count) / seconds)) records/s")
    }
}
