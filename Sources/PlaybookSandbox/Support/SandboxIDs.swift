import Synchronization

/// Identifiers that look like the platforms' own (correlation ids, message ids), drawn from the seed so a
/// replay gives the same ones in the same order.
final class SandboxIDs: Sendable {
    private let seed: UInt64
    private let stream: UInt64
    private let counter = Mutex<UInt64>(0)

    init(seed: UInt64, stream: UInt64) {
        self.seed = seed
        self.stream = stream
    }

    private func nextValues() -> (UInt64, UInt64) {
        let index = counter.withLock { value in
            defer { value += 1 }
            return value
        }
        return (
            SeededGenerator.value(seed: seed, stream: stream, index: index * 2),
            SeededGenerator.value(seed: seed, stream: stream, index: index * 2 + 1)
        )
    }

    /// `3f2a…-…`, a version-4-shaped UUID.
    func uuid() -> String {
        let (a, b) = nextValues()
        let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        let chars = Array(hex)
        return "\(String(chars[0..<8]))-\(String(chars[8..<12]))-4\(String(chars[13..<16]))-a\(String(chars[17..<20]))-\(String(chars[20..<32]))"
    }

    /// Letters and digits, `length` long.
    func token(_ length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let (a, b) = nextValues()
        var generator = SeededGenerator(seed: a ^ b)
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
