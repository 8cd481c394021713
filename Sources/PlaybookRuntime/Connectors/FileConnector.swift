import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import Synchronization

/// Local JSON Lines and CSV files: `fetch: { file: … }`, and connections of the `file` connector,
/// whose resource is a file name in the connection's `directory`.
struct FileConnector {
    /// Where a file step reads or writes, and how.
    struct Target {
        var path: String
        var format: FileFormat
        var csv: CSVOptions
    }

    /// The file a fetch reads.
    static func target(of fetch: FetchOperation, in context: ConnectorContext) throws -> Target {
        let params = parameters(fetch.params)
        switch fetch.source {
        case .file(let path, let format):
            return try Target(path: resolve(path, in: context.baseDirectory), format: format, csv: csvOptions(params))
        case .connection(let name, let resource, _):
            return try target(connection: name, resource: resource, params: params, in: context)
        case .webhook:
            throw ConnectorUnavailable("a webhook fetch reads a file only in tests")
        }
    }

    /// The file a sync appends to.
    static func target(of sync: SyncOperation, in context: ConnectorContext) throws -> Target {
        try target(connection: sync.connection, resource: sync.resource, params: parameters(sync.params), in: context)
    }

    private static func target(connection name: ConnectionName, resource: String, params: [String: JSONValue], in context: ConnectorContext) throws -> Target {
        var directory = "."
        if let connection = context.plan.connection(name),
           case .string(let written)? = connection.options.first(where: { $0.name == "directory" })?.value.value {
            directory = written
        }
        let folder = resolve(directory, in: context.baseDirectory)
        let format: FileFormat
        if case .string(let written)? = params["format"] {
            guard let known = FileFormat(rawValue: written) else { throw ConnectorUnavailable("unknown file format '\(written)': use jsonl or csv") }
            format = known
        } else {
            format = resource.lowercased().hasSuffix(".csv") ? .csv : .jsonl
        }
        return try Target(path: resolve(resource, in: folder), format: format, csv: csvOptions(params))
    }

    private static func parameters(_ params: [(name: String, value: Located<JSONValue>)]) -> [String: JSONValue] {
        var byName: [String: JSONValue] = [:]
        for param in params { byName[param.name] = param.value.value }
        return byName
    }

    private static func csvOptions(_ params: [String: JSONValue]) throws -> CSVOptions {
        var options = CSVOptions()
        if case .string(let delimiter)? = params["delimiter"] {
            let bytes = Array(delimiter.utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n"), bytes[0] != UInt8(ascii: "\r") else {
                throw ConnectorUnavailable("the CSV delimiter must be one character other than a quote or a line break, not '\(delimiter)'")
            }
            options.delimiter = bytes[0]
        }
        if case .bool(let header)? = params["header"] { options.header = header }
        return options
    }

    /// A path relative to `base` unless absolute.
    static func resolve(_ path: String, in base: String) -> String {
        path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
    }
}

/// Reads a file a page at a time: one page is one chunk of records.
///
/// Reads run on a queue of the source's own, so that a read that waits (a named pipe, a slow disk)
/// holds that queue's thread and not one of the few shared threads every step of the run needs. A
/// read is neither timed out nor tried again: a read left behind would keep the records it took, and
/// the next read would go on after them. A cancelled run stops waiting for the read in hand.
final class FileSource: RecordSource, @unchecked Sendable {
    /// Opened by the first read, on the queue: opening a named pipe waits for its writer.
    private var reader: RecordFileReader?
    private var open: (() throws(FileAccessError) -> RecordFileReader)?
    private let displayPath: String
    private let pageSize: Int
    private let queue = DispatchQueue(label: "playbook.file-source")

    init(target: FileConnector.Target, displayPath: String, fields: [DeclaredField]?, layout: CELRecordSchema?, pageSize: Int) throws {
        self.displayPath = displayPath
        self.pageSize = pageSize
        let declared = fields.map { $0.map { (name: $0.name.value, type: $0.type) } }
        open = { () throws(FileAccessError) in
            try RecordFileReader(path: target.path, format: target.format, csv: target.csv, fields: declared, schema: layout)
        }
    }

    /// Reads the next chunk; on the queue only.
    private func read() throws(FileAccessError) -> [FileReadOutcome] {
        if let open {
            self.open = nil
            reader = try open()
        }
        return try reader?.read(upTo: pageSize) ?? []
    }

