/// A point in time with nanosecond precision, between 0001-01-01 and 9999-12-31 UTC.
public struct CELTimestamp: Sendable, Hashable, Comparable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanos: Int128 {
        get { Int128(nanosHigh) << 64 | Int128(nanosLow) }
        set {
            nanosHigh = Int64(truncatingIfNeeded: newValue >> 64)
            nanosLow = UInt64(truncatingIfNeeded: newValue)
        }
    }
    // `nanos` kept as two 64-bit halves: an `Int128` would align every CEL value, and so every
    // array of them (a record's fields, a list), to 16 bytes, which the allocator serves by a
    // slower path than the usual 8.
    private var nanosHigh: Int64 = 0
    private var nanosLow: UInt64 = 0

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

/// A signed span of time with nanosecond precision, limited as in cel-go to what 64-bit nanoseconds
/// hold: about 292 years either way (±9,223,372,036.854775807 s).
public struct CELDuration: Sendable, Hashable, Comparable {
    /// Signed length in nanoseconds.
    public var nanos: Int128 {
        get { Int128(storedNanos) }
        set { storedNanos = Int64(clamping: newValue) }
    }
    // 64 bits hold every duration; see `CELTimestamp` for why not an `Int128`.
    private var storedNanos: Int64 = 0

    static let minNanos = Int128(Int64.min)
    static let maxNanos = Int128(Int64.max)

    /// A duration of `nanos` nanoseconds, clamped to the 64-bit nanosecond range.
    public init(nanos: Int128) {
        storedNanos = Int64(clamping: nanos)
    }

    /// A duration, or a range error beyond the 64-bit nanosecond range.
    static func checked(nanos: Int128) -> CELValue {
        guard nanos >= minNanos, nanos <= maxNanos else { return .fail("duration out of range") }
        return .duration(CELDuration(nanos: nanos))
    }

    public static func < (lhs: CELDuration, rhs: CELDuration) -> Bool { lhs.nanos < rhs.nanos }
}
