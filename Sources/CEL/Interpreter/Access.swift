/// Field selection and indexing on run-time values, including the optional forms.
enum Access {
    static func select(_ value: CELValue, _ field: String) -> CELValue {
        switch value {
        case .map(let map):
            return map[field] ?? .fail("no such key: '\(field)'")
        case .error:
            return value
        case .optional(nil):
            return value
        case .optional(let inner?):
            // Selecting through an optional keeps the result optional.
            return optionalSelect(inner, field)
        default:
            return .fail("type '\(value.celType.runtimeName)' does not support field selection")
        }
    }

    static func optionalSelect(_ value: CELValue, _ field: String) -> CELValue {
        switch value {
        case .map(let map):
            return .optional(map[field])
        case .optional(nil), .error:
            return value
        case .optional(let inner?):
            return optionalSelect(inner, field)
        default:
            return .fail("type '\(value.celType.runtimeName)' does not support field selection")
        }
    }

    static func index(_ container: CELValue, _ key: CELValue) -> CELValue {
        switch container {
        case .list(let list):
            switch listPosition(key, count: list.count) {
            case .success(let position): return list[position]
            case .failure(let error): return .error(error)
            }
        case .map(let map):
            if let value = map[key] { return value }
            switch key {
            case .bool, .int, .uint, .string, .double: return .fail("no such key: \(key.debugText)")
            default: return .fail("unsupported key type '\(key.celType.runtimeName)'")
            }
        case .optional(nil):
            return container
        case .optional(let inner?):
            return optionalIndex(inner, key)
        default:
            return CELValue.noOverload(Operator.index, container, key)
        }
    }

    static func optionalIndex(_ container: CELValue, _ key: CELValue) -> CELValue {
        switch container {
        case .list(let list):
            switch listPosition(key, count: list.count) {
            case .success(let position): return .optional(list[position])
            case .failure: return .optional(nil)
            }
        case .map(let map):
            return .optional(map[key])
        case .optional(nil):
            return container
        case .optional(let inner?):
            return optionalIndex(inner, key)
        default:
            return CELValue.noOverload(Operator.optionalIndex, container, key)
        }
    }

    private static func listPosition(_ key: CELValue, count: Int) -> Result<Int, CELError> {
        let position: Int64
        switch key {
        case .int(let i): position = i
        case .uint(let u): position = u > UInt64(Int64.max) ? Int64.max : Int64(u)
        case .double(let d):
            guard let exact = Int64(exactly: d) else { return .failure(CELError("invalid list index \(d): not an integer")) }
            position = exact
        default:
            return .failure(CELError("no matching overload for '[]' applied to (list, \(key.celType.runtimeName))"))
        }
        guard position >= 0, position < count else {
            return .failure(CELError("index out of range: \(position) (list has \(count) elements)"))
        }
        return .success(Int(position))
    }
}

extension CELValue {
    /// A short CEL-like rendering for error messages.
    var debugText: String {
        switch self {
        case .string(let s): return "'\(s)'"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return Render.double(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        default: return Render.text(self)
        }
    }
}
