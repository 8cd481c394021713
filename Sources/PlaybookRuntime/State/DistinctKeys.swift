import Diagnostics

/// A batch's ledger keys without their repeats, in the order each first appears, and where each
/// key of the batch went among them.
///
/// Keys are told apart by their bytes, as the ledger stores and finds them (and as CEL compares
/// strings), not by Swift's canonical equivalence: two keys the ledger would keep apart are never
/// merged here.
///
/// Every record a sync inserts under the ledger passes through here, so it avoids what a
/// `Set<String>` costs: each key is hashed once with FNV-1a over its bytes (a few instructions a
/// byte, where the standard hash spends about a hundred a key before its first byte) into a table
/// of positions that lives for the one batch. Keys that meet by hash are compared byte for byte,
/// so a wrong answer is impossible; data shaped to collide only makes the batch slower, never
/// unbounded (a batch holds at most its `batch_size` keys).
struct DistinctKeys {
    /// The keys, each once, in the order each first appears.
    let keys: [String]
    /// For each key of the batch, its position in `keys`; nil when no key repeats (the common
    /// case), so that the batch's own array serves.
    let positions: [Int]?

    init(_ batch: [String]) {
        guard batch.count > 1 else {
            keys = batch
            positions = nil
            return
        }
        var capacity = 16
        while capacity < batch.count * 2 { capacity <<= 1 }
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        // Each bucket: the key's hash and its position in `distinct` plus one (0: empty).
        var table = [(hash: UInt64, positionPlusOne: Int32)](repeating: (0, 0), count: capacity)
        // Made only once a key repeats, which is rare: until then the answer is `batch` itself.
        var distinct: [String]?
        var positions: [Int]?
        for index in batch.indices {
            let hash = Self.fnv1a(batch[index])
            // Fibonacci hashing: the top bits of the product pick the bucket, so that hashes that
            // differ only in their high bits still spread.
            var bucket = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
            var earlier: Int?
            while true {
                let entry = table[bucket]
                if entry.positionPlusOne == 0 {
                    table[bucket] = (hash, Int32((distinct?.count ?? index) + 1))
                    break
                }
                let position = Int(entry.positionPlusOne) - 1
                if entry.hash == hash && (distinct?[position] ?? batch[position]).hasSameBytes(as: batch[index]) {
                    earlier = position
                    break
                }
                bucket = (bucket + 1) & (capacity - 1)
            }
            if distinct == nil, earlier != nil {
                // The first repeat: every key before it was new.
                distinct = Array(batch[..<index])
                positions = Array(0..<index)
            }
            if let earlier {
                positions?.append(earlier)
            } else if distinct != nil {
                positions?.append(distinct!.count)
                distinct!.append(batch[index])
            }
        }
        keys = distinct ?? batch
        self.positions = positions
    }

    private static func fnv1a(_ key: String) -> UInt64 {
        key.withUTF8Bytes { bytes in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return hash
        }
    }
}
