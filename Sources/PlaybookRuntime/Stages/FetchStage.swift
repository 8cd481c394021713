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

/// `segment`: keeps the records meeting `where:`, or sends each record to the first segment whose
/// condition it meets (else to `otherwise:`, else nowhere).
struct SegmentStage {
    let segment: SegmentOperation
    let run: StepRun

    func run() async throws {
        try await run.forEachInputBatch { batch in
            if let filter = segment.filter {
                var kept: [Record] = []
                kept.reserveCapacity(batch.count)
                for record in batch {
                    switch run.holds(filter, record: record) {
                    case .success(true): kept.append(record)
                    case .success(false): break
                    case .failure(let failure): try run.setAside(record, failure)
                    }
                }
                await run.emit(kept)
                return
            }
            var bySegment = [[Record]](repeating: [], count: segment.segmentNames.count)
            records: for record in batch {
                for (index, named) in segment.segments.enumerated() {
                    switch run.holds(named.condition, record: record) {
                    case .success(true):
                        bySegment[index].append(record)
                        continue records
                    case .success(false): continue
                    case .failure(let failure):
                        try run.setAside(record, failure)
                        continue records
                    }
                }
                if segment.otherwise != nil { bySegment[segment.segments.count].append(record) }
            }
            for (name, records) in zip(segment.segmentNames, bySegment) {
                await run.emit(records, segment: name)
            }
        }
    }
}