    func nextPage() async throws -> RecordPage? {
        let outcome = FirstOutcome<[FileReadOutcome]>()
        let outcomes = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.wait(with: continuation)
                queue.async { [self] in
                    outcome.settle(Result { () throws(FileAccessError) in try read() })
                }
            }
        } onCancel: {
            outcome.settle(.failure(CancellationError()))
        }
        guard !outcomes.isEmpty else { return nil }
        var page = RecordPage(records: [])
        page.records.reserveCapacity(outcomes.count)
        for outcome in outcomes {
            switch outcome {
            case .record(let record, _): page.records.append(record)
            case .invalid(let line, let reason, let text):
                page.unreadable.append(UnreadableRecord(reason: "\(displayPath) line \(line): \(reason)", text: text))
            }
        }
        return page
    }
}

/// Appends records to a file, whole lines per batch.
final class FileSink: RecordSink, @unchecked Sendable {
    private let writer: Mutex<RecordFileWriter>

    init(target: FileConnector.Target) throws {
        writer = Mutex(try RecordFileWriter(path: target.path, format: target.format, csv: target.csv))
    }

    func write(_ batch: [Record]) async throws -> [RefusedRecord] {
        try writer.withLock { writer throws(FileAccessError) in
            try writer.append(batch).map { RefusedRecord(index: $0.index, reason: $0.reason) }
        }
    }

    /// Encodes the batch's lines, the bulk of writing them.
    func prepare(_ batch: [Record]) throws -> PreparedBatch {
        PreparedBatch(records: batch, work: try writer.withLock { writer throws(FileAccessError) in try writer.encode(batch) })
    }

    func write(_ prepared: PreparedBatch) async throws -> [RefusedRecord] {
        guard let lines = prepared.work as? RecordFileWriter.EncodedLines else { return try await write(prepared.records) }
        try writer.withLock { writer throws(FileAccessError) in try writer.append(lines) }
        return lines.rejected.map { RefusedRecord(index: $0.index, reason: $0.reason) }
    }

    func finish() async throws {
        try writer.withLock { writer throws(FileAccessError) in try writer.close() }
    }
}

/// The connectors a run uses: local files, and every platform whose connector spec describes its
/// HTTP side. One `HTTPConnection` per connection is shared by the steps that use it, so that they
/// share its rate limit, its calls in flight and its OAuth token.
public final class StandardConnectors: ConnectorProvider {
    private let secrets: any SecretSource
    private let transport: any HTTPTransport
    private let sandboxURL: String?
    private let connections = Mutex<[ConnectionName: HTTPConnection]>([:])

