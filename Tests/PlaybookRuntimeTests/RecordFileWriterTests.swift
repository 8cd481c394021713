import CEL
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

@Suite struct RecordFileWriterTests {
    let folder = ScratchFolder()

    /// One record of every type, laid out on a schema, and the declared fields that read it back.
    static let everyType: (fields: [(name: String, type: ValueType)], record: Record) = {
        let fields: [(name: String, type: ValueType)] = [
            ("name", .string), ("quote", .string), ("score", .int), ("ratio", .double), ("whole", .double), ("vip", .bool),
            ("seen", .timestamp), ("wait", .duration), ("blob", .bytes), ("tags", .list(.string)), ("extra", .map(.int)),
            ("any", .dyn), ("missing", .int), ("nothing", .int),
        ]
        let values: [CELValue?] = [
            .string("Ann, \"the\" Smith\nline 2 é"), .string("  padded "), .int(-42), .double(0.1), .double(2), .bool(true),
            .timestamp(CELTimestamp(rfc3339: "2026-03-04T05:06:07.25Z")!), .duration(CELDuration(text: "1h30m")!),
            .bytes([0, 1, 254, 255]), .list([.string("a"), .string("b,c")]), .map(CELMap(["x": .int(1)])),
            .list([.int(1), .double(1.5)]), nil, .null,
        ]
        return (fields, Record(schema: CELRecordSchema(fieldNames: fields.map(\.name)), values: values))
    }()

    @Test func jsonLinesKeepTypes() throws {
        let writer = try RecordFileWriter(path: folder.path + "/out.jsonl", format: .jsonl)
        #expect(try writer.append([Self.everyType.record]).isEmpty)
        try writer.close()
        #expect(folder.contents("out.jsonl") == #"{"name":"Ann, \"the\" Smith\nline 2 é","quote":"  padded ","score":-42,"ratio":0.1,"whole":2.0,"vip":true,"seen":"2026-03-04T05:06:07.25Z","wait":"5400s","blob":"AAH+/w==","tags":["a","b,c"],"extra":{"x":1},"any":[1,1.5],"nothing":null}"# + "\n")
    }

    @Test(arguments: [FileFormat.jsonl, .csv])
    func linesEncodedAheadAreWrittenAsAppendWritesThem(format: FileFormat) throws {
        // A NaN cannot be written: the record is left out, by its place in the batch, either way.
        var unwritable = CELMap()
        try unwritable.insert(.string("name"), .double(.nan))
        let batch: [Record] = [Self.everyType.record, unwritable, Self.everyType.record]
        let direct = try RecordFileWriter(path: folder.path + "/direct." + format.rawValue, format: format)
        let directRefusals = try direct.append(batch)
        try direct.close()
        let ahead = try RecordFileWriter(path: folder.path + "/ahead." + format.rawValue, format: format)
        let lines = try ahead.encode(batch)
        // Encoding writes nothing: not even the file is made.
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/ahead." + format.rawValue))
        try ahead.append(lines)
        try ahead.close()
        #expect(directRefusals.map(\.index) == [1])
        #expect(lines.rejected.map(\.index) == [1])
        #expect(lines.rejected.map(\.reason) == directRefusals.map(\.reason))
        let written = try #require(folder.contents("ahead." + format.rawValue))
        #expect(written == folder.contents("direct." + format.rawValue))
        #expect(written.hasPrefix(format == .csv ? "name,quote,score" : #"{"name":"Ann, \"the\" Smith"#))
    }

