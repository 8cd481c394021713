/// The run-time implementation of one function name, by argument count. Implementations switch on
/// the argument kinds themselves and return a "no matching overload" error for anything else, so
/// unchecked (`dyn`) programs behave like checked ones.
struct Builtin: Sendable {
    var unary: UnaryFunction?
    var binary: BinaryFunction?
    var nary: NaryFunction?
    /// Whether the result size counts against the cost limit (functions that build strings or lists).
    var charged = false
    /// Whether calls with constant arguments may be evaluated once at plan time.
    var pure = true
}

/// Global functions (`size(x)`, `math.greatest(…)`) and member functions (`x.size()`), by name.
struct FunctionLibrary: Sendable {
    var global: [String: Builtin] = [:]
    var member: [String: Builtin] = [:]

    /// Every function of the standard library and the supported extensions.
    static let standard: FunctionLibrary = {
        var library = FunctionLibrary()
        library.registerOperators()
        library.registerConversions()
        library.registerStrings()
        library.registerStringExtensions()
        library.registerTime()
        library.registerMath()
        library.registerLists()
        library.registerNumberFormatting()
        library.registerEncoders()
        library.registerOptionals()
        return library
    }()

    mutating func global(_ name: String, charged: Bool = false, unary: UnaryFunction? = nil, binary: BinaryFunction? = nil, nary: NaryFunction? = nil) {
        var builtin = global[name] ?? Builtin()
        if let unary { builtin.unary = unary }
        if let binary { builtin.binary = binary }
        if let nary { builtin.nary = nary }
        builtin.charged = builtin.charged || charged
        global[name] = builtin
    }

    /// Registers a method; the receiver is the first argument.
    mutating func member(_ name: String, charged: Bool = false, unary: UnaryFunction? = nil, binary: BinaryFunction? = nil, nary: NaryFunction? = nil) {
        var builtin = member[name] ?? Builtin()
        if let unary { builtin.unary = unary }
        if let binary { builtin.binary = binary }
        if let nary { builtin.nary = nary }
        builtin.charged = builtin.charged || charged
        member[name] = builtin
    }

    /// Registers both `name(x, …)` and `x.name(…)`.
    mutating func both(_ name: String, unary: UnaryFunction? = nil, binary: BinaryFunction? = nil, nary: NaryFunction? = nil) {
        global(name, unary: unary, binary: binary, nary: nary)
        member(name, unary: unary, binary: binary, nary: nary)
    }

    private mutating func registerOperators() {
        global(Operator.add, binary: Arithmetic.add)
        global(Operator.subtract, binary: Arithmetic.subtract)
        global(Operator.multiply, binary: Arithmetic.multiply)
        global(Operator.divide, binary: Arithmetic.divide)
        global(Operator.modulo, binary: Arithmetic.modulo)
        global(Operator.negate, unary: Arithmetic.negate)
        global(Operator.logicalNot, unary: Arithmetic.not)
        global(Operator.equals, binary: { .bool($0.isEqual(to: $1)) })
        global(Operator.notEquals, binary: { .bool(!$0.isEqual(to: $1)) })
        global(Operator.less, binary: Arithmetic.ordering(Operator.less) { $0 < 0 })
        global(Operator.lessEquals, binary: Arithmetic.ordering(Operator.lessEquals) { $0 <= 0 })
        global(Operator.greater, binary: Arithmetic.ordering(Operator.greater) { $0 > 0 })
        global(Operator.greaterEquals, binary: Arithmetic.ordering(Operator.greaterEquals) { $0 >= 0 })
        global(Operator.in, binary: Arithmetic.contains)
        global(Operator.index, binary: Access.index)
        global(Operator.optionalIndex, binary: Access.optionalIndex)
    }
}

/// Helpers shared by the library files.
extension CELValue {
    var intValue: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
