import CEL
import Crypto
import Diagnostics
import Foundation
import PlaybookLanguage

/// `notify`: renders a message per record (or one digest of every record, or one per run without
/// `from:`) and sends each through the connection. `once_per` sends one message per key in a run;
/// `max_messages` caps the messages of a run, and the summary counts those held back. In a dry run
/// nothing is sent: the summary reports the count and the first messages.
///
/// Messages per record go in groups as large as the connection's `concurrency` (one at a time
/// unless it says otherwise): a group's messages are sent at once, and their `once_per` keys are
/// claimed before in one transaction of the state file for the whole group, written while the next
/// group's messages are rendered. The keys a group sent are marked sent in the same transaction as
/// the next group's claim, or after the batch's last group: one transaction per group, not two.
struct NotifyStage {
    let notify: NotifyOperation
    let run: StepRun
    let connectors: any ConnectorProvider
    let context: ConnectorContext

    /// A message about to go, with the record it announces and its `once_per` key.
    private struct Outgoing {
        var record: Record
        var message: OutgoingMessage
        var key: String?
    }

    func run() async throws {
        let sender: (any MessageSender)? = run.options.dryRun ? nil : try connectors.sender(for: notify.connection, in: context)
        let ledger = run.options.state.map { StepLedger(state: $0, run: run) }
        var report = DryRunReport(connection: notify.connection.rawValue, resource: nil, mode: notify.mode.rawValue,
                                  count: 0, sampleRecords: [], sampleMessages: [])
        var budget = MessageBudget(limit: notify.maxMessages)

        if run.step.inputs.isEmpty || notify.mode == .digest {
            guard let message = try await runMessage() else { return }
            guard budget.take(1) == 1 else {
                run.messagesHeldBack += 1
                run.messagesOverLimit += 1
                return
            }
            if let sender { try await sender.send(message) } else { report.add(message, samples: run.options.dryRunSampleSize) }
        } else {
            let groupSize = max(1, run.plan.connection(notify.connection)?.concurrency ?? 1)
            var keysSeen = Set<RecordKey>()
            try await run.forEachInputBatch { batch in
                var rest = batch[...]
                var announced: [Record] = []
                if let sender {
                    announced = try await send(&rest, groupSize: groupSize, keysSeen: &keysSeen, through: sender, ledger: ledger, budget: &budget)
                } else {
                    while let group = try nextGroup(from: &rest, size: groupSize, keysSeen: &keysSeen) {
                        let room = budget.take(group.count)
                        heldBack(group.count - room)
                        for item in group.prefix(room) { report.add(item.message, samples: run.options.dryRunSampleSize) }
                        announced += group.prefix(room).map(\.record)
                    }
                }
                await run.emit(announced)
            }
        }
        if sender == nil { run.dryRun = report }
    }

    /// The next `size` messages of a batch's records (fewer at its end; nil when none is left),
    /// rendered, with their `once_per` keys. A key seen before in the run is held back; a record
    /// whose key or message cannot be made is set aside.
    private func nextGroup(from records: inout ArraySlice<Record>, size: Int, keysSeen: inout Set<RecordKey>) throws -> [Outgoing]? {
        var group: [Outgoing] = []
        while group.count < size, let record = records.popFirst() {
            var key: String?
            if let oncePer = notify.oncePer {
                switch run.evaluate(oncePer, record: record) {
                case .success(let value):
                    guard keysSeen.insert(RecordKey(value)).inserted else { run.messagesHeldBack += 1; continue }
                    key = StepLedger.key(of: value)
                case .failure(let failure):
                    try run.setAside(record, failure)
                    continue
                }
            }
            guard var message = try message(for: record) else { continue }
            if let key { message.id = Self.messageID(playbook: run.plan.name, step: run.step.id, key: key) }
            group.append(Outgoing(record: record, message: message, key: key))
        }
        return group.isEmpty ? nil : group
    }

