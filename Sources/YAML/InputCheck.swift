import Diagnostics

/// Checks a file's bytes before they reach the YAML parser: size, encoding and NUL bytes.
///
/// libyaml would otherwise guess at UTF-16 input or stop at a NUL with an unhelpful message.
enum InputCheck {
    /// The problems that make the bytes unreadable as a UTF-8 playbook (empty when the bytes are
    /// fine), and whether the bytes are plain ASCII, which the reader uses to map positions.
    static func check(_ bytes: [UInt8], maxBytes: Int) -> (problems: [Diagnostic], isPlainASCII: Bool) {
        if bytes.count > maxBytes {
            return ([.error(YAMLDiagnosticCode.fileTooLarge, YAMLMessage.fileTooLarge(bytes.count, limit: maxBytes), at: .at(0))], false)
        }
        if let encoding = wideEncoding(of: bytes) {
            return ([.error(
                YAMLDiagnosticCode.unsupportedEncoding, YAMLMessage.unsupportedEncoding(encoding), at: SourceRange(start: 0, end: min(bytes.count, 2))
            )], false)
        }
        // Most playbooks are plain ASCII without NUL bytes: one pass over whole words settles that.
        if isPlainASCII(bytes) { return ([], true) }
        if let nul = bytes.firstIndex(of: 0) {
            return ([.error(YAMLDiagnosticCode.nulByte, YAMLMessage.nulByte, at: SourceRange(start: nul, end: nul + 1))], false)
        }
        if let invalid = firstInvalidUTF8(in: bytes) {
            return ([.error(
                YAMLDiagnosticCode.invalidUTF8, YAMLMessage.invalidUTF8(bytes[invalid]), at: SourceRange(start: invalid, end: invalid + 1)
            )], false)
        }
        return ([], false)
    }

    /// Whether every byte is ASCII and none is NUL, reading eight bytes at a time. Every file is
    /// read whole here; byte by byte (`allSatisfy`) the check cost eight times the instructions,
    /// about 1.5 % of loading.
    static func isPlainASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw -> Bool in
            let highBits: UInt64 = 0x8080_8080_8080_8080
            let lowBits: UInt64 = 0x0101_0101_0101_0101
            var offset = 0
            while offset + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                // A set high bit is a non-ASCII byte; the second test finds a zero byte in the word.
                if word & highBits != 0 || (word &- lowBits) & ~word & highBits != 0 { return false }
                offset += 8
            }
            while offset < raw.count {
                let byte = raw[offset]
                if byte == 0 || byte >= 0x80 { return false }
                offset += 1
            }
            return true
        }
    }

    /// Recognises UTF-16 and UTF-32 by their byte order mark, or by the zero bytes ASCII text has in them.
    private static func wideEncoding(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            return "UTF-32"
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16" }
        if bytes.count >= 4 {
            if bytes[0] == 0, bytes[1] == 0, bytes[2] == 0, bytes[3] != 0 { return "UTF-32" }
            if bytes[0] != 0, bytes[1] == 0, bytes[2] == 0, bytes[3] == 0 { return "UTF-32" }
        }
        if bytes.count >= 2 {
            if bytes[0] == 0, bytes[1] != 0 { return "UTF-16" }
            if bytes[0] != 0, bytes[1] == 0 { return "UTF-16" }
        }
        return nil
    }

    /// The offset of the first byte that does not start or continue a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF: length = 2; scalar = UInt32(byte & 0x1F); minimum = 0x80
            case 0xE0...0xEF: length = 3; scalar = UInt32(byte & 0x0F); minimum = 0x800
            case 0xF0...0xF4: length = 4; scalar = UInt32(byte & 0x07); minimum = 0x10000
            default: return index
            }
            guard index + length <= count else { return index }
            for offset in 1..<length {
                let continuation = bytes[index + offset]
                guard continuation & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(continuation & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return index }
            index += length
        }
        return nil
    }
}
