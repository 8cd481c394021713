import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Signals caught by a plain handler installed at once, and handed to a thread of their own.
///
/// A dispatch signal source is registered later, on the dispatch manager's thread; a signal that
/// arrives in between is lost when the process ignores it meanwhile, and kills the process when it
/// does not. The handler here is in place when `catchSignals` returns, does only what a signal
/// handler may (write the signal's number to a pipe), and a thread outside the shared pool reads the
/// pipe, so that a signal is heard however busy the run's threads are.
enum SignalCatcher {
    /// The pipe's write end, read by the handler: a C signal handler cannot capture anything.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    private static let installed = NSLock()
    nonisolated(unsafe) private static var handlers: [Int32: @Sendable (Int32) -> Void] = [:]

    /// Calls `handler` on a thread of its own each time one of `signals` arrives.
    static func catchSignals(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        installed.lock()
        defer { installed.unlock() }
        if writeEnd < 0 {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { return }
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
            writeEnd = ends[1]
            let readEnd = ends[0]
            let reader = Thread { deliver(from: readEnd) }
            reader.name = "playbook.signals"
            reader.start()
        }
        for signalNumber in signals {
            handlers[signalNumber] = handler
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in
                var byte = UInt8(truncatingIfNeeded: signalNumber)
                _ = write(SignalCatcher.writeEnd, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
    }

    /// The signals as they arrive, for a command that waits for one.
    static func stream(_ signals: [Int32]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        catchSignals(signals) { continuation.yield($0) }
        return stream
    }

    private static func deliver(from readEnd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(readEnd, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { return }
            let signalNumber = Int32(byte)
            let handler = installed.withLock { handlers[signalNumber] }
            handler?(signalNumber)
        }
    }
}

/// SIGINT and SIGTERM, turned into a request to stop the run cleanly.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var signalReceived: Int32?

    /// The signal that stopped the run, if one did.
    var received: Int32? { lock.withLock { signalReceived } }

    /// Calls `stop` on the first SIGINT or SIGTERM; a second one ends the process at once.
    func onStop(_ stop: @escaping @Sendable () -> Void) {
        SignalCatcher.catchSignals([SIGINT, SIGTERM]) { [self] signalNumber in
            let first = lock.withLock { () -> Bool in
                defer { signalReceived = signalReceived ?? signalNumber }
                return signalReceived == nil
            }
            if first {
                stop()
                FileHandle.standardError.write(Data("Stopping: the batches in hand finish first (press Ctrl-C again to quit at once).\n".utf8))
            } else {
                exit(128 + signalNumber)
            }
        }
    }
}
