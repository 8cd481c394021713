import CEL
import Diagnostics
import PlaybookLanguage

/// Reads the records of one fetch step, a page at a time: one page is one remote call (one file
/// chunk, one API page), so that retries and checkpoints work page by page.
public protocol RecordSource: Sendable {
    /// The next page, or nil when there are no more.
    func nextPage() async throws -> RecordPage?
}

/// A source whose read can go on in another process from where it stood: a paged API whose page
/// tokens, offsets or next-page addresses stay valid. A resumed run passes on again the pages its
/// earlier attempt read, and reads only from there.
public protocol ResumableRecordSource: RecordSource {
    /// Where the read stands now (what the next page asks for); nil when it cannot be gone on
    /// with later, such as a report job whose results will be gone.
    var position: JSONValue? { get }
    /// Goes on from a position this kind of source gave.
    func resume(at position: JSONValue) throws
}

/// Records read in one call, and what could not be read as a record.
public struct RecordPage: Sendable {
    /// The records, laid out on the fetch step's output layout when it has one.
    public var records: [Record]
    /// Input that could not become a record, such as a broken JSON line.
    public var unreadable: [UnreadableRecord]

    /// A page.
    public init(records: [Record], unreadable: [UnreadableRecord] = []) {
        self.records = records
        self.unreadable = unreadable
    }
}

/// Input that could not become a record: where it is and why.
public struct UnreadableRecord: Sendable {
    /// Why, such as "line 12: expected ',' or '}'".
    public var reason: String
    /// The input as read, shortened when long.
    public var text: String

    /// An unreadable record.
    public init(reason: String, text: String) {
        self.reason = reason
        self.text = text
    }
}

/// Writes the records of one sync step in batches: one batch is one remote call (or several, when
/// the platform takes fewer records per call). Each remote call goes through the step's
/// `RemoteCalls`, which retries it; the stage does not retry a batch again.
public protocol RecordSink: Sendable {
    /// Writes a batch; returns the records the destination refused (by position in `batch`) with
    /// the destination's reason. Throws when the call as a whole failed.
    func write(_ batch: [Record]) async throws -> [RefusedRecord]
    /// Does the part of writing a batch that has no effect (a file's lines encoded), so that it can
    /// be done while the batch is claimed in the run's ledger. By default nothing is done ahead.
    func prepare(_ batch: [Record]) throws -> PreparedBatch
    /// Writes a prepared batch, as `write(_:)` writes its records.
    func write(_ prepared: PreparedBatch) async throws -> [RefusedRecord]
    /// Called once after the last batch, when the step succeeded.
    func finish() async throws
}

extension RecordSink {
    public func prepare(_ batch: [Record]) throws -> PreparedBatch { PreparedBatch(records: batch) }
    public func write(_ prepared: PreparedBatch) async throws -> [RefusedRecord] { try await write(prepared.records) }
}

/// A batch of records, with what its sink made ready of it ahead of writing it.
public struct PreparedBatch: Sendable {
    /// The records, as given to ``RecordSink/prepare(_:)``.
    public let records: [Record]
    /// The sink's own work (a file sink's encoded lines); nil when it did none.
    public let work: (any Sendable)?

    /// A batch with what its sink made ready of it.
    public init(records: [Record], work: (any Sendable)? = nil) {
        self.records = records
        self.work = work
    }
}

/// A record the destination refused, by its position in the batch written.
public struct RefusedRecord: Sendable {
    /// Position in the batch.
    public var index: Int
    /// The destination's reason.
    public var reason: String

    /// A refusal.
    public init(index: Int, reason: String) {
        self.index = index
        self.reason = reason
    }
}

/// A message a notify step or an alert sends.
public struct OutgoingMessage: Sendable, Equatable {
    /// The text.
    public var text: String
    /// The e-mail subject, when the connection sends e-mail.
    public var subject: String?
    /// The recipient, when the connection sends e-mail.
    public var to: String?
    /// The Slack channel, for bot-token connections.
    public var channel: String?
    /// The record the message is about (for a digest, the list of records), for receivers that
    /// take data as well as text (outgoing webhooks).
    public var data: JSONValue?
    /// An id the message keeps when it is sent again (a `once_per` message); nil gives it a new one.
    public var id: String?

    /// A message.
    public init(text: String, subject: String? = nil, to: String? = nil, channel: String? = nil, data: JSONValue? = nil) {
        self.text = text
        self.subject = subject
        self.to = to
        self.channel = channel
        self.data = data
    }
}

/// Sends the messages of one notify step: one message is one remote call, made through the step's
/// `RemoteCalls`.
public protocol MessageSender: Sendable {
    /// Sends a message; throws when the platform did not accept it.
    func send(_ message: OutgoingMessage) async throws
}

/// What a connector needs to know about the run and the step it serves.
public struct ConnectorContext: Sendable {
    /// The plan being run.
    public var plan: Plan
    /// The step served.
    public var step: PlanStep
    /// The folder relative paths start at: the playbook's.
    public var baseDirectory: String
    /// The way every remote call of the step is made: retries and timeouts.
    public var calls: RemoteCalls
    /// Records per page or batch when neither the step nor the platform says.
    public var batchSize: Int
    /// For an incremental fetch, the cursor it reads past: a platform that can filter by it reads
    /// only from there (`{cursor.value}` in a connector spec); records before it are dropped anyway.
    public var since: IncrementalCursor? = nil
}

/// Makes the readers, writers and senders of a run's steps from their connections. The executor
/// asks once per step; a step whose connector cannot serve it fails with the error thrown.
public protocol ConnectorProvider: Sendable {
    /// The reader of a fetch step.
    func source(for fetch: FetchOperation, in context: ConnectorContext) throws -> any RecordSource
    /// The writer of a sync step.
    func sink(for sync: SyncOperation, in context: ConnectorContext) throws -> any RecordSink
    /// The sender of a notify step through `connection`.
    func sender(for connection: ConnectionName, in context: ConnectorContext) throws -> any MessageSender
    /// The sender of the alerts that go through `connection`, at the end of a run; nil when this
    /// provider sends no alerts (they are then only reported in the summary).
    func alertSender(for connection: ConnectionName, in plan: Plan) throws -> (any MessageSender)?
}

extension ConnectorProvider {
    /// Sends no alerts.
    public func alertSender(for connection: ConnectionName, in plan: Plan) throws -> (any MessageSender)? { nil }
}

/// A connector that cannot do what a step asks of it in this version.
public struct ConnectorUnavailable: Error, CustomStringConvertible {
    /// Why, for the summary.
    public var description: String

    /// An error with its explanation.
    public init(_ description: String) { self.description = description }
}
