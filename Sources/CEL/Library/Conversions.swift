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
            guard let d = parseDouble(s) else { return .fail("cannot convert '\(s)' to double") }
            return .double(d)
        default: return CELValue.noOverload("double", value)
        }
    }

    /// Text read as cel-go reads it (Go's `strconv.ParseFloat`): decimal with an optional exponent,
    /// hexadecimal only with a `p` exponent (`0x1Ap0`), `_` only between digits, and `NaN`, `Inf` or
    /// `Infinity` in any case (the last two signed). A finite number too large for a double is not read.
    static func parseDouble(_ text: String) -> Double? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        switch String(Substring(bytes)).lowercased() {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return bytes.count == text.utf8.count ? .nan : nil
        default: break
        }
        guard isGoFloatSyntax(Array(bytes)) else { return nil }
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else { return nil }
        return value
    }

    /// Whether unsigned `text` is a Go floating-point literal.
    private static func isGoFloatSyntax(_ text: [UInt8]) -> Bool {
        let hex = text.count >= 2 && text[0] == UInt8(ascii: "0") && text[1] | 0x20 == UInt8(ascii: "x")
        func isDigit(_ b: UInt8) -> Bool { Lexer.isDigit(b) || (hex && Lexer.isHex(b)) }
        var i = hex ? 2 : 0
        var sawDigit = false, sawPoint = false
        while i < text.count {
            let b = text[i]
            if isDigit(b) {
                sawDigit = true
            } else if b == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else if b != UInt8(ascii: "_") {
                break
            }
            i += 1
        }
        guard sawDigit else { return false }
        // The exponent: optional after decimal digits, required after hexadecimal ones.
        if i == text.count { return !hex && underscoresSeparateDigits(text, hex: hex) }
        guard text[i] | 0x20 == (hex ? UInt8(ascii: "p") : UInt8(ascii: "e")) else { return false }
        i += 1
        if i < text.count, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
        guard i < text.count, Lexer.isDigit(text[i]) else { return false }
        while i < text.count, Lexer.isDigit(text[i]) || text[i] == UInt8(ascii: "_") { i += 1 }
        return i == text.count && underscoresSeparateDigits(text, hex: hex)
    }

    /// Go's rule for `_`: only between digits, or between the base prefix and a digit.
    private static func underscoresSeparateDigits(_ text: [UInt8], hex: Bool) -> Bool {
        enum Last { case start, digit, underscore, other }
        var last: Last = hex ? .digit : .start
        for b in text.dropFirst(hex ? 2 : 0) {
            if Lexer.isDigit(b) || (hex && Lexer.isHex(b)) {
                last = .digit
            } else if b == UInt8(ascii: "_") {
                guard last == .digit else { return false }
                last = .underscore
            } else {
                if last == .underscore { return false }
                last = .other
            }
        }
        return last != .underscore
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
