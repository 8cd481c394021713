import CEL
import PlaybookLanguage

/// `fetch`: reads pages from the step's source and passes their records on, within `max_pages`
/// and `max_records`; input that cannot become a record is a record error.
struct FetchStage {
    let fetch: FetchOperation
    let run: StepRun
    let connectors: any ConnectorProvider
    let context: ConnectorContext

    func run() async throws {
        let source = try connectors.source(for: fetch, in: context)
        var pages = 0
        var records = 0
        while fetch.maxPages.map({ pages < $0 }) ?? true, fetch.maxRecords.map({ records < $0 }) ?? true {
            try Task.checkCancellation()
            guard let page = try await source.nextPage() else { break }
            pages += 1
            for unreadable in page.unreadable {
                try run.setAside(nil, RecordFailure(reason: unreadable.reason, location: nil), input: unreadable.text)
            }
            var batch = page.records
            if let maxRecords = fetch.maxRecords, records + batch.count > maxRecords {
                batch.removeLast(records + batch.count - maxRecords)
            }
            records += batch.count
            await run.emit(batch)
        }
    }
}
