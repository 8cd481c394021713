import Foundation

/// A webhook request the server accepted, about to be stored before it is answered.
public struct NewInboundEvent: Sendable, Equatable {
    /// The webhook path it came to, and the playbook that path belongs to.
    public var path: String
    public var playbook: String
    /// The sender's id of the event (or a digest of what was signed), unique per path: a request
    /// that comes again with the same id is a duplicate.
    public var eventID: String
    /// The request's headers as a JSON object, and its body.
    public var headers: String
    public var body: [UInt8]
    public var receivedAt: Date

    public init(path: String, playbook: String, eventID: String, headers: String, body: [UInt8], receivedAt: Date) {
        self.path = path
        self.playbook = playbook
        self.eventID = eventID
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
    }
}

/// What became of a request offered to the inbox.
public enum EventAcceptance: Sendable, Equatable {
    /// Stored under this number, to be run.
    case accepted(id: Int64)
    /// An event of the same id came to the same path before; it is not run again.
    case duplicate(of: Int64, status: InboundEvent.Status)
}

/// A stored webhook event.
public struct InboundEvent: Sendable, Equatable {
    /// Where an event stands: stored and waiting, being run, or run (whatever the run's outcome).
    public enum Status: String, Sendable, Equatable {
        case pending, running, done
    }

    public var id: Int64
    public var path: String
    public var playbook: String
    public var eventID: String
    /// The headers (a JSON object) and body; both are emptied once the event is done, so that
    /// what a request carried about people does not outlive its run.
    public var headers: String
    public var body: [UInt8]
    public var receivedAt: Date
    public var status: Status
    /// The run that took it up, once one has.
    public var runID: String?
}

/// The last time a schedule fired, for catching up after the server was down.
public struct ScheduleFire: Sendable, Equatable {
    public var playbook: String
    /// The schedule as the bookkeeping knows it: its cron text and time zone.
    public var schedule: String
    public var firedAt: Date

    public init(playbook: String, schedule: String, firedAt: Date) {
        self.playbook = playbook
        self.schedule = schedule
        self.firedAt = firedAt
    }
}

/// What `playbook serve` keeps besides runs: the webhook inbox and the schedules' bookkeeping.
public protocol ServerStateStore: RunStateStore {
    /// Stores webhook requests, all in one transaction, one answer each in order. A request is
    /// answered 2xx only once this returns: an accepted event survives the server.
    func accept(events: [NewInboundEvent]) async throws -> [EventAcceptance]

    /// Events not yet done (waiting, or taken up by a run that may have died), oldest first.
    func openEvents() async throws -> [InboundEvent]

    /// Records that a run took the event up.
    func markEventRunning(id: Int64, runID: String) async throws

    /// Records that the event's run ended, and forgets its headers and body.
    func markEventDone(id: Int64) async throws

    /// When each schedule of the playbook last fired; of every playbook when `playbook` is nil.
    func lastFires(playbook: String?) async throws -> [ScheduleFire]

    /// Records that schedules fired, in one transaction (each kept only when later than the time recorded).
    func recordFires(_ fires: [ScheduleFire]) async throws
}

extension ServerStateStore {
    /// Records that a schedule fired (kept only when later than the time recorded).
    public func recordFire(_ fire: ScheduleFire) async throws {
        try await recordFires([fire])
    }
}
