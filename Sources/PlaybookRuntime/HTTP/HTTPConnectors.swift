import CEL
import Crypto
import Diagnostics
import Foundation
import PlaybookLanguage
import Synchronization

/// Reads a resource over HTTP a page at a time, following the platform's pagination; starts and
/// waits for its report job first when it has one.
final class HTTPRecordSource: ResumableRecordSource, @unchecked Sendable {
    private let connection: HTTPConnection
    private let read: HTTPRead
    private let records: PlatformRecords
    private let calls: RemoteCalls
    private let stepValues: TemplateValues
    private let state: Mutex<(paginator: Paginator, jobID: String?)>
    /// Answers of the item lookups so far, by lookup name and key: each is read once per read.
    private let lookedUp = Mutex<[String: [String: CELValue]]>([:])

    init(connection: HTTPConnection, read: HTTPRead, records: PlatformRecords, fetch: FetchOperation, calls: RemoteCalls,
         since: IncrementalCursor? = nil) {
        self.connection = connection
        self.read = read
        self.records = records
        self.calls = calls
        var values = TemplateValues()
        values["params"] = .object(fetch.params.map { ($0.name, $0.value.value) })
        if let since { values["cursor"] = .object([("value", since.value)]) }
        stepValues = values
        let size = fetch.pageSize.map { min($0, read.maxPageSize ?? $0) } ?? read.defaultPageSize
        var paginator = Paginator(pagination: read.pagination, shortPageIsLast: read.shortPageIsLast, pageSize: size)
        paginator.lastPageWithout = read.lastPageWithout
        state = Mutex((paginator, nil))
    }

    /// Page tokens, offsets and next-page addresses are kept; a report job's results are not, so a
    /// read that starts with one is read again from the start.
    var position: JSONValue? {
        read.asyncJob == nil ? state.withLock { $0.paginator.position } : nil
    }

    func resume(at position: JSONValue) throws {
        try state.withLock { try $0.paginator.resume(at: position) }
    }

    func nextPage() async throws -> RecordPage? {
        let (paginator, knownJob) = state.withLock { ($0.paginator, $0.jobID) }
        guard !paginator.isFinished else { return nil }
        var values = stepValues
        if let job = read.asyncJob {
            let id: String
            if let knownJob { id = knownJob } else { id = try await runJob(job) }
            state.withLock { $0.jobID = id }
            values["job"] = .object([("id", .string(id))])
        }
        values["page"] = paginator.values
        let request = paginator.request(read.request)
        let url = paginator.nextURL.map { connection.address(of: $0) }
        let (_, json) = try await connection.call(request, values: values, calls: calls, url: url)
        let shown = "\(request.method) \(connection.redactor.redact(HTTPConnection.withoutQuery(url ?? connection.address(of: Template.text(request.path, values)))))"
        guard let json else {
            throw UnreadableAnswer(connection: connection.name.rawValue, call: shown, problem: "is not JSON", retryAdvice: .doNotRetry)
        }
        var items: [JSONValue] = []
        switch JSONPath.value(at: read.records, in: json) {
        case .array(let list)?: items = list
        // An answer that is one record (a lead read by its id), when the spec says the answer is the record.
        case .object(let members)? where read.records.isEmpty && !members.isEmpty: items = [.object(members)]
        case nil, .null?: items = []
        default:
            throw UnreadableAnswer(connection: connection.name.rawValue, call: shown, problem: "has no list of records at `\(read.records)`", retryAdvice: .doNotRetry)
        }
        if let columns = read.columns { items = PlatformRecords.items(fromRows: items, columns: columns, answer: json) }
        var page = RecordPage(records: [])
        page.records.reserveCapacity(items.count)
        let lookups = records.http.itemLookups
        if !lookups.isEmpty { try await lookUp(lookups, for: items) }
        for item in items {
            do {
                page.records.append(try records.record(from: item, lookups: lookups.isEmpty ? .map(CELMap()) : lookupValues(lookups, for: item)))
            } catch {
                page.unreadable.append(UnreadableRecord(reason: "\(connection.name): \(error)", text: LineProblem.cut(connection.redactor.redact(item.text))))
            }
        }
        var advanced = paginator
        try advanced.advance(answer: json, count: items.count)
        state.withLock { $0.paginator = advanced }
        return page
    }

