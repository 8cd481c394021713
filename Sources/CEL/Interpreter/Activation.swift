/// The variables an evaluation sees, by name. Names may contain dots (`a.b.c`) for qualified
/// variables; a longer name wins over field selection on a shorter one.
public struct CELActivation: Sendable, ExpressibleByDictionaryLiteral {
    /// Values by variable name.
    public var variables: [String: CELValue]

    /// An activation holding `variables`.
    public init(_ variables: [String: CELValue] = [:]) { self.variables = variables }

    public init(dictionaryLiteral elements: (String, CELValue)...) {
        self.variables = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The value of a variable, if bound.
    public subscript(name: String) -> CELValue? {
        get { variables[name] }
        set { variables[name] = newValue }
    }
}

/// Settings that bound one evaluation.
public struct CELEvaluationOptions: Sendable {
    /// Work units one evaluation may spend: one per comprehension iteration and one per byte or
    /// element produced by `+`, string functions and comprehension results. Exceeding it yields an
    /// error value instead of running on.
    public var costLimit: Int

    /// Options with the given cost limit (default 10,000,000 units).
    public init(costLimit: Int = 10_000_000) { self.costLimit = costLimit }

    /// The default limits.
    public static let `default` = CELEvaluationOptions()
}

/// Mutable state of one evaluation: comprehension variables and the cost spent so far.
/// Created per evaluation, never shared between threads.
final class EvalFrame {
    let activation: CELActivation
    /// Comprehension variables by slot. A raw buffer rather than an array: slots are read and
    /// written on every iteration, and a class-held array would pay exclusivity checks each time.
    let slots: UnsafeMutablePointer<CELValue>
    private let slotCount: Int
    /// Values of top-level variables already read in this evaluation.
    let variables: UnsafeMutablePointer<CELValue?>
    private let variableCount: Int
    var cost = 0
    let costLimit: Int

    /// Slots and variable cache share one allocation, and none is made when the program needs
    /// neither: allocation is a noticeable part of evaluating a small expression.
    private let storage: UnsafeMutableRawPointer?

    init(activation: CELActivation, slotCount: Int, variableCount: Int = 0, costLimit: Int) {
        self.activation = activation
        self.slotCount = slotCount
        self.variableCount = variableCount
        self.costLimit = costLimit
        let slotBytes = slotCount * MemoryLayout<CELValue>.stride
        let variableOffset = (slotBytes + MemoryLayout<CELValue?>.alignment - 1) / MemoryLayout<CELValue?>.alignment * MemoryLayout<CELValue?>.alignment
        let total = variableOffset + variableCount * MemoryLayout<CELValue?>.stride
        if total == 0 {
            storage = nil
            slots = EvalFrame.emptySlots
            variables = EvalFrame.emptyVariables
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: total, alignment: max(MemoryLayout<CELValue>.alignment, MemoryLayout<CELValue?>.alignment))
            storage = raw
            slots = raw.bindMemory(to: CELValue.self, capacity: slotCount)
            slots.initialize(repeating: .null, count: slotCount)
            variables = (raw + variableOffset).bindMemory(to: CELValue?.self, capacity: variableCount)
            variables.initialize(repeating: nil, count: variableCount)
        }
    }

    deinit {
        guard let storage else { return }
        slots.deinitialize(count: slotCount)
        variables.deinitialize(count: variableCount)
        storage.deallocate()
    }

    // Never read or written: a program with no slots has no node that touches them.
    nonisolated(unsafe) private static let emptySlots = UnsafeMutablePointer<CELValue>.allocate(capacity: 1)
    nonisolated(unsafe) private static let emptyVariables = UnsafeMutablePointer<CELValue?>.allocate(capacity: 1)

    /// Charges `units` of work; true when the limit is now exceeded.
    @inline(__always)
    func charge(_ units: Int) -> Bool {
        cost &+= units
        return cost > costLimit
    }

    static let costExceeded = CELValue.fail("evaluation cost limit exceeded")
}
