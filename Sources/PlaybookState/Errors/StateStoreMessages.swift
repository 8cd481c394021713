import Foundation

// Every message of the state store, in one place.
extension StateStoreError {
    /// What went wrong, in a few words.
    public var summary: String {
        switch problem {
        case .notADatabase:
            "the file is not an SQLite database"
        case .notAStateFile:
            "the file is an SQLite database, but not a playbook state file"
        case .corrupt(let detail):
            "the database is damaged (\(detail))"
        case .newerSchema(let found, let supported):
            "the file has schema version \(found), written by a newer playbook; this one reads up to version \(supported)"
        case .readOnlyFile:
            "the file is read-only"
        case .readOnlyFolder(let folder):
            "the folder \(folder) is read-only, and SQLite keeps its journal files beside the state file"
        case .cannotCreateFolder(let folder, let reason):
            "cannot create the folder \(folder) (\(reason))"
        case .cannotOpen(let detail):
            "cannot open the file (\(detail))"
        case .locked(let timeout):
            "another process kept the file locked for more than \(seconds(timeout))"
        case .full:
            "the disk is full (or the file reached its size limit)"
        case .ioError(let detail):
            "reading or writing the file failed (\(detail))"
        case .playbookBusy(let playbook, let holder):
            "playbook '\(playbook)' is already running: run \(holder.runID), started \(timestamp(holder.startedAt)), \(holder.owner)"
        case .lockWaitTimedOut(let playbook, let holder, let waited):
            "playbook '\(playbook)' was still running after waiting \(seconds(waited)): run \(holder.runID), started \(timestamp(holder.startedAt)), \(holder.owner)"
        case .unknownRun(let id):
            "there is no run \(id)"
        case .duplicateRun(let id):
            "a run \(id) exists already"
        case .notResumable(let id, let status):
            "run \(id) \(status.rawValue), so there is nothing to resume"
        case .stillRunning(let id, let owner):
            "run \(id) is still running (\(owner))"
        case .runNotOwned(let id, let status, let owner):
            status == .running
                ? "run \(id) is now running in another process (\(owner))"
                : "run \(id) is not running any more (it is \(status.rawValue))"
        case .invalidValue(let detail):
            "a value was refused (\(detail))"
        case .sqlite(let code, let detail):
            "SQLite error \(code) (\(detail))"
        }
    }

    /// What to do about it; empty when there is nothing to do but look at the cause.
    public var advice: String {
        switch problem {
        case .notADatabase, .notAStateFile:
            "give another path with --state, or move this file away and a new state file is made"
        case .corrupt:
            "restore the file from a backup, or move it away to start with an empty state (cursors and the notification ledger start afresh)"
        case .newerSchema:
            "use that newer playbook, or give another path with --state"
        case .readOnlyFile:
            "make it writable (chmod u+w), or give another path with --state"
        case .readOnlyFolder:
            "make the folder writable, or give a path in a writable folder with --state"
        case .cannotCreateFolder:
            "create it, or give another path with --state"
        case .cannotOpen:
            "check that the path names a file in a folder that exists and can be written, or give another path with --state"
        case .locked:
            "wait for the other process to finish, or stop it; a state file on a network drive cannot be shared safely"
        case .full:
            "free some disk space, then run again: nothing of this step was recorded"
        case .ioError:
            "check the disk; if the file is damaged, restore it from a backup"
        case .playbookBusy:
            "wait for it to finish, or stop it; `concurrency: queue` makes runs wait for each other instead"
        case .lockWaitTimedOut:
            "wait for it to finish, or stop it"
        case .unknownRun:
            "`playbook runs` lists the runs this state file knows"
        case .duplicateRun:
            "start the run with a new id"
        case .notResumable:
            "start a new run instead"
        case .stillRunning:
            "wait for it to finish, or stop it and resume it then"
        case .runNotOwned:
            "this process stops here; `playbook runs show \(runIDInProblem ?? "RUN")` shows what was recorded"
        case .invalidValue, .sqlite:
            ""
        }
    }

    private var runIDInProblem: String? {
        if case .runNotOwned(let id, _, _) = problem { return id }
        return nil
    }
}

/// `5s`, `0.25s`.
private func seconds(_ duration: Duration) -> String {
    let components = duration.components
    let value = Double(components.seconds) + Double(components.attoseconds) / 1e18
    return value == value.rounded() ? "\(Int(value))s" : "\(value)s"
}

/// `2026-12-06 08:01:51 UTC`.
private func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
    return formatter.string(from: date)
}
