import Diagnostics
import Foundation
import PlaybookEditor
import Testing

/// `playbook lsp` as an editor runs it: the real executable, spoken to over its standard input and
/// output. Every wait has a deadline, so a server that hangs fails the test instead of blocking it.
@Suite struct LSPCommandTests {
    static let playbook = """
        version: 1
        name: lsp-session
        connections:
          crm:
            connector: hubspot
            auth: { token: { secret: HUBSPOT_TOKEN } }
        steps:
          contacts:
            fetch:
              connection: crm
              resource: contacts
          hot:
            segment:
              from: contcts
              where: record.page_views > 20 && record.email != ""
          mark:
            sync:
              from: hot
              connection: crm
              resource: contacts
              mode: updat
              match_on: id
              fields: { id: record.id, lead_status: '"OPEN"' }

        """

    @Test func fullSessionGivesValidatesDiagnosticsThenCompletionHoverDefinitionAndExitsCleanly() async throws {
        let directory = try CLI.temporaryDirectory(files: ["session.yaml": Self.playbook])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("session.yaml").path
        let validated = try await CLI.run(["validate", "--format", "json", path])
        #expect(validated.status == 1)
        let report = try JSONValue(parsing: validated.stdout)
        let expected = try #require(report["files"]?.arrayValue?.first?["diagnostics"]?.arrayValue)
        // The unknown step and the unknown mode; "records go nowhere" waits until the errors are fixed.
        try #require(expected.count == 2)

        try await CLI.onOwnThread {
            let server = try LanguageServerProcess()
            defer { server.stop() }
            let uri = URL(fileURLWithPath: path).absoluteString

            server.send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}"#)
            let initialized = try server.next { $0["id"] == .int(1) }
            #expect(initialized["result"]?["capabilities"]?["positionEncoding"] == .string("utf-16"))
            server.send(#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)

            server.send(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"\#(uri)","languageId":"yaml","version":1,"text":\#(JSONValue.quoted(Self.playbook))}}}"#)
            let opened = try server.next { $0["method"] == .string("textDocument/publishDiagnostics") }
            let published = opened["params"]?["diagnostics"]?.arrayValue ?? []
            #expect(published.count == expected.count)
            for (sent, printed) in zip(published, expected) {
                #expect(sent["code"] == printed["code"])
                #expect(sent["severity"] == (printed["severity"] == .string("error") ? JSONValue.int(1) : JSONValue.int(2)))
                let message = sent["message"]?.stringValue ?? ""
                #expect(message.split(separator: "\n").first.map(String.init) == printed["message"]?.stringValue)
                if let help = printed["help"]?.stringValue { #expect(message.contains("help: \(help)")) }
                // validate prints 1-based lines and columns; the protocol counts from 0 (ASCII text here).
                #expect(sent["range"]?["start"]?["line"]?.int == printed["line"]?.int.map { $0 - 1 })
                #expect(sent["range"]?["start"]?["character"]?.int == printed["column"]?.int.map { $0 - 1 })
                #expect(sent["range"]?["end"]?["character"]?.int == printed["end_column"]?.int.map { $0 - 1 })
            }

            // Fix both mistakes with incremental edits, sent in one write with the next request split
            // across two writes.
            let fromLine = 13, whereLine = 14, modeLine = 20
            let change = #"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"\#(uri)","version":2},"contentChanges":[{"range":{"start":{"line":\#(modeLine),"character":12},"end":{"line":\#(modeLine),"character":17}},"text":"update"},{"range":{"start":{"line":\#(fromLine),"character":16},"end":{"line":\#(fromLine),"character":16}},"text":"a"}]}}"#
            let completion = #"{"jsonrpc":"2.0","id":2,"method":"textDocument/completion","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":\#(whereLine),"character":20}}}"#
            let completionFrame = MessageFramer.frame(Array(completion.utf8))
            server.write(MessageFramer.frame(Array(change.utf8)) + completionFrame.prefix(25))
            let fixed = try server.next { $0["method"] == .string("textDocument/publishDiagnostics") }
            #expect(fixed["params"]?["version"] == .int(2))
            #expect(fixed["params"]?["diagnostics"] == .array([]))
            server.write(Array(completionFrame.dropFirst(25)))
            let completed = try server.next { $0["id"] == .int(2) }
            let labels = (completed["result"]?["items"]?.arrayValue ?? []).compactMap { $0["label"]?.stringValue }
            #expect(labels.contains("page_views"))
            #expect(labels.contains("email"))

            server.send(#"{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":\#(whereLine),"character":22}}}"#)
            let hover = try server.next { $0["id"] == .int(3) }
            #expect(hover["result"]?["contents"]?["value"]?.stringValue?.contains("`int`") == true)

            server.send(#"{"jsonrpc":"2.0","id":4,"method":"textDocument/definition","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":\#(fromLine),"character":14}}}"#)
            let definition = try server.next { $0["id"] == .int(4) }
            #expect(definition["result"]?["uri"] == .string(uri))
            #expect(definition["result"]?["range"]?["start"]?["line"] == .int(7))

            server.write(Array("Content-Length: 9\r\n\r\n{\"id\": 5,".utf8))
            let unreadable = try server.next { $0["error"] != nil }
            #expect(unreadable["error"]?["code"] == .int(-32700))
            server.send(#"{"jsonrpc":"2.0","id":6,"method":"workspace/symbol","params":{"query":""}}"#)
            #expect(try server.next { $0["id"] == .int(6) }["error"]?["code"] == .int(-32601))

            server.send(#"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#)
            #expect(try server.next { $0["id"] == .int(7) }["result"] == .null)
            server.send(#"{"jsonrpc":"2.0","method":"exit"}"#)
            #expect(server.waitForExit() == 0)
        }
    }

    @Test func exitWithoutShutdownOrAClosedStreamEndsWithStatusOne() async throws {
        try await CLI.onOwnThread {
            let abrupt = try LanguageServerProcess()
            defer { abrupt.stop() }
            abrupt.send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#)
            _ = try abrupt.next { $0["id"] == .int(1) }
            abrupt.send(#"{"jsonrpc":"2.0","method":"exit"}"#)
            #expect(abrupt.waitForExit() == 1)

            let closed = try LanguageServerProcess()
            defer { closed.stop() }
            closed.closeInput()
            #expect(closed.waitForExit() == 1)
        }
    }
}

/// A running `playbook lsp`, with a reader thread collecting its messages.
private final class LanguageServerProcess: @unchecked Sendable {
    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let condition = NSCondition()
    private var received: [JSONValue] = []
    private var framer = MessageFramer()
    private var streamEnded = false
    private let exited = DispatchSemaphore(value: 0)

    init() throws {
        process.executableURL = CLI.executable
        process.arguments = ["lsp"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
        let handle = output.fileHandleForReading
        Thread { [self] in
            while true {
                let data = handle.availableData
                condition.lock()
                if data.isEmpty {
                    streamEnded = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                framer.append(data)
                while let frame = framer.next() {
                    if case .message(let body) = frame, let message = try? JSONValue(parsing: String(decoding: body, as: UTF8.self)) {
                        received.append(message)
                    }
                }
                condition.broadcast()
                condition.unlock()
            }
        }.start()
    }

    func send(_ json: String) { write(MessageFramer.frame(Array(json.utf8))) }

    func write(_ bytes: [UInt8]) { input.fileHandleForWriting.write(Data(bytes)) }

    func closeInput() { try? input.fileHandleForWriting.close() }

    /// The first message not yet taken that matches, waiting at most `timeout` seconds for it.
    func next(timeout: TimeInterval = 20, _ matches: (JSONValue) -> Bool) throws -> JSONValue {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let index = received.firstIndex(where: matches) { return received.remove(at: index) }
            if streamEnded { throw Timeout(description: "the server closed its output; received \(received.map(\.text))") }
            if !condition.wait(until: deadline) { throw Timeout(description: "no matching message in \(timeout)s; received \(received.map(\.text))") }
        }
    }

    /// The exit status, or nil when the process is still running after `timeout` seconds.
    func waitForExit(timeout: TimeInterval = 20) -> Int32? {
        guard exited.wait(timeout: .now() + timeout) == .success else { return nil }
        exited.signal()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Ends the process if the test has not, and waits for it.
    func stop() {
        closeInput()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

private extension JSONValue {
    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var int: Int? {
        if case .int(let value) = self { return Int(value) }
        return nil
    }
}
