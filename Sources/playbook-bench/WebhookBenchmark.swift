import Diagnostics
import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import PlaybookRuntime
import PlaybookServer
import PlaybookState

/// Signed webhook events sent to `playbook serve` (in this process, on loopback) by a load generator
/// of its own at 64 connections: how many the server accepts per second, how long a sender waits for
/// the 2xx, how long the runs take to drain, and whether every event was accepted once and run once.
enum WebhookBenchmark {
    static let secret = "bench-signing-secret"

    static let playbook = """
        version: 1
        name: signups
        triggers:
          - webhook: { path: /hooks/signups, verify: hmac-sha256, signing_secret: { secret: SIGNUP_SECRET }, signature_header: X-Signature }
            concurrency: queue
        connections:
          out: { connector: file, options: { directory: out } }
        steps:
          incoming:
            fetch: { webhook: /hooks/signups, fields: { email: string, n: int } }
          shaped:
            transform: { from: incoming, set: { email: record.email.lowerAscii() } }
          save:
            sync: { from: shaped, connection: out, resource: signups.jsonl, mode: insert }
        """

    static func run(arguments: [String]) async {
        func value(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let events = value("--events", 10_000)
        let connections = value("--connections", 64)
        let workers = value("--workers", 4)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-webhook-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try playbook.write(toFile: folder + "/signups.yaml", atomically: true, encoding: .utf8)
            var configuration = PlaybookServer.Configuration(
                folder: folder, statePath: folder + "/.playbook/state.sqlite",
                secrets: try SecretsFile(path: "bench", text: "SIGNUP_SECRET=\(secret)\n"))
            configuration.port = 0
            configuration.workers = workers
            configuration.watchInterval = nil
            var logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
            logger.logLevel = .critical
            let server = try PlaybookServer(configuration: configuration, logger: logger)
            let origin = try await server.start()
            print("webhooks: \(events) signed events, \(connections) connections, \(workers) run workers, server \(origin.absoluteString)")
            let bodies = (0..<events).map { #"{"email":"Lead\#($0)@Example.com","n":\#($0)}"# }
            let load = try await send(bodies, to: origin.absoluteString + "/hooks/signups", connections: connections)
            let accepted = load.statuses.filter { $0 == 202 }.count
            let sorted = load.latencies.sorted()
            func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
            print(String(format: "  accepted %d of %d in %.2f s: %.0f events/s; time to the 2xx p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                         accepted, events, load.seconds, Double(events) / load.seconds, percentile(0.5), percentile(0.99), percentile(1.0)))
            let other = Dictionary(grouping: load.statuses.filter { $0 != 202 }, by: { $0 }).mapValues(\.count)
            if !other.isEmpty { print("  other answers: \(other.sorted { $0.key < $1.key })") }
            let drainStart = Date()
            await server.queue.untilIdle()
            let drained = Date().timeIntervalSince(drainStart)
            let runs = try await server.store.runs(playbook: "signups", limit: events * 2)
            let lines = ((try? String(contentsOfFile: folder + "/out/signups.jsonl", encoding: .utf8)) ?? "").split(separator: "\n")
            var seen = Set<Int>()
            var repeated = 0
            for line in lines {
                guard let range = line.range(of: #""n":"#), let n = Int(line[range.upperBound...].prefix { $0.isNumber }) else { continue }
                if !seen.insert(n).inserted { repeated += 1 }
            }
            let open = try await server.store.openEvents().count
            print(String(format: "  runs: %d (%d succeeded), all done %.2f s after the last 2xx; %.0f runs/s from the first request to the last run",
                         runs.count, runs.filter { $0.status == .succeeded }.count, drained, Double(runs.count) / (load.seconds + drained)))
            print("  records written: \(lines.count), distinct events: \(seen.count), written twice: \(repeated), missing: \(events - seen.count), left in the inbox: \(open)")
            let ok = accepted == events && seen.count == events && repeated == 0 && runs.count == events && open == 0
            print(ok ? "  every event accepted once and run once" : "  FAILED: events were lost or run twice")
            await server.stop()
        } catch {
            print("webhooks: \(error)")
        }
    }

    /// Sends every body once, signed, with at most `connections` requests in flight.
    static func send(_ bodies: [String], to url: String, connections: Int) async throws -> (statuses: [Int], latencies: [Double], seconds: Double) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let signatures = bodies.map { body in
            HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
                .lowercaseHex
        }
        let next = Counter()
        let start = Date()
        let results = try await withThrowingTaskGroup(of: [(Int, Double)].self) { group in
            for _ in 0..<connections {
                group.addTask { [client, next, bodies, signatures, url] in
                    var mine: [(Int, Double)] = []
                    while let index = next.take(below: bodies.count) {
                        let body = bodies[index]
                        var request = HTTPClientRequest(url: url)
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.headers.add(name: "X-Signature", value: signatures[index])
                        request.body = .bytes(ByteBuffer(string: body))
                        let sent = Date()
                        let response = try await client.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 16)
                        mine.append((Int(response.status.code), Date().timeIntervalSince(sent)))
                    }
                    return mine
                }
            }
            var all: [(Int, Double)] = []
            for try await part in group { all += part }
            return all
        }
        let seconds = Date().timeIntervalSince(start)
        try await client.shutdown()
        return (results.map(\.0), results.map(\.1), seconds)
    }

    /// Hands out indexes to the sending tasks.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func take(below limit: Int) -> Int? {
            lock.withLock {
                guard value < limit else { return nil }
                defer { value += 1 }
                return value
            }
        }
    }
}
