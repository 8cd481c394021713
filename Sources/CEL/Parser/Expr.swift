import Diagnostics

/// Identifies one node of a parsed expression; side tables (ranges, checked types) are keyed by it.
public typealias CELExprID = Int

/// A node of the CEL abstract syntax tree. Macros are already expanded into comprehensions.
///
/// The tree is never mutated after parsing: positions live in `CELParsedExpression.ranges` and checked
/// types in `CheckedExpression.types`, both keyed by `id`.
public struct CELExpr: Sendable {
    /// The node's id, unique within one parsed expression.
    public var id: CELExprID
    public var kind: Kind

    public init(id: CELExprID, kind: Kind) {
        self.id = id
        self.kind = kind
    }

    /// The shapes an expression can take. Only the cases that hold a node directly are boxed, so the
    /// leaves (identifiers and literals), about half of every tree, cost no allocation of their own.
    public enum Kind: Sendable {
        /// A literal: null, bool, int, uint, double, string or bytes.
        case literal(CELValue)
        /// A plain identifier such as `record`.
        case ident(String)
        /// `operand.field`; `testOnly` for `has(operand.field)`, `optional` for `operand.?field`.
        indirect case select(operand: CELExpr, field: String, testOnly: Bool, optional: Bool)
        /// A global call `f(args)` or a member call `target.f(args)`; operators are calls to `_+_` etc.
        indirect case call(target: CELExpr?, function: String, args: [CELExpr])
        /// `[a, b, ?c]`: `optionalIndices` lists the elements written with `?`.
        case list(elements: [CELExpr], optionalIndices: [Int])
        /// `{k: v, ?k2: v2}`.
        case map(entries: [MapEntry])
        /// The fold every macro expands into.
        indirect case comprehension(Comprehension)
    }

    /// One `key: value` entry of a map literal.
    public struct MapEntry: Sendable {
        public var id: CELExprID
        public var key: CELExpr
        public var value: CELExpr
        public var optional: Bool
    }

    /// A fold over a list or map: `accu = init; for iter in range while cond { accu = step }; result`.
    public struct Comprehension: Sendable {
        /// The element variable (or the index/key when `iterVar2` is set).
        public var iterVar: String
        /// The value variable of a two-variable comprehension.
        public var iterVar2: String?
        public var iterRange: CELExpr
        public var accuVar: String
        public var accuInit: CELExpr
        public var loopCondition: CELExpr
        public var loopStep: CELExpr
        public var result: CELExpr
    }
}

/// Names of the operator functions, as cel-spec spells them.
enum Operator {
    static let conditional = "_?_:_"
    static let logicalAnd = "_&&_"
    static let logicalOr = "_||_"
    static let logicalNot = "!_"
    static let negate = "-_"
    static let equals = "_==_"
    static let notEquals = "_!=_"
    static let less = "_<_"
    static let lessEquals = "_<=_"
    static let greater = "_>_"
    static let greaterEquals = "_>=_"
    static let add = "_+_"
    static let subtract = "_-_"
    static let multiply = "_*_"
    static let divide = "_/_"
    static let modulo = "_%_"
    static let `in` = "@in"
    static let index = "_[_]"
    static let optionalIndex = "_[?_]"
    /// Internal: false only when the argument is exactly `false`; keeps `all` going past errors.
    static let notStrictlyFalse = "@not_strictly_false"

    /// How an operator is written, for messages.
    static func display(_ function: String) -> String {
        switch function {
        case conditional: return "?:"
        case logicalAnd: return "&&"
        case logicalOr: return "||"
        case logicalNot: return "!"
        case negate: return "-"
        case equals: return "=="
        case notEquals: return "!="
        case less: return "<"
        case lessEquals: return "<="
        case greater: return ">"
        case greaterEquals: return ">="
        case add: return "+"
        case subtract: return "-"
        case multiply: return "*"
        case divide: return "/"
        case modulo: return "%"
        case `in`: return "in"
        case index, optionalIndex: return "[]"
        default: return function
        }
    }
}

/// The result of parsing: the tree, the byte range of every node, and any syntax errors.
public struct CELParsedExpression: Sendable {
    /// The tree; when there were errors it may be partial (error nodes are `ident("<error>")`).
    public var root: CELExpr
    /// UTF-8 byte range of each node within the source text.
    public var ranges: CELSideTable<SourceRange>
    /// For selections and calls: the range of just the field or function name (`scroe` in `record.scroe`).
    public var nameRanges = CELSideTable<SourceRange>()
    /// Syntax errors, with byte ranges relative to `source`.
    public var diagnostics: [Diagnostic]
    /// The source text that was parsed.
    public var source: String
    /// One past the largest id used, so later stages can allocate fresh ids.
    public var nextID: CELExprID

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The range of a node, or an empty range at 0 when unknown.
    public func range(of id: CELExprID) -> SourceRange { ranges[id] ?? .at(0) }

    /// The range of a selection's field or a call's function name, falling back to the node's range.
    public func nameRange(of id: CELExprID) -> SourceRange { nameRanges[id] ?? range(of: id) }

    init(root: CELExpr, ranges: CELSideTable<SourceRange>, diagnostics: [Diagnostic], source: String, nextID: CELExprID) {
        self.root = root
        self.ranges = ranges
        self.diagnostics = diagnostics
        self.source = source
        self.nextID = nextID
    }
}
