import Foundation

/// What to do with an incoming webhook request.
public enum WebhookVerdict: Sendable {
    /// The request is genuine: store it and run the playbook. `eventID` recognises a repeated
    /// delivery of the same event; `signedAt` is the time the sender signed, for schemes that sign one.
    case accepted(eventID: String, signedAt: Date?)
    /// A sender checking the address (Meta's subscription GET, Slack's `url_verification`): answer
    /// with this status and body; no run starts.
    case handshake(status: Int, body: String, contentType: String)
    /// The request is not genuine, or not readable as the scheme's: answer with the refusal's status.
    case refused(WebhookRefusal)
}

/// Why a request was refused. The message is short and safe to answer with or to log: it never holds
/// the secret, the expected signature or the body.
public struct WebhookRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong with the request.
    public enum Reason: String, Sendable, CaseIterable {
        /// The header carrying the signature is absent.
        case missingSignature
        /// The signature header is present but not in the scheme's form.
        case malformedSignature
        /// No signature in the request matches the secret.
        case wrongSignature
        /// The header carrying the signed timestamp is absent.
        case missingTimestamp
        /// The signed timestamp is not a whole number.
        case malformedTimestamp
        /// The signed timestamp is older than the tolerance allows: possibly a replay.
        case staleTimestamp
        /// The signed timestamp is further ahead of the server's clock than the tolerance allows.
        case futureTimestamp
        /// The message id the scheme signs (Standard Webhooks' `webhook-id`) is absent.
        case missingMessageID
        /// Meta's subscription check carries no verify token, or another than the configured one.
        case wrongVerifyToken
        /// A GET to a Meta webhook that is not a subscription check.
        case malformedHandshake
    }

    /// The HTTP status to answer with: 401 for signatures and timestamps, 403 for a wrong verify
    /// token, 400 for a GET that is not a subscription check.
    public var status: Int
    /// What was wrong.
    public var reason: Reason
    /// A short sentence for the answer's body and the server's log.
    public var message: String

    /// A refusal with the status that goes with `reason`.
    init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
        status = switch reason {
        case .wrongVerifyToken: 403
        case .malformedHandshake: 400
        default: 401
        }
    }

    public var description: String { message }
}

extension WebhookRefusal {
    // Every refusal's wording is here. `what` names a header or a part of one, never its value.

    static func missingSignature(_ what: String) -> Self { Self(.missingSignature, "missing \(what)") }
    static func malformedSignature(_ what: String) -> Self { Self(.malformedSignature, "\(what) is not in the form the scheme uses") }
    static let wrongSignature = Self(.wrongSignature, "the signature does not match")
    static func missingTimestamp(_ what: String) -> Self { Self(.missingTimestamp, "missing \(what)") }
    static func malformedTimestamp(_ what: String) -> Self { Self(.malformedTimestamp, "\(what) is not a whole number") }
    static func staleTimestamp(tolerance: String) -> Self {
        Self(.staleTimestamp, "the signed timestamp is more than \(tolerance) old")
    }
    static func futureTimestamp(tolerance: String) -> Self {
        Self(.futureTimestamp, "the signed timestamp is more than \(tolerance) ahead of the server's clock")
    }
    static let missingMessageID = Self(.missingMessageID, "missing the webhook-id header")
    static let wrongVerifyToken = Self(.wrongVerifyToken, "hub.verify_token does not match")
    static let malformedHandshake = Self(
        .malformedHandshake, "a GET must be a subscription check with hub.mode=subscribe and hub.challenge")
}
