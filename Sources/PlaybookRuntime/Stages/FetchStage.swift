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
        let source = try connectors.source(for: fetch, in: context)
        var pages = 0
        var records = 0
        while fetch.maxPages.map({ pages < $0 }) ?? true, fetch.maxRecords.map({ records < $0 }) ?? true {
            try Task.checkCancellation()
            guard let page = try await source.nextPage() else { break }
            pages += 1
            records += try await pass(page, readSoFar: records)
        }
    }

    /// Passes a page's records on (within `max_records`) and sets its unreadable input aside;
    /// returns how many records went on.
    private func pass(_ page: RecordPage, readSoFar: Int) async throws -> Int {
        for unreadable in page.unreadable {
            try run.setAside(nil, RecordFailure(reason: unreadable.reason, location: nil), input: unreadable.text)
        }
        var batch = page.records
        if let maxRecords = fetch.maxRecords, readSoFar + batch.count > maxRecords {
            batch.removeLast(readSoFar + batch.count - maxRecords)
        }
        if !batch.isEmpty { await run.emit(batch) }
        return batch.count
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
                        params.append((parameter.name, Located(PlatformRecords.json(value), at: parameter.value.source.range)))
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
                found += try await pass(page, readSoFar: 0)
            }
        } catch let error as PlatformError where error.status == 404 {
            return found
        }
        return found
    }
}
