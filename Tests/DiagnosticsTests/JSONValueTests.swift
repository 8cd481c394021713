import Diagnostics
import Testing

@Suite struct JSONValueTests {
    @Test(arguments: [
        ("3", JSONValue.int(3)), ("-0", .int(0)), ("3.0", .double(3)), ("1e2", .double(100)), ("-2.5E-3", .double(-0.0025)),
        ("9223372036854775807", .int(Int64.max)), ("-9223372036854775808", .int(Int64.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        (#""a\"b\u00e9\ud83d\ude00""#, .string("a\"bé😀")),
        (#"{"b": [1, 2.5, true, null], "a": {}}"#, .object([("b", .array([.int(1), .double(2.5), .bool(true), .null])), ("a", .object([]))])),
    ])
    func parsingKeepsIntegersApartFromDoubles(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    @Test(arguments: [
        #"{"b":[1,2.5,true,null],"a":{},"big":9223372036854775807,"d":3.0,"e":1e+21}"#,
        #"[-1,0.1,"x\ny",[]]"#,
        "12345678901234567",
    ])
    func compactTextRoundTripsExactly(text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(value.text == text)
        #expect(try JSONValue(parsing: value.text) == value)
    }

    @Test func prettyTextKeepsMemberOrderAndReadsBack() throws {
        let value = JSONValue.object([("z", .int(1)), ("a", .array([.string("x"), .int(2)])), ("m", .object([("k", .null)]))])
        #expect(value.serialized() == """
            {
              "z": 1,
              "a": ["x", 2],
              "m": {
                "k": null
              }
            }
            """)
        #expect(try JSONValue(parsing: value.serialized()) == value)
    }

    @Test func nestingBeyondTheLimitIsRefused() throws {
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        #expect(throws: JSONParseError("JSON nested too deeply")) { _ = try JSONValue(parsing: nested(JSONValue.maxNestingDepth + 1)) }
        #expect((try? JSONValue(parsing: nested(JSONValue.maxNestingDepth))) != nil)
    }

    @Test(arguments: [
        (#"{"a":"#, "unexpected end of JSON"), ("[1,]", "invalid JSON value at byte 3"), ("1 2", "unexpected text after JSON value at byte 2"),
        (#"{"a" 1}"#, "expected ':' at byte 5"),
    ])
    func errorsSayWhere(text: String, message: String) {
        #expect(throws: JSONParseError(message)) { try JSONValue(parsing: text) }
    }

    @Test func intsAndDoublesAreDifferentValues() {
        #expect(JSONValue.int(3) != .double(3))
        #expect(Set([JSONValue.int(3), .double(3), .int(3)]).count == 2)
    }

    @Test(arguments: [
        ("ana@example.com", #""ana@example.com""#),
        (#"{"email":"ana@example.com","tags":["a\\b"]}"#, #""{\"email\":\"ana@example.com\",\"tags\":[\"a\\\\b\"]}""#),
        ("line\none\ttab\r\u{1}\u{1F}", #""line\none\ttab\r\u0001\u001f""#),
        ("Zoë 東京 🎉 \"", #""Zoë 東京 🎉 \"""#),
    ])
    func textIsQuotedAsJSONAndReadsBack(text: String, quoted: String) throws {
        #expect(JSONValue.quoted(text) == quoted)
        #expect(try JSONValue(parsing: quoted) == .string(text))
    }

    /// A character to escape is found wherever it falls, between ASCII and non-ASCII text.
    @Test func aCharacterToEscapeIsFoundAtEveryPosition() throws {
        for (special, escaped) in [("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{7}", #"\u0007"#)] {
            for offset in 0..<20 {
                let before = String(repeating: "a", count: offset)
                let after = String(repeating: "é", count: (19 - offset) / 2)
                let text = before + special + after + special
                let expected = "\"" + before + escaped + after + escaped + "\""
                #expect(JSONValue.quoted(text) == expected, "\(escaped) at \(offset)")
            }
        }
    }
}
