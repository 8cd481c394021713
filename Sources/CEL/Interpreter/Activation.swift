import Dispatch

/// Where an evaluation finds its variables, by name (cel-go's `Activation`). A program asks once
/// per variable per evaluation; later reads of the same variable come from the evaluation's cache.
public protocol CELVariableResolver: Sendable {
    /// The value of the variable `name`, or nil when it is not bound here.
    func resolve(_ name: String) -> CELValue?
}

/// The variables an evaluation sees, by name, in a dictionary. Names may contain dots (`a.b.c`) for
/// qualified variables; a longer name wins over field selection on a shorter one.
public struct CELActivation: CELVariableResolver, ExpressibleByDictionaryLiteral {
    /// Values by variable name. Setting it rebuilds the activation's table of names, so bind a
    /// run's variables once and evaluate many times.
    public var variables: [String: CELValue] {
        didSet { table = VariableTable(variables) }
    }

    /// The same values, found by a hash of the name that each program computes when it is planned:
    /// reading a variable hashes nothing at evaluation time.
    private(set) var table: VariableTable

    /// An activation holding `variables`.
    public init(_ variables: [String: CELValue] = [:]) {
        self.variables = variables
        self.table = VariableTable(variables)
    }

    /// An activation from a dictionary literal; a repeated name keeps its last value.
    public init(dictionaryLiteral elements: (String, CELValue)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The value of a variable, if bound.
    public subscript(name: String) -> CELValue? {
        get { variables[name] }
        set { variables[name] = newValue }
    }

    /// The value of a variable, if bound.
    public func resolve(_ name: String) -> CELValue? { variables[name] }
}

/// Variables in two layers (cel-go's `NewHierarchicalActivation`): the child's bindings first, then
/// the parent's. Run-level values (params, run, now, trigger, steps) live in one parent shared by
/// every evaluation of a run; each evaluation adds only what differs. A class, so that handing it to
/// each evaluation copies a reference, not two protocol values.
public final class CELHierarchicalActivation: CELVariableResolver {
    /// Looked up second.
    public let parent: any CELVariableResolver
    /// Looked up first.
    public let child: any CELVariableResolver

    /// `child` over `parent`.
    public init(parent: any CELVariableResolver, child: any CELVariableResolver) {
        self.parent = parent
        self.child = child
    }

    /// The child's value for `name`, else the parent's.
    public func resolve(_ name: String) -> CELValue? { child.resolve(name) ?? parent.resolve(name) }
}

/// One record bound to one name over shared run-level variables: what a step evaluates per record,
/// built without a dictionary.
public struct CELRecordActivation: CELVariableResolver {
    /// The variable the record is bound to, `record` unless told otherwise.
    public let name: String
    /// The record.
    public let record: CELValue
    /// Every other variable.
    public let parent: any CELVariableResolver

    /// `record` bound to `name` (default `record`), other names looked up in `parent`.
    public init(record: CELValue, named name: String = "record", parent: any CELVariableResolver) {
        self.name = name
        self.record = record
        self.parent = parent
    }

    /// The record for its name, else the parent's value.
    public func resolve(_ name: String) -> CELValue? { name == self.name ? record : parent.resolve(name) }
}

extension UnsafeMutablePointer {
    /// An aligned pointer to nothing, for a frame with no slots: never read or written.
    fileprivate static var unused: UnsafeMutablePointer<Pointee> { UnsafeMutablePointer(bitPattern: MemoryLayout<Pointee>.alignment)! }
}

/// Settings that bound one evaluation.
public struct CELEvaluationOptions: Sendable {
    /// Work units one evaluation may spend: one per comprehension iteration and one per byte or
    /// element produced by `+`, string functions and comprehension results. Exceeding it yields an
    /// error value instead of running on.
    public var costLimit: Int

    /// Wall-clock time one evaluation may take, or nil for no limit. The clock is read once per
    /// thousand cost units, so an evaluation may run slightly past it; exceeding it yields the error
    /// value "evaluation time limit exceeded", as the cost limit yields its own.
    public var timeLimit: Duration? {
        get { timeLimitNanoseconds.map { .nanoseconds($0) } }
        set { timeLimitNanoseconds = newValue.map(Self.nanoseconds) }
    }

