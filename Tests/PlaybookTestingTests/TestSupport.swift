import Diagnostics
import Foundation
@testable import PlaybookTesting

/// A folder with a playbook and test files written inline.
struct Workspace {
    let directory: URL

    init(_ files: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-testing-\(UUID().uuidString)")
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Loads a test file of the workspace.
    func load(_ name: String) throws -> TestFileLoader.Result {
        let path = directory.appendingPathComponent(name).path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        return TestFileLoader.load(SourceFile(path: path, bytes: Array(bytes)))
    }

    /// Loads and runs a test file; nil when it does not load.
    func run(_ name: String) async throws -> TestFileResult? {
        guard let suite = try load(name).suite else { return nil }
        return await TestRunner().run(suite)
    }
}

/// `line:column: code message` for each diagnostic of the test file, to compare in one go.
func described(_ result: TestFileLoader.Result) -> [String] {
    result.diagnostics.flatMap { file in
        file.sorted().diagnostics.map { diagnostic in
            let at = file.file.location(of: diagnostic.range.start)
            return "\(at.line):\(at.column): \(diagnostic.code) \(diagnostic.message)" + (diagnostic.help.map { " — \($0)" } ?? "")
        }
    }
}

let scoringPlaybook = """
    version: 1
    name: scoring
    params:
      min_score: { type: int, default: 50 }
    connections:
      crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
      chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
    steps:
      contacts:
        fetch: { connection: crm, resource: contacts }
      scored:
        transform:
          from: contacts
          set: { email: record.email.lowerAscii(), score: record.page_views * 2 }
          select: [id, email, score]
          on_record_error: skip
      hot:
        segment: { from: scored, where: record.score >= params.min_score }
      save:
        sync:
          from: hot
          connection: crm
          resource: contacts
          mode: update
          match_on: id
          fields: { id: record.id, hubspot_score: record.score }
      tell:
        notify: { from: hot, connection: chat, message: "Hot lead {{ record.email }} ({{ record.score }})" }
    """

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
