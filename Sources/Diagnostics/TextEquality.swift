#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether both strings hold the same UTF-8 bytes: equality by code points, as YAML keys and CEL
    /// strings are compared, rather than Swift's `==` by canonical equivalence.
    public func hasSameBytes(as other: String) -> Bool {
        // Lengths first, then `==`, which is false whenever the bytes differ and quick for identical
        // strings. A match of the same length is byte for byte when one side is ASCII (no other text
        // of that length is equivalent to ASCII text); otherwise the bytes are compared.
        guard utf8.count == other.utf8.count, self == other else { return false }
        if utf8.allSatisfy({ $0 < 0x80 }) { return true }
        var lhs = self
        var rhs = other
        return lhs.withUTF8 { x in
            rhs.withUTF8 { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }
}
