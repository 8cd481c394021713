#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether both strings hold the same UTF-8 bytes: equality by code points, as YAML keys and CEL
    /// strings are compared, rather than Swift's `==` by canonical equivalence.
    public func hasSameBytes(as other: String) -> Bool {
        // Most comparisons are between different names; lengths usually tell.
        guard utf8.count == other.utf8.count else { return false }
        var lhs = self
        var rhs = other
        return lhs.withUTF8 { x in
            rhs.withUTF8 { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }
}
