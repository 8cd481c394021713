import Foundation
import PlaybookLanguage

/// Decides whether a request to a webhook trigger is genuine, by the trigger's verification scheme.
///
/// A pure function of the request and the time: no I/O, so the server calls it before it stores
/// anything, and tests call it with the platforms' published examples.
public struct WebhookVerifier: Sendable {
    /// The scheme requests are checked by.
    public let scheme: WebhookVerification
    /// How far a signed timestamp may be from the server's clock, either way.
    public let tolerance: Duration
    /// The bytes of the HMAC key made from the signing secret; nil only for `none`.
    let key: [UInt8]?
    /// For `hmac-sha256`: the header that carries the signature.
    let signatureHeader: String?
    /// For `meta`: the token Meta's subscription check must carry.
    let verifyToken: [UInt8]?

    /// A verifier for one webhook trigger.
    ///
    /// - Parameters:
    ///   - signingSecret: the secret's value; needed by every scheme except `none`. Standard Webhooks
    ///     secrets are `whsec_` and base64; the others are used as they are.
    ///   - signatureHeader: for `hmac-sha256`, the header that carries the signature.
    ///   - tolerance: how far a signed timestamp may be from the server's clock, either way.
    ///   - verifyToken: for `meta`, the verify token entered in Meta's app dashboard.
    /// - Throws: when the scheme lacks what it needs. The error names what is missing, never a value.
    public init(scheme: WebhookVerification, signingSecret: String?, signatureHeader: String? = nil,
                tolerance: Duration = .seconds(300), verifyToken: String? = nil) throws(WebhookVerifierSetupError) {
        self.scheme = scheme
        self.tolerance = tolerance
        self.signatureHeader = signatureHeader.flatMap { $0.isEmpty ? nil : $0 }
        self.verifyToken = verifyToken.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        let secret = signingSecret.flatMap { $0.isEmpty ? nil : $0 }
        switch scheme {
        case .none:
            key = nil
            return
        case .standardWebhooks:
            guard let secret else { throw WebhookVerifierSetupError(scheme: scheme, problem: .missingSigningSecret) }
            guard let key = StandardWebhookSignature.keyBytes(secret: secret) else {
                throw WebhookVerifierSetupError(scheme: scheme, problem: .unusableSigningSecret)
            }
            self.key = key
        default:
            guard let secret else { throw WebhookVerifierSetupError(scheme: scheme, problem: .missingSigningSecret) }
            key = Array(secret.utf8)
        }
        if scheme == .hmacSHA256, self.signatureHeader == nil {
            throw WebhookVerifierSetupError(scheme: scheme, problem: .missingSignatureHeader)
        }
        if scheme == .meta, self.verifyToken == nil {
            throw WebhookVerifierSetupError(scheme: scheme, problem: .missingVerifyToken)
        }
    }

    /// The verdict on `request`, received at `now`.
    public func verify(_ request: InboundWebhookRequest, now: Date) -> WebhookVerdict {
        do throws(WebhookRefusal) {
            switch scheme {
            case .standardWebhooks: return try verifyStandardWebhooks(request, now: now)
            case .stripe: return try verifyStripe(request, now: now)
            case .hubspotV3: return try verifyHubSpotV3(request, now: now)
            case .shopify: return try verifyShopify(request)
            case .slack: return try verifySlack(request, now: now)
            case .meta: return try verifyMeta(request)
            case .hmacSHA256: return try verifyHMACSHA256(request)
            case .none: return .accepted(eventID: SignatureBytes.digestID(request.body), signedAt: nil)
            }
        } catch {
            return .refused(error)
        }
    }

    /// A signed timestamp: its text, as it is signed, and the time it stands for.
    struct SignedTime {
        var text: String
        var date: Date
    }

    /// The time a request was signed, from a timestamp header's text, checked against the tolerance.
    /// `what` names the header in refusals.
    func signedTime(_ text: String?, _ what: String, inMilliseconds: Bool = false, now: Date) throws(WebhookRefusal) -> SignedTime {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { throw .missingTimestamp(what) }
        guard text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let number = Int64(text) else { throw .malformedTimestamp(what) }
        let signedAt = Date(timeIntervalSince1970: inMilliseconds ? Double(number) / 1000 : Double(number))
        let (seconds, attoseconds) = tolerance.components
        let allowed = Double(seconds) + Double(attoseconds) / 1e18
        let age = now.timeIntervalSince(signedAt)
        if age > allowed { throw .staleTimestamp(tolerance: toleranceText) }
        if -age > allowed { throw .futureTimestamp(tolerance: toleranceText) }
        return SignedTime(text: text, date: signedAt)
    }

    /// The tolerance as a playbook writes it: `5m`, `90s`.
    private var toleranceText: String {
        let (seconds, attoseconds) = tolerance.components
        return DurationLiteral(milliseconds: seconds * 1000 + attoseconds / 1_000_000_000_000_000).description
    }
}

extension WebhookVerifier: CustomStringConvertible, CustomReflectable {
    // Spelled out so that printing or dumping a verifier never shows its key.
    public var description: String { "WebhookVerifier(\(scheme.rawValue))" }
    public var customMirror: Mirror { Mirror(self, children: ["scheme": scheme, "tolerance": tolerance]) }
}

/// A webhook trigger whose verification cannot work with what it was given.
public struct WebhookVerifierSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is missing or wrong.
    public enum Problem: Sendable, Equatable {
        /// The scheme needs a signing secret and none (or an empty one) was given.
        case missingSigningSecret
        /// The Standard Webhooks secret is not `whsec_` followed by base64.
        case unusableSigningSecret
        /// `hmac-sha256` needs the name of the header that carries the signature.
        case missingSignatureHeader
        /// `meta` needs the verify token its subscription check sends.
        case missingVerifyToken
    }

    /// The trigger's scheme.
    public var scheme: WebhookVerification
    /// What is missing or wrong.
    public var problem: Problem

    public var description: String {
        switch problem {
        case .missingSigningSecret: "\(scheme.rawValue) verification needs a signing secret, and it is empty or not set"
        case .unusableSigningSecret: "the signing secret is not a Standard Webhooks secret (whsec_ followed by base64)"
        case .missingSignatureHeader: "hmac-sha256 verification needs the name of the header that carries the signature"
        case .missingVerifyToken: "meta verification needs a verify token, and it is empty or not set"
        }
    }
}
