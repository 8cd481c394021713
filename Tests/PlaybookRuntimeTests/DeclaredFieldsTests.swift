import CEL
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

@Suite struct DeclaredFieldsTests {
    let folder = ScratchFolder()

    /// The typed value of the one declared field `v` read from a JSON line `{"v": json}`, or the reason.
    func json(_ json: String, as type: ValueType) throws -> String {
        let outcomes = try readAll(folder.file("in.jsonl", "{\"v\": \(json)}"), format: .jsonl, fields: [("v", type)])
        return Self.typedValue(outcomes)
    }

    /// The typed value of the one declared field `v` read from a CSV cell, or the reason.
    func csv(_ cell: String, as type: ValueType) throws -> String {
        let outcomes = try readAll(folder.file("in.csv", "v,other\n\(cell),x\n"), format: .csv, fields: [("v", type)])
        return Self.typedValue(outcomes)
    }

    static func typedValue(_ outcomes: [FileReadOutcome]) -> String {
        switch outcomes.first {
        case .record(let record, _)?: record.recordValues?[0]?.typed ?? "absent"
        case .invalid(_, let reason, _)?: reason
        case nil: "nothing"
        }
    }

    /// A value read from JSON goes into its field unconverted only where converting it would give
    /// it back unchanged, for every declared type and every kind of value JSON gives.
    @Test func aValueTakenAsReadIsOneConvertingWouldGiveBack() throws {
        let types: [ValueType] = [.dyn, .string, .int, .double, .bool, .timestamp, .duration, .bytes, .list(.dyn), .list(.int),
                                  .map(.dyn), .map(.string), .object([])]
        let values: [CELValue] = try ["\"x\"", "\"2026-01-02T03:04:05Z\"", "5", "-5", "2.5", "3.0", "true", "null", "[1]", "[]",
                                      "{\"a\": 1}", "{}"].map { try JSONText.decode(Array($0.utf8)) }
        var taken = 0
        for type in types {
            let layout = DeclaredLayout(fields: [("v", type)], schema: nil)
            for value in values where layout.takesAsRead(value, at: 0) {
                taken += 1
                #expect(FieldConversion.json(value, as: type)?.typed == value.typed, "\(type) took \(value.typed) as read")
            }
        }
        #expect(taken == 12 + 2 + 2 + 2 + 1 + 2 + 2 + 2) // dyn, string, int, double, bool, list, map, object
    }

    /// A timestamp field is read from the line's bytes when it can be; the answer (or the reason)
    /// is the one reading the value and then converting it gives.
    @Test(arguments: [
        #""2026-01-02T03:04:05Z""#, #""2026-01-02T03:04:05.123456789-07:30""#, #""2026-01-02T03:04:05.1234567891Z""#,
        #""2026-01-02t03:04:05z""#, #""2026-02-30T00:00:00Z""#, #""2026-01-02T23:59:60Z""#, #""2026-01-02T03:04:05Z ""#,
        #""2026-01-02T03:04:05\u005A""#, #""\u0032026-01-02T03:04:05Z""#, #""2026-01-02T03:04:05Zé""#, #""""#,
        #""2026-01-02"#, "5", "null", "[\"2026-01-02T03:04:05Z\"]", #""2026-01-02T03:04:05+24:00""#,
    ])
    func aTimestampReadInPlaceIsReadAsItsTextIs(text: String) throws {
        let outcomes = try readAll(folder.file("plain.jsonl", "{\"v\": \(text)}"), format: .jsonl, fields: [("v", .dyn)])
        let expected: String
        switch outcomes.first {
        case .record(let record, _)?:
            let value = try #require(record.recordValues?[0])
            expected = FieldConversion.json(value, as: .timestamp)?.typed
                ?? "field 'v' expects a timestamp, got \(FieldConversion.shown(value))"
        case .invalid(_, let reason, _)?: expected = reason
        case nil: expected = "nothing"
        }
        #expect(try json(text, as: .timestamp) == expected)
    }

