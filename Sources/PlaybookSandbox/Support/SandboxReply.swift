import Diagnostics
import Foundation

/// A platform's answer before it goes on the wire.
struct SandboxReply: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer.
    static func json(_ status: Int, _ value: JSONValue, contentType: String = "application/json; charset=utf-8") -> SandboxReply {
        SandboxReply(status: status, headers: [("Content-Type", contentType)], body: value.data)
    }

    /// A plain-text answer, as Slack's incoming webhooks give.
    static func text(_ status: Int, _ text: String) -> SandboxReply {
        SandboxReply(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Data(text.utf8))
    }

    /// Adds a header, replacing one of the same name.
    func adding(_ name: String, _ value: String) -> SandboxReply {
        var copy = self
        copy.headers.removeAll { $0.0.lowercased() == name.lowercased() }
        copy.headers.append((name, value))
        return copy
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
