import Foundation

/// What a notify step promises when a run died between recording a message as intended and
/// recording it as sent, so that nobody knows whether it went out.
public enum NotificationDelivery: String, Sendable, CaseIterable {
    /// Never send it again: it is reported as uncertain (the default).
    case atMostOnce = "at_most_once"
    /// Send it again: it may arrive twice.
    case atLeastOnce = "at_least_once"
}

/// The answer to a claim of a `once_per` key by a run: whether to send the message.
public enum LedgerClaim: Sendable, Equatable {
    /// Nobody sent or meant to send it: send it, then mark it sent (or release it if the platform refused it).
    case send
    /// It was sent by that run: do not send it again.
    case alreadySent(by: String, at: Date)
    /// That run meant to send it and stopped before it knew whether it went out; with
    /// `atMostOnce`, do not send it (report it as uncertain).
    case uncertain(by: String)
    /// It is uncertain (left so by that run), and the step chose `atLeastOnce`: send it again.
    case resend(after: String)
    /// That run, still alive, is sending it now (or has claimed it earlier in this run): do not send it.
    case inFlight(by: String)

    /// Whether the message is to be sent now.
    public var shouldSend: Bool {
        switch self {
        case .send, .resend: true
        case .alreadySent, .uncertain, .inFlight: false
        }
    }
}

/// A `once_per` key as the notification ledger holds it.
public struct LedgerEntry: Sendable, Equatable {
    /// Where the key stands.
    public enum State: String, Sendable, CaseIterable {
        /// Recorded before sending; not known to be sent yet.
        case intended
        /// The platform acknowledged the message.
        case sent
        /// The run that meant to send it stopped before it knew whether it went out.
        case uncertain
    }

    /// The playbook, the notify step and the key.
    public var playbook: String
    public var step: String
    public var key: String
    /// Where it stands.
    public var state: State
    /// The run that last meant to send it (or sent it).
    public var runID: String
    /// When it was recorded as intended, and as sent.
    public var intendedAt: Date
    public var sentAt: Date?
    /// The later run that first found it uncertain.
    public var foundUncertainBy: String?
}
