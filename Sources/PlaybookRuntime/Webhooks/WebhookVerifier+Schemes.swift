import CEL
import Crypto
import Foundation

// One method per scheme. Each reads its headers, checks the timestamp where the scheme signs one,
// then compares the signature; the body is read (for an event id or a challenge) only once the
// signature has matched.
extension WebhookVerifier {
    /// Standard Webhooks: `webhook-signature` is a space-separated list of `v1,<base64>` entries (more
    /// than one while a secret is rotated) over `{webhook-id}.{webhook-timestamp}.{body}`. Entries of
    /// other versions, such as the asymmetric `v1a`, are passed over.
    func verifyStandardWebhooks(_ request: InboundWebhookRequest, now: Date) throws(WebhookRefusal) -> WebhookVerdict {
        guard let header = request.header("webhook-signature") else { throw .missingSignature("the webhook-signature header") }
        guard let id = request.header("webhook-id"), !id.isEmpty else { throw .missingMessageID }
        let time = try signedTime(request.header("webhook-timestamp"), "the webhook-timestamp header", now: now)
        let candidates = header.split(separator: " ").compactMap { entry in
            entry.hasPrefix("v1,") ? SignatureBytes.base64(entry.dropFirst(3)) : nil
        }
        guard !candidates.isEmpty else { throw .malformedSignature("the webhook-signature header") }
        guard let key else { throw .wrongSignature }
        let expected = StandardWebhookSignature.mac(key: SymmetricKey(data: key), id: id, timestamp: time.text, body: request.body)
        try requireOne(of: candidates, equalTo: expected)
        return .accepted(eventID: id, signedAt: time.date)
    }

