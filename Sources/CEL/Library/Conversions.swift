/// Type conversions: `int()`, `uint()`, `double()`, `string()`, `bytes()`, `bool()`, `dyn()`, `type()`.
extension FunctionLibrary {
    mutating func registerConversions() {
        global("int", unary: Conversions.toInt)
        global("uint", unary: Conversions.toUInt)
        global("double", unary: Conversions.asDouble)
        global("string", unary: Conversions.toString)
        global("bytes", unary: { value in
            switch value {
            case .bytes: return value
            case .string(let s): return .bytes(Array(s.utf8))
            default: return CELValue.noOverload("bytes", value)
            }
        })
        global("bool", unary: { value in
            switch value {
            case .bool: return value
            case .string(let s):
                switch s {
                case "true", "True", "TRUE", "t", "1": return .bool(true)
                case "false", "False", "FALSE", "f", "0": return .bool(false)
                default: return .fail("type conversion error: cannot convert '\(s)' to bool")
                }
            default: return CELValue.noOverload("bool", value)
            }
        })
        global("dyn", unary: { $0 })
        global("type", unary: { .type($0.celType) })
    }
}

enum Conversions {
    static func toInt(_ value: CELValue) -> CELValue {
        switch value {
        case .int: return value
        case .uint(let u):
            return u <= UInt64(Int64.max) ? .int(Int64(u)) : .fail("int range error: \(u)u does not fit in an int")
        case .double(let d):
            // The open interval (-2^63, 2^63): both ends round to values an int cannot hold exactly.
            guard d.isFinite, d > -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_808.0 else {
                return .fail("int range error: \(Render.double(d)) does not fit in an int")
            }
            return .int(Int64(d.rounded(.towardZero)))
        case .string(let s):
            guard let i = Int64(s) else { return .fail("cannot convert '\(s)' to int") }
            return .int(i)
        case .timestamp(let t): return .int(t.secondsAndNanos.seconds)
        case .duration(let d): return .int(Int64(clamping: d.nanos))
        default: return CELValue.noOverload("int", value)
        }
    }

    static func toUInt(_ value: CELValue) -> CELValue {
        switch value {
        case .uint: return value
        case .int(let i): return i >= 0 ? .uint(UInt64(i)) : .fail("uint range error: \(i) is negative")
        case .double(let d):
            // Like cel-go, any negative double is out of range, even one that truncates to zero.
            guard d.isFinite, d >= 0, d < 18_446_744_073_709_551_616.0 else {
                return .fail("uint range error: \(Render.double(d)) does not fit in a uint")
            }
            return .uint(UInt64(d.rounded(.towardZero)))
        case .string(let s):
            guard let u = UInt64(s) else { return .fail("cannot convert '\(s)' to uint") }
            return .uint(u)
        default: return CELValue.noOverload("uint", value)
        }
    }

    static func asDouble(_ value: CELValue) -> CELValue {
        switch value {
        case .double: return value
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .string(let s):
            switch s {
            case "NaN": return .double(.nan)
            case "Infinity", "+Infinity", "inf", "+inf": return .double(.infinity)
            case "-Infinity", "-inf": return .double(-.infinity)
            default:
                guard let d = Double(s), !s.lowercased().contains("nan"), !s.lowercased().contains("inf") else {
                    return .fail("cannot convert '\(s)' to double")
                }
                return .double(d)
            }
        default: return CELValue.noOverload("double", value)
        }
    }

    static func toString(_ value: CELValue) -> CELValue {
        switch value {
        case .string: return value
        case .int(let i): return .string(String(i))
        case .uint(let u): return .string(String(u))
        case .double(let d): return .string(Render.goFloat(d))
        case .bool(let b): return .string(b ? "true" : "false")
        case .bytes(let b):
            guard let s = String(validating: b, as: UTF8.self) else { return .fail("invalid UTF-8 in bytes converted to string") }
            return .string(s)
        case .timestamp(let t): return .string(TimeFormat.format(t))
        case .duration(let d): return .string(TimeFormat.format(d))
        default: return CELValue.noOverload("string", value)
        }
    }
}
