import Diagnostics
import Foundation
import Logging
import PlaybookLanguage
import PlaybookRuntime
import PlaybookState

/// An answer to an HTTP request, before it is written.
public struct ServerAnswer: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    static func json(_ status: Int, _ fields: [(String, JSONValue)], headers: [(name: String, value: String)] = []) -> ServerAnswer {
        ServerAnswer(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array((JSONValue.object(fields).text + "\n").utf8))
    }

    static func error(_ status: Int, _ message: String, headers: [(name: String, value: String)] = []) -> ServerAnswer {
        json(status, [("error", .string(message))], headers: headers)
    }
}

/// Takes webhook requests for the served playbooks: finds the trigger by path, checks the method,
/// the size and the signature, stores the event (once per event id) before answering 2xx, and asks
/// for its run. Nothing a refusal says comes from the secret, the expected signature or the body.
final class WebhookReceiver: Sendable {
    private let catalog: @Sendable () -> PlaybookCatalog
    private let verifiers: @Sendable (String) -> Result<WebhookVerifier, WebhookVerifierSetupError>?
    private let inbox: InboxWriter
    private let queue: RunQueue
    private let clock: any ServerClock
    private let publicURL: String?
    private let logger: Logger
    private let accepting: @Sendable () -> Bool

    init(
        catalog: @escaping @Sendable () -> PlaybookCatalog, verifiers: @escaping @Sendable (String) -> Result<WebhookVerifier, WebhookVerifierSetupError>?,
        inbox: InboxWriter, queue: RunQueue, clock: any ServerClock, publicURL: String?, logger: Logger, accepting: @escaping @Sendable () -> Bool
    ) {
        self.catalog = catalog
        self.verifiers = verifiers
        self.inbox = inbox
        self.queue = queue
        self.clock = clock
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.logger = logger
        self.accepting = accepting
    }

    /// The largest body the trigger at `path` takes, or nil when no webhook is served there.
    func maxBody(path: String) -> Int? {
        catalog().routes[path]?.webhook.maxBody
    }

    /// The answer to a request whose body was read whole (`body`), or was larger than the
    /// trigger's `max_body` (nil).
    func receive(method: String, path: String, query: String?, headers: [(name: String, value: String)], body: [UInt8]?) async -> ServerAnswer {
        guard let route = catalog().routes[path] else {
            ServerMetrics.webhookRequest(path: "unknown", outcome: "not_found")
            return .error(404, "no webhook is served at this path")
        }
        let (playbook, trigger) = route
        func refuse(_ outcome: String, _ answer: ServerAnswer) -> ServerAnswer {
            ServerMetrics.webhookRequest(path: path, outcome: outcome)
            logger.notice("webhook request refused: \(outcome)", metadata: ["path": .string(path), "status": .stringConvertible(answer.status)])
            return answer
        }
        let isHandshakeMethod = method == "GET" && trigger.webhook.verify.value == .meta
        guard method == "POST" || isHandshakeMethod else {
            let allowed = trigger.webhook.verify.value == .meta ? "GET, POST" : "POST"
            return refuse("wrong_method", .error(405, "this webhook takes \(allowed) requests", headers: [("Allow", allowed)]))
        }
        guard let body else {
            return refuse("too_large", .error(413, "the body is larger than this webhook takes (\(trigger.maxBody) bytes)"))
        }
        guard accepting() else {
            return refuse("stopping", .error(503, "the server is stopping; send the request again later", headers: [("Retry-After", "30")]))
        }
        let verifier: WebhookVerifier
        switch verifiers(path) {
        case .success(let made)?: verifier = made
        case .failure(let problem)?:
            logger.error("webhook \(path) cannot check signatures: \(problem)", metadata: ["path": .string(path), "playbook": .string(playbook.name)])
            return refuse("misconfigured", .error(503, "this webhook is not ready to take requests", headers: [("Retry-After", "60")]))
        case nil:
            return refuse("not_found", .error(404, "no webhook is served at this path"))
        }
        let queryItems = Self.queryItems(query)
        let uri = (publicURL ?? "http://" + (Self.header("host", in: headers) ?? "localhost")) + path + (query.map { $0.isEmpty ? "" : "?" + $0 } ?? "")
        let request = InboundWebhookRequest(method: method, uri: uri, query: queryItems, headers: headers, body: body)
        let now = clock.now()
        let eventID: String
        switch verifier.verify(request, now: now) {
        case .refused(let refusal):
            return refuse(Self.snakeCase(refusal.reason.rawValue), .error(refusal.status, refusal.message))
        case .handshake(let status, let text, let contentType):
            ServerMetrics.webhookRequest(path: path, outcome: "handshake")
            return ServerAnswer(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
        case .accepted(let id, _):
            eventID = id
        }
        if trigger.concurrency == .forbid, await queue.isBusy(playbook.name) {
            // Not stored: the sender tries again later, when the run in progress has ended.
            return refuse("busy", .error(503, "a run of this playbook is still going; send the request again later", headers: [("Retry-After", "30")]))
        }
        let lowered = headers.map { (name: $0.name.lowercased(), value: $0.value) }
        let headerJSON = JSONValue.object(lowered.map { ($0.name, JSONValue.string($0.value)) }).text
        let acceptance: EventAcceptance
        do {
            acceptance = try await inbox.accept(NewInboundEvent(
                path: path, playbook: playbook.name, eventID: eventID, headers: headerJSON, body: body, receivedAt: now))
        } catch {
            logger.error("a webhook event could not be stored: \(error)", metadata: ["path": .string(path)])
            return refuse("store_failed", .error(503, "the event could not be stored; send it again", headers: [("Retry-After", "10")]))
        }
        switch acceptance {
        case .duplicate(let first, let status):
            ServerMetrics.webhookRequest(path: path, outcome: "duplicate")
            logger.info("webhook event received again; not run again", metadata: ["path": .string(path), "event": .stringConvertible(first)])
            return .json(200, [("status", .string("duplicate")), ("event", .string(eventID)), ("state", .string(status.rawValue))])
        case .accepted(let id):
            ServerMetrics.webhookRequest(path: path, outcome: "accepted")
            let input = InboundEventInput(id: id, body: body, headers: Dictionary(lowered.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }))
            await queue.submit(RunRequest.webhook(input, playbook: playbook, webhook: trigger, at: now))
            return .json(202, [("status", .string("accepted")), ("event", .string(eventID))])
        }
    }

    /// `wrongSignature` → `wrong_signature`, as the other outcomes are named in the metrics.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase { text += "_" + character.lowercased() } else { text.append(character) }
        }
    }

    static func header(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }

    static func queryItems(_ query: String?) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}

/// The limits of webhook requests.
public enum WebhookLimits {
    /// The `max_body` of a webhook that does not set one.
    public static let defaultMaxBody = 1_048_576
}
