import CEL
import Diagnostics
import PlaybookLanguage

/// `fetch`: reads pages from the step's source and passes their records on, within `max_pages`
/// and `max_records`; input that cannot become a record is a record error. A lookup (a fetch
/// with `from:`) reads its resource once for each record of its input, with the parameters
/// computed from that record; a lookup that finds nothing is a record error.
struct FetchStage {
    let fetch: FetchOperation
    let run: StepRun
    let connectors: any ConnectorProvider
    let context: ConnectorContext

    func run() async throws {
        if !fetch.lookup.isEmpty { return try await lookUp() }
        if let given = run.givenRecords {
            try await pass(givenPage(given), readSoFar: 0)
            return
        }
        if case .webhook(let path, let records) = fetch.source, case .webhook(let triggerPath, let payload, _) = run.options.trigger {
            return try await readPayload(path: path, records: records, triggerPath: triggerPath, payload: payload)
        }
        var incremental = try await incrementalFilter()
        var context = self.context
        context.since = incremental?.reached
        let source = try connectors.source(for: fetch, in: context)
        // With a state file, a paged read keeps each page and where it stands, so that the run,
        // resumed after it stopped, passes those pages on again and reads only from there.
        let keeping = (source as? any ResumableRecordSource).flatMap { source in
            run.options.dryRun ? nil : run.options.state.map { (source: source, state: $0) }
        }
        var pages = 0
        var records = 0
        if let keeping, let progress = try await keeping.state.readProgress(playbook: run.plan.name, step: run.step.id, runID: run.options.runID) {
            for kept in progress.pages {
                try Task.checkCancellation()
                pages += 1
                let passed = try await pass(laidOut(kept, from: "the page kept by the run's earlier attempt"), readSoFar: records)
                incremental?.delivered(passed)
                records += passed.count
            }
            try keeping.source.resume(at: progress.position)
            run.pagesResumed = progress.pages.count
        }
        while fetch.maxPages.map({ pages < $0 }) ?? true, fetch.maxRecords.map({ records < $0 }) ?? true {
            try Task.checkCancellation()
            guard var page = try await source.nextPage() else { break }
            pages += 1
            if incremental != nil { page.records = incremental!.keepNew(page.records) }
            let passed = try await pass(page, readSoFar: records)
            if let keeping, let position = keeping.source.position {
                try await keeping.state.savePage(passed.map { CELValue.map($0).plainJSON }, position: position,
                                                 playbook: run.plan.name, step: run.step.id, runID: run.options.runID)
            }
            incremental?.delivered(passed)
            records += passed.count
        }
        run.cursorReached = incremental?.reached
    }

    /// The filter of an incremental fetch: past the cursor its last delivered run committed, or
    /// its `start` the first time.
    private func incrementalFilter() async throws -> IncrementalFilter? {
        guard let incremental = fetch.incremental else { return nil }
        let type: ValueType = if case .object(let fields) = run.step.outputRecord {
            fields.first { $0.name == incremental.cursor }?.type ?? .dyn
        } else { .dyn }
        var from = try await run.options.state?.cursor(playbook: run.plan.name, step: run.step.id)
        if from == nil, let start = incremental.start { from = IncrementalCursor(value: start.value) }
        return IncrementalFilter(field: incremental.cursor, type: type, from: from)
    }

    /// Passes a page's records on (within `max_records`) and sets its unreadable input aside;
    /// returns the records that went on.
    @discardableResult
    private func pass(_ page: RecordPage, readSoFar: Int) async throws -> [Record] {
        for unreadable in page.unreadable {
            try run.setAside(nil, RecordFailure(reason: unreadable.reason, location: nil), input: unreadable.text)
        }
        var batch = page.records
        if let maxRecords = fetch.maxRecords, readSoFar + batch.count > maxRecords {
            batch.removeLast(readSoFar + batch.count - maxRecords)
        }
        if !batch.isEmpty { await run.emit(batch) }
        return batch
    }

