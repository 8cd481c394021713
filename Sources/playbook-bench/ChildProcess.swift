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

    /// A child started by `start`, not yet reaped.
    struct Running {
        let pid: pid_t
        let started: ContinuousClock.Instant
        let program: String

        /// Seconds since the child was started.
        var elapsed: Double { ChildProcess.seconds(ContinuousClock.now - started) }
    }

    /// Runs `arguments` (the first is the program, looked up on `PATH`) with standard output and
    /// error written to the given files (nil: inherited), and waits for it.
    static func measure(_ arguments: [String], standardOutput: String? = nil, standardError: String? = nil) throws -> ChildMeasurement {
        let child = try start(arguments, standardOutput: standardOutput, standardError: standardError)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(child.pid, &status, 0, &usage) == -1 && errno == EINTR {}
        return measurement(of: child, status: status, usage: usage)
    }

    /// Starts `arguments` as `measure` does, without waiting for it.
    static func start(_ arguments: [String], standardOutput: String? = nil, standardError: String? = nil) throws -> Running {
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
        return Running(pid: pid, started: start, program: arguments[0])
    }

    /// The child's measurement once it has ended (and it is reaped), or nil while it runs.
    static func poll(_ child: Running) -> ChildMeasurement? {
        var status: Int32 = 0
        var usage = rusage()
        var reaped: pid_t
        repeat { reaped = wait4(child.pid, &status, WNOHANG, &usage) } while reaped == -1 && errno == EINTR
        guard reaped == child.pid else { return nil }
        return measurement(of: child, status: status, usage: usage)
    }

    /// Whether the child has ended, without reaping it: a child that ended but is not reaped still
    /// takes signals without complaint, so this is asked before one is sent.
    static func hasEnded(_ child: Running) -> Bool {
        var info = siginfo_t()
        var result: Int32
        repeat { result = waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) } while result == -1 && errno == EINTR
        #if canImport(Glibc)
        return result == 0 && info._sifields._sigchld.si_pid == child.pid
        #else
        return result == 0 && info.si_pid == child.pid
        #endif
    }

    /// Sends SIGKILL to a child that is still running; false when it had ended already.
    static func kill(_ child: Running) -> Bool {
        guard !hasEnded(child) else { return false }
        return signal(child, SIGKILL)
    }

    /// Stops the child with SIGSTOP and returns once it is stopped; false when it had ended. A
    /// stopped child does nothing until `resume`, and SIGKILL still ends it.
    static func pause(_ child: Running) -> Bool {
        guard signal(child, SIGSTOP) else { return false }
        while true {
            var info = siginfo_t()
            if waitid(P_PID, id_t(child.pid), &info, WSTOPPED | WEXITED | WNOWAIT) == -1 {
                if errno == EINTR { continue }
                return false
            }
            guard info.si_code == Int32(CLD_STOPPED) else { return false }
            // Take the report of the stop, so that the next pause waits for the next one.
            var taken = siginfo_t()
            _ = waitid(P_PID, id_t(child.pid), &taken, WSTOPPED | WNOHANG)
            return true
        }
    }

    /// Lets a paused child go on.
    static func resume(_ child: Running) {
        signal(child, SIGCONT)
    }

    /// Sends `signalNumber` to the child; false when it could not be sent.
    @discardableResult
    static func signal(_ child: Running, _ signalNumber: Int32) -> Bool {
        #if canImport(Glibc)
        return Glibc.kill(child.pid, signalNumber) == 0
        #else
        return Darwin.kill(child.pid, signalNumber) == 0
        #endif
    }

    private static func measurement(of child: Running, status: Int32, usage: rusage) -> ChildMeasurement {
        #if os(Linux)
        let peak = usage.ru_maxrss * 1024  // kilobytes on Linux
        #else
        let peak = usage.ru_maxrss  // bytes on macOS
        #endif
        let signal = status & 0x7F
        return ChildMeasurement(
            seconds: child.elapsed,
            peakResidentBytes: Int(peak),
            status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
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

/// The processor time this process has used so far, user and system, in seconds: with the wall
/// time, it tells how much of a measurement ran on more than one core or waited.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
