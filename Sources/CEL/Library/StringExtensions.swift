import Diagnostics

/// The strings extension: positions and lengths count Unicode code points, as in cel-go.
extension FunctionLibrary {
    mutating func registerStringExtensions() {
        member("charAt", binary: { s, i in
            guard case .string(let text) = s, case .int(let index) = i else { return CELValue.noOverload("charAt", s, i) }
            let scalars = Array(text.unicodeScalars)
            guard index >= 0, index <= scalars.count else { return .fail("index out of range: \(index)") }
            return .string(index == scalars.count ? "" : String(Character(scalars[Int(index)])))
        })
        member("indexOf", binary: { StringFunctions.indexOf($0, $1, nil) }, nary: { args in
            args.count == 3 ? StringFunctions.indexOf(args[0], args[1], args[2]) : .fail("no matching overload for 'indexOf'")
        })
        member("lastIndexOf", binary: { StringFunctions.lastIndexOf($0, $1, nil) }, nary: { args in
            args.count == 3 ? StringFunctions.lastIndexOf(args[0], args[1], args[2]) : .fail("no matching overload for 'lastIndexOf'")
        })
        member("lowerAscii", unary: { s in
            guard case .string(let text) = s else { return CELValue.noOverload("lowerAscii", s) }
            return .string(StringFunctions.switchingCase(of: text, firstLetter: UInt8(ascii: "A")))
        })
        member("upperAscii", unary: { s in
            guard case .string(let text) = s else { return CELValue.noOverload("upperAscii", s) }
            return .string(StringFunctions.switchingCase(of: text, firstLetter: UInt8(ascii: "a")))
        })
        member("replace", charged: true, nary: { args in
            guard args.count == 3 || args.count == 4, case .string(let text) = args[0], case .string(let old) = args[1],
                  case .string(let new) = args[2] else { return .fail("no matching overload for 'replace'") }
            var limit: Int64 = -1
            if args.count == 4 {
                guard case .int(let n) = args[3] else { return .fail("no matching overload for 'replace'") }
                limit = n
            }
            return .string(StringFunctions.replace(text, old, new, limit: limit))
        })
        member("split", charged: true, binary: { StringFunctions.split($0, $1, .int(-1)) }, nary: { args in
            args.count == 3 ? StringFunctions.split(args[0], args[1], args[2]) : .fail("no matching overload for 'split'")
        })
        member("substring", binary: { StringFunctions.substring($0, $1, nil) }, nary: { args in
            args.count == 3 ? StringFunctions.substring(args[0], args[1], args[2]) : .fail("no matching overload for 'substring'")
        })
        member("trim", unary: { s in
            guard case .string(let text) = s else { return CELValue.noOverload("trim", s) }
            guard let trimmed = StringFunctions.trimmed(text) else { return s }
            return .string(trimmed)
        })
        member("join", charged: true, unary: { StringFunctions.join($0, .string("")) }, binary: StringFunctions.join)
        member("reverse", unary: { s in
            guard case .string(let text) = s else { return CELValue.noOverload("reverse", s) }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: text.unicodeScalars.reversed())
            return .string(String(out))
        })
        global("strings.quote", unary: { s in
            guard case .string(let text) = s else { return CELValue.noOverload("strings.quote", s) }
            return .string(StringFunctions.quote(text))
        })
        member("format", charged: true, binary: Format.format)
    }
}

enum StringFunctions {
    /// Whether a code point is white space (Unicode `White_Space`); ASCII ones, nearly all in
    /// practice, are told apart without the property tables.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// `text` with the 26 ASCII letters from `firstLetter` (`A` or `a`) changed to the other case,
    /// written straight into the new string's storage; `text` itself when it has none.
    static func switchingCase(of text: String, firstLetter: UInt8) -> String {
        // One comparison a byte: a byte below `firstLetter` wraps round to a large number.
        func isLetter(_ byte: UInt8) -> Bool { byte &- firstLetter < 26 }
        func switched(_ source: UnsafeBufferPointer<UInt8>) -> String? {
            guard let first = source.firstIndex(where: isLetter) else { return nil }
            return String(unsafeUninitializedCapacity: source.count) { target in
                _ = target.initialize(fromContentsOf: source)
                for index in first..<source.count where isLetter(source[index]) { target[index] = source[index] ^ 0x20 }
                return source.count
            }
        }
        return text.withUTF8Bytes(switched) ?? text
    }

