import Diagnostics
import Foundation
import PlaybookLanguage

/// The language server's logic: messages in, messages out, with no I/O, so that tests can drive it
/// directly; `LanguageServerConnection` reads and writes the streams.
public final class LanguageServer {
    /// Where the session is: LSP allows only `initialize` before it, and only `exit` after `shutdown`.
    enum Phase {
        case awaitingInitialize, running, shutDown
    }

    private var phase = Phase.awaitingInitialize
    private var encoding = PositionEncoding.utf16
    private var documents: [String: OpenDocument] = [:]
    /// Connector spec files each document's diagnostics were last published to, so they can be cleared.
    private var specURIs: [String: Set<String>] = [:]
    private let validator: PlaybookValidator
    private let serverVersion: String

    /// The process exit status once `exit` has arrived: 0 after `shutdown`, 1 without it.
    public private(set) var exitStatus: Int32?

    /// A server validating with `catalog` (the built-in connectors by default), reporting `version`
    /// as its own.
    public init(catalog: ConnectorCatalog = .builtIn, version: String) {
        validator = PlaybookValidator(catalog: catalog, keepsCheckedExpressions: false)
        serverVersion = version
    }

    /// Handles one frame from the client and returns the messages to send back, in order.
    public func receive(_ frame: MessageFramer.Frame) -> [JSONValue] {
        switch frame {
        case .badHeader(let reason):
            return [RPCError(id: .null, code: .parseError, message: "unreadable message header: \(reason)").response]
        case .message(let body):
            switch IncomingMessage.parse(body) {
            case .failure(let error): return [error.response]
            case .success(.response): return []
            case .success(.notification(let method, let params)): return notification(method, params)
            case .success(.request(let id, let method, let params)):
                switch request(method, params) {
                case .success(let result): return [RPC.response(id: id, result: result.value)] + result.then
                case .failure(let error): return [RPCError(id: id, code: error.code, message: error.message).response]
                }
            }
        }
    }

    // MARK: Requests

    private struct Answer {
        var value: JSONValue
        var then: [JSONValue] = []
    }

    private struct Refusal: Error {
        var code: JSONRPCErrorCode
        var message: String
    }

    private func request(_ method: String, _ params: JSONValue) -> Result<Answer, Refusal> {
        switch (phase, method) {
        case (.awaitingInitialize, "initialize"):
            encoding = PositionEncoding.negotiated(from: params[path: "capabilities", "general", "positionEncodings"]?.arrayValue?.compactMap(\.stringValue))
            phase = .running
            return .success(Answer(value: initializeResult))
        case (.awaitingInitialize, _):
            return .failure(Refusal(code: .serverNotInitialized, message: "the server is not initialized: send initialize first"))
        case (.shutDown, _):
            return .failure(Refusal(code: .invalidRequest, message: "the server is shut down: only exit is accepted"))
        case (.running, "initialize"):
            return .failure(Refusal(code: .invalidRequest, message: "the server is already initialized"))
        case (.running, "shutdown"):
            phase = .shutDown
            return .success(Answer(value: .null))
        case (.running, "textDocument/completion"):
            return located(params) { document, offset in
                .object([("isIncomplete", .bool(false)), ("items", .array(CompletionProvider(document: document, catalog: validator.catalog).items(at: offset)))])
            }
        case (.running, "textDocument/hover"):
            return located(params) { document, offset in
                guard let hover = HoverProvider(document: document, catalog: validator.catalog).hover(at: offset) else { return .null }
                return .object([
                    ("contents", .object([("kind", .string("markdown")), ("value", .string(hover.markdown))])),
                    ("range", PositionMap(file: document.file, encoding: encoding).range(hover.range)),
                ])
            }
        case (.running, "textDocument/definition"):
            return located(params) { document, offset in
                guard let range = DefinitionProvider(document: document).definition(at: offset) else { return .null }
                return .object([("uri", .string(document.uri)), ("range", PositionMap(file: document.file, encoding: encoding).range(range))])
            }
        case (.running, "textDocument/codeAction"):
            guard let uri = params[path: "textDocument", "uri"]?.stringValue, let document = documents[uri],
                  let start = ProtocolPosition(params[path: "range", "start"]), let end = ProtocolPosition(params[path: "range", "end"])
            else { return .failure(Refusal(code: .invalidParams, message: "expected the textDocument.uri of an open document and a range")) }
            let map = PositionMap(file: document.file, encoding: encoding)
            let range = SourceRange(start: map.offset(of: start), end: map.offset(of: end))
            return .success(Answer(value: .array(CodeActionProvider(document: document, map: map).actions(in: range))))
        default:
            return .failure(Refusal(code: .methodNotFound, message: "unknown method '\(method)'"))
        }
    }

