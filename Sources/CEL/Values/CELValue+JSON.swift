import Diagnostics
import Foundation

extension JSONValue {
    /// Parses JSON text, failing with a `CELError` that says where it went wrong.
    public static func parse(_ text: String) throws(CELError) -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw CELError(error.message)
        }
    }
}

/// Conversions between CEL values and JSON.
///
/// Plain JSON (`init(plainJSON:)`): integers without fraction or exponent become `int`, other
/// numbers `double`, objects maps with string keys, arrays lists.
///
/// Typed JSON (`init(typedJSON:)`, `typedJSON`): one-key objects that name the CEL type, so no type
/// is lost: `{"int":"-5"}`, `{"uint":"5"}`, `{"double":1.5}` (or `"NaN"`, `"Infinity"`,
/// `"-Infinity"`), `{"string":"x"}`, `{"bytes":"<base64>"}`, `{"list":[…]}`, `{"map":[[k,v],…]}`,
/// `{"timestamp":"…Z"}`, `{"duration":"1.5s"}`, `{"type":"int"}`, `{"null":null}`, `{"bool":true}`,
/// and `{"optional":null}` / `{"optional":<typed value>}`.
extension CELValue {
    /// A value from plain JSON.
    public init(plainJSON json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let elements): self = .list(elements.map(CELValue.init(plainJSON:)))
        case .object(let members):
            var map = CELMap()
            for (key, value) in members { try? map.insert(.string(key), CELValue(plainJSON: value)) }
            self = .map(map)
        }
    }

    /// A value from the typed encoding; throws on a malformed or unknown encoding.
    public init(typedJSON json: JSONValue) throws(CELError) {
        guard case .object(let members) = json, members.count == 1 else {
            throw CELError("a typed value is an object with one key naming its type, got \(json.text)")
        }
        let (kind, payload) = members[0]
        switch (kind, payload) {
        case ("null", _): self = .null
        case ("bool", .bool(let b)): self = .bool(b)
        case ("int", .string(let s)):
            guard let i = Int64(s) else { throw CELError("invalid int '\(s)'") }
            self = .int(i)
        case ("int", .int(let i)):
            self = .int(i)
        case ("uint", .string(let s)):
            guard let u = UInt64(s) else { throw CELError("invalid uint '\(s)'") }
            self = .uint(u)
        case ("uint", .int(let i)):
            guard i >= 0 else { throw CELError("invalid uint '\(i)'") }
            self = .uint(UInt64(i))
        case ("uint", .double(let d)):
            // Integers above Int64.max arrive as doubles; only exact ones are uints.
            guard let u = UInt64(exactly: d) else { throw CELError("invalid uint '\(d)'") }
            self = .uint(u)
        case ("double", .int(let i)):
            self = .double(Double(i))
        case ("double", .double(let d)):
            self = .double(d)
        case ("double", .string(let s)):
            switch s {
            case "NaN": self = .double(.nan)
            case "Infinity": self = .double(.infinity)
            case "-Infinity": self = .double(-.infinity)
            default:
                guard let d = Double(s) else { throw CELError("invalid double '\(s)'") }
                self = .double(d)
            }
        case ("string", .string(let s)): self = .string(s)
        case ("bytes", .string(let s)):
            guard let data = Data(base64Encoded: s) else { throw CELError("invalid base64 in bytes value") }
            self = .bytes(Array(data))
        case ("list", .array(let elements)):
            var values: [CELValue] = []
            for element in elements { values.append(try CELValue(typedJSON: element)) }
            self = .list(values)
        case ("map", .array(let pairs)):
            var map = CELMap()
            for pair in pairs {
                guard case .array(let kv) = pair, kv.count == 2 else { throw CELError("map entries are [key, value] pairs") }
                try map.insert(try CELValue(typedJSON: kv[0]), try CELValue(typedJSON: kv[1]))
            }
            self = .map(map)
        case ("timestamp", .string(let s)):
            guard let nanos = TimeFormat.parseTimestamp(s) else { throw CELError("invalid timestamp '\(s)'") }
            let value = CELTimestamp.checked(nanos: nanos)
            if case .error(let error) = value { throw error }
            self = value
        case ("duration", .string(let s)):
            guard let nanos = TimeFormat.parseDuration(s) else { throw CELError("invalid duration '\(s)'") }
            let value = CELDuration.checked(nanos: nanos)
            if case .error(let error) = value { throw error }
            self = value
        case ("type", .string(let s)):
            guard let type = CELType.named(s) else { throw CELError("unknown type name '\(s)'") }
            self = .type(type)
        case ("optional", .null): self = .optional(nil)
        case ("optional", let inner): self = .optional(try CELValue(typedJSON: inner))
        default:
            throw CELError("invalid typed value \(json.text)")
        }
    }

    /// The typed encoding of this value; an error value encodes as `{"error": message}`.
    public var typedJSON: JSONValue {
        switch self {
        case .null: return .object([("null", .null)])
        case .bool(let b): return .object([("bool", .bool(b))])
        case .int(let i): return .object([("int", .string(String(i)))])
        case .uint(let u): return .object([("uint", .string(String(u)))])
        case .double(let d):
            if d.isNaN { return .object([("double", .string("NaN"))]) }
            if d.isInfinite { return .object([("double", .string(d < 0 ? "-Infinity" : "Infinity"))]) }
            return .object([("double", .double(d))])
        case .string(let s): return .object([("string", .string(s))])
        case .bytes(let b): return .object([("bytes", .string(Data(b).base64EncodedString()))])
        case .list(let l): return .object([("list", .array(l.map(\.typedJSON)))])
        case .map(let m): return .object([("map", .array(m.entries.map { .array([$0.key.typedJSON, $0.value.typedJSON]) }))])
        case .timestamp(let t): return .object([("timestamp", .string(TimeFormat.format(t)))])
        case .duration(let d): return .object([("duration", .string(TimeFormat.format(d)))])
        case .type(let t): return .object([("type", .string(t.runtimeName))])
        case .optional(let inner): return .object([("optional", inner?.typedJSON ?? .null)])
        case .error(let e): return .object([("error", .string(e.message))])
        }
    }

    /// Plain JSON for values JSON can hold; timestamps and durations become strings, bytes base64,
    /// uints above `Int64.max` doubles (JSON integers are read as 64-bit signed).
    public var plainJSON: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return u <= UInt64(Int64.max) ? .int(Int64(u)) : .double(Double(u))
        case .double(let d): return d.isFinite ? .double(d) : .string(Render.double(d))
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(Data(b).base64EncodedString())
        case .list(let l): return .array(l.map(\.plainJSON))
        case .map(let m): return .object(m.entries.map { (Render.text($0.key), $0.value.plainJSON) })
        case .timestamp, .duration, .type: return .string(Render.text(self))
        case .optional(let inner): return inner?.plainJSON ?? .null
        case .error(let e): return .object([("error", .string(e.message))])
        }
    }
}
