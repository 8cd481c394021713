import Diagnostics
import Foundation
import Synchronization

/// Slack: incoming webhooks (`/services/T…/B…/…`, answered with a plain `ok`) and `chat.postMessage`
/// (bearer token, logical errors as HTTP 200 with `ok: false`), with a 429 and `Retry-After` in seconds
/// when messages come faster than about one a second.
final class SlackSandbox: SandboxPlatform {
    let name = "slack"
    let examplePath = "services/T000/B000/XXXX"
    private let limiter: Mutex<RollingWindow>
    private let messageCounter = Mutex(0)

    init(options: SandboxOptions) {
        limiter = Mutex(RollingWindow(limit: options.limits.slackMessagesPerWindow, window: options.limits.slackWindowSeconds))
    }

    private func isWebhook(_ request: SandboxRequest) -> Bool {
        request.segments.count == 4 && request.segments[0] == "services" && request.segments[1].hasPrefix("T")
            && request.segments[2].hasPrefix("B")
    }

    private func isPostMessage(_ request: SandboxRequest) -> Bool {
        request.segments == ["api", "chat.postMessage"]
    }

    func write(of request: SandboxRequest) -> WriteDescription? {
        guard request.method == .post else { return nil }
        if isWebhook(request) { return WriteDescription(resource: "incoming-webhook", operation: "post") }
        if isPostMessage(request) { return WriteDescription(resource: "chat.postMessage", operation: "send") }
        return nil
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        if isWebhook(request), request.method == .post { return webhook(request, now: moment.now) }
        if isPostMessage(request), request.method == .post { return postMessage(request, now: moment.now) }
        if request.segments.first == "api" { return .json(200, ["ok": false, "error": "unknown_method"]) }
        return .text(404, "no_service")
    }

    private func webhook(_ request: SandboxRequest, now: Date) -> SandboxReply {
        guard let body = request.json ?? request.formFields["payload"].flatMap({ JSONValue.parse(Data($0.utf8)) }),
            Self.hasContent(body)
        else { return .text(400, "invalid_payload") }
        let decision = limiter.withLock { $0.admit(at: now) }
        guard decision.allowed else { return rateLimited(retryAfter: decision.retryAfterSeconds, webhook: true) }
        return .text(200, "ok")
    }

    private func postMessage(_ request: SandboxRequest, now: Date) -> SandboxReply {
        let isForm = request.header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        let form = isForm ? request.formFields : [:]
        let body = isForm ? nil : request.json
        let token = request.bearerToken ?? form["token"] ?? body?["token"]?.stringValue
        guard let token, !token.isEmpty else { return .json(200, ["ok": false, "error": "not_authed"]) }
        let channel = body?["channel"]?.stringValue ?? form["channel"]
        guard let channel, !channel.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .json(200, ["ok": false, "error": "channel_not_found"])
        }
        let text = body?["text"]?.stringValue ?? form["text"]
        let blocks = body?["blocks"]
        guard (text.map { !$0.isEmpty } ?? false) || (blocks?.arrayValue.map { !$0.isEmpty } ?? false) else {
            return .json(200, ["ok": false, "error": "no_text"])
        }
        let decision = limiter.withLock { $0.admit(at: now) }
        guard decision.allowed else { return rateLimited(retryAfter: decision.retryAfterSeconds, webhook: false) }
        let sequence = messageCounter.withLock { value in
            value += 1
            return value
        }
        let ts = "\(Int(now.timeIntervalSince1970)).\(String(sequence % 1_000_000).leftPadded(6))"
        let channelID = channel.hasPrefix("C") && channel == channel.uppercased() ? channel : "C" + String(Self.stableHash(channel) % 100_000_000).leftPadded(8)
        var message: [(String, JSONValue)] = [
            ("type", "message"), ("subtype", "bot_message"), ("text", .string(text ?? "")), ("ts", .string(ts)),
            ("bot_id", "B0SANDBOX"), ("user", "U0SANDBOX"),
        ]
        if let blocks { message.append(("blocks", blocks)) }
        if let thread = body?["thread_ts"]?.stringValue ?? form["thread_ts"] { message.append(("thread_ts", .string(thread))) }
        return .json(200, ["ok": true, "channel": .string(channelID), "ts": .string(ts), "message": .object(message)])
    }

    static func hasContent(_ body: JSONValue) -> Bool {
        if let text = body["text"]?.stringValue, !text.isEmpty { return true }
        if let blocks = body["blocks"]?.arrayValue, !blocks.isEmpty { return true }
        if let attachments = body["attachments"]?.arrayValue, !attachments.isEmpty { return true }
        return false
    }

    /// FNV-1a, so a channel name always maps to the same made-up id.
    static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    private func rateLimited(retryAfter: Int, webhook: Bool) -> SandboxReply {
        let reply: SandboxReply = webhook ? .text(429, "rate_limited") : .json(429, ["ok": false, "error": "ratelimited"])
        return reply.adding("Retry-After", String(retryAfter))
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        let webhook = isWebhook(request)
        switch fault {
        case .rateLimited: return rateLimited(retryAfter: 1, webhook: webhook)
        case .serverError(let status):
            return webhook ? .text(status, "rollup_error") : .json(status, ["ok": false, "error": "internal_error"])
        default: return .text(500, "rollup_error")
        }
    }
}