    /// Makes each lookup's call for the keys of `items` not looked up yet. A key the platform does
    /// not know (404) has no answer, so the fields computed from it are absent.
    private func lookUp(_ lookups: [HTTPItemLookup], for items: [JSONValue]) async throws {
        for lookup in lookups {
            var keys: [String] = []
            for item in items {
                guard let key = JSONPath.text(JSONPath.value(at: lookup.key, in: item)), !key.isEmpty, !keys.contains(key) else { continue }
                if lookedUp.withLock({ $0[lookup.name]?[key] }) == nil { keys.append(key) }
            }
            for key in keys {
                var values = stepValues
                values["key"] = .string(key)
                let answer: CELValue
                do {
                    let (_, json) = try await connection.call(lookup.request, values: values, calls: calls)
                    answer = json.map(PlatformRecords.cel) ?? .null
                } catch let error as PlatformError where error.status == 404 {
                    answer = .null
                }
                lookedUp.withLock { $0[lookup.name, default: [:]][key] = answer }
            }
        }
    }

    /// The lookups' answers for one item, as the field expressions read them.
    private func lookupValues(_ lookups: [HTTPItemLookup], for item: JSONValue) -> CELValue {
        var map = CELMap()
        let known = lookedUp.withLock { $0 }
        for lookup in lookups {
            guard let key = JSONPath.text(JSONPath.value(at: lookup.key, in: item)), let answer = known[lookup.name]?[key] else { continue }
            if case .null = answer { continue }
            try? map.insert(.string(lookup.name), answer)
        }
        return .map(map)
    }

    /// Starts the report job and polls it, waiting longer each time, until it is done.
    private func runJob(_ job: HTTPAsyncJob) async throws -> String {
        let (_, started) = try await connection.call(job.start, values: stepValues, calls: calls)
        guard let started, let id = JSONPath.text(JSONPath.value(at: job.jobID, in: started)), !id.isEmpty else {
            let path = connection.redactor.redact(Template.text(job.start.path, connection.values.merging(stepValues)))
            throw UnreadableAnswer(connection: connection.name.rawValue, call: "\(job.start.method) \(path)", problem: "gives no job id at `\(job.jobID)`", retryAdvice: .doNotRetry)
        }
        var values = stepValues
        values["job"] = .object([("id", .string(id))])
        var wait = Duration.milliseconds(200)
        for _ in 0..<200 {
            let (_, polled) = try await connection.call(job.poll, values: values, calls: calls)
            let status = polled.flatMap { JSONPath.text(JSONPath.value(at: job.status, in: $0)) } ?? ""
            if job.completed.contains(status) { return id }
            if job.failed.contains(status) {
                throw ConnectorUnavailable("\(connection.name): the report job \(id) ended with the status '\(status)'")
            }
            try await Task.sleep(for: wait)
            wait = min(wait * 2, .seconds(30))
        }
        throw ConnectorUnavailable("\(connection.name): the report job \(id) did not finish after 200 polls")
    }
}

/// Writes a sync step's records over HTTP, at most the platform's batch limit per call, and sets
/// aside exactly the records the platform refused.
final class HTTPRecordSink: RecordSink {
    private let connection: HTTPConnection
    private let write: HTTPWrite
    private let records: PlatformRecords
    private let sync: SyncOperation
    private let calls: RemoteCalls
    private let limit: Int

    init(connection: HTTPConnection, write: HTTPWrite, records: PlatformRecords, sync: SyncOperation, calls: RemoteCalls) {
        self.connection = connection
        self.write = write
        self.records = records
        self.sync = sync
        self.calls = calls
        limit = max(1, records.resource.maxBatchSize ?? sync.batchSize ?? 100)
    }

    func write(_ batch: [Record]) async throws -> [RefusedRecord] {
        var refused: [RefusedRecord] = []
        var start = 0
        while start < batch.count {
            let part = Array(batch[start..<min(batch.count, start + limit)])
            refused += try await writePart(part).map { RefusedRecord(index: $0.index + start, reason: $0.reason) }
            start += part.count
        }
        return refused
    }

    func finish() async throws {}

