import Foundation
import Diagnostics
@testable import PlaybookEditor

/// Drives a `LanguageServer` in-process with JSON text, as a client would over the wire.
final class TestClient {
    let server = LanguageServer(version: "test")
    private var nextID = 1
    private var openURIs = Set<String>()
    private var version = 1
    static let uri = "file:///tmp/playbooks/sample.yaml"

    /// Sends a message written as JSON text and returns everything the server sends back.
    @discardableResult
    func send(_ json: String) -> [JSONValue] {
        server.receive(.message(Array(json.utf8)))
    }

    /// Sends a request and returns the response to it.
    @discardableResult
    func request(_ method: String, _ params: String = "{}") -> JSONValue {
        let id = nextID
        nextID += 1
        let replies = send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        return replies.first { $0["id"] == .int(id) } ?? .null
    }

    @discardableResult
    func notify(_ method: String, _ params: String = "{}") -> [JSONValue] {
        send(#"{"jsonrpc":"2.0","method":"\#(method)","params":\#(params)}"#)
    }

    /// Initializes the server, offering `encodings` when given.
    @discardableResult
    func initialize(encodings: [String]? = nil) -> JSONValue {
        let general = encodings.map { #","general":{"positionEncodings":[\#($0.map { JSONValue.quoted($0) }.joined(separator: ","))]}"# } ?? ""
        let response = request("initialize", #"{"processId":null,"rootUri":null,"capabilities":{"textDocument":{}\#(general)}}"#)
        notify("initialized")
        return response
    }

    /// Opens a document and returns the diagnostics published for it.
    func open(_ text: String, uri: String = TestClient.uri) -> [JSONValue] {
        openURIs.insert(uri)
        let replies = notify("textDocument/didOpen", #"{"textDocument":{"uri":"\#(uri)","languageId":"yaml","version":1,"text":\#(JSONValue.quoted(text))}}"#)
        return Self.diagnostics(in: replies, uri: uri)
    }

    static func diagnostics(in replies: [JSONValue], uri: String = TestClient.uri) -> [JSONValue] {
        for reply in replies where reply["method"] == .string("textDocument/publishDiagnostics") && reply["params"]?["uri"] == .string(uri) {
            return reply["params"]?["diagnostics"]?.arrayValue ?? []
        }
        return []
    }

    /// A request at the place of `‸` in `marked` (which is opened first, without the marker).
    func request(_ method: String, at marked: String) -> JSONValue {
        let (text, position) = Self.unmark(marked)
        if openURIs.contains(Self.uri) {
            // A change keeps what the server learnt from the earlier, valid text.
            version += 1
            notify("textDocument/didChange", #"{"textDocument":{"uri":"\#(Self.uri)","version":\#(version)},"contentChanges":[{"text":\#(JSONValue.quoted(text))}]}"#)
        } else {
            _ = open(text)
        }
        return request(method, #"{"textDocument":{"uri":"\#(Self.uri)"},"position":{"line":\#(position.line),"character":\#(position.character)}}"#)
    }

    /// The text without `‸`, and the marker's position in UTF-16 units.
    static func unmark(_ marked: String) -> (String, (line: Int, character: Int)) {
        let parts = marked.components(separatedBy: "‸")
        precondition(parts.count == 2, "one marker expected")
        let before = parts[0]
        let lines = before.split(separator: "\n", omittingEmptySubsequences: false)
        return (parts.joined(), (lines.count - 1, lines.last!.utf16.count))
    }
}

extension JSONValue {
    var labels: [String] {
        (self["result"]?["items"]?.arrayValue ?? []).compactMap { $0["label"]?.stringValue }
    }
}

enum Samples {
    /// A valid playbook: HubSpot contacts, segmented, announced in Slack and written back.
    static let playbook = """
        version: 1
        name: lsp-sample
        connections:
          crm:
            connector: hubspot
            auth: { token: { secret: HUBSPOT_TOKEN } }
          sales:
            connector: slack
            auth: { webhook_url: { secret: SLACK_WEBHOOK } }
        steps:
          contacts:
            fetch:
              connection: crm
              resource: contacts
          hot:
            segment:
              from: contacts
              where: record.page_views > 20
          tell:
            notify:
              from: hot
              connection: sales
              message: "Hot lead: {{ record.email }}"

        """
}
