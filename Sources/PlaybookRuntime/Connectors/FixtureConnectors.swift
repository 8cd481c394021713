import CEL
import PlaybookLanguage
import Synchronization

/// Fixtures in place of connectors, for `playbook test` and the runtime's own tests: each fetch
/// step reads the records it is given, and every sync and notify step keeps what it receives
/// instead of calling anything. No network, no credentials.
public final class FixtureConnectors: ConnectorProvider, Sendable {
    /// Records by fetch step, as plain values; converted to each step's field types when read.
    private let fixtures: [StepID: [CELValue]]
    private let captured = Mutex<(written: [StepID: [Record]], sent: [StepID: [OutgoingMessage]])>(([:], [:]))

    /// Fixtures giving each fetch step its records (maps of fields).
    public init(records: [StepID: [CELValue]]) {
        fixtures = records
    }

    /// What each sync step wrote, in order.
    public var written: [StepID: [Record]] { captured.withLock { $0.written } }
    /// What each notify step sent, in order.
    public var sent: [StepID: [OutgoingMessage]] { captured.withLock { $0.sent } }

    public func source(for fetch: FetchOperation, in context: ConnectorContext) throws -> any RecordSource {
        guard let records = fixtures[context.step.id] else {
            throw ConnectorUnavailable("no fixture records for fetch step '\(context.step.id)'")
        }
        let fields: [ValueType.Field]? = if case .object(let fields) = context.step.outputRecord { fields } else { nil }
        var page = RecordPage(records: [])
        for (index, value) in records.enumerated() {
            switch Self.record(value, fields: fields, layout: context.step.outputLayout) {
            case .success(let record): page.records.append(record)
            case .failure(let problem):
                page.unreadable.append(UnreadableRecord(reason: "fixture record \(index + 1): \(problem.reason)", text: value.plainJSON.serialized()))
            }
        }
        if case .fetch(let planned) = context.step.operation, !planned.lookup.isEmpty {
            // A lookup finds the fixture records whose fields equal its parameters, each compared
            // with the field the resource says it names (Meta's `leadgen_id` is the lead's `id`).
            let resource: ResourceDescriptor? = if case .connection(_, _, let descriptor) = fetch.source { descriptor } else { nil }
            let wanted = fetch.params.map { parameter in
                (field: resource?.parameters.first { $0.name == parameter.name }?.lookupField ?? parameter.name, text: parameter.value.value.text)
            }
            page.records = page.records.filter { record in
                wanted.allSatisfy { record[$0.field].map { JSONText.string($0) } == $0.text }
            }
            page.unreadable = []
        }
        return FixtureSource(pages: stride(from: 0, to: page.records.count, by: max(1, context.batchSize)).map { start in
            RecordPage(records: Array(page.records[start..<min(start + context.batchSize, page.records.count)]))
        } + (page.unreadable.isEmpty ? [] : [RecordPage(records: [], unreadable: page.unreadable)]))
    }

    public func sink(for sync: SyncOperation, in context: ConnectorContext) throws -> any RecordSink {
        FixtureSink(step: context.step.id, owner: self)
    }

    public func sender(for connection: ConnectionName, in context: ConnectorContext) throws -> any MessageSender {
        FixtureSender(step: context.step.id, owner: self)
    }

    fileprivate func keep(_ records: [Record], for step: StepID) {
        captured.withLock { $0.written[step, default: []].append(contentsOf: records) }
    }

    fileprivate func keep(_ message: OutgoingMessage, for step: StepID) {
        captured.withLock { $0.sent[step, default: []].append(message) }
    }

    /// A fixture value as a record of the step: on its layout, each field converted to its type as
    /// a JSON Lines file's would be (an RFC 3339 text for a timestamp field becomes a timestamp).
    static func record(_ value: CELValue, fields: [ValueType.Field]?, layout: CELRecordSchema?) -> Result<Record, RecordFailure> {
        guard case .map(let map) = value else {
            return .failure(RecordFailure(reason: "a record is a map of fields, not \(value.celType.runtimeName)", location: nil))
        }
        guard let layout, let fields else { return .success(map) }
        for key in map.keys {
            guard case .string(let name) = key, layout.index(of: name) != nil else {
                return .failure(RecordFailure(
                    reason: "\(key.rendered) is not a field of these records (they have \(layout.fieldNames.joined(separator: ", ")))", location: nil))
            }
        }
        return laidOut(map, fields: fields, layout: layout)
    }

    /// A map on the layout, fields it lacks left out; a field of the wrong type is named.
    static func laidOut(_ map: CELMap, fields: [ValueType.Field], layout: CELRecordSchema) -> Result<Record, RecordFailure> {
        FieldConversion.record(map, fields: fields, layout: layout).mapError { mismatch in
            RecordFailure(reason: "field '\(mismatch.field)' should be \(mismatch.type), not \(mismatch.given.rendered)", location: nil)
        }
    }
}

private final class FixtureSource: RecordSource, Sendable {
    private let pages: Mutex<[RecordPage]>
    init(pages: [RecordPage]) { self.pages = Mutex(pages.reversed()) }
    func nextPage() async throws -> RecordPage? { pages.withLock { $0.popLast() } }
}

private struct FixtureSink: RecordSink {
    let step: StepID
    let owner: FixtureConnectors
    func write(_ batch: [Record]) async throws -> [RefusedRecord] {
        owner.keep(batch, for: step)
        return []
    }
    func finish() async throws {}
}

private struct FixtureSender: MessageSender {
    let step: StepID
    let owner: FixtureConnectors
    func send(_ message: OutgoingMessage) async throws { owner.keep(message, for: step) }
}
