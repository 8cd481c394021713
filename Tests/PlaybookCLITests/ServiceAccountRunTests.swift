import _CryptoExtras
import Foundation
import PlaybookSandbox
import Testing

/// A Google Analytics 4 connection signed in with a service account's JSON key, run as a user runs it.
@Suite struct ServiceAccountRunTests {
    /// The example of the connectors guide: last week's traffic by source, saved as CSV.
    static let playbook = """
        version: 1
        name: ga4-weekly-traffic
        connections:
          analytics:
            connector: ga4
            auth: { service_account_key: { secret: GA4_KEY } }
            options: { property_id: "312345678" }
          files: { connector: file, options: { directory: reports } }
        steps:
          traffic:
            fetch:
              connection: analytics
              resource: report
              params: { dimensions: [date, sessionSource], metrics: [sessions, keyEvents], date_range: { start_date: 7daysAgo, end_date: yesterday } }
          saved:
            sync: { from: traffic, connection: files, resource: traffic.csv, mode: insert }
        """

    private static func traffic(in folder: URL) -> [String] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("reports/traffic.csv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    @Test func aGA4ConnectionWithAServiceAccountKeyRunsAgainstTheSandbox() async throws {
        let folder = try CLI.temporaryDirectory(files: ["ga4.yaml": Self.playbook])
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try await CLI.run(["run", "ga4.yaml", "--sandbox", "--format", "json", "--no-progress"], in: folder)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        let steps = summary["steps"] as? [[String: Any]] ?? []
        let read = steps.first { $0["id"] as? String == "traffic" }
        #expect(read?["status"] as? String == "succeeded")
        #expect((read?["records_out"] as? Int ?? 0) > 0)
        let lines = Self.traffic(in: folder)
        #expect(lines.first?.contains("session_source") == true)
        #expect(lines.count == (read?["records_out"] as? Int ?? -1) + 1)
    }

    /// A real key, in a secrets file on one line, against the sandbox's token endpoint: the run reads
    /// the report, and nothing of the private key is in what it prints, with or without progress.
    @Test func thePrivateKeyAppearsInNoOutput() async throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let pem = key.pkcs8PEMRepresentation
        let keyFile: [String: String] = [
            "type": "service_account", "project_id": "acme-analytics", "private_key_id": "4f1c9e2d7a", "private_key": pem,
            "client_email": "reports@acme-analytics.iam.gserviceaccount.com", "token_uri": "https://oauth2.googleapis.com/token",
        ]
        let keyJSON = String(decoding: try JSONSerialization.data(withJSONObject: keyFile, options: [.sortedKeys]), as: UTF8.self)
        let server = SandboxServer()
        let origin = try await server.start(port: 0, seed: 2).absoluteString
        defer { Task { await server.stop() } }
        let folder = try CLI.temporaryDirectory(files: [
            "team.secrets": "GA4_KEY=\(keyJSON)\n",
            "ga4.yaml": Self.playbook.replacingOccurrences(of: #"options: { property_id: "312345678" }"#,
                                                           with: #"options: { property_id: "312345678", base_url: "\#(origin)/ga4" }"#),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        var outputs: [String] = []
        for format in ["text", "json"] {
            let output = try await CLI.run(["run", "ga4.yaml", "--secrets", "team.secrets", "--format", format, "--progress"], in: folder)
            #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
            outputs += [output.stdout, output.stderr]
        }
        #expect(Self.traffic(in: folder).count > 2, "the report was read and saved")
        outputs.append(server.journal.jsonLines())
        let keyLines = pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count >= 16 }
        #expect(keyLines.count > 10)
        for output in outputs {
            #expect(!output.contains(keyJSON))
            for line in keyLines { #expect(!output.contains(line), "a line of the private key appears in:\n\(output.prefix(2000))") }
        }
    }
}
