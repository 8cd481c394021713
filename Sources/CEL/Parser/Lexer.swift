import Diagnostics

/// Splits CEL source into tokens. Never fails: bad input becomes `.invalid` tokens with a message.
struct Lexer {
    /// The source's bytes, valid for the duration of `tokenize`. A buffer over the string's own
    /// storage: the lexer reads every byte by index, and neither copies the text into an array nor
    /// goes through String's index type.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// A lexer that starts at `position` within `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, from position: Int) {
        self.bytes = bytes
        self.position = position
    }

    /// All tokens of `source`, ending with `.end`.
    static func tokenize(_ source: String) -> [Token] {
        var source = source
        return source.withUTF8 { tokenize($0) }
    }

    /// All tokens, ending with `.end`.
    static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        var lexer = Lexer(bytes)
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 3 + 2)
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.isEnd { return tokens }
        }
    }

    /// The source text in `range`.
    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F
    }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// The white space between tokens (ASCII only).
    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
    static func isHex(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
    }

    mutating func next() -> Token {
        skipTrivia()
        let start = position
        guard let b = peek() else { return Token(kind: .end, range: .at(position)) }
        func token(_ kind: Token.Kind) -> Token { Token(kind: kind, range: SourceRange(start: start, end: position)) }

        if Lexer.isDigit(b) || (b == UInt8(ascii: ".") && peek(1).map(Lexer.isDigit) == true) {
            return token(lexNumber())
        }
        if Lexer.isIdentStart(b) {
            // String prefixes: r, R, b, B and their combinations.
            if let kind = lexPrefixedString() { return token(kind) }
            while let c = peek(), Lexer.isIdentStart(c) || Lexer.isDigit(c) { position += 1 }
            return token(.identifier(text(start..<position)))
        }
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
            return token(lexString(raw: false, isBytes: false))
        }
        if b == UInt8(ascii: "`") {
            position += 1
            let nameStart = position
            while let c = peek(), c != UInt8(ascii: "`"), c != UInt8(ascii: "\n") { position += 1 }
            guard peek() == UInt8(ascii: "`") else { return token(.invalid(CELDiagnosticMessages.unterminatedQuotedName)) }
            let name = text(nameStart..<position)
            position += 1
            // Quoted names allow letters, digits, '_', '.', '-', '/' and spaces only.
            let allowed = name.utf8.allSatisfy { Lexer.isIdentStart($0) || Lexer.isDigit($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2F || $0 == 0x20 }
            if name.isEmpty || !allowed { return token(.invalid(CELDiagnosticMessages.invalidQuotedName)) }
            return token(.quotedName(name))
        }
        if position + 1 < bytes.count, let punct = Punct.double(b, bytes[position + 1]) {
            position += 2
            return token(.punct(punct))
        }
        position += 1
        if let punct = Punct.single(b) { return token(.punct(punct)) }
        switch b {
        case UInt8(ascii: "="):
            return token(.invalid(CELDiagnosticMessages.singleEquals))
        case UInt8(ascii: "&"):
            return token(.invalid(CELDiagnosticMessages.singleAmpersand))
        case UInt8(ascii: "|"):
            return token(.invalid(CELDiagnosticMessages.singleBar))
        default:
            // Consume a whole UTF-8 sequence so the error points at one character.
            while let c = peek(), c & 0xC0 == 0x80 { position += 1 }
            let character = text(start..<position)
            return token(.invalid(CELDiagnosticMessages.unexpectedCharacter(character)))
        }
    }

    private mutating func skipTrivia() {
        while let b = peek() {
            if Lexer.isBlank(b) {
                position += 1
            } else if b == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                while let c = peek(), c != 0x0A { position += 1 }
            } else {
                return
            }
        }
    }

    private mutating func lexNumber() -> Token.Kind {
        let start = position
        if peek() == UInt8(ascii: "0"), peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X") {
            let uppercase = peek(1) == UInt8(ascii: "X")
            position += 2
            let digitsStart = position
            while let c = peek(), Lexer.isHex(c) { position += 1 }
            let digits = text(digitsStart..<position)
            if uppercase {
                if peek() == UInt8(ascii: "u") || peek() == UInt8(ascii: "U") { position += 1 }
                return .malformedNumber(.uppercaseHexPrefix(text(start..<position)))
            }
            if digits.isEmpty { return .invalid(CELDiagnosticMessages.hexNeedsDigits) }
            if peek() == UInt8(ascii: "u") || peek() == UInt8(ascii: "U") {
                position += 1
                return .uint(digits, hex: true)
            }
            return .int(digits, hex: true)
        }
        var isDouble = false
        while let c = peek(), Lexer.isDigit(c) { position += 1 }
        if peek() == UInt8(ascii: "."), let next = peek(1), Lexer.isDigit(next) {
            isDouble = true
            position += 1
            while let c = peek(), Lexer.isDigit(c) { position += 1 }
        } else if peek() == UInt8(ascii: "."), !isMemberAfterPoint() {
            // `1.` with nothing after the point: the grammar wants digits there. (`1.e5` and
            // `1.size()` stay a selection on the int, as in cel-go.)
            position += 1
            return .malformedNumber(.pointWithoutDigits(text(start..<position)))
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            var look = 1
            if peek(look) == UInt8(ascii: "+") || peek(look) == UInt8(ascii: "-") { look += 1 }
            if let d = peek(look), Lexer.isDigit(d) {
                isDouble = true
                position += look
                while let c = peek(), Lexer.isDigit(c) { position += 1 }
            }
        }
        let digits = text(start..<position)
        if isDouble { return .double(digits) }
        if peek() == UInt8(ascii: "u") || peek() == UInt8(ascii: "U") {
            position += 1
            return .uint(digits, hex: false)
        }
        return .int(digits, hex: false)
    }

    /// Whether the '.' at the current position starts a selection: a name, `?` or a quoted name follows.
    private func isMemberAfterPoint() -> Bool {
        guard let next = peek(1) else { return false }
        return Lexer.isIdentStart(next) || next == UInt8(ascii: "?") || next == UInt8(ascii: "`")
    }

    /// Lexes `r"..."`, `b'...'`, `rb"..."`, `BR'...'` and friends; nil when this is an identifier.
    private mutating func lexPrefixedString() -> Token.Kind? {
        var raw = false
        var isBytes = false
        var look = 0
        while look < 2, let c = peek(look) {
            if c == UInt8(ascii: "r") || c == UInt8(ascii: "R"), !raw { raw = true } else if c == UInt8(ascii: "b") || c == UInt8(ascii: "B"), !isBytes { isBytes = true } else { break }
            look += 1
        }
        guard look > 0, let quote = peek(look), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            return nil
        }
        position += look
        return lexString(raw: raw, isBytes: isBytes)
    }

    private mutating func lexString(raw: Bool, isBytes: Bool) -> Token.Kind {
        let quote = peek()!
        let triple = peek(1) == quote && peek(2) == quote
        position += triple ? 3 : 1
        var out: [UInt8] = []
        var error: String?
        while true {
            guard let c = peek() else { return .invalid(CELDiagnosticMessages.unterminatedString) }
            if c == quote {
                if !triple { position += 1; break }
                if peek(1) == quote, peek(2) == quote { position += 3; break }
                out.append(c)
                position += 1
                continue
            }
            if !triple, c == 0x0A || c == 0x0D { return .invalid(CELDiagnosticMessages.lineBreakInString) }
            if c == UInt8(ascii: "\\"), !raw {
                if let message = lexEscape(into: &out, isBytes: isBytes), error == nil { error = message }
                continue
            }
            out.append(c)
            position += 1
        }
        if let error { return .invalid(error) }
        if isBytes { return .bytes(out) }
        guard let text = String(validating: out, as: UTF8.self) else { return .invalid(CELDiagnosticMessages.stringNotUTF8) }
        return .string(text)
    }

    /// Decodes one escape sequence at `position` (which holds the backslash); returns an error message.
    private mutating func lexEscape(into out: inout [UInt8], isBytes: Bool) -> String? {
        position += 1
        guard let e = peek() else { return CELDiagnosticMessages.unterminatedEscape }
        position += 1
        switch e {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "?"):
            out.append(e)
        case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = (e == UInt8(ascii: "u")) ? 4 : (e == UInt8(ascii: "U")) ? 8 : 2
            if isBytes, count > 2 { return CELDiagnosticMessages.unicodeEscapeInBytes }
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let h = peek(), Lexer.isHex(h) else { return CELDiagnosticMessages.escapeNeedsHexDigits(count) }
                value = value * 16 + UInt32(hexValue(h))
                position += 1
            }
            return append(value, into: &out, isBytes: isBytes)
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            var value = UInt32(e - 0x30)
            for _ in 0..<2 {
                guard let o = peek(), o >= 0x30, o <= 0x37 else { return CELDiagnosticMessages.octalEscapeNeedsDigits }
                value = value * 8 + UInt32(o - 0x30)
                position += 1
            }
            return append(value, into: &out, isBytes: isBytes)
        default:
            return CELDiagnosticMessages.invalidEscape(String(UnicodeScalar(e)))
        }
        return nil
    }

    private func hexValue(_ h: UInt8) -> UInt8 {
        if Lexer.isDigit(h) { return h - 0x30 }
        return (h | 0x20) - 0x61 + 10
    }

    /// Bytes literals take the value as one byte; strings take it as a code point, encoded in UTF-8.
    private func append(_ value: UInt32, into out: inout [UInt8], isBytes: Bool) -> String? {
        if isBytes {
            out.append(UInt8(truncatingIfNeeded: value))
            return nil
        }
        guard let scalar = Unicode.Scalar(value) else { return CELDiagnosticMessages.escapeNotScalar }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
        return nil
    }
}
