import Foundation

/// `"…".format([args])` from the strings extension: `%s %d %f %e %x %X %o %b %%` with precision.
enum Format {
    static func format(_ templateValue: CELValue, _ argsValue: CELValue) -> CELValue {
        guard case .string(let template) = templateValue, case .list(let args) = argsValue else {
            return CELValue.noOverload("format", templateValue, argsValue)
        }
        var out = ""
        var scalars = Substring(template).unicodeScalars[...]
        var next = 0
        while let c = scalars.first {
            scalars.removeFirst()
            guard c == "%" else {
                out.unicodeScalars.append(c)
                continue
            }
            guard let first = scalars.first else { return .fail("format: unfinished verb at end of string") }
            if first == "%" {
                scalars.removeFirst()
                out += "%"
                continue
            }
            var precision: Int?
            if first == "." {
                scalars.removeFirst()
                var digits = ""
                while let d = scalars.first, d.properties.numericType != nil, d.isASCII {
                    digits.unicodeScalars.append(d)
                    scalars.removeFirst()
                }
                // Bounded so a hostile format string cannot ask for gigabytes of digits.
                guard let value = Int(digits), value <= 100 else { return .fail("format: precision must be at most 100") }
                precision = value
            }
            guard let verb = scalars.first else { return .fail("format: unfinished verb at end of string") }
            scalars.removeFirst()
            guard next < args.count else { return .fail("format: index \(next) out of range (\(args.count) arguments)") }
            let arg = args[next]
            next += 1
            switch formatOne(verb, precision, arg) {
            case .success(let text): out += text
            case .failure(let error): return .error(error)
            }
        }
        return .string(out)
    }

    private static func formatOne(_ verb: Unicode.Scalar, _ precision: Int?, _ arg: CELValue) -> Result<String, CELError> {
        func bad() -> Result<String, CELError> {
            .failure(CELError("format: '%\(verb)' cannot format a value of type \(arg.celType.runtimeName)"))
        }
        switch verb {
        case "s":
            return .success(plain(arg))
        case "d":
            switch arg {
            case .int(let i): return .success(String(i))
            case .uint(let u): return .success(String(u))
            case .double(let d) where !d.isFinite: return .success(Render.double(d))
            default: return bad()
            }
        case "f", "e":
            let value: Double
            switch arg {
            case .double(let d): value = d
            case .int(let i): value = Double(i)
            case .uint(let u): value = Double(u)
            default: return bad()
            }
            if !value.isFinite { return .success(Render.double(value)) }
            return .success(String(format: "%.\(precision ?? 6)\(verb)", value))
        case "x", "X":
            var text: String
            switch arg {
            case .int(let i): text = i < 0 ? "-" + String(i.magnitude, radix: 16) : String(i, radix: 16)
            case .uint(let u): text = String(u, radix: 16)
            case .string(let s): text = s.utf8.map(hexByte).joined()
            case .bytes(let b): text = b.map(hexByte).joined()
            default: return bad()
            }
            if verb == "X" { text = text.uppercased() }
            return .success(text)
        case "o":
            switch arg {
            case .int(let i): return .success(i < 0 ? "-" + String(i.magnitude, radix: 8) : String(i, radix: 8))
            case .uint(let u): return .success(String(u, radix: 8))
            default: return bad()
            }
        case "b":
            switch arg {
            case .int(let i): return .success(i < 0 ? "-" + String(i.magnitude, radix: 2) : String(i, radix: 2))
            case .uint(let u): return .success(String(u, radix: 2))
            case .bool(let b): return .success(b ? "1" : "0")
            default: return bad()
            }
        default:
            return .failure(CELError("format: unrecognized verb '%\(verb)'"))
        }
    }

    private static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }

    /// `%s`: like `string()`, with lists and maps written out and map keys sorted.
    static func plain(_ value: CELValue) -> String {
        switch value {
        case .string(let s): return s
        case .double(let d): return Render.double(d)
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .list(let elements): return "[" + elements.map(plain).joined(separator: ", ") + "]"
        case .map(let map):
            let parts = map.entries.map { (plain($0.key), plain($0.value)) }.sorted { $0.0 < $1.0 }
            return "{" + parts.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        default: return Render.text(value)
        }
    }
}
