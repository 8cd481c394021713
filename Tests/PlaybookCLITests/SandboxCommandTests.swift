import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite struct SandboxCommandTests {
    @Test func badFaultsSpecIsAUsageError() async throws {
        let output = try await CLI.run(["sandbox", "--port", "0", "--faults", "429=0.5,boom=1"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("faults item 2 `boom=1`: unknown fault `boom`"))
    }

    @Test func badLimitsSpecIsAUsageError() async throws {
        let output = try await CLI.run(["sandbox", "--port", "0", "--limits", "slack=100,fax=3"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--limits: limits item 2 `fax=3`: no limit for `fax`"), "\(output.stderr)")
    }

    @Test func servesEveryPlatformUntilSIGTERM() async throws {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["sandbox", "--port", "0", "--seed", "3"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var printed = ""
        let deadline = Date().addingTimeInterval(30)
        while !printed.contains("Press Ctrl-C"), Date() < deadline {
            printed += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(printed.hasPrefix("Sandbox listening on http://127.0.0.1:"))
        for platform in ["hubspot", "slack", "sendgrid", "salesforce", "mailchimp", "meta_ads", "google_ads", "ga4", "linkedin_ads", "webhook"] {
            #expect(printed.contains("/\(platform) "), "no line for \(platform)")
        }
        let origin = try #require(printed.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        let (body, _) = try await URLSession.shared.data(from: URL(string: origin + "/_sandbox/health")!)
        #expect(String(decoding: body, as: UTF8.self).contains("\"status\":\"ok\""))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
