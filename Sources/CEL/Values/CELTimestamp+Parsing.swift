extension CELTimestamp {
    /// The instant an RFC 3339 timestamp names (`2026-01-01T09:00:00Z`, `…+01:00`), or nil when the
    /// text is not one; the same reading as `timestamp(text)` in an expression.
    public init?(rfc3339 text: String) {
        guard let nanos = TimeFormat.parseTimestamp(text) else { return nil }
        self.init(nanos: nanos)
    }

    /// `init?(rfc3339:)` over the text's UTF-8 bytes, for a reader that has them and no `String`.
    public init?(rfc3339UTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let nanos = TimeFormat.parseTimestamp(bytes: bytes) else { return nil }
        self.init(nanos: nanos)
    }

    /// RFC 3339 in UTC with the fraction only as long as needed (`…T09:00:00Z`, `…T09:00:00.5Z`),
    /// as `string(t)` writes it.
    public var rfc3339: String { TimeFormat.format(self) }

    /// Appends `rfc3339`'s UTF-8 bytes to `bytes`, without making the text first.
    public func appendRFC3339(to bytes: inout [UInt8]) { TimeFormat.append(self, to: &bytes) }
}

extension CELDuration {
    /// A duration of whole milliseconds.
    public init(milliseconds: Int64) {
        self.init(nanos: Int128(milliseconds) * 1_000_000)
    }

    /// The duration a text such as `90s`, `1h30m` or `-1.5s` names, or nil when the text is not
    /// one or is out of range; the same reading as `duration(text)` in an expression.
    public init?(text: String) {
        guard let nanos = TimeFormat.parseDuration(text), nanos >= CELDuration.minNanos, nanos <= CELDuration.maxNanos else { return nil }
        self.init(nanos: nanos)
    }

    /// Seconds with a fraction only as needed (`5400s`, `1.5s`), as `string(d)` writes it.
    public var text: String { TimeFormat.format(self) }
}