    /// Sends a batch's messages group after group; returns the records of the messages the
    /// platform took. A group goes only once its keys' claim is on the disk. That claim is written
    /// while the next group's messages are rendered, and marks the keys sent until then as sent;
    /// the last group's are marked after it. The next group is claimed only once this one is out,
    /// so a run that dies leaves at most one group's keys claimed and not known to be sent.
    private func send(_ records: inout ArraySlice<Record>, groupSize: Int, keysSeen: inout Set<RecordKey>, through sender: any MessageSender,
                      ledger: StepLedger?, budget: inout MessageBudget) async throws -> [Record] {
        var announced: [Record] = []
        var sentUnmarked: [String] = []
        var upcoming = try nextGroup(from: &records, size: groupSize, keysSeen: &keysSeen)
        while let group = upcoming {
            // A run being stopped claims nothing more, and still records what it sent. (The claim
            // goes on apart from this task, so that what it marks sent is recorded whatever happens.)
            if Task.isCancelled {
                if let ledger, !sentUnmarked.isEmpty { try await ledger.markSent(sentUnmarked) }
                throw CancellationError()
            }
            let claiming = ledger.flatMap { claim(group, in: $0, afterMarkingSent: &sentUnmarked) }
            let claims: [String: NotificationClaim]
            do {
                upcoming = try nextGroup(from: &records, size: groupSize, keysSeen: &keysSeen)
                claims = try await claiming?.value ?? [:]
                try Task.checkCancellation()
            } catch {
                // A record failed the step, or the run was stopped, while the group was being
                // claimed: the group is not sent.
                if let claiming, let ledger { await letGo(of: claiming, in: ledger) }
                throw error
            }
            announced += try await send(group, claims: claims, through: sender, ledger: ledger, budget: &budget, sentUnmarked: &sentUnmarked)
        }
        if let ledger, !sentUnmarked.isEmpty { try await ledger.markSent(sentUnmarked) }
        return announced
    }

    /// Starts claiming a group's keys in the state file, in one transaction that also marks
    /// `sent` as sent (and empties it); nil when there is nothing to write.
    private func claim(_ group: [Outgoing], in ledger: StepLedger, afterMarkingSent sent: inout [String]) -> GroupClaim? {
        let keys = group.compactMap(\.key)
        guard !keys.isEmpty || !sent.isEmpty else { return nil }
        defer { sent = [] }
        return GroupClaim(keys: keys, answers: ledger.startClaim(keys, afterMarkingSent: sent, delivery: notify.delivery))
    }

    /// A group's claim under way.
    private struct GroupClaim {
        let keys: [String]
        let answers: PendingAnswer<[NotificationClaim]>

        /// Each key's answer, once the claim is written.
        var value: [String: NotificationClaim] {
            get async throws { Dictionary(zip(keys, try await answers.value)) { first, _ in first } }
        }
    }

    /// Lets go of the keys a claim took for messages that will not be sent now (also when the run
    /// is being stopped): left claimed, they would be reported uncertain and never sent.
    private func letGo(of claiming: GroupClaim, in ledger: StepLedger) async {
        guard let claims = try? await claiming.value else { return }
        let taken = claims.filter(\.value.tookTheKey).map(\.key)
        guard !taken.isEmpty else { return }
        try? await ledger.release(taken)
    }

    /// Sends a group of messages at once, their keys claimed (`claims`); returns the records of
    /// those the platform took. Keys an earlier run sent are held back, keys it left uncertain are
    /// reported (or, at least once, sent again). This group's sent keys are added to
    /// `sentUnmarked`, and marked sent at once when the group fails.
    private func send(_ group: [Outgoing], claims: [String: NotificationClaim], through sender: any MessageSender, ledger: StepLedger?,
                      budget: inout MessageBudget, sentUnmarked: inout [String]) async throws -> [Record] {
        var toSend: [Outgoing] = []
        var sendingAgain = Set<String>()
        for item in group {
            guard let key = item.key, ledger != nil else {
                toSend.append(item)
                continue
            }
            switch claims[key] {
            case .alreadySent?: run.messagesHeldBack += 1
            case .uncertain?: run.uncertainKeys.append(key)
            case .sendAgain?: sendingAgain.insert(key); toSend.append(item)
            case .send?, nil: toSend.append(item)
            }
        }
        let room = budget.take(toSend.count)
        if room < toSend.count {
            heldBack(toSend.count - room)
            // Claimed but held back by max_messages: a later run sends them.
            try await ledger?.release(toSend[room...].compactMap(\.key))
            toSend.removeLast(toSend.count - room)
        }
        run.sentAgainKeys += toSend.compactMap(\.key).filter(sendingAgain.contains)

        let outcomes = await withTaskGroup(of: (Int, (any Error)?).self) { tasks in
            for (index, item) in toSend.enumerated() {
                let rule = rule(for: item.key, ledger: ledger)
                tasks.addTask {
                    do {
                        try await AtMostOnce.$current.withValue(rule) { try await sender.send(item.message) }
                        return (index, nil)
                    } catch {
                        return (index, error)
                    }
                }
            }
            var outcomes = [(any Error)?](repeating: nil, count: toSend.count)
            for await (index, error) in tasks { outcomes[index] = error }
            return outcomes
        }

        var delivered: [Record] = []
        var sentKeys: [String] = [], uncertain: [String] = [], refused: [String] = []
        var failure: (any Error)?
        for (item, error) in zip(toSend, outcomes) {
            switch error {
            case nil:
                delivered.append(item.record)
                if let key = item.key { sentKeys.append(key) }
            case is MayHaveTakenEffect:
                // Perhaps delivered, perhaps not: recorded so and reported; the step goes on.
                if let key = item.key { uncertain.append(key) }
            case let error? where error is CancellationError:
                // Stopped with the message perhaps on its way: the key stays claimed, and the next
                // run finds it uncertain.
                failure = failure ?? error
            case let error?:
                // Refused, or at least once and not known to have arrived: a later run sends it.
                if let key = item.key { refused.append(key) }
                failure = failure ?? error
            }
        }
        run.uncertainKeys += uncertain
        if let ledger {
            sentUnmarked += sentKeys
            if !uncertain.isEmpty { try await ledger.markUncertain(uncertain) }
            if !refused.isEmpty { try? await ledger.release(refused) }
            if failure != nil, !sentUnmarked.isEmpty {
                try await ledger.markSent(sentUnmarked)
                sentUnmarked = []
            }
        }
        if let failure { throw failure }
        return delivered
    }

