/// Positions of steps by id: built once per playbook and read by every pass that follows a step
/// reference.
///
/// An open-addressing table hashed with FNV-1a over the id's bytes: step ids are short, and for
/// them this costs a fraction of the seeded hashing a `Dictionary` does.
struct StepIndex: Sendable {
    /// The ids in step order; `slots` point into it.
    private let ids: [StepID]
    /// Position + 1 of the id in each slot; 0 for an empty slot. At least twice as many slots as ids.
    private let slots: [Int32]

    /// Indexes `ids` by position; an id given twice keeps its first position.
    init(_ ids: [StepID]) {
        var capacity = 8
        while capacity < ids.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        for (position, id) in ids.enumerated() {
            var slot = Self.hash(id) & (capacity - 1)
            while slots[slot] != 0, ids[Int(slots[slot]) - 1] != id {
                slot = (slot + 1) & (capacity - 1)
            }
            if slots[slot] == 0 { slots[slot] = Int32(position + 1) }
        }
        self.ids = ids
        self.slots = slots
    }

    /// The position of the step with this id.
    subscript(id: StepID) -> Int? {
        var slot = Self.hash(id) & (slots.count - 1)
        while slots[slot] != 0 {
            let position = Int(slots[slot]) - 1
            if ids[position] == id { return position }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    static func hash(_ id: StepID) -> Int {
        var text = id.rawValue
        return text.withUTF8 { bytes in
            var hash: UInt32 = 2_166_136_261
            for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            return Int(hash)
        }
    }
}
