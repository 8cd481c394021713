#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file could not be opened, read or written, or is unusable as a whole (a CSV header naming a
/// column twice): names the path and the reason. Problems of single lines are not errors but
/// `FileReadOutcome.invalid` outcomes.
public struct FileAccessError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Problem: Sendable, Equatable {
        /// Opening or creating the file failed with this `errno`.
        case cannotOpen(errno: Int32)
        /// Creating the file's folder failed with this `errno`.
        case cannotCreateFolder(errno: Int32)
        /// Reading failed with this `errno`.
        case cannotRead(errno: Int32)
        /// Writing failed with this `errno`.
        case cannotWrite(errno: Int32)
        /// The CSV header row names no column at this 1-based position.
        case emptyColumnName(position: Int)
        /// The CSV header row names this column more than once.
        case repeatedColumnName(String)
        /// The CSV header row cannot be read (bad quoting, invalid UTF-8).
        case unreadableHeader(String)
    }

    /// The file.
    public var path: String
    /// What went wrong.
    public var problem: Problem

    /// An error about `path`.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// The path and the reason, e.g. `leads.csv: cannot open: No such file or directory`.
    public var description: String {
        let reason: String
        switch problem {
        case .cannotOpen(let code): reason = "cannot open: " + Self.systemText(code)
        case .cannotCreateFolder(let code): reason = "cannot create its folder: " + Self.systemText(code)
        case .cannotRead(let code): reason = "cannot read: " + Self.systemText(code)
        case .cannotWrite(let code): reason = "cannot write: " + Self.systemText(code)
        case .emptyColumnName(let position): reason = "the header row names no column at position \(position)"
        case .repeatedColumnName(let name): reason = "the header row names the column '\(name)' more than once"
        case .unreadableHeader(let why): reason = "the header row cannot be read: " + why
        }
        return path + ": " + reason
    }

    private static func systemText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
