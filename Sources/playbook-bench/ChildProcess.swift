import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one run of a child process took: its wall time and its own peak resident memory.
struct ChildMeasurement {
    var seconds: Double
    /// The child's resident high-water mark, from `wait4`: this child's alone, not its siblings'.
    var peakResidentBytes: Int
    /// The exit status, or 128 plus the signal that ended it.
    var status: Int32
}

/// Starts programs with `posix_spawnp` and reaps them with `wait4`, which reports the peak memory
/// of that child only (`getrusage(RUSAGE_CHILDREN)` would give the largest of all children so far).
///
/// On Linux the figure has a floor: a process keeps, across `execve`, the high-water mark of the
/// memory it had before, and a child started by `posix_spawn` shares its parent's memory until it
/// runs the program. So a child reports at least this process's own peak, which must stay small.
enum ChildProcess {
    struct SpawnFailed: Error, CustomStringConvertible {
        var program: String
        var code: Int32
        var description: String { "could not start \(program): \(String(cString: strerror(code)))" }
    }

    /// Runs `arguments` (the first is the program, looked up on `PATH`) with standard output and
    /// error written to the given files (nil: inherited), and waits for it.
    static func measure(_ arguments: [String], standardOutput: String? = nil, standardError: String? = nil) throws -> ChildMeasurement {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardOutput {
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        if let standardError {
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        // What this process printed must come out before what the child prints.
        fflush(nil)
        defer { argv.forEach { free($0) } }

        let start = ContinuousClock.now
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw SpawnFailed(program: arguments[0], code: spawned) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let elapsed = ContinuousClock.now - start

        #if os(Linux)
        let peak = usage.ru_maxrss * 1024  // kilobytes on Linux
        #else
        let peak = usage.ru_maxrss  // bytes on macOS
        #endif
        let signal = status & 0x7F
        return ChildMeasurement(
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            peakResidentBytes: Int(peak),
            status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        )
    }

    /// This process's resident high-water mark, where the system reports it (Linux).
    static func ownPeakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
        }
        return nil
    }
}
