import CMemoryHints
import Diagnostics
import GRDB
import Synchronization

/// Which group of the ledger holds each key, per step, kept in memory by one store so that a claim
/// looks its keys up without reading a row of the file per key.
///
/// The file stays the truth. An entry only says where to look: a claim reads the group an entry
/// names and believes it only if the group still holds the key, so an entry left behind by a group
/// rewritten since (a key released, or moved to another group) does no harm. What the index must
/// never do is miss a key: groups are only ever added with new, increasing ids (a key moving to
/// another group moves to a new one), and every transaction that touches a step's ledger first
/// reads the groups added since the index last looked, whoever added them.
final class LedgerIndex: Sendable {
    private let scopes = Mutex<[Int64: ScopeIndex]>([:])

    /// Runs `body` with the index of one step's keys, brought up to date with the file first,
    /// inside the caller's transaction and with the lock held. Gives the last group `body` added,
    /// to pass to ``seen(through:scope:)`` once the transaction is committed.
    func withScope<T>(_ scope: Int64, _ db: Database, _ body: (inout ScopeIndex) throws -> T) throws -> (value: T, lastAdded: Int64?) {
        try scopes.withLock { scopes in
            try scopes[scope, default: ScopeIndex()].catchUp(db, scope: scope)
            scopes[scope]!.lastAdded = nil
            let value = try body(&scopes[scope]!)
            return (value, scopes[scope]!.lastAdded)
        }
    }

    /// Notes that the groups up to `id` are all in the index, once the transaction that added the
    /// last of them is committed. Before that, a group of the transaction may still vanish with it
    /// and its id be taken by another process's group, which the index must then read.
    func seen(through id: Int64, scope: Int64) {
        scopes.withLock { scopes in
            // An index forgotten meanwhile is read whole when next needed: nothing to note.
            scopes[scope]?.seen(through: id)
        }
    }

    /// Lets go of the indexes of these steps (their playbook's run ended), so that a server's
    /// memory does not keep every key of every step it ever ran; the next claim reads them again.
    func forget(_ scopeIDs: [Int64]) {
        scopes.withLock { scopes in
            for scope in scopeIDs { scopes[scope] = nil }
        }
    }

    /// How many steps' indexes are held.
    var heldScopes: Int { scopes.withLock { $0.count } }
}

/// One step's keys: the group holding each, and how far the index has read the step's groups.
///
/// Each key's entry names a *slot*, and each slot a group id. A claim takes a slot before it knows
/// its group's id, points its new keys at it as it goes (one probe per key finds a key or places
/// it), and gives the slot its id once the group is written; a slot whose group was never written
/// names no group (0), so its keys count as held by none.
struct ScopeIndex {
    private var table = DigestTable()
    private var groupOfSlot: [Int64] = [0]
    /// Every group of the step with an id up to this one is in the index.
    private(set) var seenThrough: Int64 = 0
    /// The newest group added by the transaction at work.
    fileprivate var lastAdded: Int64?
    /// The last group of keys claimed afresh, by run number: most often the next keys marked sent.
    var lastClaimed: (group: Int64, run: Int64, keys: [String])?

    /// A slot for a group about to be added.
    mutating func newSlot() -> Slot {
        groupOfSlot.append(0)
        return Slot(rawValue: UInt32(groupOfSlot.count - 1))
    }

    /// Gives the slot the id of its group, once written.
    mutating func setGroup(_ id: Int64, of slot: Slot) {
        groupOfSlot[Int(slot.rawValue)] = id
        lastAdded = max(lastAdded ?? 0, id)
    }

    /// The group id a slot names; 0 for a group never written.
    func group(of slot: Slot) -> Int64 {
        groupOfSlot[Int(slot.rawValue)]
    }

    /// The group the index last saw holding `key`, if any.
    func group(of key: LedgerKeyDigest) -> Int64? {
        table.slot(of: key).map(group(of:)).flatMap { $0 == 0 ? nil : $0 }
    }

    /// Starts bringing in the bucket where a probe for `key` begins, so that a claim probing a
    /// batch of keys waits for memory once per batch rather than once per key.
    func prefetch(_ key: LedgerKeyDigest) {
        table.prefetch(key)
    }

    /// The slot `key` points at, after pointing it at `slot` if it pointed nowhere.
    mutating func slotOrPlace(_ key: LedgerKeyDigest, at slot: Slot) -> Slot? {
        table.findOrInsert(key, slot: slot)
    }

    /// Points `key` at `slot`, wherever it pointed before.
    mutating func point(_ key: LedgerKeyDigest, at slot: Slot) {
        table.set(key, slot: slot)
    }

    /// Notes that a group just added, `id`, holds these keys.
    mutating func place(_ keys: [LedgerKeyDigest], inGroup id: Int64) {
        let slot = newSlot()
        setGroup(id, of: slot)
        for key in keys { table.set(key, slot: slot) }
    }

    mutating func seen(through id: Int64) {
        seenThrough = max(seenThrough, id)
    }

