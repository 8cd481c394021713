import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Testing

/// `playbook serve` as an operator runs it: a child process, stopped by signals, killed and restarted.
@Suite struct ServeCommandTests {
    static let secret = "cli-serve-secret-5678"

    static let playbook = """
        version: 1
        name: leads
        triggers:
          - webhook:
              path: /hooks/leads
              verify: hmac-sha256
              signing_secret: { secret: LEAD_SECRET }
              signature_header: X-Signature
            concurrency: queue
        connections:
          out: { connector: file, options: { directory: out } }
        steps:
          gate:
            fetch: { file: gate.jsonl }
          incoming:
            fetch: { webhook: /hooks/leads, fields: { email: string }, after: [gate] }
          save:
            sync: { from: incoming, connection: out, resource: leads.jsonl, mode: insert }
        """

    /// A running `playbook serve`, with what it wrote on stderr.
    final class Server: @unchecked Sendable {
        let process = Process()
        let errors = Pipe()
        private let lock = NSLock()
        private var said = ""
        let origin: String

        init(folder: URL, extra: [String] = []) throws {
            process.executableURL = CLI.executable
            process.arguments = ["serve", folder.path, "--port", "0", "--secrets", folder.appendingPathComponent("secrets.env").path,
                                 "--log-format", "json", "--no-watch"] + extra
            process.currentDirectoryURL = folder
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var origin: String?
            var early = ""
            let deadline = Date().addingTimeInterval(60)
            while origin == nil, Date() < deadline {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                early += String(decoding: chunk, as: UTF8.self)
                if let range = early.range(of: #"on http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                    origin = String(early[range].dropFirst(3))
                }
            }
            guard let origin else {
                process.terminate()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the server did not start: \(early)"])
            }
            said = early
            self.origin = origin
            // Keep reading, so that the server never blocks on a full pipe.
            Thread { [self] in
                while true {
                    let chunk = errors.fileHandleForReading.availableData
                    if chunk.isEmpty { return }
                    lock.withLock { said += String(decoding: chunk, as: UTF8.self) }
                }
            }.start()
        }

        var stderr: String { lock.withLock { said } }

        func waitForExit() async throws -> Int32 {
            try await CLI.onOwnThread { [process] in
                process.waitUntilExit()
                return process.terminationStatus
            }
        }
    }

    static func post(_ origin: String, _ body: String) async throws -> Int {
        var request = HTTPClientRequest(url: origin + "/hooks/leads")
        request.method = .POST
        let signature = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
        request.headers.add(name: "X-Signature", value: signature)
        request.body = .bytes(ByteBuffer(string: body))
        return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(30)).status.code)
    }

    /// Lets one run past its gate: a writer comes to the pipe, writes a line and goes.
    static func openGate(_ folder: URL) {
        Thread {
            let descriptor = open(folder.appendingPathComponent("gate.jsonl").path, O_WRONLY)
            guard descriptor >= 0 else { return }
            let line = Array("{\"ok\": true}\n".utf8)
            _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }.start()
    }

    static func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func anEventAnsweredByAServerKilledBeforeItRanRunsOnceAfterARestart() async throws {
        let folder = try CLI.temporaryDirectory(files: ["leads.yaml": Self.playbook, "secrets.env": "LEAD_SECRET=\(Self.secret)\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(mkfifo(folder.appendingPathComponent("gate.jsonl").path, 0o600) == 0)
        let first = try Server(folder: folder)
        #expect(try await Self.post(first.origin, #"{"email":"kept@example.com"}"#) == 202)
        // Answered, stored, and its run waits at the gate: the server dies now.
        kill(first.process.processIdentifier, SIGKILL)
        _ = try await first.waitForExit()
        let saved = folder.appendingPathComponent("out/leads.jsonl")
        #expect(Self.lines(saved).isEmpty)

        let second = try Server(folder: folder)
        Self.openGate(folder)
        let deadline = Date().addingTimeInterval(30)
        while Self.lines(saved).isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(Self.lines(saved).count == 1)
        #expect(Self.lines(saved).first?.contains("kept@example.com") == true)
        #expect(second.stderr.contains("accepted earlier and not finished"))
        second.process.terminate()
        #expect(try await second.waitForExit() == 0)
        #expect(Self.lines(saved).count == 1)
        #expect(!second.stderr.contains(Self.secret))
    }

    @Test func sighupReloadsTheFolderAndSigtermStopsCleanly() async throws {
        let folder = try CLI.temporaryDirectory(files: ["leads.yaml": Self.playbook, "secrets.env": "LEAD_SECRET=\(Self.secret)\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try Server(folder: folder)
        let ungated = Self.playbook.replacingOccurrences(of: "name: leads", with: "name: leads2")
            .replacingOccurrences(of: "/hooks/leads", with: "/hooks/leads2")
            .replacingOccurrences(of: "  gate:\n    fetch: { file: gate.jsonl }\n", with: "")
            .replacingOccurrences(of: ", after: [gate]", with: "")
            .replacingOccurrences(of: "leads.jsonl", with: "leads2.jsonl")
        try ungated.write(to: folder.appendingPathComponent("leads2.yaml"), atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        var request = HTTPClientRequest(url: server.origin + "/healthz")
        request.method = .GET
        let deadline = Date().addingTimeInterval(20)
        var health = ""
        while !health.contains("leads2"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            health = String(buffer: try await response.body.collect(upTo: 1 << 20))
        }
        #expect(health.contains("/hooks/leads2"))
        kill(server.process.processIdentifier, SIGTERM)
        #expect(try await server.waitForExit() == 0)
        #expect(server.stderr.contains("\"message\":\"stopped\""))
    }
}