    /// The time limit in nanoseconds. Stored as an integer: options are copied into every
    /// evaluation, and a stored `Duration?` made each evaluation measurably slower.
    private var timeLimitNanoseconds: UInt64?

    /// Options with the given cost limit (default 10,000,000 units) and time limit (default none).
    public init(costLimit: Int = 10_000_000, timeLimit: Duration? = nil) {
        self.costLimit = costLimit
        self.timeLimitNanoseconds = timeLimit.map(Self.nanoseconds)
    }

    /// Whole nanoseconds in `duration`: none when negative, `UInt64.max` when more than that.
    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return overflow || carry ? .max : total
    }

    /// When an evaluation starting now must end, in monotonic nanoseconds (`DispatchTime`); the clock
    /// is read only when there is a time limit.
    var deadlineFromNow: UInt64? {
        guard let timeLimitNanoseconds else { return nil }
        let (deadline, overflow) = DispatchTime.now().uptimeNanoseconds.addingReportingOverflow(timeLimitNanoseconds)
        return overflow ? .max : deadline
    }

    /// The default limits.
    public static let `default` = CELEvaluationOptions()
}

/// Mutable state of one evaluation: the variables, comprehension variables and the cost spent so
/// far. A struct on the evaluating thread's stack, passed `inout` to every node: allocating a
/// frame object per evaluation cost more than evaluating a small expression.
///
/// Variables come from one of `table`, `resolver` or `dictionary`, each borrowed from the caller
/// for the evaluation. Pointers rather than the values: an existential or a dictionary stored in the
/// frame was copied and destroyed through value witnesses on every evaluation, which cost more
/// than evaluating `score > 50 ? "hot" : "cold"`.
struct EvalFrame {
    private let table: VariableLookup?
    private let resolver: UnsafePointer<any CELVariableResolver>?
    private let dictionary: UnsafePointer<[String: CELValue]>?
    /// The name of a record bound ahead of the other variables (`evaluate(record:named:in:)`).
    private let recordName: String?
    private let record: CELValue
    /// Whether nodes keep the variables they have read in `variables`: reading a table costs less
    /// than the cache does.
    let cachesVariables: Bool
    /// Comprehension variables by slot. A raw buffer rather than an array: slots are read and
    /// written on every iteration, and an array would pay uniqueness checks each time.
    let slots: UnsafeMutablePointer<CELValue>
    /// Values of top-level variables already read in this evaluation, when `cachesVariables`.
    let variables: UnsafeMutablePointer<CELValue?>
    /// Cost units left before `charge` takes its slow path: the whole cost limit, or less when there
    /// is a deadline to compare with the clock. One counter, so that charging reads and writes a
    /// single stored property, as it did before there was a time limit.
    private var untilCheck: Int
    /// The cost at which `untilCheck` reaches zero.
    private var checkpoint: Int
    let costLimit: Int
    /// When the evaluation must end, in `DispatchTime` nanoseconds, if it has a time limit. Not a
    /// `ContinuousClock.Instant`: storing one here made every evaluation about 50 ns slower in
    /// playbook-bench, time limit or not.
    let deadline: UInt64?
    private var timedOut = false

    private init(table: VariableLookup?, resolver: UnsafePointer<any CELVariableResolver>?, dictionary: UnsafePointer<[String: CELValue]>?,
                 recordName: String?, record: CELValue, slots: UnsafeMutablePointer<CELValue>,
                 variables: UnsafeMutablePointer<CELValue?>, costLimit: Int, deadline: UInt64?) {
        self.table = table
        self.resolver = resolver
        self.dictionary = dictionary
        cachesVariables = table == nil
        self.recordName = recordName
        self.record = record
        self.slots = slots
        self.variables = variables
        self.costLimit = costLimit
        self.deadline = deadline
        self.checkpoint = deadline == nil ? costLimit : min(costLimit, EvalFrame.clockInterval)
        self.untilCheck = checkpoint
    }

