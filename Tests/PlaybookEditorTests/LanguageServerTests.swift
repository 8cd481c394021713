import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookEditor

@Suite struct LanguageServerTests {
    @Test func messageThatIsNotJSONGetsParseErrorAndTheServerGoesOn() {
        let client = TestClient()
        client.initialize()
        let replies = client.send("{\"jsonrpc\": \"2.0\", \"id\": 7, ")
        #expect(replies.count == 1)
        #expect(replies.first?["error"]?["code"] == .int(-32700))
        #expect(replies.first?["id"] == .null)
        #expect(client.request("shutdown")["result"] == .null)
        #expect(client.request("shutdown")["error"] != nil)
    }

    @Test(arguments: ["[1, 2]", "\"text\"", #"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#, #"{"jsonrpc":"2.0","id":3,"method":5}"#])
    func invalidRequestIsAnsweredWithInvalidRequest(json: String) {
        let client = TestClient()
        client.initialize()
        #expect(client.send(json).first?["error"]?["code"] == .int(-32600))
    }

    @Test func badHeaderIsAnsweredWithAnError() {
        let server = LanguageServer(version: "test")
        let replies = server.receive(.badHeader("a header without Content-Length"))
        #expect(replies.first?["error"]?["code"] == .int(-32700))
    }

    @Test func unknownRequestIsMethodNotFoundAndUnknownNotificationIsIgnored() {
        let client = TestClient()
        client.initialize()
        let response = client.request("textDocument/formatting", #"{"textDocument":{"uri":"file:///x.yaml"}}"#)
        #expect(response["error"]?["code"] == .int(-32601))
        #expect(response["id"] == .int(2))
        #expect(client.notify("workspace/didChangeWatchedFiles", #"{"changes":[]}"#).isEmpty)
        #expect(client.notify("$/cancelRequest", #"{"id":2}"#).isEmpty)
    }

    @Test func requestBeforeInitializeIsRefused() {
        let client = TestClient()
        #expect(client.request("textDocument/hover", "{}")["error"]?["code"] == .int(-32002))
        #expect(client.initialize()["result"]?["capabilities"] != nil)
    }

    @Test func initializeAdvertisesFeaturesAndUTF16ByDefault() {
        let capabilities = TestClient().initialize()["result"]?["capabilities"]
        #expect(capabilities?["positionEncoding"] == .string("utf-16"))
        #expect(capabilities?["textDocumentSync"]?["change"] == .int(2))
        #expect(capabilities?["hoverProvider"] == .bool(true))
        #expect(capabilities?["definitionProvider"] == .bool(true))
        #expect(capabilities?["completionProvider"] != nil)
        #expect(TestClient().initialize(encodings: ["utf-8", "utf-16"])["result"]?["capabilities"]?["positionEncoding"] == .string("utf-8"))
        #expect(TestClient().initialize(encodings: ["latin-1"])["result"]?["capabilities"]?["positionEncoding"] == .string("utf-16"))
    }

    @Test func exitAfterShutdownIsStatusZeroAndWithoutItOne() {
        let orderly = TestClient()
        orderly.initialize()
        orderly.request("shutdown")
        orderly.notify("exit")
        #expect(orderly.server.exitStatus == 0)
        let abrupt = TestClient()
        abrupt.initialize()
        #expect(abrupt.server.exitStatus == nil)
        abrupt.notify("exit")
        #expect(abrupt.server.exitStatus == 1)
    }

    // MARK: Diagnostics

    @Test func diagnosticsAreValidatesWithHelpAndRange() throws {
        let text = Samples.playbook.replacingOccurrences(of: "from: contacts", with: "from: contcts")
        let client = TestClient()
        client.initialize()
        let published = client.open(text)
        let expected = PlaybookValidator().validate(SourceFile(path: "/tmp/playbooks/sample.yaml", text: text)).diagnostics
        try #require(!expected.isEmpty)
        #expect(published.count == expected.count)
        for (sent, diagnostic) in zip(published, expected) {
            #expect(sent["code"] == .string(diagnostic.code.rawValue))
            #expect(sent["severity"] == .int(diagnostic.severity == .error ? 1 : 2))
            #expect(sent["message"]?.stringValue?.hasPrefix(diagnostic.message) == true)
            if let help = diagnostic.help { #expect(sent["message"]?.stringValue?.contains("help: \(help)") == true) }
        }
        let range = try #require(published.first?["range"])
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("contcts") }
        #expect(range["start"]?["line"] == .int(line ?? -1))
        #expect(range["start"]?["character"] == .int(12))
        #expect(range["end"]?["character"] == .int(19))
    }

    @Test func quickFixIsTheDiagnosticsFixItAndApplyingItClearsTheProblem() throws {
        let text = Samples.playbook.replacingOccurrences(of: "from: contacts", with: "from: contcts")
        let client = TestClient()
        client.initialize()
        #expect(client.open(text).count == 1)
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("contcts") })
        let response = client.request("textDocument/codeAction", #"{"textDocument":{"uri":"\#(TestClient.uri)"},"range":{"start":{"line":\#(line),"character":14},"end":{"line":\#(line),"character":14}},"context":{"diagnostics":[]}}"#)
        let actions = try #require(response["result"]?.arrayValue)
        #expect(actions.count == 1)
        let action = try #require(actions.first)
        #expect(action["title"] == .string("use 'contacts'"))
        #expect(action["kind"] == .string("quickfix"))
        let edit = try #require(action["edit"]?["changes"]?[TestClient.uri]?.arrayValue?.first)
        #expect(edit["newText"] == .string("contacts"))
        let replies = client.notify("textDocument/didChange", #"{"textDocument":{"uri":"\#(TestClient.uri)","version":2},"contentChanges":[{"range":\#(try #require(edit["range"]).text),"text":"contacts"}]}"#)
        #expect(TestClient.diagnostics(in: replies).isEmpty)
        #expect(replies.count == 1)
        let elsewhere = client.request("textDocument/codeAction", #"{"textDocument":{"uri":"\#(TestClient.uri)"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":3}},"context":{"diagnostics":[]}}"#)
        #expect(elsewhere["result"] == .array([]))
    }

    @Test func validPlaybookHasNoDiagnostics() {
        let client = TestClient()
        client.initialize()
        #expect(client.open(Samples.playbook).isEmpty)
    }

    @Test(arguments: [("utf-16", 2), ("utf-8", 4), ("utf-32", 1)])
    func columnsAfterNonASCIITextCountTheNegotiatedUnits(encoding: String, emojiWidth: Int) throws {
        let text = Samples.playbook.replacingOccurrences(of: "where: record.page_views > 20", with: "where: 'record.email == \"zażółć 🎉\" || record.nope'")
        let client = TestClient()
        client.initialize(encodings: [encoding])
        let published = client.open(text)
        let diagnostic = try #require(published.first { $0["message"]?.stringValue?.contains("nope") == true })
        let line = try #require(text.split(separator: "\n").first { $0.contains("nope") })
        let before = line[..<line.range(of: "nope")!.lowerBound]
        let prefix = switch encoding {
        case "utf-8": before.utf8.count
        case "utf-16": before.utf16.count
        default: before.unicodeScalars.count
        }
        #expect(before.unicodeScalars.count + emojiWidth - 1 == prefix || encoding == "utf-8")
        #expect(diagnostic["range"]?["start"]?["character"] == .int(prefix))
    }

    @Test func incrementalChangeInUTF16PositionsFixesTheMistake() {
        let text = Samples.playbook.replacingOccurrences(of: "name: lsp-sample", with: "name: lsp-sample\ndescription: \"🎉 launch\"")
            .replacingOccurrences(of: "from: contacts", with: "from: contcts")
        let client = TestClient()
        client.initialize()
        #expect(!client.open(text).isEmpty)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("contcts") }!
        // Insert the missing `a` after `cont`; the emoji line above must not shift anything.
        let replies = client.notify("textDocument/didChange", #"""
            {"textDocument":{"uri":"\#(TestClient.uri)","version":2},"contentChanges":[
             {"range":{"start":{"line":\#(line),"character":16},"end":{"line":\#(line),"character":16}},"text":"a"}]}
            """#)
        let diagnostics = TestClient.diagnostics(in: replies)
        #expect(replies.count == 1)
        #expect(diagnostics.isEmpty)
        // A change on the emoji line itself: replace `launch` (after a two-unit emoji) with `go-live`.
        let emojiLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("🎉") }!
        client.notify("textDocument/didChange", #"""
            {"textDocument":{"uri":"\#(TestClient.uri)","version":3},"contentChanges":[
             {"range":{"start":{"line":\#(emojiLine),"character":17},"end":{"line":\#(emojiLine),"character":23}},"text":"go-live"}]}
            """#)
        let hover = client.request("textDocument/hover", #"{"textDocument":{"uri":"\#(TestClient.uri)"},"position":{"line":\#(emojiLine),"character":2}}"#)
        #expect(hover["result"]?["contents"]?["value"]?.stringValue?.contains("description") == true)
        let definition = client.request("textDocument/definition", #"{"textDocument":{"uri":"\#(TestClient.uri)"},"position":{"line":\#(line),"character":14}}"#)
        #expect(definition["result"]?["range"]?["start"]?["line"] == .int(emojiLine + 9))
    }

    @Test func fullTextChangeReplacesTheDocumentAndCloseClearsDiagnostics() {
        let client = TestClient()
        client.initialize()
        #expect(client.open(Samples.playbook).isEmpty)
        let broken = Samples.playbook.replacingOccurrences(of: "resource: contacts", with: "resource: contactz")
        let replies = client.notify("textDocument/didChange", #"{"textDocument":{"uri":"\#(TestClient.uri)","version":2},"contentChanges":[{"text":\#(JSONValue.quoted(broken))}]}"#)
        let diagnostics = TestClient.diagnostics(in: replies)
        #expect(diagnostics.first?["message"]?.stringValue?.contains("contactz") == true)
        let closing = client.notify("textDocument/didClose", #"{"textDocument":{"uri":"\#(TestClient.uri)"}}"#)
        #expect(closing.count == 1)
        #expect(closing.first?["params"]?["diagnostics"] == .array([]))
        #expect(client.request("textDocument/hover", #"{"textDocument":{"uri":"\#(TestClient.uri)"},"position":{"line":0,"character":0}}"#)["error"]?["code"] == .int(-32602))
    }

    @Test func everyExpressionFunctionIsDocumented() {
        let undocumented = CELEnvironment.callableFunctionNames.filter { CELFunctionDoc.named($0) == nil }
        #expect(undocumented.isEmpty)
    }
}
