import CEL

/// A JSON parser over the bytes of one line, building CEL values directly.
///
/// Integers without fraction or exponent become `int` (or `uint` beyond `Int64.max`, `double`
/// beyond `UInt64.max`), other numbers `double`; objects become maps in key order. Nesting is
/// limited, so no input can exhaust the stack.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    static let depthLimit = 128

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether only whitespace is left.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// The next value; the parser then stands after it.
    mutating func parseValue() throws(LineProblem) -> CELValue {
        skipWhitespace()
        guard position < bytes.count else { throw .syntax("expected a value", at: position) }
        switch bytes[position] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return .map(try parseObject())
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: throw .syntax("expected a value", at: position)
        }
    }

    /// Calls `field` for each member of the object that starts here, with the key's UTF-8 bytes
    /// (unescaped and valid; only valid during the call) and the parser standing on the member's
    /// value, which `field` must consume. Keys are not checked for repeats. Bytes rather than a
    /// `String`, so that a reader of declared fields finds a key's slot without building one.
    /// Always inlined, so that `field` is too and what it uses is not captured for every member.
    @inline(__always)
    mutating func parseMembers(_ field: (UnsafeBufferPointer<UInt8>, inout JSONParser) throws(LineProblem) -> Void) throws(LineProblem) {
        try parseMembers(expectingKey: { _ in nil }) { (key, _, parser) throws(LineProblem) in try field(key, &parser) }
    }

    /// `parseMembers` for objects whose keys mostly come in a known order, as every line of a file
    /// does. `expectedKeyLength(rest)` says whether the line's bytes after a key's opening quote
    /// start with the key expected next and its closing quote, and how long the key is: such a key
    /// is taken as it is, without scanning it for escapes, and `field` is told it was the one
    /// expected.
    @inline(__always)
    mutating func parseMembers(
        expectingKey expectedKeyLength: (_ rest: UnsafeBufferPointer<UInt8>) -> Int?,
        _ field: (_ key: UnsafeBufferPointer<UInt8>, _ isExpected: Bool, inout JSONParser) throws(LineProblem) -> Void
    ) throws(LineProblem) {
        try enter()
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw .syntax("expected a key in double quotes", at: position)
            }
            func valueAfter(_ key: UnsafeBufferPointer<UInt8>, isExpected: Bool, _ parser: inout JSONParser) throws(LineProblem) {
                parser.skipWhitespace()
                guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: ":") else {
                    throw .syntax("expected ':' after a key", at: parser.position)
                }
                parser.position += 1
                try field(key, isExpected, &parser)
            }
            if let length = expectedKeyLength(UnsafeBufferPointer(rebasing: bytes[(position + 1)...])) {
                let key = UnsafeBufferPointer(rebasing: bytes[(position + 1)..<(position + 1 + length)])
                position += length + 2
                try valueAfter(key, isExpected: true, &self)
            } else {
                try parseKey { (key, parser) throws(LineProblem) in try valueAfter(key, isExpected: false, &parser) }
            }
            skipWhitespace()
            guard position < bytes.count else { throw .syntax("expected ',' or '}' after a field", at: position) }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                depth -= 1
                return
            } else {
                throw .syntax("expected ',' or '}' after a field", at: position)
            }
        }
    }

    private mutating func parseObject() throws(LineProblem) -> CELMap {
        var map = CELMap()
        try parseMembers { (keyBytes: UnsafeBufferPointer<UInt8>, parser: inout JSONParser) throws(LineProblem) -> Void in
            let key = String(decoding: keyBytes, as: UTF8.self)
            let value = try parser.parseValue()
            do {
                try map.insert(.string(key), value)
            } catch {
                throw .repeatedKey(key)
            }
        }
        return map
    }

    private mutating func parseArray() throws(LineProblem) -> CELValue {
        try enter()
        position += 1
        var elements: [CELValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .list(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw .syntax("expected ',' or ']' after an element", at: position) }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                depth -= 1
                return .list(elements)
            } else {
                throw .syntax("expected ',' or ']' after an element", at: position)
            }
        }
    }

    private mutating func enter() throws(LineProblem) {
        depth += 1
        guard depth <= Self.depthLimit else { throw .tooDeep(limit: Self.depthLimit) }
    }

    private mutating func literal(_ word: StaticString, _ value: CELValue) throws(LineProblem) -> CELValue {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw .syntax("expected a value", at: position) }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
            throw .syntax("expected a value", at: position)
        }
        position += count
        return value
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    // MARK: Strings

    /// The string whose opening quote is at `position`.
    mutating func parseString() throws(LineProblem) -> String {
        let start = position + 1
        switch try scanString() {
        case .unescaped(let text): return text
        case .bytes(let bytes, let isASCII): return try Self.text(bytes, isASCII: isASCII, at: start)
        }
    }

    /// The timestamp written as the string at `position`, read from the line's bytes without making
    /// a `String`; nil, with the parser left where it was, when the value is not a string of ASCII
    /// without escapes that names a timestamp (it is then read as any value is, with its error).
    mutating func parseTimestampInPlace() -> CELTimestamp? {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        let start = position
        if case .bytes(let text, isASCII: true)? = try? scanString(), let timestamp = CELTimestamp(rfc3339UTF8: text) {
            return timestamp
        }
        position = start
        return nil
    }

    /// Calls `body` with the bytes of the string whose opening quote is at `position`, checked to
    /// be valid UTF-8: the line's own bytes when the string has no escapes, else its unescaped text.
    @inline(__always)
    private mutating func parseKey(_ body: (UnsafeBufferPointer<UInt8>, inout JSONParser) throws(LineProblem) -> Void) throws(LineProblem) {
        let start = position + 1
        switch try scanString() {
        case .unescaped(let text):
            try Array(text.utf8).withUnsafeBufferPointer { (key) throws(LineProblem) in try body(key, &self) }
        case .bytes(let key, let isASCII):
            if !isASCII, String(validating: key, as: UTF8.self) == nil {
                throw .invalidUTF8(at: start + Self.firstInvalidByte(key))
            }
            try body(key, &self)
        }
    }

    /// A string as read: the bytes between its quotes, not yet checked to be UTF-8, or, when it
    /// has escapes, its text.
    private enum ScannedString {
        case bytes(UnsafeBufferPointer<UInt8>, isASCII: Bool)
        case unescaped(String)
    }

    /// Reads the string whose opening quote is at `position`; the parser then stands after it.
    private mutating func scanString() throws(LineProblem) -> ScannedString {
        position += 1
        let start = position
        var isASCII = true
        // Eight bytes at a time up to the first that needs a look (a quote, a backslash, a control
        // character); most of a line is strings, and this reads them in a fraction of the steps.
        while position + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self))
            let special = Self.specialBytes(in: word)
            let plain = special == 0 ? 8 : special.trailingZeroBitCount / 8
            if word & Self.highBits & Self.lowBytes(plain) != 0 { isASCII = false }
            position += plain
            if plain < 8 { break }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return .bytes(UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), isASCII: isASCII)
            }
            if byte == UInt8(ascii: "\\") { return .unescaped(try parseEscapedString(from: start)) }
            if byte < 0x20 { throw .syntax("a control character must be escaped in a string", at: position) }
            if byte >= 0x80 { isASCII = false }
            position += 1
        }
        throw .syntax("a string is not closed", at: position)
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of `word` that is a quote, a backslash or below 0x20. Exact up to
    /// the first such byte (bytes after it may be flagged wrongly), which is all a scan needs.
    @inline(__always)
    private static func specialBytes(in word: UInt64) -> UInt64 {
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highBits }
        let quotes = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
        let backslashes = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
        let controls = (word &- ones &* 0x20) & ~word & highBits
        return quotes | backslashes | controls
    }

    /// A mask of the first `count` bytes of a word (0 to 8).
    @inline(__always)
    private static func lowBytes(_ count: Int) -> UInt64 {
        count == 8 ? ~0 : (1 << UInt64(count * 8)) &- 1
    }

    /// The rest of a string that has escapes; the bytes before the first one start at `start`.
    private mutating func parseEscapedString(from start: Int) throws(LineProblem) -> String {
        var unescaped = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return try unescaped.withUnsafeBufferPointer { (buffer) throws(LineProblem) in
                    try Self.text(buffer, isASCII: false, at: start)
                }
            case UInt8(ascii: "\\"):
                let escapeStart = position
                position += 1
                guard position < bytes.count else { throw .syntax("a string is not closed", at: position) }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escaped)
                case UInt8(ascii: "b"): unescaped.append(0x08)
                case UInt8(ascii: "f"): unescaped.append(0x0C)
                case UInt8(ascii: "n"): unescaped.append(0x0A)
                case UInt8(ascii: "r"): unescaped.append(0x0D)
                case UInt8(ascii: "t"): unescaped.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hexQuad()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw .loneSurrogate(at: escapeStart)
                        }
                        position += 2
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else { throw .loneSurrogate(at: escapeStart) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw .loneSurrogate(at: escapeStart)
                    }
                    unescaped.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
                default:
                    throw .syntax("unknown escape '\\\(Unicode.Scalar(escaped).escaped(asASCII: true))' in a string", at: escapeStart)
                }
            default:
                if byte < 0x20 { throw .syntax("a control character must be escaped in a string", at: position) }
                unescaped.append(byte)
                position += 1
            }
        }
        throw .syntax("a string is not closed", at: position)
    }

    private mutating func hexQuad() throws(LineProblem) -> UInt32 {
        guard position + 4 <= bytes.count else { throw .syntax("expected four hex digits after \\u", at: position) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .syntax("expected four hex digits after \\u", at: position)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Bytes as a string, validated unless known to be ASCII; `offset` places an error.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool, at offset: Int) throws(LineProblem) -> String {
        if isASCII { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidUTF8(at: offset + firstInvalidByte(bytes))
        }
        return text
    }

    /// The offset of the first byte that is not part of a well-formed UTF-8 sequence.
    static func firstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while case .scalarValue(let scalar) = decoder.decode(&iterator) { offset += UTF8.width(scalar) }
        return offset
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(LineProblem) -> CELValue {
        let start = position
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < bytes.count, Self.isDigit(bytes[position]) else { throw .syntax("expected a digit", at: position) }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, Self.isDigit(bytes[position]) {
                if significantDigits < 19 { mantissa = mantissa * 10 + UInt64(bytes[position] - UInt8(ascii: "0")) }
                significantDigits += 1
                position += 1
            }
        }
        var fractionDigits = 0
        var exponent = 0
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, Self.isDigit(bytes[position]) else { throw .syntax("expected a digit after '.'", at: position) }
            while position < bytes.count, Self.isDigit(bytes[position]) {
                if significantDigits < 19 {
                    mantissa = mantissa * 10 + UInt64(bytes[position] - UInt8(ascii: "0"))
                    fractionDigits += 1
                    if mantissa != 0 { significantDigits += 1 }
                } else {
                    significantDigits += 1
                }
                position += 1
            }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            var exponentNegative = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < bytes.count, Self.isDigit(bytes[position]) else { throw .syntax("expected a digit in the exponent", at: position) }
            while position < bytes.count, Self.isDigit(bytes[position]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
                position += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        let literal = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if isInteger {
            if significantDigits < 19 {
                return .int(negative ? -Int64(mantissa) : Int64(mantissa))
            }
            let text = String(decoding: literal, as: UTF8.self)
            if let value = Int64(text) { return .int(value) }
            if !negative, let value = UInt64(text) { return .uint(value) }
        } else if significantDigits <= 15, mantissa < 1 << 53, abs(exponent - fractionDigits) <= 22 {
            // Clinger's fast path: both operands are exact doubles, so one rounding gives the
            // correctly rounded result.
            let scale = exponent - fractionDigits
            var value = Double(mantissa)
            value = scale < 0 ? value / Self.powersOfTen[-scale] : value * Self.powersOfTen[scale]
            return .double(negative ? -value : value)
        }
        let text = String(decoding: literal, as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw .numberOutOfRange(LineProblem.cut(text)) }
        return .double(value)
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
