/// A top-level variable's name with its hash, computed once when the program is planned.
struct VariableKey: Sendable {
    let name: String
    let hash: UInt64

    init(_ name: String) {
        self.name = name
        self.hash = VariableKey.hash(name)
    }

    /// FNV-1a over the name's UTF-8 bytes: fixed, unlike `Hasher`'s per-process and per-dictionary
    /// seeds, so a program can compute it once and every activation's table agrees.
    static func hash(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}

/// Variables by the hash in their `VariableKey`, open-addressed and at most half full. Looking a
/// name up in a `[String: CELValue]` hashes it each time (about 25 ns, the largest part of
/// evaluating `score > 50 ? "hot" : "cold"`); here the hash is already in the key.
struct VariableTable: Sendable {
    struct Entry: Sendable {
        let hash: UInt64
        let name: String
        let value: CELValue
    }

    /// A power of two long, with at least one empty place, so every probe ends.
    private let entries: [Entry?]

    init(_ variables: [String: CELValue]) {
        var capacity = 1
        while capacity <= variables.count * 2 { capacity *= 2 }
        var entries = [Entry?](repeating: nil, count: capacity)
        for (name, value) in variables {
            let hash = VariableKey.hash(name)
            var index = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while entries[index] != nil { index = (index + 1) & (capacity - 1) }
            entries[index] = Entry(hash: hash, name: name, value: value)
        }
        self.entries = entries
    }

    /// Calls `body` with the entries in place, for one evaluation to read without retaining them.
    func withLookup<Result>(_ body: (VariableLookup) -> Result) -> Result {
        entries.withUnsafeBufferPointer { body(VariableLookup(entries: $0)) }
    }
}

/// A `VariableTable`'s entries, borrowed for one evaluation.
struct VariableLookup {
    let entries: UnsafeBufferPointer<VariableTable.Entry?>

    /// The value bound to the key's name, if any.
    @inline(__always)
    subscript(key: VariableKey) -> CELValue? {
        let mask = entries.count - 1
        var index = Int(truncatingIfNeeded: key.hash) & mask
        while let entry = entries[index] {
            if entry.hash == key.hash, entry.name == key.name { return entry.value }
            index = (index + 1) & mask
        }
        return nil
    }
}