    /// Connectors that find secrets in `secrets` and call platforms through `transport`. With a
    /// `sandboxURL`, every platform connection is pointed at the sandbox there (its connector's
    /// name after the address) and secrets are stand-ins.
    public init(secrets: any SecretSource = EnvironmentSecrets(), transport: any HTTPTransport = AsyncHTTPTransport(), sandboxURL: String? = nil) {
        self.secrets = sandboxURL == nil ? secrets : SandboxSecrets()
        self.transport = transport
        self.sandboxURL = sandboxURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Resolves the secrets of every connection the run will call (for a dry run, only those its
    /// fetch steps read from), so that a missing one stops the run before any call.
    public func prepare(_ plan: Plan, dryRun: Bool) throws {
        var used: [ConnectionName] = []
        for step in plan.steps {
            switch step.operation {
            case .fetch(let fetch):
                if case .connection(let name, _, _) = fetch.source { used.append(name) }
            case .sync(let sync) where !dryRun: used.append(sync.connection)
            case .notify(let notify) where !dryRun: used.append(notify.connection)
            default: break
            }
        }
        if !dryRun { used += plan.alerts.map(\.notify) }
        for name in used {
            guard let connection = plan.connection(name), connection.connector.http != nil else { continue }
            _ = try httpConnection(connection)
        }
    }

    /// Closes the connections to the platforms; once, after the run.
    public func shutdown() async {
        await transport.shutdown()
    }

    private func httpConnection(_ connection: PlanConnection) throws -> HTTPConnection {
        if let known = connections.withLock({ $0[connection.name] }) { return known }
        guard let http = connection.connector.http else {
            throw ConnectorUnavailable("the connector \(connection.connector.name) has no HTTP description")
        }
        var planned = connection
        if let sandboxURL {
            planned.options.removeAll { $0.name == "base_url" }
            planned.options.append((name: "base_url", value: Located(.string("\(sandboxURL)/\(connection.connector.name)"), at: connection.range)))
        }
        let made = try HTTPConnection(connection: planned, http: http, secrets: secrets, transport: transport)
        return connections.withLock { known in
            if let existing = known[connection.name] { return existing }
            known[connection.name] = made
            return made
        }
    }

    public func source(for fetch: FetchOperation, in context: ConnectorContext) throws -> any RecordSource {
        switch fetch.source {
        case .file(let path, _):
            return try fileSource(FileConnector.target(of: fetch, in: context), display: path, fetch: fetch, context: context)
        case .connection(let name, let resource, let descriptor):
            guard let connection = context.plan.connection(name) else { throw ConnectorUnavailable("no connection '\(name)'") }
            if connection.connector.name == "file" {
                return try fileSource(FileConnector.target(of: fetch, in: context), display: resource, fetch: fetch, context: context)
            }
            guard let descriptor = descriptor ?? connection.connector.resource(named: resource), let http = descriptor.http, let read = http.read else {
                throw ConnectorUnavailable("\(connection.connector.name) cannot read '\(resource)' in this version")
            }
            let records = PlatformRecords(resource: descriptor, http: http, layout: context.step.outputLayout,
                                          params: fetch.params.map { ($0.name, $0.value.value) })
            return HTTPRecordSource(connection: try httpConnection(connection), read: read, records: records, fetch: fetch, calls: context.calls,
                                    since: context.since)
        case .webhook(let path, _):
            throw ConnectorUnavailable("this run was started by hand, so there is no request body for the webhook '\(path)' to read")
        }
    }

    private func fileSource(_ target: FileConnector.Target, display: String, fetch: FetchOperation, context: ConnectorContext) throws -> any RecordSource {
        try FileSource(target: target, displayPath: display, fields: fetch.declaredFields, layout: context.step.outputLayout,
                       pageSize: fetch.pageSize ?? context.batchSize)
    }

    public func sink(for sync: SyncOperation, in context: ConnectorContext) throws -> any RecordSink {
        guard let connection = context.plan.connection(sync.connection) else { throw ConnectorUnavailable("no connection '\(sync.connection)'") }
        if connection.connector.name == "file" { return try FileSink(target: FileConnector.target(of: sync, in: context)) }
        guard let descriptor = sync.descriptor ?? connection.connector.resource(named: sync.resource), let http = descriptor.http,
              let write = http.writes[sync.mode] else {
            throw ConnectorUnavailable("\(connection.connector.name) cannot \(sync.mode.rawValue) '\(sync.resource)' in this version")
        }
        let records = PlatformRecords(resource: descriptor, http: http, layout: nil)
        return HTTPRecordSink(connection: try httpConnection(connection), write: write, records: records, sync: sync, calls: context.calls)
    }

    public func sender(for connection: ConnectionName, in context: ConnectorContext) throws -> any MessageSender {
        guard let planned = context.plan.connection(connection) else { throw ConnectorUnavailable("no connection '\(connection)'") }
        guard let send = planned.connector.resources.lazy.compactMap({ $0.notifies ? $0.http?.send : nil }).first else {
            throw ConnectorUnavailable("\(planned.connector.name) cannot send messages in this version")
        }
        return HTTPMessageSender(connection: try httpConnection(planned), send: send, calls: context.calls)
    }

    public func alertSender(for connection: ConnectionName, in plan: Plan) throws -> (any MessageSender)? {
        guard let planned = plan.connection(connection) else { throw ConnectorUnavailable("no connection '\(connection)'") }
        guard let send = planned.connector.resources.lazy.compactMap({ $0.notifies ? $0.http?.send : nil }).first else {
            throw ConnectorUnavailable("\(planned.connector.name) cannot send messages in this version")
        }
        // Alerts belong to no step: they are retried with the standard policy.
        let calls = RemoteCalls(retry: .standard, timeout: .seconds(30))
        return HTTPMessageSender(connection: try httpConnection(planned), send: send, calls: calls)
    }
}