    /// `text` without white space at either end; nil when it has none there. ASCII ends, nearly
    /// all in practice, are found on the bytes; any other character at an end is judged by its
    /// Unicode properties.
    static func trimmed(_ text: String) -> String? {
        func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte &- 0x09 < 5 }
        let kept: Range<Int>?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var start = 0, end = bytes.count
            while start < end, isASCIIWhitespace(bytes[start]) { start += 1 }
            while end > start, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
            if start < end, bytes[start] >= 0x80 || bytes[end - 1] >= 0x80 { return nil }
            return start..<end
        }
        guard case let kept?? = kept else { return trimmedByScalar(text) }
        if kept.count == text.utf8.count { return nil }
        let utf8 = text.utf8
        return String(text[utf8.index(utf8.startIndex, offsetBy: kept.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: kept.upperBound)])
    }

    private static func trimmedByScalar(_ text: String) -> String? {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, isWhitespace(first) { scalars.removeFirst() }
        while let last = scalars.last, isWhitespace(last) { scalars.removeLast() }
        let trimmedNothing = scalars.startIndex == text.startIndex && scalars.endIndex == text.endIndex
        return trimmedNothing ? nil : String(scalars)
    }

    static func indexOf(_ s: CELValue, _ sub: CELValue, _ start: CELValue?) -> CELValue {
        guard case .string(let text) = s, case .string(let needle) = sub else { return .fail("no matching overload for 'indexOf'") }
        let hay = Array(text.unicodeScalars)
        let pattern = Array(needle.unicodeScalars)
        var from = 0
        if let start {
            guard case .int(let i) = start else { return .fail("no matching overload for 'indexOf'") }
            guard i >= 0, i <= hay.count else { return .fail("index out of range: \(i)") }
            from = Int(i)
        }
        if pattern.isEmpty { return .int(Int64(from)) }
        guard hay.count >= pattern.count else { return .int(-1) }
        var position = from
        while position + pattern.count <= hay.count {
            if hay[position..<(position + pattern.count)].elementsEqual(pattern) { return .int(Int64(position)) }
            position += 1
        }
        return .int(-1)
    }

    static func lastIndexOf(_ s: CELValue, _ sub: CELValue, _ start: CELValue?) -> CELValue {
        guard case .string(let text) = s, case .string(let needle) = sub else { return .fail("no matching overload for 'lastIndexOf'") }
        let hay = Array(text.unicodeScalars)
        let pattern = Array(needle.unicodeScalars)
        var from = hay.count
        if let start {
            guard case .int(let i) = start else { return .fail("no matching overload for 'lastIndexOf'") }
            guard i >= 0, i <= hay.count else { return .fail("index out of range: \(i)") }
            from = Int(i)
        }
        if pattern.isEmpty { return .int(Int64(from)) }
        var position = min(from, hay.count - pattern.count)
        while position >= 0 {
            if hay[position..<(position + pattern.count)].elementsEqual(pattern) { return .int(Int64(position)) }
            position -= 1
        }
        return .int(-1)
    }

    static func replace(_ text: String, _ old: String, _ new: String, limit: Int64) -> String {
        if limit == 0 { return text }
        if old.isEmpty {
            // Like Go: insert the replacement before every code point and at the end.
            var out = ""
            var count: Int64 = 0
            for scalar in text.unicodeScalars {
                if limit < 0 || count < limit {
                    out += new
                    count += 1
                }
                out.unicodeScalars.append(scalar)
            }
            if limit < 0 || count < limit { out += new }
            return out
        }
        var out = ""
        var rest = Substring(text)
        var count: Int64 = 0
        while limit < 0 || count < limit, let found = rest.firstRange(of: old) {
            out += rest[..<found.lowerBound]
            out += new
            rest = rest[found.upperBound...]
            count += 1
        }
        return out + rest
    }

    static func split(_ s: CELValue, _ separator: CELValue, _ limitValue: CELValue) -> CELValue {
        guard case .string(let text) = s, case .string(let sep) = separator, case .int(let limit) = limitValue else {
            return .fail("no matching overload for 'split'")
        }
        if limit == 0 { return .list([]) }
        if limit == 1 { return .list([.string(text)]) }
        var parts: [String] = []
        if sep.isEmpty {
            let scalars = Array(text.unicodeScalars)
            for (i, scalar) in scalars.enumerated() {
                if limit > 0, parts.count == Int(limit) - 1 {
                    var rest = String.UnicodeScalarView()
                    rest.append(contentsOf: scalars[i...])
                    parts.append(String(rest))
                    break
                }
                parts.append(String(Character(scalar)))
            }
            return .list(parts.map(CELValue.string))
        }
        var rest = Substring(text)
        while limit < 0 || parts.count < Int(limit) - 1, let found = rest.firstRange(of: sep) {
            parts.append(String(rest[..<found.lowerBound]))
            rest = rest[found.upperBound...]
        }
        parts.append(String(rest))
        return .list(parts.map(CELValue.string))
    }

    static func substring(_ s: CELValue, _ startValue: CELValue, _ endValue: CELValue?) -> CELValue {
        guard case .string(let text) = s, case .int(let start) = startValue else { return .fail("no matching overload for 'substring'") }
        let scalars = Array(text.unicodeScalars)
        var end = Int64(scalars.count)
        if let endValue {
            guard case .int(let e) = endValue else { return .fail("no matching overload for 'substring'") }
            end = e
        }
        guard start >= 0, start <= scalars.count else { return .fail("index out of range: \(start)") }
        guard end >= 0, end <= scalars.count else { return .fail("index out of range: \(end)") }
        guard start <= end else { return .fail("invalid substring range: start \(start) is after end \(end)") }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[Int(start)..<Int(end)])
        return .string(String(out))
    }

    static func join(_ list: CELValue, _ separator: CELValue) -> CELValue {
        guard case .list(let elements) = list, case .string(let sep) = separator else { return .fail("no matching overload for 'join'") }
        var parts: [String] = []
        parts.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let s) = element else { return .fail("join: list element is \(element.celType.runtimeName), not string") }
            parts.append(s)
        }
        return .string(parts.joined(separator: sep))
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
