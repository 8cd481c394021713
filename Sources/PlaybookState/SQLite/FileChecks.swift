import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is checked before SQLite opens a state file, so that a wrong path gets a plain answer and a
/// file that is not a database is never written to.
enum FileChecks {
    /// The first 16 bytes of every SQLite database.
    private static let sqliteHeader = Array("SQLite format 3\0".utf8)

    /// Creates the file's folder when missing and checks that the file, if it exists, is an SQLite
    /// database, and that the file and its folder can be written.
    static func prepare(path: String) throws {
        let fileManager = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if !fileManager.fileExists(atPath: folder, isDirectory: &isFolder) {
            do {
                try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw StateStoreError(path: path, problem: .cannotCreateFolder(folder, reason: reason(error)))
            }
        } else if !isFolder.boolValue {
            throw StateStoreError(path: path, problem: .cannotCreateFolder(folder, reason: "a file of that name is in the way"))
        }
        if fileManager.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw StateStoreError(path: path, problem: .cannotOpen(detail: "it is a folder")) }
            if let handle = FileHandle(forReadingAtPath: path) {
                let start = (try? handle.read(upToCount: sqliteHeader.count)) ?? Data()
                try? handle.close()
                if !start.isEmpty && Array(start) != sqliteHeader { throw StateStoreError(path: path, problem: .notADatabase) }
            }
            if !writable(path) { throw StateStoreError(path: path, problem: .readOnlyFile) }
        }
        if !writable(folder) { throw StateStoreError(path: path, problem: .readOnlyFolder(folder)) }
    }

    /// Whether this process may write `path`. A file or folder whose owner took away its own write
    /// permission counts as read-only even for root, which the system would let write anything:
    /// someone made it read-only on purpose.
    private static func writable(_ path: String) -> Bool {
        guard access(path, W_OK) == 0 else { return false }
        guard geteuid() == 0 else { return true }
        var info = stat()
        guard stat(path, &info) == 0 else { return true }
        return info.st_mode & S_IWUSR != 0
    }

    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain, let text = strerror(Int32(code)) {
            return String(cString: text)
        }
        return error.localizedDescription
    }
}
