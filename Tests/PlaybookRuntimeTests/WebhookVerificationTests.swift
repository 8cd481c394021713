import Foundation
import PlaybookLanguage
@testable import PlaybookRuntime
import Testing

/// A genuine request of one scheme, from the published test vectors (or recomputed with Python's
/// `hmac` where none is published), with what verifying it must give.
struct SignedExample: Sendable, CustomTestStringConvertible {
    var name: String
    var verifier: WebhookVerifier
    var secret: String
    var request: InboundWebhookRequest
    /// When the request is received: the signed time, so the timestamp is fresh.
    var now: Date
    /// The header holding the signature, and the signature's text in it (without `v1,`, `sha256=` …).
    var signatureHeader: String
    var signature: String
    var eventID: String
    var signedAt: Date?

    var testDescription: String { name }

    /// The request with `header` set to `value`, or removed when `value` is nil.
    func with(_ header: String, _ value: String?) -> InboundWebhookRequest {
        var copy = request
        copy.headers.removeAll { $0.name.lowercased() == header.lowercased() }
        if let value { copy.headers.append((header, value)) }
        return copy
    }

    /// The request with the signature's first character changed: well-formed, but not the sender's.
    var forged: InboundWebhookRequest {
        let original = request.header(signatureHeader)!
        let replacement = signature.hasPrefix("a") ? "b" + signature.dropFirst() : "a" + signature.dropFirst()
        return with(signatureHeader, original.replacingOccurrences(of: signature, with: replacement))
    }

    /// The request with one byte of the body changed after signing.
    var tampered: InboundWebhookRequest {
        var copy = request
        copy.body[copy.body.count / 2] ^= 0x01
        return copy
    }
}

enum WebhookVectors {
    static let standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let standardSignature = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    static let standardKnownBad = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
    static let standardBody = Array(#"{"test": 2432232314}"#.utf8)

    static let stripeSecret = "whsec_test_secret"
    static let stripeSignature = "fbd6bf5496b9d6310e422a2c072578f95f5eb492111ab57a5510e9cd79c1b304"
    static let eventBody = Array(#"{"id":"evt_test","object":"event"}"#.utf8)

    static let hubSpotSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
    static let hubSpotSignature = "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="

    static let slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let slackSignature = "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    static let slackBody = Array(("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").utf8)

    static let hubSecret = "It's a Secret to Everybody"
    static let hubSignatureHex = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    static let hubSignatureBase64 = "dXEH6g6yUJ/CESIczphLijdXC211hsIsRvQ3nIsEPhc="
    static let hubBody = Array("Hello, World!".utf8)
    static let hubBodyDigest = "sha256:dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f"

    static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    static func verifier(_ scheme: WebhookVerification, _ secret: String?, header: String? = nil, token: String? = nil) -> WebhookVerifier {
        // The examples' settings are all valid; a setup error here is a broken test.
        try! WebhookVerifier(scheme: scheme, signingSecret: secret, signatureHeader: header, tolerance: .seconds(300), verifyToken: token)
    }

    static let standardWebhooks = SignedExample(
        name: "standard-webhooks",
        verifier: verifier(.standardWebhooks, standardSecret), secret: standardSecret,
        request: InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/signups", headers: [
            ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"), ("webhook-timestamp", "1614265330"), ("webhook-signature", "v1," + standardSignature),
        ], body: standardBody),
        now: at(1_614_265_330), signatureHeader: "webhook-signature", signature: standardSignature,
        eventID: "msg_p5jXN8AQM9LWM0D4loKWxJek", signedAt: at(1_614_265_330))