    /// Evaluates `root` in a frame whose slots and variable cache live on the stack for the
    /// duration of the call. Variables come from `table`, else `resolver`, else `dictionary`;
    /// `record` is bound to `recordName` ahead of them.
    static func evaluate(
        _ root: Interpretable, table: VariableLookup? = nil, resolver: UnsafePointer<any CELVariableResolver>? = nil,
        dictionary: UnsafePointer<[String: CELValue]>? = nil, recordName: String? = nil, record: CELValue = .null, slotCount: Int,
        variableCount: Int, costLimit: Int, deadline: UInt64? = nil
    ) -> CELValue {
        let variableCount = table == nil ? variableCount : 0
        let slotBytes = slotCount * MemoryLayout<CELValue>.stride
        let variableOffset = (slotBytes + MemoryLayout<CELValue?>.alignment - 1) / MemoryLayout<CELValue?>.alignment * MemoryLayout<CELValue?>.alignment
        let total = variableOffset + variableCount * MemoryLayout<CELValue?>.stride
        if total == 0 {
            // Nothing to allocate: the pointers are never read. Evaluating outside a closure keeps the
            // result in registers; returned through the closure, it was written to memory in two
            // halves and read back whole, a stall of about 3 ns per evaluation.
            var frame = EvalFrame(table: table, resolver: resolver, dictionary: dictionary, recordName: recordName, record: record,
                                  slots: .unused, variables: .unused, costLimit: costLimit, deadline: deadline)
            return root.eval(&frame)
        }
        return withUnsafeTemporaryAllocation(byteCount: total, alignment: max(MemoryLayout<CELValue>.alignment, MemoryLayout<CELValue?>.alignment)) { raw in
            let slots = raw.baseAddress!.bindMemory(to: CELValue.self, capacity: slotCount)
            let variables = (raw.baseAddress! + variableOffset).bindMemory(to: CELValue?.self, capacity: variableCount)
            if slotCount > 0 { slots.initialize(repeating: .null, count: slotCount) }
            if variableCount > 0 { variables.initialize(repeating: nil, count: variableCount) }
            defer {
                if slotCount > 0 { slots.deinitialize(count: slotCount) }
                if variableCount > 0 { variables.deinitialize(count: variableCount) }
            }
            var frame = EvalFrame(table: table, resolver: resolver, dictionary: dictionary, recordName: recordName, record: record,
                                  slots: slots, variables: variables, costLimit: costLimit, deadline: deadline)
            return root.eval(&frame)
        }
    }

    /// Evaluates `node` with no variables, as the planner folds constants.
    static func evaluateConstant(_ node: Interpretable, costLimit: Int = CELEvaluationOptions.default.costLimit) -> CELValue {
        evaluate(node, slotCount: 0, variableCount: 0, costLimit: costLimit)
    }

    /// The value of a top-level variable, if bound.
    @inline(__always)
    func resolve(_ key: VariableKey) -> CELValue? {
        if let recordName, recordName == key.name { return record }
        if let table { return table[key] }
        if let resolver { return resolver.pointee.resolve(key.name) }
        return dictionary?.pointee[key.name]
    }

    /// Charges `units` of work; true when the cost or time limit is now exceeded.
    @inline(__always)
    mutating func charge(_ units: Int) -> Bool {
        untilCheck &-= units
        return untilCheck < 0 && limitReached()
    }

    /// The slow half of `charge`: the cost limit, then the clock.
    @inline(never)
    private mutating func limitReached() -> Bool {
        let cost = checkpoint &- untilCheck
        if cost > costLimit || timedOut { return true }
        guard let deadline else { return false }
        if DispatchTime.now().uptimeNanoseconds >= deadline {
            timedOut = true
            return true
        }
        checkpoint = min(costLimit, cost &+ EvalFrame.clockInterval)
        untilCheck = checkpoint &- cost
        return false
    }

    /// The error for the limit `charge` found exceeded.
    var limitExceeded: CELValue { timedOut ? EvalFrame.timeExceeded : EvalFrame.costExceeded }

    /// Cost units between readings of the clock: a comprehension iteration is tens of nanoseconds,
    /// a clock reading about as much, so the clock costs little and is read every few microseconds.
    static let clockInterval = 1_000

    static let costExceeded = CELValue.fail("evaluation cost limit exceeded")
    static let timeExceeded = CELValue.fail("evaluation time limit exceeded")
}
