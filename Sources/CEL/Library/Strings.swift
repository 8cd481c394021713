/// The standard string functions: `size`, `contains`, `startsWith`, `endsWith`, `matches`.
extension FunctionLibrary {
    mutating func registerStrings() {
        both("size", unary: { value in
            switch value {
            case .string(let s): return .int(Int64(s.unicodeScalars.count))
            case .bytes(let b): return .int(Int64(b.count))
            case .list(let l): return .int(Int64(l.count))
            case .map(let m): return .int(Int64(m.count))
            default: return CELValue.noOverload("size", value)
            }
        })
        member("contains", binary: { s, sub in
            guard case .string(let a) = s, case .string(let b) = sub else { return CELValue.noOverload("contains", s, sub) }
            return .bool(b.isEmpty || a.utf8.firstRange(of: b.utf8) != nil)
        })
        member("startsWith", binary: { s, prefix in
            guard case .string(let a) = s, case .string(let b) = prefix else { return CELValue.noOverload("startsWith", s, prefix) }
            return .bool(StringBytes.hasPrefix(a, b))
        })
        member("endsWith", binary: { s, suffix in
            guard case .string(let a) = s, case .string(let b) = suffix else { return CELValue.noOverload("endsWith", s, suffix) }
            return .bool(StringBytes.hasSuffix(a, b))
        })
        both("matches", binary: Matching.matches)
    }
}