    /// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]` over `{t}.{body}`, keyed with the
    /// secret as it is. Several `v1` during a secret's rotation; other schemes (`v0`) are passed over.
    func verifyStripe(_ request: InboundWebhookRequest, now: Date) throws(WebhookRefusal) -> WebhookVerdict {
        guard let header = request.header("Stripe-Signature") else { throw .missingSignature("the Stripe-Signature header") }
        var timestamp: String?
        var candidates: [[UInt8]] = []
        for item in header.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: .whitespaces), value = parts[1].trimmingCharacters(in: .whitespaces)
            if name == "t", timestamp == nil { timestamp = value }
            if name == "v1", let bytes = SignatureBytes.hex(value) { candidates.append(bytes) }
        }
        guard !candidates.isEmpty else { throw .malformedSignature("the Stripe-Signature header") }
        let time = try signedTime(timestamp, "the t= timestamp of the Stripe-Signature header", now: now)
        let signed = Array("\(time.text).".utf8) + request.body
        try requireSignature(over: signed, among: candidates)
        return .accepted(eventID: Self.text(Self.jsonObject(request.body), "id") ?? SignatureBytes.digestID(signed), signedAt: time.date)
    }

    /// HubSpot v3: `X-HubSpot-Signature-v3` is the base64 HMAC-SHA256 of method, full URI, body and
    /// `X-HubSpot-Request-Timestamp` (milliseconds), joined without separators.
    func verifyHubSpotV3(_ request: InboundWebhookRequest, now: Date) throws(WebhookRefusal) -> WebhookVerdict {
        guard let header = request.header("X-HubSpot-Signature-v3") else { throw .missingSignature("the X-HubSpot-Signature-v3 header") }
        let time = try signedTime(request.header("X-HubSpot-Request-Timestamp"), "the X-HubSpot-Request-Timestamp header",
                                  inMilliseconds: true, now: now)
        guard let candidate = SignatureBytes.base64(header.trimmingCharacters(in: .whitespaces)) else {
            throw .malformedSignature("the X-HubSpot-Signature-v3 header")
        }
        let signed = Array((request.method + request.uri).utf8) + request.body + Array(time.text.utf8)
        try requireSignature(over: signed, among: [candidate])
        return .accepted(eventID: SignatureBytes.digestID(signed), signedAt: time.date)
    }

    /// Shopify: `X-Shopify-Hmac-SHA256` is the base64 HMAC-SHA256 of the body. Nothing time-related is
    /// signed; `X-Shopify-Webhook-Id` names the delivery.
    func verifyShopify(_ request: InboundWebhookRequest) throws(WebhookRefusal) -> WebhookVerdict {
        guard let header = request.header("X-Shopify-Hmac-SHA256") else { throw .missingSignature("the X-Shopify-Hmac-SHA256 header") }
        guard let candidate = SignatureBytes.base64(header.trimmingCharacters(in: .whitespaces)) else {
            throw .malformedSignature("the X-Shopify-Hmac-SHA256 header")
        }
        try requireSignature(over: request.body, among: [candidate])
        let deliveryID = request.header("X-Shopify-Webhook-Id").flatMap { $0.isEmpty ? nil : $0 }
        return .accepted(eventID: deliveryID ?? SignatureBytes.digestID(request.body), signedAt: nil)
    }

    /// Slack: `X-Slack-Signature: v0=<hex>` over `v0:{X-Slack-Request-Timestamp}:{body}`. The Events
    /// API's `url_verification` request, once its signature matches, is answered with its challenge.
    func verifySlack(_ request: InboundWebhookRequest, now: Date) throws(WebhookRefusal) -> WebhookVerdict {
        guard let header = request.header("X-Slack-Signature") else { throw .missingSignature("the X-Slack-Signature header") }
        let time = try signedTime(request.header("X-Slack-Request-Timestamp"), "the X-Slack-Request-Timestamp header", now: now)
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.hasPrefix("v0="), let candidate = SignatureBytes.hex(value.dropFirst(3)) else {
            throw .malformedSignature("the X-Slack-Signature header")
        }
        let signed = Array("v0:\(time.text):".utf8) + request.body
        try requireSignature(over: signed, among: [candidate])
        let fields = Self.jsonObject(request.body)
        if Self.text(fields, "type") == "url_verification", let challenge = Self.text(fields, "challenge") {
            return .handshake(status: 200, body: challenge, contentType: "text/plain; charset=utf-8")
        }
        return .accepted(eventID: Self.text(fields, "event_id") ?? SignatureBytes.digestID(signed), signedAt: time.date)
    }

    /// Meta: a GET is the subscription check (`hub.mode=subscribe`, the configured `hub.verify_token`,
    /// answered with the bare `hub.challenge`); anything else carries `X-Hub-Signature-256:
    /// sha256=<hex>` over the body.
    func verifyMeta(_ request: InboundWebhookRequest) throws(WebhookRefusal) -> WebhookVerdict {
        if request.method.uppercased() == "GET" {
            guard request.queryItem("hub.mode") == "subscribe", let challenge = request.queryItem("hub.challenge"), !challenge.isEmpty else {
                throw .malformedHandshake
            }
            guard let token = request.queryItem("hub.verify_token"), let verifyToken, SignatureBytes.equal(Array(token.utf8), verifyToken) else {
                throw .wrongVerifyToken
            }
            return .handshake(status: 200, body: challenge, contentType: "text/plain; charset=utf-8")
        }
        guard let header = request.header("X-Hub-Signature-256") else { throw .missingSignature("the X-Hub-Signature-256 header") }
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.hasPrefix("sha256="), let candidate = SignatureBytes.hex(value.dropFirst(7)) else {
            throw .malformedSignature("the X-Hub-Signature-256 header")
        }
        try requireSignature(over: request.body, among: [candidate])
        return .accepted(eventID: SignatureBytes.digestID(request.body), signedAt: nil)
    }

    /// Generic: the named header holds the HMAC-SHA256 of the body in hexadecimal or base64,
    /// optionally after `sha256=`.
    func verifyHMACSHA256(_ request: InboundWebhookRequest) throws(WebhookRefusal) -> WebhookVerdict {
        let name = signatureHeader ?? ""
        guard let header = request.header(name) else { throw .missingSignature("the \(name) header") }
        var value = Substring(header.trimmingCharacters(in: .whitespaces))
        if value.lowercased().hasPrefix("sha256=") { value = value.dropFirst(7) }
        guard let candidate = SignatureBytes.hex(value) ?? SignatureBytes.base64(value) else {
            throw .malformedSignature("the \(name) header")
        }
        try requireSignature(over: request.body, among: [candidate])
        return .accepted(eventID: SignatureBytes.digestID(request.body), signedAt: nil)
    }

    /// Refuses unless one of `candidates` is the HMAC-SHA256 of `signed`.
    private func requireSignature(over signed: [UInt8], among candidates: [[UInt8]]) throws(WebhookRefusal) {
        guard let key else { throw .wrongSignature }
        try requireOne(of: candidates, equalTo: SignatureBytes.mac(signed, key: SymmetricKey(data: key)))
    }

    /// Refuses unless one of `candidates` equals `expected`, each compared in constant time.
    private func requireOne(of candidates: [[UInt8]], equalTo expected: [UInt8]) throws(WebhookRefusal) {
        guard candidates.contains(where: { SignatureBytes.equal($0, expected) }) else { throw .wrongSignature }
    }

    /// The body's top-level fields when it is a JSON object.
    private static func jsonObject(_ body: [UInt8]) -> CELMap? {
        guard case .map(let fields)? = try? JSONText.decode(body) else { return nil }
        return fields
    }

    /// A non-empty text field of a JSON object.
    private static func text(_ fields: CELMap?, _ field: String) -> String? {
        guard case .string(let text)? = fields?[field], !text.isEmpty else { return nil }
        return text
    }
}
