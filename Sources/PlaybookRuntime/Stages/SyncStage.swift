import CEL
import Crypto
import Diagnostics
import Foundation
import PlaybookLanguage

/// `sync`: writes the records (or the `fields:` computed from each) in batches of `batch_size`.
/// A record the destination refuses is a record error. In a dry run nothing is written: the
/// summary reports how many records would have been, and the first few.
struct SyncStage {
    let sync: SyncOperation
    let run: StepRun
    let connectors: any ConnectorProvider
    let context: ConnectorContext

    func run() async throws {
        let sink: (any RecordSink)? = run.options.dryRun ? nil : try connectors.sink(for: sync, in: context)
        let written = sync.fields.isEmpty ? nil : CELRecordSchema(fieldNames: sync.fields.map(\.field))
        let batchSize = max(1, sync.batchSize ?? run.options.batchSize)
        var report = DryRunReport(connection: sync.connection.rawValue, resource: sync.resource, mode: sync.mode.rawValue,
                                  count: 0, sampleRecords: [], sampleMessages: [])
        var pending: [(record: Record, written: Record)] = []
        var sequence = 0
        let ledger = sync.mode == .insert ? run.options.state.map { StepLedger(state: $0, run: run) } : nil
        // Keys of records inserted and not yet marked written: marked in the transaction that
        // claims the next batch, or after the last.
        var writtenUnmarked: [String] = []

        func flush() async throws {
            guard !pending.isEmpty else { return }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            if let sink {
                if let ledger {
                    return try await insertOnce(batch, sink: sink, ledger: ledger, writtenUnmarked: &writtenUnmarked)
                }
                // A batch the run's earlier attempt wrote, with the same records, is not written again.
                let batchNumber = sequence
                sequence += 1
                if let state = run.options.state,
                   try await state.intendBatch(sequence: batchNumber, key: Self.batchKey(batch.map(\.written)), records: batch.count,
                                               step: run.step.id, runID: run.options.runID) {
                    run.batchesAlreadyWritten += 1
                    return await run.emit(batch.map(\.record))
                }
                // An insert is not repeated once its effect is unknown, even without a ledger.
                let refused: [RefusedRecord]
                do {
                    refused = try await AtMostOnce.$current.withValue(sync.mode == .insert ? AtMostOnce() : nil) {
                        try await sink.write(batch.map(\.written))
                    }
                } catch is MayHaveTakenEffect {
                    run.uncertainKeys += ledgerKeys(of: batch)
                    return
                }
                let refusedPositions = Set(refused.map(\.index))
                for refusal in refused where batch.indices.contains(refusal.index) {
                    try run.setAside(batch[refusal.index].record, RecordFailure(reason: refusal.reason, location: nil))
                }
                if let state = run.options.state {
                    try await state.acknowledgeBatch(sequence: batchNumber, step: run.step.id, runID: run.options.runID)
                }
                await run.emit(batch.indices.filter { !refusedPositions.contains($0) }.map { batch[$0].record })
            } else {
                report.count += batch.count
                for entry in batch.prefix(run.options.dryRunSampleSize - report.sampleRecords.count) {
                    report.sampleRecords.append(.map(entry.written))
                }
                await run.emit(batch.map(\.record))
            }
        }

        do {
            try await run.forEachInputBatch { batch in
                for record in batch {
                    guard let output = try fields(of: record, layout: written) else { continue }
                    pending.append((record, output))
                    if pending.count >= batchSize { try await flush() }
                }
            }
            try await flush()
        } catch {
            // What was written is recorded so, however the step ends. (Should that fail too, the
            // keys stay claimed, and the next run reports them uncertain rather than writing them
            // again; the step's own error is the one to report.)
            if let ledger, !writtenUnmarked.isEmpty { try? await ledger.markSent(writtenUnmarked) }
            throw error
        }
        if let ledger, !writtenUnmarked.isEmpty { try await ledger.markSent(writtenUnmarked) }
        if let sink { try await sink.finish() } else { run.dryRun = report }
    }