    @Test(arguments: [
        ("\"x\"", ValueType.string, #"{"string":"x"}"#),
        ("5", .string, "field 'v' expects a string, got 5"),
        ("5", .int, #"{"int":"5"}"#),
        ("3.0", .int, #"{"int":"3"}"#),
        ("3e2", .int, #"{"int":"300"}"#),
        ("3.5", .int, "field 'v' expects an int, got 3.5"),
        ("18446744073709551615", .int, "field 'v' expects an int, got 18446744073709551615"),
        ("\"5\"", .int, "field 'v' expects an int, got \"5\""),
        ("5", .double, #"{"double":5.0}"#),
        ("0.25", .double, #"{"double":0.25}"#),
        ("true", .bool, #"{"bool":true}"#),
        ("\"true\"", .bool, "field 'v' expects a bool, got \"true\""),
        ("\"2026-01-02T03:04:05.5+01:00\"", .timestamp, #"{"timestamp":"2026-01-02T02:04:05.5Z"}"#),
        ("\"yesterday\"", .timestamp, "field 'v' expects a timestamp, got \"yesterday\""),
        ("\"1h30m\"", .duration, #"{"duration":"5400s"}"#),
        ("\"90\"", .duration, "field 'v' expects a duration, got \"90\""),
        ("\"aGk=\"", .bytes, #"{"bytes":"aGk="}"#),
        ("\"not base64!\"", .bytes, "field 'v' expects a bytes, got \"not base64!\""),
        ("[1, 2.0]", .list(.int), #"{"list":[{"int":"1"},{"int":"2"}]}"#),
        ("[1, \"x\"]", .list(.int), "field 'v' expects a list(int), got [1,\"x\"]"),
        ("{\"a\": \"1s\"}", .map(.duration), #"{"map":[[{"string":"a"},{"duration":"1s"}]]}"#),
        ("{\"a\": [1]}", .dyn, #"{"map":[[{"string":"a"},{"list":[{"int":"1"}]}]]}"#),
        ("null", .int, #"{"null":null}"#),
    ])
    func jsonValuesAreConvertedToTheirDeclaredType(text: String, type: ValueType, expected: String) throws {
        let got = try json(text, as: type)
        #expect(got == expected)
    }

    @Test(arguments: [
        ("x", ValueType.string, #"{"string":"x"}"#),
        ("", .string, #"{"string":""}"#),
        ("", .int, "absent"),
        ("", .double, "absent"),
        ("-42", .int, #"{"int":"-42"}"#),
        ("+7", .int, #"{"int":"7"}"#),
        ("4.0", .int, "field 'v' expects an int, got \"4.0\""),
        (" 4", .int, "field 'v' expects an int, got \" 4\""),
        ("9223372036854775808", .int, "field 'v' expects an int, got \"9223372036854775808\""),
        ("1.5", .double, #"{"double":1.5}"#),
        ("-.5e-3", .double, #"{"double":-0.0005}"#),
        ("7", .double, #"{"double":7.0}"#),
        ("1e400", .double, "field 'v' expects a double, got \"1e400\""),
        ("0x1p3", .double, "field 'v' expects a double, got \"0x1p3\""),
        ("inf", .double, "field 'v' expects a double, got \"inf\""),
        ("nan", .double, "field 'v' expects a double, got \"nan\""),
        ("TRUE", .bool, #"{"bool":true}"#),
        ("False", .bool, #"{"bool":false}"#),
        ("yes", .bool, "field 'v' expects a bool, got \"yes\""),
        ("2026-01-02T03:04:05Z", .timestamp, #"{"timestamp":"2026-01-02T03:04:05Z"}"#),
        ("90s", .duration, #"{"duration":"90s"}"#),
        ("aGk=", .bytes, #"{"bytes":"aGk="}"#),
        ("\"[1,2]\"", .list(.int), #"{"list":[{"int":"1"},{"int":"2"}]}"#),
        ("\"{\"\"a\"\":true}\"", .map(.bool), #"{"map":[[{"string":"a"},{"bool":true}]]}"#),
        ("[1", .list(.int), "field 'v' expects a list(int), got \"[1\""),
        ("42", .dyn, #"{"string":"42"}"#),
    ])
    func csvCellsAreConvertedToTheirDeclaredType(cell: String, type: ValueType, expected: String) throws {
        let got = try csv(cell, as: type)
        #expect(got == expected)
    }

    @Test func recordsAreLaidOutOnTheSchemaInDeclaredOrder() throws {
        let schema = CELRecordSchema(fieldNames: ["score", "email", "vip"])
        let path = folder.file("in.jsonl", #"{"email": "a@x.com", "ignored": [1], "score": 5, "vip": null}"# + "\n{\"score\": 6}\n")
        let reader = try RecordFileReader(
            path: path, format: .jsonl, fields: [("score", .int), ("email", .string), ("vip", .bool)], schema: schema)
        let records = try reader.read(upTo: 10).compactMap(\.record)
        #expect(records.count == 2)
        #expect(records[0].schema === schema)
        #expect(records[0].recordValues?.map { $0?.typed ?? "absent" } == [#"{"int":"5"}"#, #"{"string":"a@x.com"}"#, #"{"null":null}"#])
        #expect(records[1].recordValues?.map { $0?.typed ?? "absent" } == [#"{"int":"6"}"#, "absent", "absent"])
        #expect(try reader.read(upTo: 10).isEmpty)
    }

    /// The key declared next is looked for first on the line's bytes; a key written any other way
    /// is read in full and found as before.
    @Test func keysAreFoundInAnyOrderAndHoweverWritten() throws {
        let lines = [
            #"{"id": 1, "email": "a@x.io", "score": 2}"#,
            #"{"score": 2, "email": "a@x.io", "id": 1}"#,
            #"{"id": 1, "em\u0061il": "a@x.io"}"#,
            #"{"id": 1, "emai": "x", "email": "a@x.io"}"#,
            #"{"id": 1, "emails": "x", "email": "a@x.io"}"#,
            #"{"id":1,"email":"a@x.io","email":"b@x.io"}"#,
            #"{"id": 1, "email" : "a@x.io" , "score":3}"#,
            #"{"id": 1, "email""#,
            #"{"id": 1, "email"#,
            #"{"id": {"id": 5, "email": 1}, "email": "a@x.io"}"#,
        ]
        let outcomes = try readAll(folder.file("in.jsonl", lines.joined(separator: "\n") + "\n"), format: .jsonl,
                                   fields: [("id", .dyn), ("email", .string), ("score", .int)])
        #expect(outcomes.map(\.summary) == [
            #"1: {"id":1,"email":"a@x.io","score":2}"#,
            #"2: {"id":1,"email":"a@x.io","score":2}"#,
            #"3: {"id":1,"email":"a@x.io"}"#,
            #"4: {"id":1,"email":"a@x.io"}"#,
            #"5: {"id":1,"email":"a@x.io"}"#,
            #"6! the key "email" appears twice"#,
            #"7: {"id":1,"email":"a@x.io","score":3}"#,
            "8! expected ':' after a key, at column 18",
            "9! a string is not closed, at column 17",
            #"10: {"id":{"id":5,"email":1},"email":"a@x.io"}"#,
        ])
    }

    @Test func aRepeatedKeyIsInvalidAlsoWhenUndeclared() throws {
        let outcomes = try readAll(
            folder.file("in.jsonl", "{\"a\":1,\"a\":2}\n{\"b\":1,\"b\":2}\n"), format: .jsonl, fields: [("a", .int)])
        #expect(outcomes.map(\.summary) == ["1! the key \"a\" appears twice", "2! the key \"b\" appears twice"])
    }

    @Test func csvColumnsNotDeclaredAreIgnoredAndMissingOnesAbsent() throws {
        let outcomes = try readAll(
            folder.file("in.csv", "extra,score\nx,3\n"), format: .csv, fields: [("score", .int), ("email", .string)])
        #expect(outcomes.map(\.summary) == [#"2: {"score":3}"#])
    }

    @Test func aLongValueIsCutInTheReason() throws {
        let long = String(repeating: "y", count: 500)
        let reason = try json("\"\(long)\"", as: .int)
        #expect(reason == "field 'v' expects an int, got \"" + String(repeating: "y", count: 99) + "…")
    }
}