    /// Runs a request about a position in an open document.
    private func located(_ params: JSONValue, _ answer: (OpenDocument, Int) -> JSONValue) -> Result<Answer, Refusal> {
        guard let uri = params[path: "textDocument", "uri"]?.stringValue, let position = ProtocolPosition(params["position"]) else {
            return .failure(Refusal(code: .invalidParams, message: "expected textDocument.uri and position"))
        }
        guard let document = documents[uri] else {
            return .failure(Refusal(code: .invalidParams, message: "the document \(uri) is not open"))
        }
        let offset = PositionMap(file: document.file, encoding: encoding).offset(of: position)
        return .success(Answer(value: answer(document, offset)))
    }

    private var initializeResult: JSONValue {
        .object([
            ("capabilities", .object([
                ("positionEncoding", .string(encoding.rawValue)),
                ("textDocumentSync", .object([
                    ("openClose", .bool(true)),
                    // 2: incremental; a change without a range replaces the whole text, which is also accepted.
                    ("change", .int(2)),
                    ("save", .object([("includeText", .bool(false))])),
                ])),
                ("completionProvider", .object([("triggerCharacters", .array([.string(".")]))])),
                ("hoverProvider", .bool(true)),
                ("definitionProvider", .bool(true)),
                ("codeActionProvider", .object([("codeActionKinds", .array([.string("quickfix")]))])),
            ])),
            ("serverInfo", .object([("name", .string("playbook")), ("version", .string(serverVersion))])),
        ])
    }

    // MARK: Notifications

    private func notification(_ method: String, _ params: JSONValue) -> [JSONValue] {
        if method == "exit" {
            exitStatus = phase == .shutDown ? 0 : 1
            return []
        }
        guard phase == .running else { return [] }
        switch method {
        case "textDocument/didOpen":
            guard let uri = params[path: "textDocument", "uri"]?.stringValue, let text = params[path: "textDocument", "text"]?.stringValue else { return [] }
            let document = OpenDocument(uri: uri, text: text, version: params[path: "textDocument", "version"]?.intValue, validator: validator)
            documents[uri] = document
            return publish(document)
        case "textDocument/didChange":
            guard let uri = params[path: "textDocument", "uri"]?.stringValue, var document = documents[uri],
                  let changes = params["contentChanges"]?.arrayValue
            else { return [] }
            var text = document.file.bytes
            for change in changes {
                guard let newText = change["text"]?.stringValue else { continue }
                guard let range = change["range"], let start = ProtocolPosition(range["start"]), let end = ProtocolPosition(range["end"]) else {
                    text = Array(newText.utf8)
                    continue
                }
                let map = PositionMap(file: SourceFile(path: document.path, bytes: text), encoding: encoding)
                let lower = map.offset(of: start)
                let upper = max(lower, map.offset(of: end))
                text.replaceSubrange(lower..<upper, with: Array(newText.utf8))
            }
            document.update(text: String(decoding: text, as: UTF8.self), version: params[path: "textDocument", "version"]?.intValue, validator: validator)
            documents[uri] = document
            return publish(document)
        case "textDocument/didSave":
            guard let uri = params[path: "textDocument", "uri"]?.stringValue, var document = documents[uri] else { return [] }
            document.revalidate(validator)
            documents[uri] = document
            return publish(document)
        case "textDocument/didClose":
            guard let uri = params[path: "textDocument", "uri"]?.stringValue, documents.removeValue(forKey: uri) != nil else { return [] }
            let cleared = specURIs.removeValue(forKey: uri) ?? []
            return [DiagnosticsPublisher.clearing(uri: uri)] + cleared.sorted().map(DiagnosticsPublisher.clearing)
        default:
            // `initialized`, `$/cancelRequest` (every request is answered before the next is read),
            // `$/setTrace` and other notifications need nothing.
            return []
        }
    }

    /// The document's diagnostics, and those of the connector spec files it names.
    private func publish(_ document: OpenDocument) -> [JSONValue] {
        var messages = [DiagnosticsPublisher.notification(uri: document.uri, version: document.version, diagnostics: document.validation.fileDiagnostics, encoding: encoding)]
        var published = Set<String>()
        for spec in document.validation.connectorSpecDiagnostics {
            let uri = DiagnosticsPublisher.uri(ofPath: spec.file.path)
            published.insert(uri)
            messages.append(DiagnosticsPublisher.notification(uri: uri, version: nil, diagnostics: spec, encoding: encoding))
        }
        for stale in (specURIs[document.uri] ?? []).subtracting(published).sorted() {
            messages.append(DiagnosticsPublisher.clearing(uri: stale))
        }
        specURIs[document.uri] = published
        return messages
    }
}
