import Foundation

/// Byte-wise string comparisons. CEL compares strings by code points, not by Unicode canonical
/// equivalence as Swift's `==` does; comparing UTF-8 bytes gives exactly that, and fast.
enum StringBytes {
    /// The lengths are compared here first, inline: a map's field lookup compares its name with
    /// every key, and most differ in length.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a.hasSameBytes(as: b) }

    static func hasPrefix(_ a: String, _ prefix: String) -> Bool {
        var a = a
        var p = prefix
        return a.withUTF8 { x in
            p.withUTF8 { y in x.count >= y.count && (y.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, y.count) == 0) }
        }
    }

    static func hasSuffix(_ a: String, _ suffix: String) -> Bool {
        var a = a
        var s = suffix
        return a.withUTF8 { x in
            s.withUTF8 { y in x.count >= y.count && (y.count == 0 || memcmp(x.baseAddress! + (x.count - y.count), y.baseAddress!, y.count) == 0) }
        }
    }
}
