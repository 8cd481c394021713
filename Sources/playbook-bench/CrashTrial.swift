import Diagnostics
import Foundation
import PlaybookState

/// Where in a run a SIGKILL landed, judged afterwards from the state file and the sandbox's journal.
enum KillPhase: String, CaseIterable, Sendable {
    /// The run was not recorded in the state file yet: the process was starting.
    case startUp = "start-up"
    /// Recorded; no message or write had reached the sandbox (the fetch reads the audience).
    case fetch
    /// Slack messages had gone out, no HubSpot write yet.
    case messages
    /// HubSpot batches had gone out, not all of them.
    case sync
    /// Every write was done: the run was committing its cursor and recording its end.
    case end

    var meaning: String {
        switch self {
        case .startUp: "before the run was recorded in the state file"
        case .fetch: "recorded; no message or write had reached the sandbox"
        case .messages: "Slack messages going out; no HubSpot write yet"
        case .sync: "HubSpot batches going out, not all written"
        case .end: "every write done; committing the cursor, recording the run"
        }
    }
}

/// The promises the harness checks, numbered as docs/guarantees.md lists them.
enum CrashCheck: Int, CaseIterable, Sendable {
    case delivered = 1, notTwice, cursor, incremental, history

    var title: String {
        switch self {
        case .delivered: "every subscriber written; every VIP messaged, or reported uncertain"
        case .notTwice: "no VIP messaged twice; no uncertain one sent again"
        case .cursor: "the committed cursor never passed an undelivered record"
        case .incremental: "after a clean run, the next one reads only what changed"
        case .history: "each killed run is found and marked interrupted"
        }
    }
}

/// When a run is killed.
enum KillPlan: Sendable {
    /// This many seconds after the process started.
    case after(Double)
    /// As soon as the sandbox journaled the run's n-th message: the run is between the send and
    /// recording it as sent, or just past it.
    case afterMessage(Int)
    /// As soon as the sandbox journaled the run's last write: the run is about to commit its cursor.
    case afterLastWrite
    /// As soon as the state file holds the run's cursor: the run is recording its end.
    case afterCursorCommit

    var shown: String {
        switch self {
        case .after(let seconds): String(format: "%.3f", seconds)
        case .afterMessage(let count): "message \(count)"
        case .afterLastWrite: "last write"
        case .afterCursorCommit: "cursor"
        }
    }

    /// Whether the kill is aimed at the moments around a cursor's commit, which only a run that
    /// delivers everything it read reaches.
    var waitsForCommit: Bool {
        switch self {
        case .afterLastWrite, .afterCursorCommit: true
        case .after, .afterMessage: false
        }
    }
}

/// One `playbook run` of a trial.
struct CrashAttempt: Sendable {
    enum Role: String, Sendable {
        case first, recovery, unchanged = "nothing changed", afterChange = "after change"
    }

    var role: Role
    /// The kill planned, if any.
    var plan: KillPlan?
    /// Seconds after the start when SIGKILL was sent; nil when the run had ended first.
    var killedAt: Double?
    var seconds: Double = 0
    var status: Int32 = 0
    /// The run it recorded in the state file.
    var runID: String?
    /// Its summary (`--format json`), when it ended by itself.
    var summary: JSONValue?
    var stderr = ""
    /// Its journal lines: after `journalFrom`, through `journalThrough`.
    var journalFrom = 0
    var journalThrough = 0
    var cursorBefore: CommittedCursor?
    var cursorAfter: CommittedCursor?
    /// Its run's status in the state file right after it ended.
    var statusAfter: RunRecord.Status?
    var phase: KillPhase?
    /// For a killed run: the `once_per` keys it left uncertain, split by whether the message had arrived.
    var uncertainDelivered = 0
    var uncertainNotDelivered = 0
    /// Of those delivered, the ones whose answer the sandbox dropped (`lost`): uncertain by rule.
    var uncertainLost = 0
    /// Of those not delivered, the ones a fault made unknowable (a 500, 502 or 504, a dropped
    /// connection, a cut answer): uncertain by rule, not tried again.
    var uncertainHidden = 0
    /// Of those not delivered, the ones Slack had only refused (429, 503): the run was killed while
    /// it claimed the key back to try again.
    var uncertainRefused = 0