    /// An insert is not idempotent, so across runs each record goes through the ledger as a
    /// message does: claimed before the batch is written, marked written once the platform
    /// accepted it (in the transaction that claims the next batch, which `writtenUnmarked`
    /// carries to it), given up when the platform refused it. A record an earlier run wrote is
    /// not written again; one an earlier run was writing when it died is reported uncertain, not
    /// written again.
    private func insertOnce(_ batch: [(record: Record, written: Record)], sink: any RecordSink, ledger: StepLedger,
                            writtenUnmarked: inout [String]) async throws {
        let keys = ledgerKeys(of: batch)
        // Claimed in the batch's order, so that marking the accepted records written, in the same
        // order, settles the claim as a whole.
        let distinctKeys = DistinctKeys(keys)
        let distinct = distinctKeys.keys
        // The batch is prepared (a file's lines encoded) while its claim is written; nothing is
        // written before the claim is on the disk. The claim goes on apart from this task, so that
        // what it marks written is recorded whatever happens to this one.
        let claiming = ledger.startClaim(distinct, afterMarkingSent: writtenUnmarked, delivery: .atMostOnce)
        /// Lets go of the keys the claim took, for a batch not written now: left claimed, they would
        /// be reported uncertain and never written.
        func letGo(_ answers: [NotificationClaim]) async {
            try? await ledger.release(zip(distinct, answers).filter(\.1.tookTheKey).map(\.0))
        }
        let prepared: PreparedBatch
        do {
            prepared = try sink.prepare(batch.map(\.written))
        } catch {
            if let answers = try? await claiming.value {
                writtenUnmarked = []
                await letGo(answers)
            }
            throw error
        }
        let answers = try await claiming.value
        writtenUnmarked = []
        // A step stopped while its claim was written does not write the batch.
        if Task.isCancelled {
            await letGo(answers)
            throw CancellationError()
        }
        // Each record's answer: a record repeated in the batch has its first's.
        let claims = distinctKeys.positions.map { $0.map { answers[$0] } } ?? answers
        var toWrite: [Int] = []
        var done: [Record] = []
        // Distinct keys are numbered in the order each first appears: a record whose key's number
        // is below the count met so far repeats an earlier record of the batch.
        var distinctMet = 0
        for (index, key) in keys.enumerated() {
            let isRepeat = distinctKeys.positions.map { $0[index] < distinctMet } ?? false
            if !isRepeat { distinctMet += 1 }
            switch claims[index] {
            case .alreadySent:
                run.alreadyWritten += 1
                done.append(batch[index].record)
            case .uncertain:
                run.uncertainKeys.append(key)
            case .send, .sendAgain:
                // The same record twice in one batch is written once.
                if isRepeat { run.alreadyWritten += 1 } else { toWrite.append(index) }
            }
        }
        guard !toWrite.isEmpty else { return await run.emit(done) }
        // A batch may take several calls, so a refusal is not let go of until the write is over.
        let refused: [RefusedRecord]
        do {
            refused = try await AtMostOnce.$current.withValue(AtMostOnce()) {
                try await toWrite.count == batch.count ? sink.write(prepared) : sink.write(toWrite.map { batch[$0].written })
            }
        } catch is MayHaveTakenEffect {
            // Perhaps written, perhaps not: the records are recorded so and reported; the step goes on.
            try await ledger.markUncertain(toWrite.map { keys[$0] })
            run.uncertainKeys += toWrite.map { keys[$0] }
            return await run.emit(done)
        } catch let error as CancellationError {
            throw error
        } catch {
            try? await ledger.release(toWrite.map { keys[$0] })
            throw error
        }
        let refusedPositions = Set(refused.map(\.index))
        for refusal in refused where toWrite.indices.contains(refusal.index) {
            try run.setAside(batch[toWrite[refusal.index]].record, RecordFailure(reason: refusal.reason, location: nil))
        }
        if refused.isEmpty && toWrite.count == batch.count {
            // The common case, every record written and accepted: the batch's own arrays serve.
            writtenUnmarked = keys
            return await run.emit(batch.map(\.record))
        }
        let accepted = toWrite.indices.filter { !refusedPositions.contains($0) }.map { toWrite[$0] }
        writtenUnmarked = accepted.map { keys[$0] }
        if !refusedPositions.isEmpty { try await ledger.release(refusedPositions.map { keys[toWrite[$0]] }) }
        await run.emit(done + accepted.map { batch[$0].record })
    }

    /// Names a batch by its records as written, so that a batch of a resumed run is taken for the
    /// earlier attempt's only when it holds the same records.
    static func batchKey(_ records: [Record]) -> String {
        var hash = SHA256()
        for record in records {
            hash.update(data: Data(JSONText.string(.map(record)).utf8))
            hash.update(data: Data([0x0A]))
        }
        return "batch_" + hash.finalize().prefix(16).lowercaseHex
    }

    /// Each written record's key in the ledger and the summary: its `match_on` value, or the whole record.
    private func ledgerKeys(of batch: [(record: Record, written: Record)]) -> [String] {
        guard let field = sync.matchOn else { return batch.map { StepLedger.key(of: .map($0.written)) } }
        // The records of a batch mostly share one layout: the field's slot is found once for it,
        // not by name in every record.
        var reader = FieldReader(field)
        var keys: [String] = []
        keys.reserveCapacity(batch.count)
        // By position, so that each record is read where it lies rather than copied out first.
        for index in batch.indices {
            if let value = reader.value(in: batch[index].written) {
                keys.append(StepLedger.key(of: value))
            } else {
                keys.append(StepLedger.key(of: .map(batch[index].written)))
            }
        }
        return keys
    }

    /// The record as written: itself, or its `fields:` computed; nil when one failed (set aside).
    private func fields(of record: Record, layout: CELRecordSchema?) throws(StepFailure) -> Record? {
        guard let layout else { return record }
        var values = CELRecordBuilder(schema: layout)
        for (slot, field) in sync.fields.enumerated() {
            switch run.evaluate(field.value, record: record) {
            case .success(let value): values[slot] = value
            case .failure(let failure):
                try run.setAside(record, failure)
                return nil
            }
        }
        return values.record()
    }
}
