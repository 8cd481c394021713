/// A point in time with nanosecond precision, between 0001-01-01 and 9999-12-31 UTC.
public struct CELTimestamp: Sendable, Hashable, Comparable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanos: Int128

    static let minSeconds: Int128 = -62_135_596_800
    static let maxSeconds: Int128 = 253_402_300_799
    static let nanosPerSecond: Int128 = 1_000_000_000

    /// A timestamp from nanoseconds since the Unix epoch, clamped to the supported years 1–9999
    /// so every timestamp can be formatted and taken apart.
    public init(nanos: Int128) {
        self.nanos = min(max(nanos, CELTimestamp.minSeconds * CELTimestamp.nanosPerSecond),
                         (CELTimestamp.maxSeconds + 1) * CELTimestamp.nanosPerSecond - 1)
    }

    /// A timestamp, or a range error outside the supported years.
    static func checked(nanos: Int128) -> CELValue {
        let seconds = nanos >= 0 ? nanos / nanosPerSecond : (nanos - nanosPerSecond + 1) / nanosPerSecond
        guard seconds >= minSeconds, seconds <= maxSeconds else { return .fail("timestamp out of range") }
        return .timestamp(CELTimestamp(nanos: nanos))
    }

    /// Whole seconds since the epoch (rounded down) and the nanoseconds within that second.
    var secondsAndNanos: (seconds: Int64, nanos: Int64) {
        var seconds = nanos / CELTimestamp.nanosPerSecond
        var rest = nanos % CELTimestamp.nanosPerSecond
        if rest < 0 {
            seconds -= 1
            rest += CELTimestamp.nanosPerSecond
        }
        // Clamped: only a timestamp built directly from an absurd nanosecond count can exceed Int64.
        return (Int64(clamping: seconds), Int64(rest))
    }

    public static func < (lhs: CELTimestamp, rhs: CELTimestamp) -> Bool { lhs.nanos < rhs.nanos }
}

/// A signed span of time with nanosecond precision, at most about 10,000 years either way.
public struct CELDuration: Sendable, Hashable, Comparable {
    /// Signed length in nanoseconds.
    public var nanos: Int128

    static let maxSeconds: Int128 = 315_576_000_000

    /// A duration of `nanos` nanoseconds, clamped to ±315,576,000,000 seconds.
    public init(nanos: Int128) {
        let limit = CELDuration.maxSeconds * CELTimestamp.nanosPerSecond
        self.nanos = min(max(nanos, -limit), limit)
    }

    /// A duration, or a range error beyond ±315,576,000,000 seconds.
    static func checked(nanos: Int128) -> CELValue {
        let limit = maxSeconds * CELTimestamp.nanosPerSecond
        guard nanos >= -limit, nanos <= limit else { return .fail("duration out of range") }
        return .duration(CELDuration(nanos: nanos))
    }

    public static func < (lhs: CELDuration, rhs: CELDuration) -> Bool { lhs.nanos < rhs.nanos }
}