    @Test(arguments: [FileFormat.jsonl, .csv])
    func everyTypeReadsBackWithTheSameDeclaredFields(format: FileFormat) throws {
        let path = folder.path + "/out." + format.rawValue
        let writer = try RecordFileWriter(path: path, format: format)
        #expect(try writer.append([Self.everyType.record, Self.everyType.record]).isEmpty)
        try writer.close()
        let outcomes = try readAll(path, format: format, fields: Self.everyType.fields)
        #expect(outcomes.count == 2)
        let written = Self.everyType.record.recordValues!.map { $0?.typed ?? "absent" }
        var expected = written
        // A CSV cell cannot tell null from empty: a null int reads back absent, and `dyn` reads text.
        if format == .csv {
            expected[expected.count - 1] = "absent"
            expected[11] = #"{"string":"[1,1.5]"}"#
        }
        for outcome in outcomes {
            #expect(outcome.record?.recordValues?.map { $0?.typed ?? "absent" } == expected)
        }
    }

    @Test func doublesKeepAFractionOrExponent() {
        let cases: [(Double, String)] = [(2, "2.0"), (-0.0, "-0.0"), (1e21, "1e+21"), (1e-7, "1e-07"), (0.30000000000000004, "0.30000000000000004")]
        for (number, text) in cases {
            #expect(JSONText.string(.double(number)) == text)
            #expect((try? JSONText.decode(text.utf8))?.typed == CELValue.double(number).typed)
        }
    }

    @Test func stringsEscapeQuotesBackslashesAndControlCharacters() {
        #expect(JSONText.string(.string("a\"b\\c\u{01}\u{1F}\t\r\né😀")) == #""a\"b\\c\u0001\u001f\t\r\né😀""#)
    }

