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

/// Reading one field of every record, by slot once the layout is known.
@Suite struct FieldReaderTests {
    @Test func aFieldIsReadFromRecordsOfEveryLayoutAndFromPlainMaps() throws {
        let first = CELRecordSchema(fieldNames: ["id", "email"])
        let second = CELRecordSchema(fieldNames: ["email", "score", "id"])
        let withoutIt = CELRecordSchema(fieldNames: ["email"])
        var plain = CELMap()
        try plain.insert(.string("id"), .int(5))
        let records: [CELMap] = [
            CELMap(schema: first, values: [.int(1), .string("a")]),
            CELMap(schema: first, values: [nil, .string("b")]),
            CELMap(schema: second, values: [.string("c"), .int(3), .int(2)]),
            CELMap(schema: first, values: [.int(3), nil]),
            CELMap(schema: withoutIt, values: [.string("d")]),
            plain,
            CELMap(schema: second, values: [.string("e"), nil, .int(4)]),
        ]
        var reader = FieldReader("id")
        let read = records.map { reader.value(in: $0).map(\.typed) }
        #expect(read == [#"{"int":"1"}"#, nil, #"{"int":"2"}"#, #"{"int":"3"}"#, nil, #"{"int":"5"}"#, #"{"int":"4"}"#])
    }
}

/// The cursor an incremental fetch reaches, with the keys delivered at its value.
@Suite struct IncrementalFilterTests {
    private func record(id: Int64, at second: Int) -> CELMap {
        CELMap(schema: Self.layout, values: [.int(id), .timestamp(CELTimestamp(nanos: Int128(1_767_225_600 + second) * 1_000_000_000))])
    }

    private static let layout = CELRecordSchema(fieldNames: ["id", "updated_at"])

    @Test func theKeysAtTheReachedValueAreEachKeptOnceInOrderHoweverMany() throws {
        var filter = IncrementalFilter(field: "updated_at", type: .timestamp, from: nil)
        // Many records at one second, each id twice: past sixteen keys the filter looks them up
        // in a set, and the answer must be the same.
        for count in [3, 40] {
            let ids = (0..<Int64(count)).flatMap { [$0, $0] }
            filter.delivered([record(id: 100, at: count - 1)] + ids.map { record(id: $0, at: count) })
            let reached = try #require(filter.reached)
            #expect(reached.keysAtValue == (0..<count).map(String.init), "\(count) records")
            #expect(reached.value == .string(count == 3 ? "2026-01-01T00:00:03Z" : "2026-01-01T00:00:40Z"))
        }
        // An earlier second changes nothing; a later one starts the keys again.
        filter.delivered([record(id: 7, at: 5), record(id: 8, at: 41)])
        #expect(filter.reached?.keysAtValue == ["8"])
    }

    @Test func aCommittedCursorIsKeptWithTheKeysDeliveredAtItsValue() {
        let committed = IncrementalCursor(value: .string("2026-01-01T00:00:10Z"), keysAtValue: ["1", "2"])
        var filter = IncrementalFilter(field: "updated_at", type: .timestamp, from: committed)
        // Records at the committed second not delivered before pass; the two delivered do not.
        let kept = filter.keepNew([record(id: 1, at: 10), record(id: 3, at: 10), record(id: 4, at: 9), record(id: 5, at: 11)])
        #expect(kept.compactMap { $0["id"].map(\.typed) } == [#"{"int":"3"}"#, #"{"int":"5"}"#])
        #expect(filter.reached == committed)
        filter.delivered([record(id: 3, at: 10)])
        #expect(filter.reached == IncrementalCursor(value: .string("2026-01-01T00:00:10Z"), keysAtValue: ["1", "2", "3"]))
    }
}

/// A join's looked-up records, by key.
@Suite struct JoinTableTests {
    private static let layout = CELRecordSchema(fieldNames: ["key", "name"])

    private func record(_ key: CELValue, _ name: String) -> CELMap {
        CELMap(schema: Self.layout, values: [key, .string(name)])
    }

    private func name(_ found: CELMap?) -> String? {
        if case .string(let name)? = found?["name"] { return name }
        return nil
    }

    @Test func numbersOfEveryKindFindOneAnotherByValueAndOtherKeysByEquality() {
        var table = JoinTable(field: "key")
        for entry in [record(.int(1), "int"), record(.uint(2), "uint"), record(.double(3), "double"),
                      record(.double(1.5), "half"), record(.string("4"), "text"), record(.int(1), "second one"),
                      record(.uint(.max), "big"), record(.null, "no key")] {
            table.add(entry)
        }
        var plain = CELMap()
        try? plain.insert(.string("key"), .int(-7))
        try? plain.insert(.string("name"), .string("plain"))
        table.add(plain)
        #expect(name(table.match(.double(1))) == "int")
        #expect(name(table.match(.uint(1))) == "int")
        #expect(name(table.match(.int(2))) == "uint")
        #expect(name(table.match(.uint(3))) == "double")
        #expect(name(table.match(.double(1.5))) == "half")
        #expect(name(table.match(.string("4"))) == "text")
        #expect(name(table.match(.uint(.max))) == "big")
        #expect(name(table.match(.int(-7))) == "plain")
        #expect(table.match(.int(4)) == nil)
        #expect(table.match(.double(2.5)) == nil)
        #expect(table.match(.string("1")) == nil)
        #expect(table.match(.null) == nil)
        #expect(table.match(nil) == nil)
        #expect(table.match(.int(9_007_199_254_740_993)) == nil)
    }
}
