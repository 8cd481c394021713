import CEL
import Foundation
import PlaybookLanguage
import PlaybookRuntime

/// A run the server was asked for: which playbook, what started it, and what to do when a run of
/// the playbook is still going.
public struct RunRequest: Sendable {
    /// What asked for the run.
    public enum Origin: Sendable, Equatable {
        /// A schedule that was due at `due` (a run caught up after downtime is due earlier than it starts).
        case schedule(ScheduleKey, due: Date)
        /// A webhook event stored in the inbox under `event`.
        case webhook(event: Int64, path: String)
    }

    public var playbook: ServedPlaybook
    public var origin: Origin
    public var trigger: RunTrigger
    public var policy: ConcurrencyPolicy
    /// When the request was made, for the time it waited.
    public var requestedAt: Date

    public init(playbook: ServedPlaybook, origin: Origin, trigger: RunTrigger, policy: ConcurrencyPolicy, requestedAt: Date) {
        self.playbook = playbook
        self.origin = origin
        self.trigger = trigger
        self.policy = policy
        self.requestedAt = requestedAt
    }

    /// The inbox event the run is for, if a webhook asked for it.
    public var eventID: Int64? {
        if case .webhook(let event, _) = origin { return event }
        return nil
    }

    /// A webhook request's run; its payload is the body, as JSON when it is JSON and as text otherwise.
    public static func webhook(_ event: InboundEventInput, playbook: ServedPlaybook, webhook: ServedWebhook, at date: Date) -> RunRequest {
        RunRequest(
            playbook: playbook, origin: .webhook(event: event.id, path: webhook.path),
            trigger: .webhook(path: webhook.path, payload: event.payload, headers: event.headers),
            policy: webhook.concurrency, requestedAt: date)
    }

    /// A schedule's run for the time it was due.
    public static func schedule(_ schedule: ServedSchedule, due: Date, playbook: ServedPlaybook, at date: Date) -> RunRequest {
        RunRequest(
            playbook: playbook, origin: .schedule(schedule.key, due: due),
            trigger: .schedule(schedule: schedule.key.text, firedAt: CELTimestamp(date: due)),
            policy: schedule.concurrency, requestedAt: date)
    }
}

/// What a run needs of a stored webhook event.
public struct InboundEventInput: Sendable {
    public var id: Int64
    public var payload: CELValue
    /// Header names in lower case.
    public var headers: [String: String]

    public init(id: Int64, body: [UInt8], headers: [String: String]) {
        self.id = id
        self.headers = headers
        self.payload = Self.payload(of: body)
    }

    /// The body as JSON when it is JSON, else as text (a form post, say).
    static func payload(of body: [UInt8]) -> CELValue {
        (try? JSONText.decode(body)) ?? .string(String(decoding: body, as: UTF8.self))
    }
}