    /// Reads the step's groups added since the index last looked, in order, so that a key moved to
    /// a newer group ends up pointing there.
    fileprivate mutating func catchUp(_ db: Database, scope: Int64) throws {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: """
                SELECT groups.id, key.value FROM ledger_groups AS groups CROSS JOIN json_each(groups.keys) AS key
                WHERE groups.scope = ? AND groups.id > ? ORDER BY groups.id
                """),
            arguments: [scope, seenThrough])
        var last = seenThrough
        var slot = Slot(rawValue: 0)
        while let row = try rows.next() {
            let group: Int64 = row[0]
            if group != last {
                slot = newSlot()
                groupOfSlot[Int(slot.rawValue)] = group
                last = group
            }
            table.set(LedgerKeyDigest(row[1] as String), slot: slot)
        }
        // A group of no keys is never kept, so the last key read comes from the newest group.
        seenThrough = max(seenThrough, last)
    }

    /// Where a key points: a group by number, whose id the index knows once the group is written.
    struct Slot: Equatable {
        let rawValue: UInt32
    }
}

/// A ledger key as the index holds it: a hash of 64 bits seeded afresh by each process (so that
/// nobody can make two keys meet on purpose) and a check of 32 more; two keys meet by chance about
/// once in 10^28 pairs.
struct LedgerKeyDigest {
    let hash: UInt64
    let check: UInt32

    init(_ key: String) {
        (hash, check) = key.withUTF8Bytes { bytes in
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            // FNV-1a: a different function of the same bytes, cheap beside the hash above.
            var check: UInt32 = 2_166_136_261
            for byte in bytes { check = (check ^ UInt32(byte)) &* 16_777_619 }
            return (UInt64(bitPattern: Int64(hasher.finalize())), check)
        }
    }
}

/// An open-addressing table from digests to slots, probed linearly from the bucket the digest's
/// hash names. The hash is already seeded and uniform, so it picks the bucket as it is: a lookup
/// costs no hashing beyond the key's own, where a `Dictionary` would hash the digest again on
/// every lookup, insert and resize (a third of a claim's time when every key was new). 16 bytes
/// per bucket, at most three quarters full.
private struct DigestTable {
    private struct Entry {
        var hash: UInt64
        var check: UInt32
        /// The slot plus one; 0 for an empty bucket.
        var slotPlusOne: UInt32
    }

    private var entries = [Entry](repeating: Entry(hash: 0, check: 0, slotPlusOne: 0), count: 1024)
    private var count = 0

    /// The bucket a probe for `hash` starts at, in a table of `count` buckets (a power of two).
    private static func home(of hash: UInt64, count: Int) -> Int {
        Int(truncatingIfNeeded: hash) & (count - 1)
    }

    private func bucket(of key: LedgerKeyDigest) -> (index: Int, found: Bool) {
        let mask = entries.count - 1
        var index = Self.home(of: key.hash, count: entries.count)
        while true {
            let entry = entries[index]
            if entry.slotPlusOne == 0 { return (index, false) }
            if entry.hash == key.hash && entry.check == key.check { return (index, true) }
            index = (index + 1) & mask
        }
    }

    /// A million keys take 32 MB of buckets, and keys hash to buckets at random: a probe's first
    /// read is almost always a miss of every cache (about 200 ns on the build machine, most of a
    /// claim's time in memory). The hint lets the misses of the keys ahead overlap.
    func prefetch(_ key: LedgerKeyDigest) {
        entries.withUnsafeBufferPointer { buckets in
            playbook_prefetch_for_write(buckets.baseAddress! + Self.home(of: key.hash, count: buckets.count))
        }
    }

    func slot(of key: LedgerKeyDigest) -> ScopeIndex.Slot? {
        let (index, found) = bucket(of: key)
        return found ? ScopeIndex.Slot(rawValue: entries[index].slotPlusOne - 1) : nil
    }

    /// The slot the key points at, or nil after pointing it at `slot`.
    mutating func findOrInsert(_ key: LedgerKeyDigest, slot: ScopeIndex.Slot) -> ScopeIndex.Slot? {
        let (index, found) = bucket(of: key)
        if found { return ScopeIndex.Slot(rawValue: entries[index].slotPlusOne - 1) }
        insert(key, slot: slot, at: index)
        return nil
    }

    mutating func set(_ key: LedgerKeyDigest, slot: ScopeIndex.Slot) {
        let (index, found) = bucket(of: key)
        if found {
            entries[index].slotPlusOne = slot.rawValue + 1
        } else {
            insert(key, slot: slot, at: index)
        }
    }

    private mutating func insert(_ key: LedgerKeyDigest, slot: ScopeIndex.Slot, at index: Int) {
        entries[index] = Entry(hash: key.hash, check: key.check, slotPlusOne: slot.rawValue + 1)
        count += 1
        if count * 4 > entries.count * 3 { grow() }
    }

    private mutating func grow() {
        let old = entries
        entries = [Entry](repeating: Entry(hash: 0, check: 0, slotPlusOne: 0), count: old.count * 2)
        let mask = entries.count - 1
        for entry in old where entry.slotPlusOne != 0 {
            var index = Self.home(of: entry.hash, count: entries.count)
            while entries[index].slotPlusOne != 0 { index = (index + 1) & mask }
            entries[index] = entry
        }
    }
}
