import Testing
@testable import PlaybookLanguage

@Suite struct StepIndexTests {
    @Test func findsEveryStepByItsPosition() {
        let ids = (0..<200).map { StepID("step_\($0)") }
        let index = StepIndex(ids)
        for (position, id) in ids.enumerated() { #expect(index[id] == position) }
        #expect(index["step_200"] == nil)
        #expect(index[""] == nil)
    }

    @Test func anIdGivenTwiceKeepsItsFirstPosition() {
        let index = StepIndex(["a", "b", "a", "c"])
        #expect(index["a"] == 0)
        #expect(index["b"] == 1)
        #expect(index["c"] == 3)
    }

    @Test func idsWhoseHashesCollideAreKeptApart() {
        // 64 ids get 128 slots; ids whose hashes agree in their low seven bits start at the same slot.
        let ids = (0..<64).map { StepID("id\($0)") }
        let firstSlots = ids.map { StepIndex.hash($0) & 127 }
        #expect(Set(firstSlots).count < ids.count, "the test needs ids that share a first slot")
        let index = StepIndex(ids)
        for (position, id) in ids.enumerated() { #expect(index[id] == position) }
        #expect(StepIndex([])["anything"] == nil)
    }
}