    /// Records a replay gives the fetch, as if read: on its record type, or unreadable.
    private func givenPage(_ values: [CELValue]) -> RecordPage {
        var page = RecordPage(records: [])
        for value in values {
            switch RecordReplay.record(value, type: run.step.outputRecord, layout: run.step.outputLayout) {
            case .success(let record): page.records.append(record)
            case .failure(let failure): page.unreadable.append(UnreadableRecord(reason: failure.reason, text: JSONText.string(value)))
            }
        }
        return page
    }

    /// The records of the request that started the run: `records:` evaluated over the payload, or
    /// the payload as one record; laid out on the declared fields (others are left out).
    private func readPayload(path: String, records: CompiledExpression?, triggerPath: String, payload: CELValue) async throws {
        guard path == triggerPath else {
            throw ConnectorUnavailable("this run was started by the webhook '\(triggerPath)', so there is no request body for '\(path)' to read")
        }
        var values: [CELValue] = [payload]
        if let records {
            switch run.evaluate(records, record: nil) {
            case .success(.list(let list)): values = list
            case .success(let other):
                throw StepFailure("`records` gave \(other.celType.runtimeName), not a list", at: run.sourceLocation(records.source.range))
            case .failure(let failure):
                throw StepFailure(failure.reason, at: failure.location)
            }
        }
        try await pass(laidOut(values, from: "the request body"), readSoFar: 0)
    }

    /// Values given as maps of fields (a request body, a page kept by an earlier attempt) as
    /// records laid out on the step's declared fields (others are left out); a value that is not a
    /// map, or whose field has the wrong type, is unreadable.
    private func laidOut(_ values: [CELValue], from origin: String) -> RecordPage {
        let layout = run.step.outputLayout
        let fields: [ValueType.Field] = if case .object(let fields) = run.step.outputRecord { fields } else { [] }
        var page = RecordPage(records: [])
        for (index, value) in values.enumerated() {
            guard case .map(let map) = value else {
                page.unreadable.append(UnreadableRecord(reason: "record \(index + 1) of \(origin) is \(value.celType.runtimeName), not a map of fields",
                                                        text: JSONText.string(value)))
                continue
            }
            guard let layout else {
                page.records.append(map)
                continue
            }
            switch FieldConversion.record(map, fields: fields, layout: layout) {
            case .success(let record): page.records.append(record)
            case .failure(let mismatch):
                let problem = "record \(index + 1) of \(origin): the field \(mismatch.field) should be \(mismatch.type), not \(FieldConversion.shown(mismatch.given))"
                page.unreadable.append(UnreadableRecord(reason: problem, text: JSONText.string(value)))
            }
        }
        return page
    }

    private func laidOut(_ json: [JSONValue], from origin: String) -> RecordPage {
        laidOut(json.map(PlatformRecords.cel), from: origin)
    }

    private func lookUp() async throws {
        var records = 0
        try await run.forEachInputBatch { batch in
            for record in batch {
                try Task.checkCancellation()
                if let maxRecords = fetch.maxRecords, records >= maxRecords { return }
                var params: [(name: String, value: Located<JSONValue>)] = []
                var failure: RecordFailure?
                for parameter in fetch.lookup {
                    switch run.evaluate(parameter.value, record: record) {
                    case .success(let value):
                        params.append((parameter.name, Located(value.plainJSON, at: parameter.value.source.range)))
                    case .failure(let problem):
                        failure = failure ?? problem
                    }
                }
                if let failure {
                    try run.setAside(record, failure)
                    continue
                }
                var single = fetch
                single.params = params
                single.lookup = []
                let found = try await readAll(single)
                if found == 0 {
                    let shown = params.map { "\($0.name) \($0.value.value.text)" }.joined(separator: ", ")
                    try run.setAside(record, RecordFailure(reason: "the lookup found nothing for \(shown)", location: nil))
                }
                records += found
            }
        }
    }

    /// Reads every page of one lookup; a platform that answers 404 found nothing.
    private func readAll(_ single: FetchOperation) async throws -> Int {
        let source = try connectors.source(for: single, in: context)
        var pages = 0
        var found = 0
        do {
            while single.maxPages.map({ pages < $0 }) ?? true {
                guard let page = try await source.nextPage() else { break }
                pages += 1
                found += try await pass(page, readSoFar: 0).count
            }
        } catch let error as PlatformError where error.status == 404 {
            return found
        }
        return found
    }
}
