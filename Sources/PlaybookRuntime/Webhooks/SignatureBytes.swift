import Crypto
import Diagnostics
import Foundation

/// Reading signatures out of headers and comparing them with the expected ones.
enum SignatureBytes {
    /// The bytes of an HMAC-SHA256 written as 64 hexadecimal digits (either case), or nil.
    static func hex<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 2 * SHA256.byteCount else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(SHA256.byteCount)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The bytes of an HMAC-SHA256 written in standard base64 with its padding, or nil.
    static func base64<S: StringProtocol>(_ text: S) -> [UInt8]? {
        guard let data = Data(base64Encoded: String(text)), data.count == SHA256.byteCount else { return nil }
        return Array(data)
    }

    /// Whether two signatures are equal, in a time that depends only on their length: every byte is
    /// compared, so how long a wrong guess takes says nothing about how close it came.
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// The HMAC-SHA256 of `message`.
    static func mac(_ message: [UInt8], key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    /// The event id of a request whose scheme names none: `sha256:` and the hexadecimal SHA-256 of the
    /// signed bytes, so a replayed request has the id of the original.
    static func digestID(_ signed: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: signed).lowercaseHex
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