    @Test func integersAndTimestampsAreWrittenInFull() {
        let integers: [(CELValue, String)] = [
            (.int(0), "0"), (.int(-7), "-7"), (.int(10), "10"), (.int(Int64.max), "9223372036854775807"),
            (.int(Int64.min), "-9223372036854775808"), (.uint(0), "0"), (.uint(UInt64.max), "18446744073709551615"),
        ]
        for (value, text) in integers { #expect(JSONText.string(value) == text) }
        for text in ["2026-12-07T08:10:53Z", "2026-12-07T08:10:53.6Z", "2026-12-07T08:10:53.000000001Z", "0001-01-01T00:00:00Z"] {
            let timestamp = CELTimestamp(rfc3339: text)!
            #expect(JSONText.string(.timestamp(timestamp)) == "\"\(timestamp.rfc3339)\"")
            #expect(JSONText.string(.list([.timestamp(timestamp), .int(-1)])) == "[\"\(text)\",-1]")
        }
    }

    @Test func aRecordLaidOutByASchemaIsWrittenAsTheSameMapWithoutOne() throws {
        let schema = CELRecordSchema(fieldNames: ["id", "name \"quoted\"", "missing", "at"])
        let at = CELTimestamp(rfc3339: "2026-12-07T08:10:53.25Z")!
        let record = CELMap(schema: schema, values: [.int(7), .string("Ann"), nil, .timestamp(at)])
        var plain = CELMap()
        try plain.insert(.string("id"), .int(7))
        try plain.insert(.string("name \"quoted\""), .string("Ann"))
        try plain.insert(.string("at"), .timestamp(at))
        #expect(JSONText.string(.map(record)) == JSONText.string(.map(plain)))
        #expect(JSONText.string(.map(record)) == #"{"id":7,"name \"quoted\"":"Ann","at":"2026-12-07T08:10:53.25Z"}"#)
    }

    @Test func mapKeysThatAreNotStringsAreWrittenAsText() throws {
        let map = try CELMap(pairs: [(.int(1), .bool(true)), (.uint(2), .null), (.bool(false), .string("x"))])
        #expect(JSONText.string(.map(map)) == #"{"1":true,"2":null,"false":"x"}"#)
    }

    @Test func recordsThatCannotBeWrittenAreReturnedAndTheOthersWritten() throws {
        let writer = try RecordFileWriter(path: folder.path + "/out.jsonl", format: .jsonl)
        let rejected = try writer.append([
            Record(["a": .int(1)]), Record(["a": .double(.nan)]), Record(["a": .list([.double(-.infinity)])]), Record(["a": .int(4)]),
        ])
        #expect(rejected.map(\.index) == [1, 2])
        #expect(rejected.map(\.reason) == ["the double NaN has no JSON form", "the double -Infinity has no JSON form"])
        #expect(folder.contents("out.jsonl") == "{\"a\":1}\n{\"a\":4}\n")
    }

    @Test func noFileIsCreatedUntilARecordIsWritten() throws {
        let writer = try RecordFileWriter(path: folder.path + "/new/folder/out.csv", format: .csv)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/new/folder"))
        #expect(try writer.append([]).isEmpty)
        #expect(try writer.append([Record(["a": .double(.nan)])]).count == 1)
        try writer.close()
        #expect(folder.contents("new/folder/out.csv") == nil)
    }

    @Test func csvCellsAreQuotedOnlyWhenNeeded() throws {
        let writer = try RecordFileWriter(path: folder.path + "/out.csv", format: .csv, csv: CSVOptions(delimiter: UInt8(ascii: ";")))
        let record = try CELMap(pairs: [
            (.string("plain"), .string("a,b")), (.string("semi;colon"), .string("x;y")), (.string("quote"), .string("say \"hi\"")),
            (.string("space"), .string(" lead")), (.string("null"), .null), (.string("list"), .list([.string("a;b")])),
        ])
        #expect(try writer.append([record]).isEmpty)
        #expect(folder.contents("out.csv") == "plain;\"semi;colon\";quote;space;null;list\na,b;\"x;y\";\"say \"\"hi\"\"\";\" lead\";;\"[\"\"a;b\"\"]\"\n")
    }

    @Test func anExistingCSVFileKeepsItsColumnOrder() throws {
        let path = folder.file("out.csv", "\u{FEFF}email,\"score\",city\n" + "old@x.com,1,Paris")
        let writer = try RecordFileWriter(path: path, format: .csv)
        let rejected = try writer.append([
            Record(["score": .int(2), "email": .string("b@x.com")]),
            Record(["email": .string("c@x.com"), "country": .string("FR")]),
        ])
        #expect(rejected.map(\.index) == [1])
        #expect(rejected.first?.reason == "the field 'country' is not a column of the file (its columns: email, score, city)")
        #expect(folder.contents("out.csv") == "\u{FEFF}email,\"score\",city\nold@x.com,1,Paris\nb@x.com,2,\n")
    }

    @Test func aNewCSVFileTakesItsHeaderFromTheFirstRecord() throws {
        let writer = try RecordFileWriter(path: folder.path + "/out.csv", format: .csv)
        _ = try writer.append([Record(["b": .int(1), "a": .int(2)])])
        _ = try writer.append([Record(["a": .int(3)])])
        #expect(folder.contents("out.csv") == "a,b\n2,1\n3,\n")
    }

    @Test func aRowOfOneEmptyValueIsNotABlankLine() throws {
        let path = folder.path + "/out.csv"
        let writer = try RecordFileWriter(path: path, format: .csv)
        _ = try writer.append([Record(["a": .string("")]), Record(["a": .string("x")])])
        #expect(folder.contents("out.csv") == "a\n\"\"\nx\n")
        #expect(try readAll(path, format: .csv).map(\.summary) == [#"2: {"a":""}"#, #"3: {"a":"x"}"#])
    }

    @Test func appendingAfterALastLineWithoutLineEndStartsANewLine() throws {
        let path = folder.file("out.jsonl", "{\"a\":1}")
        let writer = try RecordFileWriter(path: path, format: .jsonl)
        _ = try writer.append([Record(["a": .int(2)])])
        _ = try writer.append([Record(["a": .int(3)])])
        #expect(folder.contents("out.jsonl") == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n")
    }

    @Test func aFolderThatCannotBeCreatedIsAnAccessError() throws {
        let blocker = folder.file("blocker", "")
        #expect(throws: FileAccessError.self) { _ = try RecordFileWriter(path: blocker + "/sub/out.jsonl", format: .jsonl) }
    }
}
