import Diagnostics
import Foundation

/// Runs a `LanguageServer` over a byte stream: reads framed messages as they arrive, writes each
/// answer as soon as it is ready, and ends at `exit` or when the client closes the stream.
public struct LanguageServerConnection {
    private let server: LanguageServer
    private let read: () -> [UInt8]?
    private let write: ([UInt8]) -> Void

    /// A connection reading with `read` (nil or empty at the end of the stream) and writing with `write`.
    public init(server: LanguageServer, read: @escaping () -> [UInt8]?, write: @escaping ([UInt8]) -> Void) {
        self.server = server
        self.read = read
        self.write = write
    }

    /// A connection over two file descriptors, such as standard input and output.
    public init(server: LanguageServer, input: Int32, output: Int32) {
        self.init(server: server, read: {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { Foundation.read(input, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                return count > 0 ? Array(buffer[0..<count]) : nil
            }
        }, write: { bytes in
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { Foundation.write(output, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                written += count
            }
        })
    }

    /// Serves until `exit` or the end of input; returns the exit status LSP asks for: 0 after
    /// `shutdown` then `exit`, 1 otherwise (including a client that went away without `exit`).
    public func run() -> Int32 {
        var framer = MessageFramer()
        while let bytes = read(), !bytes.isEmpty {
            framer.append(bytes)
            while let frame = framer.next() {
                for message in server.receive(frame) {
                    write(MessageFramer.frame(Array(message.text.utf8)))
                }
                if let status = server.exitStatus { return status }
            }
        }
        return server.exitStatus ?? 1
    }
}
