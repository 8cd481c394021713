import CEL
import Testing

@Suite struct EvalRequestTests {
    @Test(arguments: [
        (#"{"expr": "x + 1", "vars": {"x": 2}}"#, #"{"type":"int","value":{"int":"3"}}"#),
        (#"{"expr": "x * 2.0", "vars": {"x": 1.5}}"#, #"{"type":"double","value":{"double":3.0}}"#),
        (#"{"expr": "x + 1u", "vars": {"x": {"uint": "2"}}, "typed": true}"#, #"{"type":"uint","value":{"uint":"3"}}"#),
        (#"{"expr": "r.tags.exists(t, t == 'vip')", "vars": {"r": {"tags": ["vip"]}}}"#, #"{"type":"bool","value":{"bool":true}}"#),
        (#"{"expr": "x + 1.5", "vars": {"x": 1}}"#, #"{"error":"1:1: error[PB0304]: no matching overload for '+' applied to (int, double) (ints and doubles do not mix in arithmetic; convert with double(…) or int(…))"}"#),
        (#"{"expr": "has(r.nickname) ? r.nickname : r.name", "vars": {"r": {"name": "Ann"}}}"#, #"{"type":"string","value":{"string":"Ann"}}"#),
        (#"{"expr": "r.scroe", "vars": {"r": {"score": 1}}}"#, #"{"error":"no such key: 'scroe'"}"#),
        (#"{"expr": "r.scroe", "vars": {"r": {"score": 1}}, "check": false}"#, #"{"error":"no such key: 'scroe'"}"#),
        (#"{"expr": "x + 1", "vars": {"x": 1.5}, "check": false}"#, #"{"error":"no matching overload for '+' applied to (double, int)"}"#),
        (#"{"expr": "duration('90s')"}"#, #"{"type":"google.protobuf.Duration","value":{"duration":"90s"}}"#),
    ])
    func answersRequests(request: String, response: String) throws {
        #expect(try CELEvalRequest(jsonLine: request).run().json.text == response)
    }

    @Test(arguments: [#"{"vars": {}}"#, #"{"expr": 1}"#, #"{"expr": "1", "typed": "yes"}"#, #"{"expr": "x", "vars": {"x": {"int": "z"}}, "typed": true}"#, "not json"])
    func rejectsMalformedRequests(request: String) {
        #expect(throws: CELError.self) { try CELEvalRequest(jsonLine: request) }
    }
}
