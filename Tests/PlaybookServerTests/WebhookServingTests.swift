import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import PlaybookRuntime
@testable import PlaybookServer
import PlaybookState
import Testing

/// A served folder and a client for it, stopped afterwards.
struct Served {
    let server: PlaybookServer
    let folder: String
    let origin: URL
    let logs: LogLines

    static let secret = "form-signing-secret-1234"

    static let signups = """
        version: 1
        name: signups
        triggers:
          - webhook:
              path: /hooks/signups
              verify: hmac-sha256
              signing_secret: { secret: SIGNUP_SECRET }
              signature_header: X-Signature
              max_body: 2048
            concurrency: queue
        connections:
          out: { connector: file, options: { directory: out } }
        steps:
          incoming:
            fetch:
              webhook: /hooks/signups
              fields: { email: string, n: int }
          save:
            sync: { from: incoming, connection: out, resource: signups.jsonl, mode: insert }
        """

    static func with(_ files: [String: String], workers: Int = 2, _ body: (Served) async throws -> Void) async throws {
        try await withFolder(files) { folder in
            var configuration = PlaybookServer.Configuration(
                folder: folder, statePath: folder + "/.playbook/state.sqlite",
                secrets: try SecretsFile(path: folder + "/secrets.env", text: "SIGNUP_SECRET=\(secret)\n"))
            configuration.port = 0
            configuration.workers = workers
            configuration.watchInterval = nil
            let logs = LogLines()
            let server = try PlaybookServer(configuration: configuration, logger: logs.logger)
            let origin = try await server.start()
            do {
                try await body(Served(server: server, folder: folder, origin: origin, logs: logs))
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }

    static func signature(_ body: String, secret: String = Served.secret) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Sends a request and returns the status and the body.
    func send(_ path: String, method: String = "POST", body: String? = nil, headers: [(String, String)] = []) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: origin.absoluteString + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    func signed(_ body: String, path: String = "/hooks/signups") async throws -> (status: Int, body: String) {
        try await send(path, body: body, headers: [("X-Signature", Served.signature(body)), ("Content-Type", "application/json")])
    }

    var saved: [String] { jsonLines(folder + "/out/signups.jsonl") }
}

@Suite struct WebhookServingTests {
    @Test func aSignedEventIsStoredAnsweredAndRunOnceAndARepeatIsNotRunAgain() async throws {
        try await Served.with(["signups.yaml": Served.signups]) { served in
            let body = #"{"email":"ada@example.com","n":1}"#
            let first = try await served.signed(body)
            #expect(first.status == 202)
            #expect(first.body.contains("\"accepted\""))
            #expect(await eventually { served.saved.count == 1 })
            #expect(served.saved.first?.contains("ada@example.com") == true)
            let again = try await served.signed(body)
            #expect(again.status == 200)
            #expect(again.body.contains("\"duplicate\""))
            await served.server.queue.untilIdle()
            #expect(served.saved.count == 1)
            let runs = try await served.server.store.runs(playbook: "signups", limit: 10)
            #expect(runs.count == 1)
            #expect(runs.first?.status == .succeeded)
            #expect(runs.first?.triggerKind == "webhook")
            #expect(try await served.server.store.openEvents().isEmpty)
        }
    }

    @Test func forgedOversizedWrongMethodAndUnknownRequestsAreRefusedAndLeakNothing() async throws {
        try await Served.with(["signups.yaml": Served.signups]) { served in
            let body = #"{"email":"eve@example.com","n":2}"#
            let forged = try await served.send("/hooks/signups", body: body, headers: [("X-Signature", Served.signature(body, secret: "guess"))])
            #expect(forged.status == 401)
            let unsigned = try await served.send("/hooks/signups", body: body)
            #expect(unsigned.status == 401)
            for answer in [forged, unsigned] {
                #expect(!answer.body.contains(Served.secret))
                #expect(!answer.body.contains(Served.signature(body)))
                #expect(!answer.body.contains("eve@example.com"))
            }
            let large = String(repeating: "x", count: 4096)
            #expect(try await served.send("/hooks/signups", body: large, headers: [("X-Signature", Served.signature(large))]).status == 413)
            #expect(try await served.send("/hooks/signups", method: "GET").status == 405)
            #expect(try await served.send("/hooks/nothing-here", body: "{}").status == 404)
            await served.server.queue.untilIdle()
            #expect(served.saved.isEmpty)
            #expect(try await served.server.store.runs(playbook: "signups", limit: 10).isEmpty)
            #expect(!served.logs.all.joined().contains(Served.secret))
        }
    }

    @Test func healthReadinessAndMetricsSayWhatTheServerDoes() async throws {
        try await Served.with(["signups.yaml": Served.signups, "broken.yaml": "version: 1\nname: broken\nsteps: {}\n"]) { served in
            #expect(try await served.signed(#"{"email":"bo@example.com","n":3}"#).status == 202)
            #expect(await eventually { served.saved.count == 1 })
            let health = try await served.send("/healthz", method: "GET")
            #expect(health.status == 200)
            #expect(health.body.contains("\"signups\""))
            #expect(health.body.contains("broken.yaml"))
            #expect(health.body.contains("\"degraded\""))
            #expect(try await served.send("/readyz", method: "GET").status == 200)
            await served.server.queue.untilIdle()
            let metrics = try await served.send("/metrics", method: "GET")
            #expect(metrics.body.contains(#"playbook_webhook_requests_total{path="/hooks/signups",outcome="accepted"}"#))
            #expect(metrics.body.contains(#"playbook_runs_total{playbook="signups",trigger="webhook",status="succeeded"}"#))
            #expect(metrics.body.contains("playbook_run_duration_seconds_bucket"))
            #expect(metrics.body.contains("playbook_step_records_total"))
            // Every line of the run carries its id, and a step's line its step.
            let runLines = served.logs.all.filter { $0.contains("playbook=signups") && $0.contains("run_id=") }
            #expect(runLines.contains { $0.contains("step_id=save") })
        }
    }

    @Test func anEventAcceptedByAServerThatDiedRunsWhenTheServerComesBack() async throws {
        try await withFolder(["signups.yaml": Served.signups]) { folder in
            // What a server that answered and died left behind: the event in the inbox, not run.
            let store = try SQLiteRunStateStore(path: folder + "/.playbook/state.sqlite")
            let body = #"{"email":"kept@example.com","n":4}"#
            _ = try await store.accept(events: [NewInboundEvent(
                path: "/hooks/signups", playbook: "signups", eventID: "e-1", headers: "{}", body: Array(body.utf8), receivedAt: Date())])
            var configuration = PlaybookServer.Configuration(
                folder: folder, statePath: folder + "/.playbook/state.sqlite",
                secrets: try SecretsFile(path: "inline", text: "SIGNUP_SECRET=\(Served.secret)\n"))
            configuration.port = 0
            configuration.watchInterval = nil
            let server = try PlaybookServer(configuration: configuration, logger: LogLines().logger)
            try await server.start()
            #expect(await eventually { jsonLines(folder + "/out/signups.jsonl").count == 1 })
            await server.queue.untilIdle()
            #expect(try await store.openEvents().isEmpty)
            await server.stop()
        }
    }

    @Test func aReloadUnderLoadDropsNoEventAndServesTheNewPlaybook() async throws {
        try await Served.with(["signups.yaml": Served.signups], workers: 4) { served in
            let second = Served.signups.replacingOccurrences(of: "name: signups", with: "name: orders")
                .replacingOccurrences(of: "/hooks/signups", with: "/hooks/orders").replacingOccurrences(of: "signups.jsonl", with: "orders.jsonl")
            let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        try await served.signed(#"{"email":"p\#(index)@example.com","n":\#(index)}"#).status
                    }
                }
                group.addTask {
                    try second.write(toFile: served.folder + "/orders.yaml", atomically: true, encoding: .utf8)
                    await served.server.reload()
                    return 0
                }
                var statuses: [Int] = []
                for try await status in group where status != 0 { statuses.append(status) }
                return statuses
            }
            #expect(accepted.allSatisfy { $0 == 202 })
            // Generous: 60 runs on a loaded machine can take a while; only a lost event fails this.
            #expect(await eventually(within: 120) { served.saved.count == 60 })
            #expect(Set(served.saved).count == 60)
            #expect(try await served.signed(#"{"email":"o@example.com","n":1}"#, path: "/hooks/orders").status == 202)
            #expect(await eventually { jsonLines(served.folder + "/out/orders.jsonl").count == 1 })
        }
    }
}
