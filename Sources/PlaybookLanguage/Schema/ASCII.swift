/// Byte classes for the scans that run on every scalar; plain comparisons, which the optimiser turns
/// into two instructions where a `ClosedRange.contains` call may stay generic.
enum ASCII {
    @inline(__always)
    static func between(_ byte: UInt8, _ lower: UInt8, _ upper: UInt8) -> Bool {
        byte >= lower && byte <= upper
    }

    static func isDigit(_ byte: UInt8) -> Bool { between(byte, UInt8(ascii: "0"), UInt8(ascii: "9")) }

    static func isLowerOrDigit(_ byte: UInt8) -> Bool { between(byte, UInt8(ascii: "a"), UInt8(ascii: "z")) || isDigit(byte) }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool { isLowerOrDigit(byte) || between(byte, UInt8(ascii: "A"), UInt8(ascii: "Z")) }

    /// A byte of a name usable in expressions: a letter, a digit or `_`.
    static func isNameByte(_ byte: UInt8) -> Bool { isLetterOrDigit(byte) || byte == UInt8(ascii: "_") }
}