    static let stripe = SignedExample(
        name: "stripe",
        verifier: verifier(.stripe, stripeSecret), secret: stripeSecret,
        request: InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/payments", headers: [
            ("Stripe-Signature", "t=1614265330,v1=" + stripeSignature),
        ], body: eventBody),
        now: at(1_614_265_330), signatureHeader: "Stripe-Signature", signature: stripeSignature,
        eventID: "evt_test", signedAt: at(1_614_265_330))

    static let hubSpot = SignedExample(
        name: "hubspot-v3",
        verifier: verifier(.hubspotV3, hubSpotSecret), secret: hubSpotSecret,
        request: InboundWebhookRequest(method: "POST", uri: "https://www.example.com/webhook_uri", headers: [
            ("X-HubSpot-Signature-v3", hubSpotSignature), ("X-HubSpot-Request-Timestamp", "15000000"),
        ], body: Array("{'example_field':'example_value'}".utf8)),
        now: at(15_000), signatureHeader: "X-HubSpot-Signature-v3", signature: hubSpotSignature,
        eventID: "sha256:d3108a892533b5e0cebdc65163dc22700fe9894ce83c9ede46a26f121be7ee47", signedAt: at(15_000))

    static let shopify = SignedExample(
        name: "shopify",
        verifier: verifier(.shopify, "hush"), secret: "hush",
        request: InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/orders", headers: [
            ("X-Shopify-Hmac-SHA256", "Z3rSOdt652m4AqThbPp+bkJcHut0VS6qyaNgmDxWvVs="), ("X-Shopify-Topic", "orders/create"),
            ("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"),
        ], body: eventBody),
        now: at(1_614_265_330), signatureHeader: "X-Shopify-Hmac-SHA256", signature: "Z3rSOdt652m4AqThbPp+bkJcHut0VS6qyaNgmDxWvVs=",
        eventID: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", signedAt: nil)

    static let slack = SignedExample(
        name: "slack",
        verifier: verifier(.slack, slackSecret), secret: slackSecret,
        request: InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/slack", headers: [
            ("X-Slack-Signature", "v0=" + slackSignature), ("X-Slack-Request-Timestamp", "1531420618"),
        ], body: slackBody),
        now: at(1_531_420_618), signatureHeader: "X-Slack-Signature", signature: slackSignature,
        eventID: "sha256:825d85f1380c13692f843f77083a8bbf4bc9df455f355b153a64590c7cc195e1", signedAt: at(1_531_420_618))

    static let meta = SignedExample(
        name: "meta",
        verifier: verifier(.meta, hubSecret, token: "meta-verify-token"), secret: hubSecret,
        request: InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/leads", headers: [
            ("X-Hub-Signature-256", "sha256=" + hubSignatureHex),
        ], body: hubBody),
        now: at(1_700_000_000), signatureHeader: "X-Hub-Signature-256", signature: hubSignatureHex,
        eventID: hubBodyDigest, signedAt: nil)

    static func hmac(_ name: String, _ value: String, signature: String) -> SignedExample {
        SignedExample(
            name: name,
            verifier: verifier(.hmacSHA256, hubSecret, header: "X-Form-Signature"), secret: hubSecret,
            request: InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/forms", headers: [("X-Form-Signature", value)], body: hubBody),
            now: at(1_700_000_000), signatureHeader: "X-Form-Signature", signature: signature,
            eventID: hubBodyDigest, signedAt: nil)
    }

    static let all: [SignedExample] = [
        standardWebhooks, stripe, hubSpot, shopify, slack, meta,
        hmac("hmac-sha256 sha256=hex", "sha256=" + hubSignatureHex, signature: hubSignatureHex),
        hmac("hmac-sha256 bare hex", hubSignatureHex, signature: hubSignatureHex),
        hmac("hmac-sha256 upper-case hex", hubSignatureHex.uppercased(), signature: hubSignatureHex.uppercased()),
        hmac("hmac-sha256 base64", hubSignatureBase64, signature: hubSignatureBase64),
    ]

    static let timestamped: [SignedExample] = [standardWebhooks, stripe, hubSpot, slack]
}

/// The refusal in `verdict`, or nil when the request was not refused.
func refusal(_ verdict: WebhookVerdict) -> WebhookRefusal? {
    if case .refused(let refusal) = verdict { return refusal }
    return nil
}

