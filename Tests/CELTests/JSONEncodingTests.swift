import CEL
import Diagnostics
import Testing

@Suite struct JSONEncodingTests {
    @Test(arguments: [
        #"{"int":"-5"}"#, #"{"uint":"18446744073709551615"}"#, #"{"double":1.5}"#, #"{"double":"NaN"}"#,
        #"{"string":"x\ny"}"#, #"{"bytes":"AAE="}"#, #"{"list":[{"null":null},{"bool":true}]}"#,
        #"{"map":[[{"string":"a"},{"int":"1"}]]}"#, #"{"timestamp":"2009-02-13T23:31:30.5Z"}"#,
        #"{"duration":"-1.5s"}"#, #"{"type":"google.protobuf.Timestamp"}"#, #"{"optional":{"int":"1"}}"#,
    ])
    func typedEncodingRoundTrips(text: String) throws {
        let value = try CELValue(typedJSON: JSONValue.parse(text))
        #expect(value.typedJSON.text == text)
    }

    @Test func plainJSONKeepsIntegersApartFromDoubles() throws {
        let value = CELValue(plainJSON: try JSONValue.parse(#"{"a": 3, "b": 3.0, "c": 1e2, "d": [true, null, "s"]}"#))
        #expect(value.typed == #"{"map":[[{"string":"a"},{"int":"3"}],[{"string":"b"},{"double":3.0}],[{"string":"c"},{"double":100.0}],[{"string":"d"},{"list":[{"bool":true},{"null":null},{"string":"s"}]}]]}"#)
    }

    @Test(arguments: [#"{"int":"x"}"#, #"{"timestamp":"0000-01-01T00:00:00Z"}"#, #"{"duration":"400000000000s"}"#, #"{"int":"1","uint":"2"}"#, #"{"whatever":1}"#, #"[1]"#])
    func malformedTypedValuesAreRejected(text: String) throws {
        #expect(throws: CELError.self) { try CELValue(typedJSON: JSONValue.parse(text)) }
    }

    @Test(arguments: [#"{"a":"#, #"[1,]"#, #"tru"#, #""\u12""#, #"1 2"#])
    func malformedJSONIsRejected(text: String) {
        #expect(throws: CELError.self) { try JSONValue.parse(text) }
    }
}
