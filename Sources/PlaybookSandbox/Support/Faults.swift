/// A failure the sandbox puts in place of a platform's answer, to show how a run copes with it.
public enum InjectedFault: Sendable, Equatable, CustomStringConvertible {
    /// The platform's own rate-limit answer (a 429 on most, an error code on Meta).
    case rateLimited
    /// A server error with this status (500, 502, 503 or 504).
    case serverError(Int)
    /// The request is held far longer than a client waits, then the connection is closed.
    case timeout
    /// The connection is closed without an answer.
    case reset
    /// The request is carried out (a message sent, a record written), then the connection is
    /// closed without the answer: the client cannot know that it worked.
    case lost
    /// A 200 whose JSON body is cut short.
    case malformed

    public var description: String {
        switch self {
        case .rateLimited: "429"
        case .serverError(let status): String(status)
        case .timeout: "timeout"
        case .reset: "reset"
        case .lost: "lost"
        case .malformed: "malformed"
        }
    }
}

/// Why a faults spec was refused; the message names the item and what was expected.
public struct FaultSpecError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Which faults to inject and how often: `429=0.1,500=0.05,timeout=0.02,reset=0.02,lost=0.01,malformed=0.01,latency=20ms`.
/// Each rate is the chance (0 to 1) that a request gets that fault; together they are at most 1. The
/// faults of the n-th request follow from the seed and n alone, so a run can be replayed.
public struct FaultSpec: Sendable, Equatable {
    /// The faults with their chances, in the order they are drawn.
    public private(set) var rates: [(fault: InjectedFault, rate: Double)]
    /// Added to every platform request before it is answered.
    public private(set) var latency: Duration

    public static let none = FaultSpec(rates: [], latency: .zero)

    public static func == (lhs: FaultSpec, rhs: FaultSpec) -> Bool {
        lhs.latency == rhs.latency && lhs.rates.count == rhs.rates.count
            && zip(lhs.rates, rhs.rates).allSatisfy { $0.fault == $1.fault && $0.rate == $1.rate }
    }

    init(rates: [(fault: InjectedFault, rate: Double)], latency: Duration) {
        self.rates = rates
        self.latency = latency
    }

    /// Reads a spec; an empty text means no faults.
    public static func parse(_ text: String) throws(FaultSpecError) -> FaultSpec {
        var spec = FaultSpec.none
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if items == [""] { return spec }
        for (position, item) in items.enumerated() {
            let place = "faults item \(position + 1) `\(item)`"
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw FaultSpecError(message: "\(place): expected NAME=VALUE, for example 429=0.1 or latency=20ms")
            }
            let name = parts[0].lowercased()
            let value = String(parts[1])
            if name == "latency" {
                guard let latency = parseDuration(value) else {
                    throw FaultSpecError(message: "\(place): latency must be a duration such as 20ms or 1s")
                }
                spec.latency = latency
                continue
            }
            let fault: InjectedFault
            switch name {
            case "429": fault = .rateLimited
            case "500", "502", "503", "504": fault = .serverError(Int(name)!)
            case "timeout": fault = .timeout
            case "reset": fault = .reset
            case "lost": fault = .lost
            case "malformed": fault = .malformed
            default:
                throw FaultSpecError(
                    message: "\(place): unknown fault `\(name)`; expected 429, 500, 502, 503, 504, timeout, reset, lost, malformed or latency")
            }
            guard let rate = Double(value), rate.isFinite, rate >= 0, rate <= 1 else {
                throw FaultSpecError(message: "\(place): the rate must be a number from 0 to 1, such as 0.05")
            }
            guard !spec.rates.contains(where: { $0.fault == fault }) else {
                throw FaultSpecError(message: "\(place): `\(name)` is given twice")
            }
            spec.rates.append((fault, rate))
        }
        let total = spec.rates.reduce(0) { $0 + $1.rate }
        guard total <= 1 + 1e-9 else {
            throw FaultSpecError(message: "faults: the rates add up to \(total), more than 1")
        }
        return spec
    }

    private static func parseDuration(_ text: String) -> Duration? {
        let lower = text.lowercased()
        if lower.hasSuffix("ms"), let value = Int(lower.dropLast(2)), value >= 0, value <= 600_000 { return .milliseconds(value) }
        if lower.hasSuffix("s"), let value = Int(lower.dropLast(1)), value >= 0, value <= 600 { return .seconds(value) }
        return nil
    }

    /// The fault of the request numbered `index` (from 0) under `seed`, or nil for a normal answer.
    public func fault(forRequest index: UInt64, seed: UInt64) -> InjectedFault? {
        guard !rates.isEmpty else { return nil }
        let draw = SeededGenerator.unit(seed: seed, stream: 0xFA17, index: index)
        var cumulative = 0.0
        for (fault, rate) in rates {
            cumulative += rate
            if draw < cumulative { return fault }
        }
        return nil
    }
}
