import Diagnostics
import Foundation
import Synchronization

/// One write or message the sandbox received, with the answer it gave.
public struct JournalEntry: Sendable {
    /// Position in the journal, from 1.
    public let sequence: Int
    public let time: Date
    /// `hubspot`, `slack`, `sendgrid`, …
    public let platform: String
    /// What was written: `contacts`, `chat.postMessage`, `mail/send`, a webhook path, …
    public let resource: String
    /// `create`, `update`, `upsert`, `send`, `post`, …
    public let operation: String
    /// The request body: JSON when it parsed, otherwise its text.
    public let body: JSONValue
    /// The `Idempotency-Key` or `webhook-id` the sender gave, if any.
    public let idempotencyKey: String?
    /// Delivery headers worth seeing (`webhook-id`, `webhook-timestamp`, `webhook-signature`); never credentials.
    public let headers: [(String, String)]
    /// The status answered; 0 when the connection was closed without an answer.
    public let status: Int
    /// The injected fault, when the answer was one; the write was then not applied, except under
    /// `lost`, which applies it and drops the answer.
    public let fault: InjectedFault?

    /// Whether the platform carried the write out.
    public var applied: Bool { (fault == nil || fault == .lost) && (200..<300).contains(status) }

    /// The entry as one JSON object, the shape of a line of `GET /_sandbox/journal`.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("sequence", .int(sequence)),
            ("time", .string(SandboxTime.iso8601(time))),
            ("platform", .string(platform)),
            ("resource", .string(resource)),
            ("operation", .string(operation)),
            ("status", .int(status)),
            ("applied", .bool(applied)),
        ]
        if let fault { members.append(("fault", .string(fault.description))) }
        if let idempotencyKey { members.append(("idempotency_key", .string(idempotencyKey))) }
        if !headers.isEmpty { members.append(("headers", .object(headers.map { ($0.0, .string($0.1)) }))) }
        members.append(("body", body))
        return .object(members)
    }
}

/// Every write and message the sandbox received, in order, readable in-process and at `GET /_sandbox/journal`.
public final class SandboxJournal: Sendable {
    private let entries = Mutex<[JournalEntry]>([])
    /// Delivery headers the journal keeps, lower-cased.
    static let keptHeaders = ["idempotency-key", "webhook-id", "webhook-timestamp", "webhook-signature"]

    public init() {}

    /// All entries with a sequence number above `since`.
    public func entries(since: Int = 0) -> [JournalEntry] {
        entries.withLock { all in Array(all.drop { $0.sequence <= since }) }
    }

    /// The entries as JSON lines, one per entry, each ending in a newline.
    public func jsonLines(since: Int = 0) -> String {
        entries(since: since).map { $0.json.serialized + "\n" }.joined()
    }

    @discardableResult
    func record(
        time: Date, platform: String, resource: String, operation: String, request: SandboxRequest, status: Int,
        fault: InjectedFault?
    ) -> JournalEntry {
        let body = request.body.isEmpty ? JSONValue.null : (request.json ?? .string(String(decoding: request.body, as: UTF8.self)))
        let key = request.header("idempotency-key") ?? request.header("webhook-id")
        let kept = Self.keptHeaders.compactMap { name in request.header(name).map { (name, $0) } }
        return entries.withLock { all in
            let entry = JournalEntry(
                sequence: all.count + 1, time: time, platform: platform, resource: resource, operation: operation, body: body,
                idempotencyKey: key, headers: kept, status: status, fault: fault)
            all.append(entry)
            return entry
        }
    }
}
