/// The static signatures of every function, for the checker. Run-time behaviour lives in
/// `Library/`; these say which argument types each overload accepts and what it returns.
struct Overload: Sendable {
    var params: [CELType]
    var result: CELType
    /// Whether the signature mentions a type parameter; concrete ones need no renaming per call.
    let isGeneric: Bool
    /// The outermost kind of each parameter, to rule out most overloads before unifying.
    let paramHeads: [TypeHead]

    init(params: [CELType], result: CELType) {
        self.params = params
        self.result = result
        self.isGeneric = (params + [result]).contains(where: \.mentionsTypeParameter)
        self.paramHeads = params.map(TypeHead.init)
    }

    /// Whether arguments with these heads could match; false only when unification surely fails.
    func mayAccept(_ heads: TypeHeads, numbersMix: Bool) -> Bool {
        for (position, parameter) in paramHeads.enumerated() where !parameter.mayMatch(heads[position], numbersMix: numbersMix) {
            return false
        }
        return true
    }
}

/// The heads of a call's argument types, kept inline for up to four arguments so that resolving
/// an overload allocates nothing.
struct TypeHeads {
    private var inline: (TypeHead, TypeHead, TypeHead, TypeHead) = (.any, .any, .any, .any)
    private var more: [TypeHead] = []
    private(set) var count = 0

    mutating func append(_ head: TypeHead) {
        switch count {
        case 0: inline.0 = head
        case 1: inline.1 = head
        case 2: inline.2 = head
        case 3: inline.3 = head
        default: more.append(head)
        }
        count += 1
    }

    subscript(position: Int) -> TypeHead {
        switch position {
        case 0: inline.0
        case 1: inline.1
        case 2: inline.2
        case 3: inline.3
        default: more[position - 4]
        }
    }
}

/// The outermost kind of a type, as unification sees it: `any` for what can match anything
/// (`dyn`, errors, type parameters), and records share `map` since they unify with maps.
struct TypeHead: Equatable, Sendable {
    let code: UInt8

    static let any = TypeHead(code: 0)

    init(code: UInt8) { self.code = code }

    init(_ type: CELType) {
        switch type {
        case .dyn, .error, .typeParam: code = 0
        case .null: code = 1
        case .bool: code = 2
        case .int: code = 3
        case .uint: code = 4
        case .double: code = 5
        case .string: code = 6
        case .bytes: code = 7
        case .timestamp: code = 8
        case .duration: code = 9
        case .list: code = 10
        case .map, .object: code = 11
        case .type: code = 12
        case .optional: code = 13
        }
    }

    var isNumeric: Bool { code >= 3 && code <= 5 }

    func mayMatch(_ other: TypeHead, numbersMix: Bool) -> Bool {
        self == other || code == 0 || other.code == 0 || (numbersMix && isNumeric && other.isNumeric)
    }
}

extension CELType {
    /// Whether a type parameter occurs anywhere in the type.
    var mentionsTypeParameter: Bool {
        switch self {
        case .typeParam: true
        case .list(let element): element.mentionsTypeParameter
        case .map(let key, let value): key.mentionsTypeParameter || value.mentionsTypeParameter
        case .optional(let inner), .type(let inner): inner.mentionsTypeParameter
        case .object(_, let fields): fields.values.contains(where: \.mentionsTypeParameter)
        default: false
        }
    }
}

struct FunctionSignatures: Sendable {
    var global: [String: [Overload]] = [:]
    var member: [String: [Overload]] = [:]

    static let standard = FunctionSignatures.build()

    // Shorthands for signatures.
    private static let A = CELType.typeParam("A")
    private static let B = CELType.typeParam("B")
    private static let K = CELType.typeParam("K")
    private static let V = CELType.typeParam("V")

    private mutating func g(_ name: String, _ params: [CELType], _ result: CELType) {
        global[name, default: []].append(Overload(params: params, result: result))
    }

    /// A method: the receiver is the first parameter.
    private mutating func m(_ name: String, _ params: [CELType], _ result: CELType) {
        member[name, default: []].append(Overload(params: params, result: result))
    }

