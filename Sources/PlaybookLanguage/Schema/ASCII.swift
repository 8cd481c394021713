/// Byte classes for the scans that run on every scalar; plain comparisons, which the optimiser turns
/// into two instructions where a `ClosedRange.contains` call may stay generic.
enum ASCII {
    @inline(__always)
    static func between(_ byte: UInt8, _ lower: UInt8, _ upper: UInt8) -> Bool {
        byte >= lower && byte <= upper
    }
}
