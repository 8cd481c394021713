import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// The server's one port: `/healthz`, `/readyz`, `/metrics`, and every webhook path of the served
/// playbooks. The paths are looked up in the catalogue at each request, so that a reload changes
/// them without restarting the listener.
final class ServerResponder: HTTPResponder {
    typealias Context = ServerRequestContext

    let server: PlaybookServer
    let receiver: WebhookReceiver

    init(server: PlaybookServer, receiver: WebhookReceiver) {
        self.server = server
        self.receiver = receiver
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        switch path {
        case "/healthz":
            return Self.response(ServerAnswer(status: 200, headers: [("Content-Type", "application/json")], body: Array((await server.health().text + "\n").utf8)))
        case "/readyz":
            return Self.response(server.isReady
                ? ServerAnswer(status: 200, headers: [("Content-Type", "text/plain")], body: Array("ready\n".utf8))
                : ServerAnswer(status: 503, headers: [("Content-Type", "text/plain")], body: Array("not ready\n".utf8)))
        case "/metrics":
            return Self.response(ServerAnswer(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: ServerMetrics.exposition()))
        default:
            break
        }
        let headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        var body: [UInt8]?
        if let limit = receiver.maxBody(path: path) {
            // A declared length over the limit is refused before anything is read.
            let declared = request.headers[.contentLength].flatMap { Int($0) } ?? 0
            if declared <= limit {
                do {
                    let buffer = try await request.body.collect(upTo: limit)
                    body = Array(buffer.readableBytesView)
                } catch is NIOTooManyBytesError {
                    body = nil
                }
            }
        } else {
            body = []
        }
        return Self.response(await receiver.receive(method: method, path: path, query: request.uri.query, headers: headers, body: body))
    }

    static func response(_ answer: ServerAnswer) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        fields[.contentLength] = String(answer.body.count)
        return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
