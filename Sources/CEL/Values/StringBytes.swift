import Foundation

/// Byte-wise string comparisons. CEL compares strings by code points, not by Unicode canonical
/// equivalence as Swift's `==` does; comparing UTF-8 bytes gives exactly that, and fast.
enum StringBytes {
    /// The lengths are compared here first, inline: a map's field lookup compares its name with
    /// every key, and most differ in length.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a.hasSameBytes(as: b) }

    static func hasPrefix(_ a: String, _ prefix: String) -> Bool {
        guard a.utf8.count >= prefix.utf8.count else { return false }
        return withBytes(a, prefix) { x, y in y.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, y.count) == 0 }
            ?? a.utf8.starts(with: prefix.utf8)
    }

    static func hasSuffix(_ a: String, _ suffix: String) -> Bool {
        guard a.utf8.count >= suffix.utf8.count else { return false }
        return withBytes(a, suffix) { x, y in y.isEmpty || memcmp(x.baseAddress! + (x.count - y.count), y.baseAddress!, y.count) == 0 }
            ?? a.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    /// `body` over both strings' UTF-8 bytes borrowed in place, or nil when either is not stored
    /// contiguously (a bridged string). In place, not through the mutating `withUTF8`, which copies
    /// each string first.
    @inline(__always)
    private static func withBytes(_ a: String, _ b: String, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        let result = a.utf8.withContiguousStorageIfAvailable { x in b.utf8.withContiguousStorageIfAvailable { y in body(x, y) } }
        return result ?? nil
    }
}
