import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RunOwner {
    /// This process on this machine.
    public static let current = RunOwner(pid: getpid(), host: hostName())

    /// Whether a process with this id exists on this machine (a process of another user counts).
    public static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Decides whether a run recorded as running is still alive.
///
/// A run is dead when its process no longer exists on this machine, or when its process (on any
/// machine) has not sent a heartbeat for longer than `staleAfter`: a machine can only check its own
/// processes, and a process id can be reused, so the heartbeat settles every other case.
public struct RunLiveness: Sendable {
    /// How long a run may go without a heartbeat before it counts as dead.
    public var staleAfter: Duration
    /// This process's machine.
    public var host: String
    /// Whether a process exists on this machine.
    public var processExists: @Sendable (Int32) -> Bool

    public init(staleAfter: Duration, host: String = RunOwner.current.host, processExists: @escaping @Sendable (Int32) -> Bool = RunOwner.processExists) {
        self.staleAfter = staleAfter
        self.host = host
        self.processExists = processExists
    }

    /// Whether a run owned by `owner`, last heard of at `heartbeatAt`, is dead at `now`.
    public func isDead(owner: RunOwner, heartbeatAt: Date, now: Date) -> Bool {
        if owner.host == host && !processExists(owner.pid) { return true }
        return now.timeIntervalSince(heartbeatAt) > staleAfter.timeInterval
    }
}

extension Duration {
    /// The duration in seconds.
    var timeInterval: TimeInterval {
        let components = self.components
        return TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
