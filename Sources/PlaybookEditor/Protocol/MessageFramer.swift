/// Splits the byte stream from a language client into messages: a header of `Name: value` lines
/// (of which only `Content-Length` matters), a blank line, then exactly that many bytes of JSON.
///
/// A pure state machine with no I/O: bytes go in as they are read, in pieces of any size, and whole
/// messages come out. A header without a usable length is reported once and skipped, so one bad
/// message never stops the ones after it.
public struct MessageFramer: Sendable {
    /// What the next part of the stream holds.
    public enum Frame: Equatable, Sendable {
        /// The body of one message.
        case message([UInt8])
        /// A header that cannot be read; the reason says why.
        case badHeader(String)
    }

    /// The largest body accepted by default; a larger one is skipped unread rather than held in memory.
    public static let defaultMaximumContentLength = 64 << 20
    /// A header longer than this without its blank line is not a header.
    static let maximumHeaderLength = 8192

    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes of an over-long body still to be thrown away as they arrive.
    private var bytesToSkip = 0

    private let maximumContentLength: Int

    /// A framer that has seen no bytes yet, accepting bodies up to `maximumContentLength` bytes.
    public init(maximumContentLength: Int = defaultMaximumContentLength) {
        self.maximumContentLength = maximumContentLength
    }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message or header problem, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        if bytesToSkip > 0 {
            let skipped = min(bytesToSkip, buffer.count - start)
            start += skipped
            bytesToSkip -= skipped
            if bytesToSkip > 0 { compact(); return nil }
        }
        guard let headerEnd = endOfHeader() else {
            if buffer.count - start > Self.maximumHeaderLength {
                start = buffer.count
                compact()
                return .badHeader("a header longer than \(Self.maximumHeaderLength) bytes without the blank line that ends it")
            }
            compact()
            return nil
        }
        let header = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
        let bodyStart = headerEnd + 4
        let length: Int
        switch Self.contentLength(in: header) {
        case .success(let value): length = value
        case .failure(let problem):
            start = bodyStart
            return .badHeader(problem.reason)
        }
        if length > maximumContentLength {
            start = bodyStart
            bytesToSkip = length
            return .badHeader("a message of \(length) bytes, more than the \(maximumContentLength) accepted")
        }
        guard buffer.count - bodyStart >= length else { return nil }
        let body = Array(buffer[bodyStart..<bodyStart + length])
        start = bodyStart + length
        return .message(body)
    }

    /// The framed form of a message body, ready to write.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    private struct HeaderProblem: Error { var reason: String }

    private static func contentLength(in header: String) -> Result<Int, HeaderProblem> {
        var found: Int?
        for line in header.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingSpaces
            guard name.lowercased() == "content-length" else { continue }
            let value = line[line.index(after: colon)...].trimmingSpaces
            guard let number = Int(value), number >= 0 else {
                return .failure(HeaderProblem(reason: "Content-Length '\(value)' is not a number of bytes"))
            }
            found = number
        }
        guard let found else { return .failure(HeaderProblem(reason: "a header without Content-Length")) }
        return .success(found)
    }

    private func endOfHeader() -> Int? {
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// Drops consumed bytes once they are most of the buffer, so a long session does not grow it.
    private mutating func compact() {
        guard start > 0, start * 2 >= buffer.count else { return }
        buffer.removeFirst(start)
        start = 0
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
