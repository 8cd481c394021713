/// An expression parsed and checked once, kept as a value: plan it with
/// `CELEnvironment.program(for:)` as often as needed, or read what it refers to without walking it.
public struct CELCheckedExpression: Sendable {
    /// The syntax tree, with the byte range of every node and the source text.
    public let parsed: CELParsedExpression
    /// The checked type of every node, keyed by expression id; empty when unchecked.
    public let types: CELSideTable<CELType>
    /// The type of the whole expression; `dyn` when unchecked.
    public let resultType: CELType
    /// Every use of a declared variable, in source order, with the constant field path selected
    /// from it (cel-go's reference map). Empty when the environment does not check types.
    public let references: [CELReference]
    /// Whether the expression was type-checked (the environment had `checksTypes` on).
    public let isTypeChecked: Bool

    /// The root of the tree.
    public var root: CELExpr { parsed.root }
    /// The source text.
    public var source: String { parsed.source }

    /// The first field each use of `variable` selects: for `record.email.size() > 0 && has(record.phone)`
    /// and "record", `["email", "phone"]`. A use of the whole variable adds nothing.
    public func fieldsRead(from variable: String) -> Set<String> {
        Set(references.lazy.filter { $0.variable == variable }.compactMap(\.path.first))
    }
}