    /// How a message's call is retried. At most once (the default), a message with a key is not
    /// tried again once it may have arrived, and while a refused one waits to try again its key is
    /// let go of. At least once, or without a key, it is retried as any call.
    private func rule(for key: String?, ledger: StepLedger?) -> AtMostOnce? {
        guard let key, notify.delivery == .atMostOnce else { return nil }
        guard let ledger else { return AtMostOnce() }
        return AtMostOnce(refused: { try await ledger.release([key]) }, retrying: { try await ledger.claimAgain(key) })
    }

    private func heldBack(_ count: Int) {
        run.messagesHeldBack += count
        run.messagesOverLimit += count
    }

    /// The one message of a run: without `from:`, or the digest of every record (set aside when
    /// its line cannot be rendered) under its title; nil when a digest has no lines.
    private func runMessage() async throws -> OutgoingMessage? {
        guard notify.mode == .digest, !run.step.inputs.isEmpty else { return try message(for: nil) }
        var lines: [String] = []
        var records: [JSONValue] = []
        var first: Record?
        try await run.forEachInputBatch { batch in
            for record in batch {
                switch run.render(notify.message, record: record) {
                case .success(let line):
                    lines.append(line)
                    records.append(CELValue.map(record).plainJSON)
                    first = first ?? record
                case .failure(let failure): try run.setAside(record, failure)
                }
            }
            await run.emit(batch)
        }
        guard !lines.isEmpty, var message = try message(for: first) else { return nil }
        if let title = notify.title {
            switch run.render(title, record: nil) {
            case .success(let heading): lines.insert(heading, at: 0)
            case .failure(let failure): throw StepFailure("its title failed: \(failure.reason)", at: failure.location)
            }
        }
        message.text = lines.joined(separator: "\n")
        message.data = .array(records)
        return message
    }

    /// The id a `once_per` message keeps whenever it is sent, by a retry or by a later run: receivers
    /// that drop repeats by id (Standard Webhooks' `webhook-id`) can tell it is the same message.
    static func messageID(playbook: String, step: StepID, key: String) -> String {
        let digest = SHA256.hash(data: Data((playbook + "\u{0}" + step.rawValue + "\u{0}" + key).utf8))
        return "msg_" + digest.prefix(16).lowercaseHex
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
                               data: record.map { CELValue.map($0).plainJSON })
    }
}

/// What is left of `max_messages` in a run.
private struct MessageBudget {
    let limit: Int?
    private(set) var used = 0

    init(limit: Int?) { self.limit = limit }

    /// Takes room for up to `wanted` messages; returns how many may go.
    mutating func take(_ wanted: Int) -> Int {
        let granted = limit.map { min(wanted, max(0, $0 - used)) } ?? wanted
        used += granted
        return granted
    }
}

extension DryRunReport {
    /// Counts a message a dry run would have sent, keeping the first few.
    mutating func add(_ message: OutgoingMessage, samples: Int) {
        count += 1
        if sampleMessages.count < samples { sampleMessages.append(message) }
    }
}