    // swiftlint:disable:next function_body_length
    private static func build() -> FunctionSignatures {
        var s = FunctionSignatures()
        let numeric: [CELType] = [.int, .uint, .double]
        for t in numeric {
            for op in [Operator.add, Operator.subtract, Operator.multiply, Operator.divide] { s.g(op, [t, t], t) }
        }
        s.g(Operator.modulo, [.int, .int], .int)
        s.g(Operator.modulo, [.uint, .uint], .uint)
        s.g(Operator.add, [.string, .string], .string)
        s.g(Operator.add, [.bytes, .bytes], .bytes)
        s.g(Operator.add, [.list(A), .list(A)], .list(A))
        s.g(Operator.add, [.duration, .duration], .duration)
        s.g(Operator.add, [.timestamp, .duration], .timestamp)
        s.g(Operator.add, [.duration, .timestamp], .timestamp)
        s.g(Operator.subtract, [.duration, .duration], .duration)
        s.g(Operator.subtract, [.timestamp, .duration], .timestamp)
        s.g(Operator.subtract, [.timestamp, .timestamp], .duration)
        s.g(Operator.negate, [.int], .int)
        s.g(Operator.negate, [.double], .double)
        s.g(Operator.negate, [.duration], .duration)
        s.g(Operator.logicalNot, [.bool], .bool)
        s.g(Operator.notStrictlyFalse, [.bool], .bool)
        let ordered: [CELType] = [.string, .bytes, .bool, .timestamp, .duration]
        for op in [Operator.less, Operator.lessEquals, Operator.greater, Operator.greaterEquals] {
            for a in numeric { for b in numeric { s.g(op, [a, b], .bool) } }
            for t in ordered { s.g(op, [t, t], .bool) }
        }
        s.g(Operator.index, [.list(A), .int], A)
        s.g(Operator.index, [.list(A), .uint], A)
        s.g(Operator.index, [.map(K, V), K], V)
        s.g(Operator.optionalIndex, [.list(A), .int], .optional(A))
        s.g(Operator.optionalIndex, [.map(K, V), K], .optional(V))
        // Indexing through an optional keeps the result optional.
        for op in [Operator.index, Operator.optionalIndex] {
            s.g(op, [.optional(.list(A)), .int], .optional(A))
            s.g(op, [.optional(.map(K, V)), K], .optional(V))
        }
        s.g(Operator.in, [A, .list(A)], .bool)
        s.g(Operator.in, [K, .map(K, V)], .bool)
        s.g(Function.mapInsert, [.map(K, V), K, V], .map(K, V))

        for t in [CELType.string, .bytes, .list(A), .map(K, V)] {
            s.g("size", [t], .int)
            s.m("size", [t], .int)
        }
        for name in ["contains", "startsWith", "endsWith", "matches"] { s.m(name, [.string, .string], .bool) }
        s.g("matches", [.string, .string], .bool)

        for t in [CELType.int, .uint, .double, .string, .timestamp, .duration] { s.g("int", [t], .int) }
        for t in [CELType.int, .uint, .double, .string] {
            s.g("uint", [t], .uint)
            s.g("double", [t], .double)
        }
        for t in [CELType.int, .uint, .double, .bool, .bytes, .timestamp, .duration, .string] { s.g("string", [t], .string) }
        s.g("bytes", [.string], .bytes)
        s.g("bytes", [.bytes], .bytes)
        s.g("bool", [.bool], .bool)
        s.g("bool", [.string], .bool)
        s.g("dyn", [A], .dyn)
        s.g("type", [A], .type(A))
        for t in [CELType.string, .int, .timestamp] { s.g("timestamp", [t], .timestamp) }
        for t in [CELType.string, .int, .duration] { s.g("duration", [t], .duration) }
        for accessor in TimeAccessor.allCases {
            s.m(accessor.rawValue, [.timestamp], .int)
            s.m(accessor.rawValue, [.timestamp, .string], .int)
        }
        for name in ["getHours", "getMinutes", "getSeconds", "getMilliseconds"] { s.m(name, [.duration], .int) }

        s.m("charAt", [.string, .int], .string)
        for name in ["indexOf", "lastIndexOf"] {
            s.m(name, [.string, .string], .int)
            s.m(name, [.string, .string, .int], .int)
        }
        for name in ["lowerAscii", "upperAscii", "trim", "reverse"] { s.m(name, [.string], .string) }
        s.m("replace", [.string, .string, .string], .string)
        s.m("replace", [.string, .string, .string, .int], .string)
        s.m("split", [.string, .string], .list(.string))
        s.m("split", [.string, .string, .int], .list(.string))
        s.m("substring", [.string, .int], .string)
        s.m("substring", [.string, .int, .int], .string)
        s.m("join", [.list(.string)], .string)
        s.m("join", [.list(.string), .string], .string)
        s.m("format", [.string, .list(.dyn)], .string)
        s.m("flatten", [.list(.list(A))], .list(A))
        s.m("flatten", [.list(.list(A)), .int], .list(.dyn))
        s.g("strings.quote", [.string], .string)
        for t in [CELType.int, .uint, .double] { s.g("formatNumber", [t, .int], .string) }

        for name in ["math.ceil", "math.floor", "math.round", "math.trunc"] { s.g(name, [.double], .double) }
        for t in numeric {
            s.g("math.sum", [.list(t)], t)
            s.g("math.sqrt", [t], .double)
            s.g("math.abs", [t], t)
            s.g("math.sign", [t], t)
        }
        for name in ["math.isInf", "math.isNaN", "math.isFinite"] { s.g(name, [.double], .bool) }
        for name in ["math.bitAnd", "math.bitOr", "math.bitXor"] {
            s.g(name, [.int, .int], .int)
            s.g(name, [.uint, .uint], .uint)
        }
        s.g("math.bitNot", [.int], .int)
        s.g("math.bitNot", [.uint], .uint)
        for name in ["math.bitShiftLeft", "math.bitShiftRight"] {
            s.g(name, [.int, .int], .int)
            s.g(name, [.uint, .int], .uint)
        }
        // math.greatest and math.least are variadic; the checker handles them specially.
        s.g("math.greatest", [], .dyn)
        s.g("math.least", [], .dyn)

        s.g("base64.encode", [.bytes], .string)
        s.g("base64.decode", [.string], .bytes)

        s.g("optional.of", [A], .optional(A))
        s.g("optional.ofNonZeroValue", [A], .optional(A))
        s.g("optional.none", [], .optional(.dyn))
        s.m("hasValue", [.optional(A)], .bool)
        s.m("value", [.optional(A)], A)
        s.m("orValue", [.optional(A), A], A)
        s.m("or", [.optional(A), .optional(A)], .optional(A))
        return s
    }

    /// Prefixes of namespaced functions such as `math.greatest`.
    static let namespaces: Set<String> = ["math", "strings", "base64", "optional"]

    /// Names a user can call, for "did you mean".
    var callableNames: [String] {
        (Array(global.keys) + Array(member.keys)).filter { !$0.hasPrefix("_") && !$0.hasPrefix("@") && !$0.hasPrefix("-") && !$0.hasPrefix("!") }
    }
}
