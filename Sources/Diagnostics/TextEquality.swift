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
        // Borrowing the bytes in place: copying both strings to call the mutating `withUTF8` took
        // a third of a CEL field lookup.
        let inPlace = utf8.withContiguousStorageIfAvailable { x in
            other.utf8.withContiguousStorageIfAvailable { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
        if let inPlace, let inPlace { return inPlace }
        return utf8.elementsEqual(other.utf8)
    }

    /// Calls `body` with the string's UTF-8 bytes: borrowed in place where the string stores them
    /// contiguously (native strings do), else from a copy. The mutating `withUTF8` would copy the
    /// string first, retaining and releasing it, on every call. Inlinable, so that callers in
    /// other modules get it specialized to what `body` returns.
    @inlinable @inline(__always)
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let inPlace = try utf8.withContiguousStorageIfAvailable(body) { return inPlace }
        var copy = self
        return try copy.withUTF8(body)
    }
}