@Suite struct WebhookVerificationTests {
    /// A refusal must not help an attacker or leak what it protects.
    func expectSafe(_ refusal: WebhookRefusal?, of example: SignedExample, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let message = refusal?.message else { return }
        let body = String(decoding: example.request.body, as: UTF8.self)
        for hidden in [example.secret, example.signature, body] {
            #expect(!message.contains(hidden), "'\(message)' gives away a secret, a signature or the body", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: WebhookVectors.all)
    func genuineRequestIsAcceptedWithItsEventID(_ example: SignedExample) {
        guard case .accepted(let eventID, let signedAt) = example.verifier.verify(example.request, now: example.now) else {
            Issue.record("refused: \(example.verifier.verify(example.request, now: example.now))")
            return
        }
        #expect(eventID == example.eventID)
        #expect(signedAt == example.signedAt)
    }

    @Test(arguments: WebhookVectors.all)
    func forgedSignatureIsRefused(_ example: SignedExample) {
        let refused = refusal(example.verifier.verify(example.forged, now: example.now))
        #expect(refused?.reason == .wrongSignature)
        #expect(refused?.status == 401)
        expectSafe(refused, of: example)
    }

    @Test(arguments: WebhookVectors.all)
    func bodyChangedAfterSigningIsRefused(_ example: SignedExample) {
        let refused = refusal(example.verifier.verify(example.tampered, now: example.now))
        #expect(refused?.reason == .wrongSignature)
        expectSafe(refused, of: example)
    }

    @Test(arguments: WebhookVectors.all)
    func missingSignatureHeaderIsRefused(_ example: SignedExample) {
        let refused = refusal(example.verifier.verify(example.with(example.signatureHeader, nil), now: example.now))
        #expect(refused?.reason == .missingSignature)
        #expect(refused?.status == 401)
        #expect(refused?.message.contains(example.signatureHeader) == true)
    }

    @Test(arguments: WebhookVectors.all)
    func malformedSignatureHeaderIsRefused(_ example: SignedExample) {
        for garbage in ["", "not a signature", "v1,", "sha256=zz", "t=,v1=", String(repeating: "=", count: 300)] {
            let refused = refusal(example.verifier.verify(example.with(example.signatureHeader, garbage), now: example.now))
            #expect(refused?.reason == .malformedSignature, "\(garbage)")
            #expect(refused?.status == 401)
            expectSafe(refused, of: example)
        }
    }

    @Test(arguments: WebhookVectors.all)
    func headerNamesAreMatchedInAnyCase(_ example: SignedExample) {
        var request = example.request
        request.headers = request.headers.map { ($0.name.uppercased(), $0.value) }
        guard case .accepted = example.verifier.verify(request, now: example.now) else {
            Issue.record("refused with upper-case header names")
            return
        }
    }

    @Test(arguments: WebhookVectors.all)
    func theSameRequestTwiceHasTheSameEventID(_ example: SignedExample) {
        let first = example.verifier.verify(example.request, now: example.now)
        let again = example.verifier.verify(example.request, now: example.now.addingTimeInterval(60))
        guard case .accepted(let firstID, _) = first, case .accepted(let againID, _) = again else {
            Issue.record("not accepted twice")
            return
        }
        #expect(firstID == againID)
    }

    // MARK: Timestamps

    @Test(arguments: WebhookVectors.timestamped)
    func timestampsOutsideTheToleranceAreRefusedBothWays(_ example: SignedExample) {
        let stale = refusal(example.verifier.verify(example.request, now: example.now.addingTimeInterval(301)))
        #expect(stale?.reason == .staleTimestamp)
        #expect(stale?.status == 401)
        #expect(stale?.message == "the signed timestamp is more than 5m old")
        let future = refusal(example.verifier.verify(example.request, now: example.now.addingTimeInterval(-301)))
        #expect(future?.reason == .futureTimestamp)
        #expect(future?.status == 401)
        for edge in [300.0, -300.0] {
            guard case .accepted = example.verifier.verify(example.request, now: example.now.addingTimeInterval(edge)) else {
                Issue.record("refused at \(edge) s, the edge of the tolerance")
                continue
            }
        }
    }

    @Test(arguments: WebhookVectors.timestamped)
    func missingOrMalformedTimestampIsRefused(_ example: SignedExample) {
        func withTimestamp(_ text: String?) -> InboundWebhookRequest {
            switch example.verifier.scheme {
            case .stripe: example.with("Stripe-Signature", (text.map { "t=\($0)," } ?? "") + "v1=" + example.signature)
            case .standardWebhooks: example.with("webhook-timestamp", text)
            case .hubspotV3: example.with("X-HubSpot-Request-Timestamp", text)
            default: example.with("X-Slack-Request-Timestamp", text)
            }
        }
        #expect(refusal(example.verifier.verify(withTimestamp(nil), now: example.now))?.reason == .missingTimestamp)
        for malformed in ["yesterday", "-5", "1.5e9", "99999999999999999999999"] {
            let refused = refusal(example.verifier.verify(withTimestamp(malformed), now: example.now))
            #expect(refused?.reason == .malformedTimestamp, "\(malformed)")
            #expect(refused?.status == 401)
        }
    }

    @Test func aLongerToleranceAcceptsOlderRequests() throws {
        let example = WebhookVectors.stripe
        let lenient = try WebhookVerifier(scheme: .stripe, signingSecret: example.secret, tolerance: .seconds(3600))
        guard case .accepted = lenient.verify(example.request, now: example.now.addingTimeInterval(3000)) else {
            Issue.record("refused within an hour's tolerance")
            return
        }
        #expect(refusal(lenient.verify(example.request, now: example.now.addingTimeInterval(3601)))?.message
            == "the signed timestamp is more than 1h old")
    }

    @Test func aTimestampChangedAfterSigningIsRefused() {
        // The timestamp is signed, so moving it to look fresh breaks the signature.
        let example = WebhookVectors.standardWebhooks
        let moved = example.with("webhook-timestamp", "1614265400")
        #expect(refusal(example.verifier.verify(moved, now: example.now))?.reason == .wrongSignature)
    }

    // MARK: Standard Webhooks

    @Test func theKnownBadStandardWebhooksSignatureIsRefused() {
        let example = WebhookVectors.standardWebhooks
        let request = example.with("webhook-signature", "v1," + WebhookVectors.standardKnownBad)
        #expect(refusal(example.verifier.verify(request, now: example.now))?.reason == .wrongSignature)
    }

    @Test(arguments: [
        "v1,\(WebhookVectors.standardKnownBad) v1,\(WebhookVectors.standardSignature)",
        "v1,\(WebhookVectors.standardSignature) v1,\(WebhookVectors.standardKnownBad)",
        "v1a,MEUCIQCkV5+3nZW1vGT3mIlNjMdT6Q== v1,\(WebhookVectors.standardSignature)",
        "v2,\(WebhookVectors.standardKnownBad)  v1,\(WebhookVectors.standardSignature)",
    ])
    func oneGoodSignatureAmongSeveralIsEnough(_ header: String) {
        let example = WebhookVectors.standardWebhooks
        guard case .accepted = example.verifier.verify(example.with("webhook-signature", header), now: example.now) else {
            Issue.record("refused: \(header)")
            return
        }
    }

    @Test func onlyAsymmetricSignaturesAreMalformedForASymmetricSecret() {
        let example = WebhookVectors.standardWebhooks
        let request = example.with("webhook-signature", "v1a,MEUCIQCkV5+3nZW1vGT3mIlNjMdT6Q==")
        #expect(refusal(example.verifier.verify(request, now: example.now))?.reason == .malformedSignature)
    }

    @Test func theMessageIDIsRequiredBecauseItIsSigned() {
        let example = WebhookVectors.standardWebhooks
        let refused = refusal(example.verifier.verify(example.with("webhook-id", nil), now: example.now))
        #expect(refused?.reason == .missingMessageID)
        #expect(refused?.status == 401)
        let other = example.with("webhook-id", "msg_other")
        #expect(refusal(example.verifier.verify(other, now: example.now))?.reason == .wrongSignature)
    }

    // MARK: Stripe

    @Test func stripeAcceptsAnyV1DuringRotationAndPassesOverV0() {
        let example = WebhookVectors.stripe
        let bad = String(repeating: "0", count: 64)
        for header in [
            "t=1614265330,v1=\(bad),v1=\(WebhookVectors.stripeSignature)",
            "t=1614265330,v1=\(WebhookVectors.stripeSignature),v1=\(bad),v0=\(bad)",
            "t=1614265330, v1=\(WebhookVectors.stripeSignature)",
        ] {
            guard case .accepted(let eventID, _) = example.verifier.verify(example.with("Stripe-Signature", header), now: example.now) else {
                Issue.record("refused: \(header)")
                continue
            }
            #expect(eventID == "evt_test")
        }
        let onlyV0 = example.with("Stripe-Signature", "t=1614265330,v0=\(WebhookVectors.stripeSignature)")
        #expect(refusal(example.verifier.verify(onlyV0, now: example.now))?.reason == .malformedSignature)
        let onlyBad = example.with("Stripe-Signature", "t=1614265330,v1=\(bad),v1=\(bad.replacingOccurrences(of: "0", with: "1"))")
        #expect(refusal(example.verifier.verify(onlyBad, now: example.now))?.reason == .wrongSignature)
    }

    @Test func stripeWithoutAnIDInTheBodyFallsBackToTheDigestOfTheSignedBytes() {
        // Recomputed with Python's hmac: t=1614265330, body {"object":"event"}.
        let request = InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/payments", headers: [
            ("Stripe-Signature", "t=1614265330,v1=3c0ad38a8625383edbc8f032ddf87e5db9ec223d5343d0f9e932a5049c4f8a72"),
        ], body: Array(#"{"object":"event"}"#.utf8))
        guard case .accepted(let eventID, _) = WebhookVectors.stripe.verifier.verify(request, now: WebhookVectors.stripe.now) else {
            Issue.record("not accepted")
            return
        }
        #expect(eventID == "sha256:ed86a4cf1dd26ca0fdc341da0e5cec1017ad9823634efc4a0456add7093cdca5")
    }

    // MARK: HubSpot

    @Test func hubSpotSignsTheMethodAndTheFullURI() {
        let example = WebhookVectors.hubSpot
        var otherURI = example.request
        otherURI.uri = "https://www.example.com/webhook_uri?x=1"
        #expect(refusal(example.verifier.verify(otherURI, now: example.now))?.reason == .wrongSignature)
        var otherMethod = example.request
        otherMethod.method = "PUT"
        #expect(refusal(example.verifier.verify(otherMethod, now: example.now))?.reason == .wrongSignature)
    }

    @Test func hubSpotTimestampsAreMilliseconds() {
        let example = WebhookVectors.hubSpot
        // 15000000 ms is 15000 s after the epoch; read as seconds it would be months later.
        #expect(refusal(example.verifier.verify(example.request, now: WebhookVectors.at(15_000_000)))?.reason == .staleTimestamp)
    }

    // MARK: Shopify

    @Test func shopifyWithoutAWebhookIDUsesTheDigestOfTheBody() {
        let example = WebhookVectors.shopify
        guard case .accepted(let eventID, nil) = example.verifier.verify(example.with("X-Shopify-Webhook-Id", nil), now: example.now) else {
            Issue.record("not accepted")
            return
        }
        #expect(eventID == "sha256:70f331694dd0fb5dd9931f7fe438b24f670de63b49de7283a68eb02b412c46e3")
    }

    // MARK: Slack

    /// Recomputed with Python's hmac, Slack's published secret and timestamp.
    static let urlVerificationBody = #"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
    static let urlVerificationSignature = "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652"
    static let eventCallbackBody = #"{"type":"event_callback","event_id":"Ev08MFMKH6","event":{"type":"app_mention","text":"hello"}}"#
    static let eventCallbackSignature = "v0=f3f6922c703b11482436fe7b1738d6ffda4b804cac2afc7a9d07b692faa003ef"

    func slackRequest(_ body: String, signature: String) -> InboundWebhookRequest {
        InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/slack", headers: [
            ("Content-Type", "application/json"), ("X-Slack-Signature", signature), ("X-Slack-Request-Timestamp", "1531420618"),
        ], body: Array(body.utf8))
    }

    @Test func slackURLVerificationIsAnsweredWithItsChallenge() {
        let example = WebhookVectors.slack
        let verdict = example.verifier.verify(slackRequest(Self.urlVerificationBody, signature: Self.urlVerificationSignature), now: example.now)
        guard case .handshake(let status, let body, let contentType) = verdict else {
            Issue.record("not a handshake: \(verdict)")
            return
        }
        #expect(status == 200)
        #expect(body == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
        #expect(contentType.hasPrefix("text/plain"))
    }

    @Test func anUnsignedSlackURLVerificationGetsNoChallenge() {
        let example = WebhookVectors.slack
        let forged = slackRequest(Self.urlVerificationBody, signature: Self.eventCallbackSignature)
        #expect(refusal(example.verifier.verify(forged, now: example.now))?.reason == .wrongSignature)
        let stale = example.verifier.verify(slackRequest(Self.urlVerificationBody, signature: Self.urlVerificationSignature),
                                            now: example.now.addingTimeInterval(600))
        #expect(refusal(stale)?.reason == .staleTimestamp)
    }

    @Test func slackEventsAreRecognisedByTheirEventID() {
        let example = WebhookVectors.slack
        let verdict = example.verifier.verify(slackRequest(Self.eventCallbackBody, signature: Self.eventCallbackSignature), now: example.now)
        guard case .accepted(let eventID, _) = verdict else {
            Issue.record("not accepted: \(verdict)")
            return
        }
        #expect(eventID == "Ev08MFMKH6")
    }

    // MARK: Meta

    func subscriptionCheck(_ items: [(String, String)]) -> InboundWebhookRequest {
        InboundWebhookRequest(method: "GET", uri: "https://example.com/hooks/leads", query: items.map { (name: $0.0, value: $0.1) })
    }

    @Test func metaSubscriptionCheckWithTheRightTokenGetsTheBareChallenge() {
        let verdict = WebhookVectors.meta.verifier.verify(
            subscriptionCheck([("hub.mode", "subscribe"), ("hub.challenge", "1158201444"), ("hub.verify_token", "meta-verify-token")]),
            now: WebhookVectors.meta.now)
        guard case .handshake(let status, let body, let contentType) = verdict else {
            Issue.record("not a handshake: \(verdict)")
            return
        }
        #expect(status == 200)
        #expect(body == "1158201444")
        #expect(contentType.hasPrefix("text/plain"))
    }

    @Test(arguments: ["wrong-token", "", "meta-verify-toke", "meta-verify-token "])
    func metaSubscriptionCheckWithAnotherTokenIsForbidden(_ token: String) {
        let refused = refusal(WebhookVectors.meta.verifier.verify(
            subscriptionCheck([("hub.mode", "subscribe"), ("hub.challenge", "1158201444"), ("hub.verify_token", token)]),
            now: WebhookVectors.meta.now))
        #expect(refused?.reason == .wrongVerifyToken)
        #expect(refused?.status == 403)
        #expect(refused?.message.contains("meta-verify-token") == false)
        if !token.isEmpty { #expect(refused?.message.contains(token) == false) }
    }

    @Test func metaSubscriptionCheckWithoutItsParametersIsRefused() {
        let verifier = WebhookVectors.meta.verifier
        let now = WebhookVectors.meta.now
        let withoutToken = refusal(verifier.verify(subscriptionCheck([("hub.mode", "subscribe"), ("hub.challenge", "1")]), now: now))
        #expect(withoutToken?.reason == .wrongVerifyToken)
        #expect(withoutToken?.status == 403)
        for items in [
            [],
            [("hub.challenge", "1"), ("hub.verify_token", "meta-verify-token")],
            [("hub.mode", "subscribe"), ("hub.verify_token", "meta-verify-token")],
            [("hub.mode", "unsubscribe"), ("hub.challenge", "1"), ("hub.verify_token", "meta-verify-token")],
            [("hub.mode", "subscribe"), ("hub.challenge", ""), ("hub.verify_token", "meta-verify-token")],
        ] {
            let refused = refusal(verifier.verify(subscriptionCheck(items), now: now))
            #expect(refused?.reason == .malformedHandshake, "\(items)")
            #expect(refused?.status == 400)
        }
    }

    @Test func metaEventsNeedTheSignatureNotTheToken() {
        let example = WebhookVectors.meta
        var request = example.request
        request.query = [(name: "hub.verify_token", value: "meta-verify-token")]
        request.headers = []
        #expect(refusal(example.verifier.verify(request, now: example.now))?.reason == .missingSignature)
        let withoutPrefix = example.with("X-Hub-Signature-256", WebhookVectors.hubSignatureHex)
        #expect(refusal(example.verifier.verify(withoutPrefix, now: example.now))?.reason == .malformedSignature)
        // Only the SHA-256 header counts; Meta's legacy SHA-1 header is not enough on its own.
        var legacySHA1 = example.with("X-Hub-Signature-256", nil)
        legacySHA1.headers.append(("X-Hub-Signature", "sha1=0a4d55a8d778e5022fab701977c5d840bbc486d0"))
        #expect(refusal(example.verifier.verify(legacySHA1, now: example.now))?.reason == .missingSignature)
    }

    // MARK: hmac-sha256 and none

    @Test func hmacReadsTheConfiguredHeaderOnly() throws {
        let verifier = try WebhookVerifier(scheme: .hmacSHA256, signingSecret: WebhookVectors.hubSecret, signatureHeader: "X-Other")
        let example = WebhookVectors.hmac("hmac-sha256", "sha256=" + WebhookVectors.hubSignatureHex, signature: WebhookVectors.hubSignatureHex)
        let refused = refusal(verifier.verify(example.request, now: example.now))
        #expect(refused?.reason == .missingSignature)
        #expect(refused?.message == "missing the X-Other header")
    }

    @Test func noneAcceptsAnythingAndRecognisesRepeats() throws {
        let verifier = try WebhookVerifier(scheme: .none, signingSecret: nil)
        let request = InboundWebhookRequest(method: "POST", uri: "https://example.com/hooks/open", body: WebhookVectors.hubBody)
        guard case .accepted(let eventID, nil) = verifier.verify(request, now: Date()) else {
            Issue.record("refused")
            return
        }
        #expect(eventID == WebhookVectors.hubBodyDigest)
    }

    // MARK: Setting up

    @Test func schemesRefuseToStartWithoutWhatTheyNeed() {
        func problem(_ make: () throws(WebhookVerifierSetupError) -> WebhookVerifier) -> WebhookVerifierSetupError.Problem? {
            do { _ = try make(); return nil } catch { return error.problem }
        }
        for scheme in WebhookVerification.allCases where scheme != .none {
            #expect(problem { () throws(WebhookVerifierSetupError) in try WebhookVerifier(scheme: scheme, signingSecret: nil) } == .missingSigningSecret)
            #expect(problem { () throws(WebhookVerifierSetupError) in try WebhookVerifier(scheme: scheme, signingSecret: "") } == .missingSigningSecret)
        }
        #expect(problem { () throws(WebhookVerifierSetupError) in
            try WebhookVerifier(scheme: .standardWebhooks, signingSecret: "whsec_not base64!")
        } == .unusableSigningSecret)
        #expect(problem { () throws(WebhookVerifierSetupError) in try WebhookVerifier(scheme: .hmacSHA256, signingSecret: "s") } == .missingSignatureHeader)
        #expect(problem { () throws(WebhookVerifierSetupError) in try WebhookVerifier(scheme: .meta, signingSecret: "s") } == .missingVerifyToken)
        #expect(problem { () throws(WebhookVerifierSetupError) in try WebhookVerifier(scheme: .none, signingSecret: nil) } == nil)
    }

    @Test func aVerifierNeverShowsItsSecret() throws {
        let verifier = try WebhookVerifier(scheme: .meta, signingSecret: "app-secret-value", verifyToken: "verify-token-value")
        var dumped = ""
        dump(verifier, to: &dumped)
        for shown in [String(describing: verifier), String(reflecting: verifier), dumped] {
            #expect(!shown.contains("app-secret-value") && !shown.contains("verify-token-value"), "\(shown)")
        }
        do {
            _ = try WebhookVerifier(scheme: .standardWebhooks, signingSecret: "whsec_secret value!")
        } catch {
            #expect(!error.description.contains("secret value!"))
        }
    }

    @Test func signaturesAreComparedWhole() {
        let expected: [UInt8] = Array(0..<32)
        #expect(SignatureBytes.equal(expected, expected))
        var lastDiffers = expected
        lastDiffers[31] ^= 0x80
        var firstDiffers = expected
        firstDiffers[0] ^= 0x01
        #expect(!SignatureBytes.equal(expected, lastDiffers))
        #expect(!SignatureBytes.equal(expected, firstDiffers))
        #expect(!SignatureBytes.equal(expected, Array(expected.prefix(31))))
        #expect(!SignatureBytes.equal([], expected))
    }
}
