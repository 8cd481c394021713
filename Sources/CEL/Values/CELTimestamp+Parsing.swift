extension CELTimestamp {
    /// The instant an RFC 3339 timestamp names (`2026-01-01T09:00:00Z`, `…+01:00`), or nil when the
    /// text is not one; the same reading as `timestamp(text)` in an expression.
    public init?(rfc3339 text: String) {
        guard let nanos = TimeFormat.parseTimestamp(text) else { return nil }
        self.init(nanos: nanos)
    }
}

extension CELDuration {
    /// A duration of whole milliseconds.
    public init(milliseconds: Int64) {
        self.init(nanos: Int128(milliseconds) * 1_000_000)
    }
}