    private func writePart(_ part: [Record]) async throws -> [RefusedRecord] {
        var values = TemplateValues()
        values["params"] = .object(sync.params.map { ($0.name, $0.value.value) })
        if let start = write.start {
            values["started"] = try await started(start, values: values)
        }
        let matchName = sync.matchOn.map { records.platformName(of: $0) }
        var keys: [String?] = []
        var items: [JSONValue] = []
        for record in part {
            var itemValues = values
            let item = records.item(from: record, keeping: sync.matchOn)
            itemValues["record"] = item
            itemValues["fields"] = CELValue.map(record).plainJSON
            let key = sync.matchOn.flatMap { record[$0] }.flatMap { JSONPath.text($0.plainJSON) }
            keys.append(key)
            if let matchName {
                var match: [(String, JSONValue)] = [("name", .string(matchName))]
                if let key {
                    match.append(("value", .string(key)))
                    let digest = Insecure.MD5.hash(data: Data(key.lowercased().utf8))
                    match.append(("md5", .string(digest.lowercaseHex)))
                }
                itemValues["match"] = .object(match)
            }
            items.append(write.item.flatMap { Template.json($0, itemValues) } ?? item)
            if part.count == 1 { values = itemValues }
        }
        values["items"] = .array(items)
        let (_, json) = try await connection.call(write.request, values: values, calls: calls)
        if let finish = write.finish {
            _ = try await connection.call(finish, values: values, calls: calls)
        }
        guard let refusals = write.refusals, let json else { return [] }
        switch refusals {
        case .perRecord(let resultsPath, let success, let reason):
            guard case .array(let results)? = JSONPath.value(at: resultsPath, in: json) else { return [] }
            return results.enumerated().compactMap { index, result in
                guard index < part.count, case .bool(false)? = JSONPath.value(at: success, in: result) else { return nil }
                let text = JSONPath.text(JSONPath.value(at: reason, in: result)) ?? "refused by the platform"
                return RefusedRecord(index: index, reason: "\(connection.name): \(connection.redactor.redact(text))")
            }
        case .listed(let errorsPath, let keyPath, let reason):
            guard case .array(let errors)? = JSONPath.value(at: errorsPath, in: json) else { return [] }
            var refused: [RefusedRecord] = []
            // The key path may name alternatives (`context.ids.0|context.id.0`); one written `#path`
            // gives the refused record's position in the batch instead of its key.
            for error in errors {
                let text = JSONPath.text(JSONPath.value(at: reason, in: error)) ?? "refused by the platform"
                var positions: [Int] = []
                for path in keyPath.split(separator: "|").map(String.init) {
                    if path.hasPrefix("#") {
                        if let position = JSONPath.text(JSONPath.value(at: String(path.dropFirst()), in: error)).flatMap(Int.init),
                           keys.indices.contains(position) { positions = [position] }
                    } else if let key = JSONPath.text(JSONPath.value(at: path, in: error)) {
                        positions = keys.indices.filter { keys[$0] == key }
                    }
                    if !positions.isEmpty { break }
                }
                for index in positions where !refused.contains(where: { $0.index == index }) {
                    refused.append(RefusedRecord(index: index, reason: "\(connection.name): \(connection.redactor.redact(text))"))
                }
            }
            return refused.sorted { $0.index < $1.index }
        }
    }
}

extension HTTPRecordSink {
    /// Makes a write's first call and keeps the values its answer names; one that is missing is an
    /// error, as the batch's calls would go to the wrong place without it.
    private func started(_ start: HTTPWriteStart, values: TemplateValues) async throws -> JSONValue {
        let (_, json) = try await connection.call(start.request, values: values, calls: calls)
        var kept: [(String, JSONValue)] = []
        for value in start.keep {
            guard let found = json.flatMap({ JSONPath.value(at: value.path, in: $0) }), found != .null else {
                throw UnreadableAnswer(connection: connection.name.rawValue, call: "\(start.request.method) \(start.request.path)",
                                       problem: "has no `\(value.path)`", retryAdvice: .doNotRetry)
            }
            kept.append((value.name, found))
        }
        return .object(kept)
    }
}

/// Sends a notify step's messages over HTTP, one call per message.
final class HTTPMessageSender: MessageSender {
    private let connection: HTTPConnection
    private let send: HTTPWrite
    private let calls: RemoteCalls

    init(connection: HTTPConnection, send: HTTPWrite, calls: RemoteCalls) {
        self.connection = connection
        self.send = send
        self.calls = calls
    }

    func send(_ message: OutgoingMessage) async throws {
        var members: [(String, JSONValue)] = [
            ("text", .string(message.text)),
            ("id", .string(message.id ?? "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())),
            ("timestamp", .string(CELTimestamp(nanos: Int128(Date().timeIntervalSince1970 * 1e9)).rfc3339)),
        ]
        if let subject = message.subject { members.append(("subject", .string(subject))) }
        if let to = message.to { members.append(("to", .string(to))) }
        let channel = message.channel ?? connection.values.value(of: "options.channel").flatMap(JSONPath.text)
        if let channel { members.append(("channel", .string(channel))) }
        if let data = message.data { members.append(("data", data)) }
        var values = TemplateValues()
        values["message"] = .object(members)
        _ = try await connection.call(send.request, values: values, calls: calls, signing: send.signing)
    }
}