    var killed: Bool { killedAt != nil && status == 128 + SIGKILL }

    func step(_ id: String) -> JSONValue? {
        guard case .array(let steps)? = summary?["steps"] else { return nil }
        return steps.first { $0["id"] == .string(id) }
    }
}

/// What a trial found.
struct TrialOutcome: Sendable {
    var trial: Int
    var attempts: [CrashAttempt] = []
    var failures: [(check: CrashCheck, detail: String)] = []
    /// The run the trial's kill was planned for; nil when no run of the trial met its moment.
    var mainAttempt: Int?
    var changed = 0
    /// What the runs after the clean run read: with nothing changed, and after `changed` members changed.
    var readUnchanged: Int?
    var readAfterChange: Int?

    var kills: [CrashAttempt] { attempts.filter(\.killed) }
    /// Planned kills that came after the run had ended by itself, or found no run to land in.
    var missed: Int { attempts.filter { $0.plan != nil && !$0.killed }.count + (mainAttempt == nil ? 1 : 0) }
    /// Whether the trial's kill landed.
    var mainKilled: Bool { mainAttempt.map { attempts[$0].killed } ?? false }
    func passed(_ check: CrashCheck) -> Bool { !failures.contains { $0.check == check } }
}

/// Keeps the sandbox's journal as it grows.
actor JournalMirror {
    private let client: SandboxClient
    private(set) var lines: [JournalLine] = []

    init(client: SandboxClient) { self.client = client }

    /// Reads the new lines; returns the last sequence number.
    @discardableResult
    func refresh() async throws -> Int {
        lines += try await client.journal(since: lines.last?.sequence ?? 0)
        return lines.last?.sequence ?? 0
    }

    /// The lines after sequence `from`, through `through`. The journal numbers its lines 1, 2, 3, …
    /// in order, so they are found by halving, not by reading them all.
    func lines(after from: Int, through: Int = .max) -> [JournalLine] {
        let start = firstIndex { $0.sequence > from }
        let end = firstIndex { $0.sequence > through }
        return start < end ? Array(lines[start..<end]) : []
    }

    /// The first index whose line satisfies `isPast` (which holds from some index on), or the end.
    private func firstIndex(where isPast: (JournalLine) -> Bool) -> Int {
        var low = 0
        var high = lines.count
        while low < high {
            let middle = (low + high) / 2
            if isPast(lines[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// One trial: a fresh state file; a run killed at a chosen moment (and in some trials the run after
/// it too); runs until one ends cleanly with its cursor at the end of the audience; one more with
/// nothing changed; a few members changed; one more run. Then the checks, from the journal and the
/// state file.
struct CrashTrial {
    let trial: Int
    let scenario: CrashScenario
    let binary: String
    let playbookFile: String
    let sandboxURL: String
    let folder: String
    let client: SandboxClient
    let journal: JournalMirror
    /// Members changed before the last run.
    var changes = 3
    /// Runs allowed after the first to reach a clean one.
    var recoveryLimit = 6

    var statePath: String { (folder as NSString).appendingPathComponent("trial-\(trial).sqlite") }

    /// Runs the trial. `firstKill` lands in its first run, or, when aimed at a cursor's commit, in
    /// the first run that commits one; `recoveryKill`, if any, in the run after the killed one.
    func run(firstKill: KillPlan, recoveryKill: KillPlan?, random: inout SplitMix64) async throws -> TrialOutcome {
        StateFile.remove(statePath)
        var outcome = TrialOutcome(trial: trial)
        let start = try await journal.refresh()
        var members = try await client.subscribedMembers()

        // The kill waits for a run that commits its cursor when it is aimed at the end: runs that hold
        // messages back past max_messages commit none.
        var mainPlan: KillPlan? = firstKill
        var secondPlan = recoveryKill
        var recovered = false
        for index in 0...recoveryLimit {
            var plan: KillPlan?
            if let main = mainPlan {
                var due = !main.waitsForCommit
                if !due { due = try await willCommit(members: members, trialStart: start) }
                if due {
                    plan = main
                    mainPlan = nil
                    outcome.mainAttempt = outcome.attempts.count
                }
            } else if let second = secondPlan, outcome.attempts.last?.killed == true {
                plan = second
                secondPlan = nil
            }
            let next = try await attempt(index == 0 ? .first : .recovery, killAt: plan, members: members, trialStart: start, outcome: &outcome)
            outcome.attempts.append(next)
            if mainPlan == nil, !next.killed, next.status == 0, let cursor = next.cursorAfter, members.allSatisfy(cursor.covers) {
                recovered = true
                break
            }
        }
        if !recovered {
            let last = outcome.attempts.last!
            let error = last.summary?["error"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? last.stderr.suffix(300).description
            outcome.failures.append((.delivered, "no clean run in \(recoveryLimit + 1) runs; the last ended with status \(last.status): \(error)"))
            return await finish(outcome, members: members, trialStart: start)
        }

        // Nothing changed: the next run reads nothing past the boundary.
        let unchanged = try await attempt(.unchanged, killAt: nil, members: members, trialStart: start, outcome: &outcome)
        outcome.attempts.append(unchanged)
        await checkIncremental(unchanged, renamed: [:], outcome: &outcome)

        // A few members change: one VIP among them, when there is one.
        var chosen: [AudienceMember] = []
        let vips = members.filter(\.vip)
        if !vips.isEmpty { chosen.append(random.pick(vips)) }
        while chosen.count < min(changes, members.count) {
            let member = members[random.below(members.count)]
            if !chosen.contains(where: { $0.id == member.id }) { chosen.append(member) }
        }
        var renamed: [String: String] = [:]
        for (index, member) in chosen.enumerated() {
            let name = "Changed\(trial)x\(index)"
            try await client.rename(member, to: name)
            renamed[member.email] = name
        }
        members = try await client.subscribedMembers()
        outcome.changed = chosen.count
        let last = try await attempt(.afterChange, killAt: nil, members: members, trialStart: start, outcome: &outcome)
        outcome.attempts.append(last)
        await checkIncremental(last, renamed: renamed, outcome: &outcome)
        return await finish(outcome, members: members, trialStart: start)
    }

    // MARK: - One run

    private func attempt(_ role: CrashAttempt.Role, killAt plan: KillPlan?, members: [AudienceMember], trialStart: Int,
                         outcome: inout TrialOutcome) async throws -> CrashAttempt {
        var result = CrashAttempt(role: role, plan: plan)
        result.cursorBefore = try await StateFile.cursor(statePath)
        let runsBefore = Set(try await StateFile.runs(statePath).map(\.id))
        result.journalFrom = try await journal.refresh()
        let number = outcome.attempts.count + 1
        let output = (folder as NSString).appendingPathComponent("trial-\(trial)-run-\(number).json")
        let errors = (folder as NSString).appendingPathComponent("trial-\(trial)-run-\(number).stderr")
        let child = try ChildProcess.start(
            [binary, "run", playbookFile, "--sandbox-url", sandboxURL, "--state", statePath, "--param", "trial=\(trial)",
             "--format", "json", "--no-progress"],
            standardOutput: output, standardError: errors)
        switch plan {
        case .after(let seconds)?:
            try? await Task.sleep(until: child.started.advanced(by: .milliseconds(Int(seconds * 1000))), clock: .continuous)
            let elapsed = child.elapsed
            if ChildProcess.kill(child) { result.killedAt = elapsed }
        case .afterMessage(let count)?:
            // Watched at full speed until the message before, then a slice at a time, so that the
            // kill lands right after the sandbox took the message: before the run records it as sent.
            let messages = { (through: Int) async -> Int in
                await journal.lines(after: result.journalFrom, through: through).filter { $0.applied && CrashScenario.messageKey($0, trial: trial) != nil }.count
            }
            result.killedAt = try await watch(child, slice: 50, closeWhen: { await messages($0) >= count - 1 }, killWhen: { await messages($0) >= count })
        case .afterLastWrite?:
            // Watched at full speed until one batch is left, then a slice at a time, so that the kill
            // lands right after the sandbox took the last batch: before the run commits its cursor.
            let pending = Set(members.filter { !(result.cursorBefore?.covers($0) ?? false) }.map(\.email))
            let from = result.journalFrom
            let unwritten = { (through: Int) async -> Int in
                var written: Set<String> = []
                for line in await journal.lines(after: from, through: through) where line.applied {
                    written.formUnion(CrashScenario.upserts(line).map(\.email))
                }
                return pending.subtracting(written).count
            }
            result.killedAt = try await watch(child, slice: 50, closeWhen: { await unwritten($0) <= 50 }, killWhen: { await unwritten($0) == 0 })
        case .afterCursorCommit?:
            // Watched at full speed until the last batch, then a slice at a time, so that the kill
            // lands right after the cursor was committed: before the run records its end. The state
            // file is opened while the run goes (opening it may wait for the run's writes).
            let pending = Set(members.filter { !(result.cursorBefore?.covers($0) ?? false) }.map(\.email))
            let from = result.journalFrom
            let before = result.cursorBefore?.runID
            let path = statePath
            var store: SQLiteRunStateStore?
            result.killedAt = try await watch(child, closeWhen: { through in
                if store == nil, StateFile.exists(path) { store = try? SQLiteRunStateStore(path: path) }
                var written: Set<String> = []
                for line in await journal.lines(after: from, through: through) where line.applied {
                    written.formUnion(CrashScenario.upserts(line).map(\.email))
                }
                return store != nil && pending.subtracting(written).count <= 50
            }, killWhen: { _ in
                guard let cursor = try? await store?.cursor(playbook: CrashScenario.playbookName, step: CrashScenario.fetchStep) else { return false }
                return cursor.runID != before
            })
        case nil:
            break
        }
        let measurement = try await wait(for: child)
        result.seconds = measurement.seconds
        result.status = measurement.status
        result.stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        if !result.killed, let text = try? String(contentsOfFile: output, encoding: .utf8), !text.isEmpty {
            result.summary = try? JSONValue(parsing: text)
        }
        result.journalThrough = try await journal.refresh()
        let recorded = try await StateFile.runs(statePath).first { !runsBefore.contains($0.id) }
        result.runID = recorded?.id
        result.statusAfter = recorded?.status
        result.cursorAfter = try await StateFile.cursor(statePath)
        if result.killed { result.phase = await phase(of: result, members: members) }
        try await checkCursor(after: result, members: members, trialStart: trialStart, outcome: &outcome)
        return result
    }

    /// Whether the next run will commit its cursor, as far as the journal and the state tell: the
    /// VIPs not yet messaged nor reported uncertain fit in its `max_messages`.
    private func willCommit(members: [AudienceMember], trialStart: Int) async throws -> Bool {
        var messaged: Set<String> = []
        for line in await journal.lines(after: trialStart) where line.applied {
            if let key = CrashScenario.messageKey(line, trial: trial) { messaged.insert(key) }
        }
        let uncertain = try await StateFile.uncertainKeys(statePath)
        return members.filter { $0.vip && !messaged.contains($0.email) && !uncertain.contains($0.email) }.count <= scenario.maxMessages
    }

    /// Watches a running child: reads the journal as it runs until `closeWhen` holds, then lets it
    /// run a slice of `slice` µs at a time, paused between slices while the journal is read, and
    /// kills it, paused, as soon as `killWhen` holds. Each condition gets the journal's last
    /// sequence. Returns when the kill was sent, in seconds after the start; nil when the child
    /// ended first.
    private func watch(_ child: ChildProcess.Running, slice: UInt32 = 300, closeWhen: (Int) async -> Bool,
                       killWhen: (Int) async -> Bool) async throws -> Double? {
        while !ChildProcess.hasEnded(child) {
            if await closeWhen(try await journal.refresh()) { break }
            try? await Task.sleep(for: .milliseconds(1))
        }
        while ChildProcess.pause(child) {
            let through: Int
            do {
                through = try await journal.refresh()
            } catch {
                ChildProcess.resume(child)
                throw error
            }
            if await killWhen(through) {
                let elapsed = child.elapsed
                return ChildProcess.kill(child) ? elapsed : nil
            }
            ChildProcess.resume(child)
            // A slice this short is slept on the thread: an asynchronous sleep takes a millisecond or more.
            usleep(slice)
        }
        return nil
    }

    /// Waits for the child to end, polling, so that no thread of the pool is held by a wait.
    private func wait(for child: ChildProcess.Running) async throws -> ChildMeasurement {
        while true {
            if let measurement = ChildProcess.poll(child) { return measurement }
            if child.elapsed > 600 {
                ChildProcess.signal(child, SIGKILL)
                throw SandboxClient.Unanswered(description: "playbook run did not end in 10 minutes")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// The phase a killed run was in, from what it left: a run in the state file, messages and
    /// writes in the journal, a cursor committed.
    private func phase(of attempt: CrashAttempt, members: [AudienceMember]) async -> KillPhase {
        guard attempt.runID != nil else { return .startUp }
        if attempt.cursorAfter != nil, attempt.cursorAfter?.runID == attempt.runID { return .end }
        let lines = await journal.lines(after: attempt.journalFrom, through: attempt.journalThrough)
        let pending = Set(members.filter { member in !(attempt.cursorBefore?.covers(member) ?? false) }.map(\.email))
        var written: Set<String> = []
        for line in lines where line.applied { written.formUnion(CrashScenario.upserts(line).map(\.email)) }
        if !pending.isEmpty, pending.isSubset(of: written) { return .end }
        if lines.contains(where: { $0.platform == "hubspot" }) { return .sync }
        if lines.contains(where: { $0.platform == "slack" }) { return .messages }
        return .fetch
    }

    // MARK: - Checks

    /// Check 3, after every run: each member the committed cursor has passed was written, and, if
    /// it is a VIP, messaged or reported uncertain.
    private func checkCursor(after attempt: CrashAttempt, members: [AudienceMember], trialStart: Int, outcome: inout TrialOutcome) async throws {
        guard let cursor = attempt.cursorAfter else { return }
        let lines = await journal.lines(after: trialStart, through: attempt.journalThrough)
        var written: Set<String> = []
        var messaged: Set<String> = []
        for line in lines where line.applied {
            written.formUnion(CrashScenario.upserts(line).map(\.email))
            if let key = CrashScenario.messageKey(line, trial: trial) { messaged.insert(key) }
        }
        let passed = members.filter(cursor.covers)
        let unwritten = passed.filter { !written.contains($0.email) }
        var unannounced = passed.filter { $0.vip && !messaged.contains($0.email) }
        if !unannounced.isEmpty {
            let uncertain = try await StateFile.uncertainKeys(statePath)
            unannounced.removeAll { uncertain.contains($0.email) }
        }
        let run = "run \(outcome.attempts.count + 1) (\(attempt.role.rawValue)\(attempt.killed ? ", killed" : ""))"
        if !unwritten.isEmpty {
            outcome.failures.append((.cursor, "after \(run), the cursor \(cursor.value) has passed \(unwritten.count) member(s) never written to HubSpot, e.g. \(unwritten[0].email)"))
        }
        if !unannounced.isEmpty {
            outcome.failures.append((.cursor, "after \(run), the cursor \(cursor.value) has passed \(unannounced.count) VIP(s) neither messaged nor uncertain, e.g. \(unannounced[0].email)"))
        }
    }

    /// Check 4, on the run after the members changed: it read exactly those, and wrote their new names.
    private func checkIncremental(_ attempt: CrashAttempt, renamed: [String: String], outcome: inout TrialOutcome) async {
        guard attempt.status == 0, let fetch = attempt.step(CrashScenario.fetchStep), case .int(let read)? = fetch["records_out"] else {
            outcome.failures.append((.incremental, "the run \(attempt.role.rawValue) ended with status \(attempt.status) and no summary of its fetch"))
            return
        }
        if attempt.role == .unchanged { outcome.readUnchanged = Int(read) } else { outcome.readAfterChange = Int(read) }
        if Int(read) != renamed.count {
            outcome.failures.append((.incremental, "after a clean run and \(renamed.count) changed member(s), the next run read \(read) record(s)"))
        }
        var names: [String: Set<String>] = [:]
        for line in await journal.lines(after: attempt.journalFrom, through: attempt.journalThrough) where line.applied {
            for upsert in CrashScenario.upserts(line) { names[upsert.email, default: []].insert(upsert.firstName ?? "") }
        }
        for (email, name) in renamed.sorted(by: { $0.key < $1.key }) where !(names[email]?.contains(name) ?? false) {
            outcome.failures.append((.incremental, "the run after the change did not write \(email)'s new first name \(name)"))
        }
    }

    /// Checks 1, 2, 4 (the writes of the last run) and 5, over the whole trial.
    private func finish(_ outcome: TrialOutcome, members: [AudienceMember], trialStart: Int) async -> TrialOutcome {
        var outcome = outcome
        do {
            try await finishChecks(&outcome, members: members, trialStart: trialStart)
        } catch {
            outcome.failures.append((.delivered, "the trial could not be checked: \(error)"))
        }
        return outcome
    }

    private func finishChecks(_ outcome: inout TrialOutcome, members: [AudienceMember], trialStart: Int) async throws {
        let lines = await journal.lines(after: trialStart)
        var written: [String: Int] = [:]
        var messaged: [String: [Int]] = [:]
        for line in lines where line.applied {
            for upsert in CrashScenario.upserts(line) { written[upsert.email, default: 0] += 1 }
            if let key = CrashScenario.messageKey(line, trial: trial) { messaged[key, default: []].append(line.sequence) }
        }

        // What `playbook runs show` reports uncertain, for every run that did not simply succeed
        // or whose summary was not read (killed after it recorded its end, before it printed it),
        // and what the summaries reported.
        let runs = try await StateFile.runs(statePath)
        let summarized = Set(outcome.attempts.compactMap { $0.summary != nil ? $0.runID : nil })
        var uncertain: Set<String> = []
        var leftBy: [String: Set<String>] = [:]
        for run in runs where run.status != .succeeded || !summarized.contains(run.id) {
            let keys = try await uncertainShown(runID: run.id)
            leftBy[run.id] = keys
            uncertain.formUnion(keys)
        }
        for attempt in outcome.attempts {
            if case .array(let keys)? = attempt.step(CrashScenario.notifyStep)?["uncertain_keys"] {
                for case .string(let key) in keys { uncertain.insert(key) }
            }
        }

        // 1: delivered.
        let unwritten = members.filter { written[$0.email] == nil }
        if !unwritten.isEmpty {
            outcome.failures.append((.delivered, "\(unwritten.count) subscriber(s) never written to HubSpot, e.g. \(unwritten[0].email)"))
        }
        let vips = Set(members.filter(\.vip).map(\.email))
        let lost = vips.filter { messaged[$0] == nil && !uncertain.contains($0) }.sorted()
        if !lost.isEmpty {
            outcome.failures.append((.delivered, "\(lost.count) VIP(s) neither messaged nor reported uncertain, e.g. \(lost[0])"))
        }
        let strangers = messaged.keys.filter { !vips.contains($0) }.sorted()
        if !strangers.isEmpty {
            outcome.failures.append((.delivered, "\(strangers.count) message(s) to members the playbook does not select, e.g. \(strangers[0])"))
        }

        // 2: not twice; an uncertain key's message, if any, came from the run that left it uncertain.
        let twice = messaged.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
        for (key, sequences) in twice.prefix(3) {
            outcome.failures.append((.notTwice, "\(key) was messaged \(sequences.count) times (journal entries \(sequences.map(String.init).joined(separator: ", ")))"))
        }
        if twice.count > 3 { outcome.failures.append((.notTwice, "and \(twice.count - 3) more key(s) messaged twice")) }
        var attributed: Set<String> = []
        for index in outcome.attempts.indices where outcome.attempts[index].killed {
            let attempt = outcome.attempts[index]
            let left = (attempt.runID.flatMap { leftBy[$0] } ?? []).subtracting(attributed)
            attributed.formUnion(left)
            for key in left {
                let sequences = messaged[key] ?? []
                let tries = lines.filter {
                    $0.sequence > attempt.journalFrom && $0.sequence <= attempt.journalThrough && CrashScenario.messageKey($0, trial: trial) == key
                }
                if sequences.isEmpty {
                    outcome.attempts[index].uncertainNotDelivered += 1
                    if tries.contains(where: { !$0.applied && !["429", "503"].contains($0.fault ?? "") }) {
                        outcome.attempts[index].uncertainHidden += 1
                    } else if !tries.isEmpty {
                        outcome.attempts[index].uncertainRefused += 1
                    }
                } else {
                    outcome.attempts[index].uncertainDelivered += 1
                    if tries.contains(where: { $0.fault == "lost" }) { outcome.attempts[index].uncertainLost += 1 }
                }
                if let late = sequences.first(where: { $0 > attempt.journalThrough }) {
                    outcome.failures.append((.notTwice, "\(key), left uncertain by run \(attempt.runID!), was sent again later (journal entry \(late))"))
                }
            }
        }

        // 5: every killed run that was recorded and still running is interrupted now, and the next
        // run said so. (A kill can land after the run recorded its end, as the process exits.)
        for (index, attempt) in outcome.attempts.enumerated() where attempt.killed && attempt.statusAfter == .running {
            guard let runID = attempt.runID else { continue }
            let status = runs.first { $0.id == runID }?.status
            if status != .interrupted {
                outcome.failures.append((.history, "killed run \(runID) is \(status?.rawValue ?? "missing") in the state file, not interrupted"))
            }
            // A later run said it found the killed one interrupted (the first to start after it, which
            // may itself have been killed).
            if !outcome.attempts[(index + 1)...].contains(where: { $0.stderr.contains("note: run \(runID) ") }) {
                outcome.failures.append((.history, "the run after killed run \(runID) did not name it as interrupted"))
            }
        }
    }

    /// The uncertain keys `playbook runs show RUN --format json` lists.
    private func uncertainShown(runID: String) async throws -> Set<String> {
        let output = (folder as NSString).appendingPathComponent("trial-\(trial)-show-\(runID).json")
        let measurement = try await wait(for: try ChildProcess.start(
            [binary, "runs", "show", runID, "--state", statePath, "--format", "json"], standardOutput: output, standardError: output + ".stderr"))
        guard measurement.status == 0, let text = try? String(contentsOfFile: output, encoding: .utf8),
              case .array(let entries)? = (try? JSONValue(parsing: text))?["uncertain_messages"]
        else { throw SandboxClient.Unanswered(description: "playbook runs show \(runID) answered status \(measurement.status)") }
        return Set(entries.compactMap { if case .string(let key)? = $0["key"] { key } else { nil } })
    }
}
