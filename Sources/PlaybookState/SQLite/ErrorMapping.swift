import GRDB

extension StateStoreError {
    /// The store's error for an SQLite error on the file at `path`.
    init(_ error: DatabaseError, path: String, busyTimeout: Duration) {
        let detail = error.message ?? "\(error.resultCode)"
        let problem: Problem
        switch error.resultCode {
        case .SQLITE_NOTADB: problem = .notADatabase
        case .SQLITE_CORRUPT: problem = .corrupt(detail: detail)
        case .SQLITE_BUSY, .SQLITE_LOCKED: problem = .locked(timeout: busyTimeout)
        case .SQLITE_READONLY, .SQLITE_PERM: problem = .readOnlyFile
        case .SQLITE_CANTOPEN: problem = .cannotOpen(detail: detail)
        case .SQLITE_FULL: problem = .full
        case .SQLITE_IOERR: problem = .ioError(detail: detail)
        case .SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG, .SQLITE_RANGE: problem = .invalidValue(detail: detail)
        default: problem = .sqlite(code: error.resultCode.rawValue, detail: detail)
        }
        self.init(path: path, problem: problem)
    }
}
