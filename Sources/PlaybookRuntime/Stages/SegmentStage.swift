import CEL
import PlaybookLanguage

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
