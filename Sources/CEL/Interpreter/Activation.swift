/// The variables an evaluation sees, by name. Names may contain dots (`a.b.c`) for qualified
/// variables; a longer name wins over field selection on a shorter one.
public struct CELActivation: Sendable, ExpressibleByDictionaryLiteral {
    public var variables: [String: CELValue]

    public init(_ variables: [String: CELValue] = [:]) { self.variables = variables }

    public init(dictionaryLiteral elements: (String, CELValue)...) {
        self.variables = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

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

    public init(costLimit: Int = 10_000_000) { self.costLimit = costLimit }

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
    var cost = 0
    let costLimit: Int

    init(activation: CELActivation, slotCount: Int, costLimit: Int) {
        self.activation = activation
        self.slotCount = slotCount
        self.slots = UnsafeMutablePointer<CELValue>.allocate(capacity: max(slotCount, 1))
        self.slots.initialize(repeating: .null, count: slotCount)
        self.costLimit = costLimit
    }

    deinit {
        slots.deinitialize(count: slotCount)
        slots.deallocate()
    }

    /// Charges `units` of work; true when the limit is now exceeded.
    @inline(__always)
    func charge(_ units: Int) -> Bool {
        cost &+= units
        return cost > costLimit
    }

    static let costExceeded = CELValue.fail("evaluation cost limit exceeded")
}
