import CEL
@testable import PlaybookRuntime
import Testing

/// The ledger's keys of a sync batch: an id's digits, and the batch's keys without repeats.
@Suite struct LedgerKeyTests {
    @Test func anIntKeyIsItsDigitsAsTheStandardConversionWritesThem() {
        var numbers: [Int64] = [0, 1, -1, 9, 10, -10, 99_999_999_999_999, 100_000_000_000_000, -99_999_999_999_999,
                                -100_000_000_000_000, .max, .min, .max - 1, .min + 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // Every length of digits, both signs.
            let digits = Int64.random(in: 1...18, using: &generator)
            var bound: Int64 = 1
            for _ in 0..<digits { bound *= 10 }
            numbers.append(Int64.random(in: -bound...bound, using: &generator))
        }
        for number in numbers {
            #expect(StepLedger.digits(of: number) == String(number))
            #expect(StepLedger.key(of: .int(number)) == String(number))
        }
    }

    @Test func keysWithoutRepeatsKeepTheOrderOfEachFirst() {
        #expect(DistinctKeys([]).keys == [] && DistinctKeys([]).positions == nil)
        #expect(DistinctKeys(["a"]).keys == ["a"] && DistinctKeys(["a"]).positions == nil)
        #expect(DistinctKeys(["a", "b", "c"]).keys == ["a", "b", "c"] && DistinctKeys(["a", "b", "c"]).positions == nil)
        let repeated = DistinctKeys(["b", "a", "b", "c", "a", "a"])
        #expect(repeated.keys == ["b", "a", "c"])
        #expect(repeated.positions == [0, 1, 0, 2, 1, 1])
    }

    @Test func keysAreToldApartByTheirBytesAsTheLedgerStoresThem() {
        // "é" as one code point and as "e" with a combining accent: equal to Swift's `==`, two
        // keys to the ledger, so two keys here.
        let keys = DistinctKeys(["\u{E9}", "e\u{301}", "\u{E9}"])
        #expect(keys.keys.map { Array($0.utf8) } == [[0xC3, 0xA9], [0x65, 0xCC, 0x81]])
        #expect(keys.positions == [0, 1, 0])
    }

    @Test func keysWithoutRepeatsAgreeWithAListOfTheFirstOfEachOverManyBatches() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let count = Int.random(in: 0...3_000, using: &generator)
            // Few distinct values in some batches (many repeats), many in others (few or none).
            let range = round.isMultiple(of: 2) ? max(1, count / 3) : count * 10 + 1
            let batch = (0..<count).map { _ in
                Bool.random(using: &generator) ? String(Int.random(in: 0..<range, using: &generator))
                    : "user\(Int.random(in: 0..<range, using: &generator))@example.com"
            }
            var firstPosition: [String: Int] = [:]
            var expectedKeys: [String] = []
            var expectedPositions: [Int] = []
            for key in batch {
                if let position = firstPosition[key] {
                    expectedPositions.append(position)
                } else {
                    firstPosition[key] = expectedKeys.count
                    expectedPositions.append(expectedKeys.count)
                    expectedKeys.append(key)
                }
            }
            let distinct = DistinctKeys(batch)
            #expect(distinct.keys == expectedKeys, "round \(round), \(count) keys")
            #expect((distinct.positions ?? Array(batch.indices)) == expectedPositions, "round \(round)")
            #expect((distinct.positions == nil) == (expectedKeys.count == batch.count), "round \(round)")
        }
    }
}
