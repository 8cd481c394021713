#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read front to back in large chunks into one buffer, so that lines are parsed where they
/// lie. Memory stays near one chunk: the buffer grows only while one line (or CSV row) is longer
/// than it, which readers cap.
final class FileChunks {
    let path: String
    private let descriptor: Int32
    /// The buffer; the bytes read and not yet consumed are `buffer[start..<end]`.
    private(set) var buffer: UnsafeMutableBufferPointer<UInt8>
    /// The first byte not yet consumed.
    var start = 0
    /// The end of the bytes read.
    private(set) var end = 0
    /// Whether the end of the file has been read.
    private(set) var isAtEnd = false

    /// Opens `path` for reading, with a buffer of `chunkSize` bytes.
    init(path: String, chunkSize: Int) throws(FileAccessError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileAccessError(path: path, problem: .cannotOpen(errno: errno)) }
        self.descriptor = descriptor
        buffer = .allocate(capacity: max(chunkSize, 16))
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// The unconsumed bytes.
    var pending: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[start..<end]) }

    /// Reads more of the file after the unconsumed bytes, moving them to the front of the buffer
    /// first, and doubling the buffer when they fill it. False at the end of the file.
    func readMore() throws(FileAccessError) -> Bool {
        guard !isAtEnd else { return false }
        if start > 0 {
            let count = end - start
            if count > 0 { buffer.baseAddress!.update(from: buffer.baseAddress! + start, count: count) }
            start = 0
            end = count
        }
        if end == buffer.count {
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            larger.baseAddress!.initialize(from: buffer.baseAddress!, count: end)
            buffer.deallocate()
            buffer = larger
        }
        while true {
            let count = read(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if count > 0 {
                end += count
                return true
            }
            if count == 0 {
                isAtEnd = true
                return false
            }
            guard errno == EINTR else { throw FileAccessError(path: path, problem: .cannotRead(errno: errno)) }
        }
    }

    /// Drops the unconsumed bytes, for skipping the rest of an overlong line.
    func discardPending() {
        start = 0
        end = 0
    }

    /// Skips a UTF-8 byte-order mark at the start of the file.
    func skipByteOrderMark() throws(FileAccessError) {
        while end - start < 3, try readMore() {}
        let bytes = pending
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start += 3 }
    }
}
