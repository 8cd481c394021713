import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

@Suite struct JSONLinesTests {
    let folder = ScratchFolder()

    func read(_ text: String, fields: [(name: String, type: ValueType)]? = nil, chunkSize: Int = 1 << 20, lineLimit: Int = 64 << 20) throws -> [String] {
        try readAll(folder.file("in.jsonl", text), format: .jsonl, fields: fields, chunkSize: chunkSize, lineLimit: lineLimit).map(\.summary)
    }

    /// The one value a line `{"v": <json>}` holds, in typed form.
    func value(_ json: String) throws -> String {
        let outcomes = try readAll(folder.file("in.jsonl", "{\"v\": \(json)}\n"), format: .jsonl)
        guard let record = outcomes.first?.record, let value = record["v"] else { return outcomes.first?.summary ?? "nothing" }
        return value.typed
    }

    @Test(arguments: [
        ("42", #"{"int":"42"}"#),
        ("-9223372036854775808", #"{"int":"-9223372036854775808"}"#),
        ("9223372036854775807", #"{"int":"9223372036854775807"}"#),
        ("9223372036854775808", #"{"uint":"9223372036854775808"}"#),
        ("18446744073709551615", #"{"uint":"18446744073709551615"}"#),
        ("18446744073709551616", #"{"double":1.8446744073709552e+19}"#),
        ("-9223372036854775809", #"{"double":-9.223372036854776e+18}"#),
        ("3.0", #"{"double":3.0}"#),
        ("1e2", #"{"double":100.0}"#),
        ("0.1", #"{"double":0.1}"#),
        ("-0.0", #"{"double":-0.0}"#),
        ("2.2250738585072014e-308", #"{"double":2.2250738585072014e-308}"#),
        ("0.30000000000000004", #"{"double":0.30000000000000004}"#),
        ("123456789012345678901234567890.5", #"{"double":1.2345678901234568e+29}"#),
        ("true", #"{"bool":true}"#),
        ("null", #"{"null":null}"#),
        (#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#, #"{"string":"a\"b\\c/d\n\té😀"}"#),
        ("[1, \"x\", [], {}]", #"{"list":[{"int":"1"},{"string":"x"},{"list":[]},{"map":[]}]}"#),
        (#"{"b": 1, "a": 2}"#, #"{"map":[[{"string":"b"},{"int":"1"}],[{"string":"a"},{"int":"2"}]]}"#),
    ])
    func valuesKeepTheirJSONTypes(json: String, expected: String) throws {
        let got = try value(json)
        #expect(got == expected)
    }

    @Test func doublesReadBackExactly() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let number = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            let text = number.description
            let read = try JSONText.decode(text.utf8)
            guard case .double(let back) = read else {
                Issue.record("\(text) read as \(read.typed)")
                continue
            }
            #expect(back.bitPattern == number.bitPattern, "\(text)")
        }
    }

    @Test func keysKeepTheFileOrderWithoutDeclaredFields() throws {
        let outcomes = try readAll(folder.file("in.jsonl", #"{"z": 1, "a": 2, "m": 3}"#), format: .jsonl)
        #expect(outcomes.first?.record?.keys.map(\.rendered) == ["z", "a", "m"])
        #expect(outcomes.first?.record?.schema == nil)
    }

    @Test func blankLinesCRLFAndAByteOrderMarkAreTolerated() throws {
        let text = "\u{FEFF}{\"a\":1}\r\n\r\n   \n{\"a\":2}\n\n{\"a\":3}"
        #expect(try read(text) == [#"1: {"a":1}"#, #"4: {"a":2}"#, #"6: {"a":3}"#])
    }

    @Test(arguments: [
        (#"{"a": 1 "b": 2}"#, "expected ',' or '}' after a field, at column 9"),
        (#"{"a": 1,}"#, "expected a key in double quotes, at column 9"),
        (#"{"a" 1}"#, "expected ':' after a key, at column 6"),
        (#"{"a": tru}"#, "expected a value, at column 7"),
        (#"{"a": 01}"#, "expected ',' or '}' after a field, at column 8"),
        (#"{"a": 1.}"#, "expected a digit after '.', at column 9"),
        (#"{"a": "x"} {"b": 1}"#, "expected the end of the line after the object, at column 12"),
        (#"{"é": "\q"}"#, "unknown escape '\\q' in a string, at column 8"),
        (#"{"a": "\ud83d"}"#, "a \\u escape at column 8 is half of a surrogate pair"),
        (#"{"a": "\ude00\ud83d"}"#, "a \\u escape at column 8 is half of a surrogate pair"),
        (#"{"a": "unclosed}"#, "a string is not closed, at column 17"),
        (#"{"a": 1e999}"#, "the number 1e999 is too large for a double"),
        (#"{"a": 1, "a": 2}"#, "the key \"a\" appears twice"),
        (#"[1, 2]"#, "a line must hold one JSON object"),
        (#""text""#, "a line must hold one JSON object"),
        ("nonsense", "a line must hold one JSON object"),
    ])
    func brokenLinesAreInvalidWithAReasonAndColumn(line: String, reason: String) throws {
        #expect(try read("{\"ok\":true}\n" + line + "\n{\"ok\":false}\n") == [#"1: {"ok":true}"#, "2! " + reason, #"3: {"ok":false}"#])
    }

    /// Strings are scanned eight bytes at a time: whatever stops the scan (the closing quote, an
    /// escape, a control character) or marks it as not ASCII is found at every position in a word.
    @Test func everyPositionInAStringIsReadAlike() throws {
        let filler = Array("ab ~\u{7F}cd-efghijklmnopqrstuvwxyz")
        for offset in 0..<20 {
            let plain = String(filler[..<offset])
            let after = String(filler[..<(19 - offset)])
            #expect(try value("\"\(plain)\"") == CELValue.string(plain).typed, "closing quote at \(offset)")
            #expect(try value("\"\(plain)\\n\(after)\"") == CELValue.string(plain + "\n" + after).typed, "escape at \(offset)")
            #expect(try value("\"\(plain)é\(after)\"") == CELValue.string(plain + "é" + after).typed, "é at \(offset)")
            #expect(try value("\"\(plain)\u{1}\(after)\"") == "1! a control character must be escaped in a string, at column \(8 + plain.utf8.count)",
                    "control character at \(offset)")
        }
    }

    @Test func invalidUTF8IsAnInvalidLineNamingTheColumn() throws {
        let bytes = Array(#"{"name": "Zo"#.utf8) + [0xC3, 0x28] + Array("\"}\n{\"a\":1}\n".utf8)
        let outcomes = try readAll(folder.file("in.jsonl", bytes), format: .jsonl)
        #expect(outcomes.map(\.summary) == ["1! invalid UTF-8 at column 13", #"2: {"a":1}"#])
        guard case .invalid(_, _, let text) = outcomes[0] else { return }
        #expect(text == "{\"name\": \"Zo\u{FFFD}(\"}")
    }

    @Test func nestingIsLimited() throws {
        let deepest = String(repeating: "[", count: 127) + String(repeating: "]", count: 127)
        let tooDeep = String(repeating: "[", count: 100_000)
        #expect(try read("{\"a\":\(deepest)}\n{\"a\":\(tooDeep)}\n").map { $0.prefix(3) } == ["1: ", "2! "])
        #expect(try read("{\"a\":\(tooDeep)}").first == "1! arrays and objects nested more than 128 deep")
    }

    @Test func anOverlongLineIsInvalidAndReadingGoesOn() throws {
        let long = "{\"a\":\"" + String(repeating: "x", count: 300) + "\"}"
        let text = "{\"n\":1}\n" + long + "\n{\"n\":2}\n" + long
        for chunkSize in [16, 64, 1000] {
            let outcomes = try read(text, chunkSize: chunkSize, lineLimit: 100)
            #expect(outcomes == [#"1: {"n":1}"#, "2! longer than 100 bytes", #"3: {"n":2}"#, "4! longer than 100 bytes"], "chunk \(chunkSize)")
        }
    }

    @Test func linesAcrossChunkBoundariesReadAsInOneChunk() throws {
        var text = "\u{FEFF}"
        for index in 0..<200 {
            text += #"{"id": \#(index), "name": "Ann \#(index) é", "tags": ["a", "b"], "score": \#(Double(index) / 7)}"#
            text += index % 3 == 0 ? "\r\n" : "\n"
            if index % 17 == 0 { text += "\n{broken\n" }
        }
        let whole = try read(text)
        #expect(whole.count == 212)
        for chunkSize in [1, 2, 3, 7, 64, 333] {
            #expect(try read(text, chunkSize: chunkSize) == whole, "chunk \(chunkSize)")
        }
    }

    @Test func aMissingFileIsAnAccessErrorNamingThePath() {
        #expect {
            _ = try RecordFileReader(path: folder.path + "/nope.jsonl", format: .jsonl, fields: nil, schema: nil)
        } throws: { error in
            (error as? FileAccessError)?.description == folder.path + "/nope.jsonl: cannot open: No such file or directory"
        }
    }

    @Test func anEmptyFileHasNoRecords() throws {
        #expect(try read("").isEmpty)
        #expect(try read("\n\n").isEmpty)
    }

    @Test func anArrayOfStringsIsWrittenAsTheListOfThoseStrings() throws {
        let texts = ["ana@example.com", #"{"id":7,"name":"Zoë \"Z\""}"#, "tab\there\nline\u{1}", "", "back\\slash"]
        for list in [[], ["one"], texts] {
            let written = JSONText.array(ofStrings: list)
            #expect(written == JSONText.string(.list(list.map(CELValue.string))))
            guard case .list(let read) = try JSONText.decode(Array(written.utf8)) else {
                Issue.record("\(written) is not read back as a list")
                continue
            }
            #expect(read.map { value -> String? in if case .string(let text) = value { text } else { nil } } == list)
        }
    }

    /// Records go to messages and to the pages kept for resuming as JSON values built directly;
    /// they must be what writing the record as a JSON line and reading it back gives.
    @Test func aValueAsJSONIsWhatItsLineReadsBackAs() throws {
        let nested = try CELMap(pairs: [(.int(1), .string("one")), (.bool(true), .null), (.uint(7), .list([.double(-0.0), .double(1e300)]))])
        let values: [CELValue] = [
            .null, .bool(false), .int(Int64.min), .uint(UInt64(Int64.max)), .uint(UInt64.max), .double(0.1), .double(2),
            .double(.nan), .double(-.infinity), .string("Zoë \"Z\"\t\u{1}"), .bytes([0, 255, 10]),
            .timestamp(CELTimestamp(nanos: 1_704_067_200_123_456_789)), .duration(CELDuration(nanos: -5_400_000_000_001)),
            .optional(nil), .optional(.int(3)), .type(.int), .error(CELError("no such key: x")),
            .list([]), .map(CELMap()), .map(nested),
            .map(CELMap(["email": "ann@example.com", "tags": .list(["vip", .list([.int(1)])]), "deep": .map(nested)])),
        ]
        for value in values {
            let line = JSONText.string(value)
            #expect(value.plainJSON == (try JSONValue(parsing: line)), "\(line)")
        }
    }

    /// A record laid out by a schema is written with keys made once for the schema; the text is
    /// the one the same fields give as an ordinary map, whatever the names hold, absent fields left out.
    @Test func aRecordIsWrittenAsTheSameFieldsByNameAre() throws {
        let names = ["email", "say \"hi\"", "back\\slash", "tab\there", "\u{1}", "Zoë", ""]
        let schema = CELRecordSchema(fieldNames: names)
        let values: [CELValue?] = [.string("a@x.io"), .int(1), nil, .list([.bool(true)]), .double(0.5), .null, .string("empty")]
        let record = CELMap(schema: schema, values: values)
        let byName = try CELMap(pairs: zip(names, values).compactMap { name, value in value.map { (CELValue.string(name), $0) } })
        #expect(JSONText.string(.map(record)) == JSONText.string(.map(byName)))
        #expect(JSONText.string(.map(record)).hasPrefix(#"{"email":"a@x.io","say \"hi\"":1,"tab\there""#))
    }
}
