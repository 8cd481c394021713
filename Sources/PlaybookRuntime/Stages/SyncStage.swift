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

        func flush() async throws {
            guard !pending.isEmpty else { return }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            if let sink {
                if sync.mode == .insert, let state = run.options.state {
                    return try await insertOnce(batch, sink: sink, ledger: StepLedger(state: state, run: run))
                }
                // A batch the run's earlier attempt wrote, with the same records, is not written again.
                let written = sequence
                sequence += 1
                let key = run.options.state == nil ? nil : Self.batchKey(batch.map(\.written))
                if let state = run.options.state, let key,
                   try await state.intendBatch(sequence: written, key: key, records: batch.count, step: run.step.id, runID: run.options.runID) {
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
                    run.uncertainKeys += batch.map { ledgerKey(of: $0.written) }
                    return
                }
                let refusedPositions = Set(refused.map(\.index))
                for refusal in refused where batch.indices.contains(refusal.index) {
                    try run.setAside(batch[refusal.index].record, RecordFailure(reason: refusal.reason, location: nil))
                }
                if let state = run.options.state, key != nil {
                    try await state.acknowledgeBatch(sequence: written, step: run.step.id, runID: run.options.runID)
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

        try await run.forEachInputBatch { batch in
            for record in batch {
                guard let output = try fields(of: record, layout: written) else { continue }
                pending.append((record, output))
                if pending.count >= batchSize { try await flush() }
            }
        }
        try await flush()
        if let sink { try await sink.finish() } else { run.dryRun = report }
    }

    /// An insert is not idempotent, so across runs each record goes through the ledger as a
    /// message does: claimed before the batch is written, marked written once the platform
    /// accepted it, given up when the platform refused it. A record an earlier run wrote is not
    /// written again; one an earlier run was writing when it died is reported uncertain, not
    /// written again.
    private func insertOnce(_ batch: [(record: Record, written: Record)], sink: any RecordSink, ledger: StepLedger) async throws {
        let keys = batch.map { ledgerKey(of: $0.written) }
        let claims = try await ledger.claim(Array(Set(keys)))
        var toWrite: [Int] = []
        var done: [Record] = []
        var claimedHere = Set<String>()
        for (index, key) in keys.enumerated() {
            switch claims[key] {
            case .alreadySent?:
                run.alreadyWritten += 1
                done.append(batch[index].record)
            case .uncertain?:
                run.uncertainKeys.append(key)
            case .send?, .sendAgain?, nil:
                // The same record twice in one batch is written once.
                if claimedHere.insert(key).inserted { toWrite.append(index) } else { run.alreadyWritten += 1 }
            }
        }
        guard !toWrite.isEmpty else { return await run.emit(done) }
        // A batch may take several calls, so a refusal is not let go of until the write is over.
        let refused: [RefusedRecord]
        do {
            refused = try await AtMostOnce.$current.withValue(AtMostOnce()) { try await sink.write(toWrite.map { batch[$0].written }) }
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
        let accepted = toWrite.indices.filter { !refusedPositions.contains($0) }.map { toWrite[$0] }
        try await ledger.markSent(accepted.map { keys[$0] })
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
        return "batch_" + hash.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// A written record's key in the ledger and the summary: its `match_on` value, or the whole record.
    private func ledgerKey(of written: Record) -> String {
        StepLedger.key(of: sync.matchOn.flatMap { written[$0] } ?? .map(written))
    }

    /// The record as written: itself, or its `fields:` computed; nil when one failed (set aside).
    private func fields(of record: Record, layout: CELRecordSchema?) throws(StepFailure) -> Record? {
        guard let layout else { return record }
        var values: [CELValue?] = []
        values.reserveCapacity(sync.fields.count)
        for field in sync.fields {
            switch run.evaluate(field.value, record: record) {
            case .success(let value): values.append(value)
            case .failure(let failure):
                try run.setAside(record, failure)
                return nil
            }
        }
        return Record(schema: layout, values: values)
    }
}

/// `notify`: renders a message per record (or one digest of every record, or one per run without
/// `from:`) and sends each through the connection. `once_per` sends one message per key in a run;
/// `max_messages` caps the messages of a run, and the summary counts those held back. In a dry run
/// nothing is sent: the summary reports the count and the first messages.
struct NotifyStage {
    let notify: NotifyOperation
    let run: StepRun
    let connectors: any ConnectorProvider
    let context: ConnectorContext

    func run() async throws {
        let sender: (any MessageSender)? = run.options.dryRun ? nil : try connectors.sender(for: notify.connection, in: context)
        var report = DryRunReport(connection: notify.connection.rawValue, resource: nil, mode: notify.mode.rawValue,
                                  count: 0, sampleRecords: [], sampleMessages: [])
        var sentKeys = Set<RecordKey>()
        var sent = 0

        /// Sends a message, or holds it back past `max_messages`; says whether it went.
        @discardableResult
        func deliver(_ message: OutgoingMessage) async throws -> Bool {
            if let limit = notify.maxMessages, sent >= limit {
                run.messagesHeldBack += 1
                run.messagesOverLimit += 1
                return false
            }
            sent += 1
            if let sender {
                try await sender.send(message)
            } else {
                report.count += 1
                if report.sampleMessages.count < run.options.dryRunSampleSize { report.sampleMessages.append(message) }
            }
            return true
        }

        /// Sends the message of a `once_per` key, or holds it back; says whether it went. Across
        /// runs, the key is claimed just before its message goes and marked sent once the platform
        /// acknowledged it; what happens to a message whose delivery is unknown follows `delivery:`.
        func deliverOnce(_ message: OutgoingMessage, key: String) async throws -> Bool {
            guard let state = run.options.state, sender != nil, notify.maxMessages.map({ sent < $0 }) ?? true else {
                // Without a state file the key is kept for this run only; its message still goes at most once.
                do {
                    return try await AtMostOnce.$current.withValue(notify.delivery == .atMostOnce ? AtMostOnce() : nil) { try await deliver(message) }
                } catch is MayHaveTakenEffect {
                    run.uncertainKeys.append(key)
                    return false
                }
            }
            let ledger = StepLedger(state: state, run: run)
            switch try await ledger.claim([key], delivery: notify.delivery)[key] {
            case .alreadySent?:
                run.messagesHeldBack += 1
                return false
            case .uncertain?:
                run.uncertainKeys.append(key)
                return false
            case .sendAgain?:
                run.sentAgainKeys.append(key)
            case .send?, nil:
                break
            }
            // At most once, a refused message lets its key go while the call waits to try again, and
            // one that may have arrived is not tried again. At least once, it is retried as any call.
            let once = notify.delivery == .atLeastOnce ? nil
                : AtMostOnce(refused: { try await ledger.release([key]) }, retrying: { try await ledger.claimAgain(key) })
            do {
                guard try await AtMostOnce.$current.withValue(once, operation: { try await deliver(message) }) else { return false }
            } catch is MayHaveTakenEffect {
                // Perhaps delivered, perhaps not: recorded so and reported; the step goes on.
                try await ledger.markUncertain([key])
                run.uncertainKeys.append(key)
                return false
            } catch let error as CancellationError {
                // Stopped with the message perhaps on its way: the key stays claimed, and the next run
                // finds it uncertain.
                throw error
            } catch {
                // Refused, or at least once and not known to have arrived: a later run sends it.
                try? await ledger.release([key])
                throw error
            }
            try await ledger.markSent([key])
            return true
        }

        if run.step.inputs.isEmpty {
            if let message = try message(for: nil) { try await deliver(message) }
        } else if notify.mode == .digest {
            var lines: [String] = []
            var records: [JSONValue] = []
            var first: Record?
            try await run.forEachInputBatch { batch in
                for record in batch {
                    switch run.render(notify.message, record: record) {
                    case .success(let line):
                        lines.append(line)
                        records.append(PlatformRecords.json(.map(record)))
                        first = first ?? record
                    case .failure(let failure): try run.setAside(record, failure)
                    }
                }
                await run.emit(batch)
            }
            if !lines.isEmpty, var message = try message(for: first) {
                message.text = lines.joined(separator: "\n")
                message.data = .array(records)
                try await deliver(message)
            }
        } else {
            try await run.forEachInputBatch { batch in
                var announced: [Record] = []
                for record in batch {
                    var ledgerKey: String?
                    if let oncePer = notify.oncePer {
                        switch run.evaluate(oncePer, record: record) {
                        case .success(let key):
                            guard sentKeys.insert(RecordKey(key)).inserted else { run.messagesHeldBack += 1; continue }
                            ledgerKey = StepLedger.key(of: key)
                        case .failure(let failure):
                            try run.setAside(record, failure)
                            continue
                        }
                    }
                    guard var message = try message(for: record) else { continue }
                    if let ledgerKey {
                        message.id = Self.messageID(playbook: run.plan.name, step: run.step.id, key: ledgerKey)
                        guard try await deliverOnce(message, key: ledgerKey) else { continue }
                    } else if try await !deliver(message) {
                        continue
                    }
                    announced.append(record)
                }
                await run.emit(announced)
            }
        }
        if sender == nil { run.dryRun = report }
    }

    /// The id a `once_per` message keeps whenever it is sent, by a retry or by a later run: receivers
    /// that drop repeats by id (Standard Webhooks' `webhook-id`) can tell it is the same message.
    static func messageID(playbook: String, step: StepID, key: String) -> String {
        let digest = SHA256.hash(data: Data((playbook + "\u{0}" + step.rawValue + "\u{0}" + key).utf8))
        return "msg_" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The message for a record (nil without `from:`); nil when rendering failed (set aside).
    private func message(for record: Record?) throws(StepFailure) -> OutgoingMessage? {
        func rendered(_ template: CompiledTemplate?) throws(StepFailure) -> String?? {
            guard let template else { return .some(nil) }
            switch run.render(template, record: record) {
            case .success(let text): return .some(text)
            case .failure(let failure):
                if let record { try run.setAside(record, failure); return .none }
                throw StepFailure(failure.reason, at: failure.location)
            }
        }
        guard let text = try rendered(notify.message), let subject = try rendered(notify.subject), let to = try rendered(notify.to) else {
            return nil
        }
        return OutgoingMessage(text: text ?? "", subject: subject, to: to, channel: notify.channel,
                               data: record.map { PlatformRecords.json(.map($0)) })
    }
}
