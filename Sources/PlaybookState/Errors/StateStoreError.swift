import Foundation

/// Why the state store could not do what it was asked. Its description names the state file, says
/// what went wrong and what to do.
public struct StateStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run holding a playbook's lock.
    public struct Holder: Sendable, Equatable {
        public var runID: String
        public var startedAt: Date
        public var owner: RunOwner
        public var heartbeatAt: Date
    }

    /// What went wrong.
    public enum Problem: Sendable, Equatable {
        /// The file is not an SQLite database at all.
        case notADatabase
        /// The file is an SQLite database of something else.
        case notAStateFile
        /// SQLite found the file damaged.
        case corrupt(detail: String)
        /// The file was written by a newer version of playbook.
        case newerSchema(found: Int, supported: Int)
        /// The file cannot be written.
        case readOnlyFile
        /// The folder holding the file cannot be written (SQLite writes its journal beside the file).
        case readOnlyFolder(String)
        /// The folder for the file does not exist and cannot be made.
        case cannotCreateFolder(String, reason: String)
        /// SQLite cannot open the file.
        case cannotOpen(detail: String)
        /// Another process kept the file locked for longer than the busy timeout.
        case locked(timeout: Duration)
        /// The disk (or the file's size limit) is full.
        case full
        /// Reading or writing the file failed.
        case ioError(detail: String)
        /// Another live run holds the playbook's lock.
        case playbookBusy(playbook: String, holder: Holder)
        /// The lock stayed held for as long as the run could wait.
        case lockWaitTimedOut(playbook: String, holder: Holder, waited: Duration)
        /// No run has this id.
        case unknownRun(String)
        /// A run with this id exists already.
        case duplicateRun(String)
        /// The run cannot be resumed: it succeeded.
        case notResumable(String, status: RunRecord.Status)
        /// The run is running in another live process.
        case stillRunning(String, owner: RunOwner)
        /// The run is not running in this process any more: it ended, or was marked interrupted
        /// and taken over by another process.
        case runNotOwned(String, status: RunRecord.Status, owner: RunOwner)
        /// A value given as JSON is not JSON, or a number is out of range.
        case invalidValue(detail: String)
        /// Any other SQLite error.
        case sqlite(code: Int32, detail: String)
    }

    /// The state file.
    public var path: String
    /// What went wrong.
    public var problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// What happened, then what to do.
    public var description: String {
        let advice = self.advice
        return advice.isEmpty ? "state file \(path): \(summary)" : "state file \(path): \(summary); \(advice)"
    }
}
