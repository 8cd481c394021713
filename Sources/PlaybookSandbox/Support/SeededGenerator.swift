/// SplitMix64: a small, fast generator whose whole sequence follows from its seed, on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The value for position `index` of stream `stream` under `seed`, without walking the sequence:
    /// the n-th request's fault is the same whatever happened before it.
    static func value(seed: UInt64, stream: UInt64, index: UInt64) -> UInt64 {
        var generator = SeededGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ (index &* 0x9E37_79B9_7F4A_7C15))
        _ = generator.next()
        return generator.next()
    }

    /// A value in `0..<1` from `value(seed:stream:index:)`.
    static func unit(seed: UInt64, stream: UInt64, index: UInt64) -> Double {
        Double(value(seed: seed, stream: stream, index: index) >> 11) / Double(1 << 53)
    }
}
