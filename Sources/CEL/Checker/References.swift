import Diagnostics

/// One use of a declared variable, as the checker resolved it (cel-go's reference map): the
/// variable, the constant field path selected from it, and where that is written.
///
/// In `steps.contacts.status == 'ok' && params["tier"] == 'x'` the references are `steps` with
/// path `["contacts", "status"]` and `params` with path `["tier"]`. Comprehension variables are not
/// references; neither are names the checker could not resolve.
public struct CELReference: Sendable, Hashable {
    /// The declared variable (dotted when the environment declares a dotted name).
    public var variable: String
    /// Field names selected from it, as far as they are constant: `.name`, `.?name`, `["name"]`,
    /// `has(x.name)`; empty when the variable is used as a whole.
    public var path: [String]
    /// The UTF-8 byte range of the variable and its path within the expression text.
    public var range: SourceRange
    /// How the first field of `path` is selected: whether the expression fails when it is absent.
    public var firstSelection: Selection

    /// How a field is selected from a value.
    public enum Selection: Sendable, Hashable {
        /// `x.name` or `x["name"]`: an error when the field is absent.
        case value
        /// `has(x.name)` or `"name" in x`: whether the field is there.
        case presenceTest
        /// `x.?name` or `x[?"name"]`: an optional, empty when the field is absent.
        case optional
    }

    /// The same reference in a text that starts `offset` bytes earlier.
    public func shifted(by offset: Int) -> CELReference {
        CELReference(variable: variable, path: path, range: SourceRange(start: range.start + offset, end: range.end + offset), firstSelection: firstSelection)
    }

    /// A reference to `variable`, selecting `path` (its first field as `firstSelection` says), written at `range`.
    public init(variable: String, path: [String], range: SourceRange, firstSelection: Selection = .value) {
        self.variable = variable
        self.path = path
        self.range = range
        self.firstSelection = firstSelection
    }
}

/// Builds the reference map from the checker's resolved names: each resolved name extended by the
/// constant selections written on it.
enum ReferenceMap {
    static func collect(_ root: CELExpr, variables: CELSideTable<String>, ranges: CELSideTable<SourceRange>) -> [CELReference] {
        guard !variables.isEmpty else { return [] }
        var references: [CELReference] = []
        // Recursive, in source order; the parser's nesting limit bounds the depth.
        func visit(_ expr: CELExpr) {
            if let (variable, path, selection) = chain(expr, variables) {
                references.append(CELReference(variable: variable, path: path, range: ranges[expr.id] ?? .at(0), firstSelection: selection))
                return
            }
            // `"name" in record` tests whether the variable has the field, as `has(record.name)` does.
            if case .call(nil, Operator.in, let args) = expr.kind, args.count == 2, case .literal(.string(let key)) = args[0].kind,
               let (variable, path, _) = chain(args[1], variables), path.isEmpty {
                references.append(CELReference(variable: variable, path: [key], range: ranges[expr.id] ?? .at(0), firstSelection: .presenceTest))
                return
            }
            switch expr.kind {
            case .literal, .ident: break
            case .select(let operand, _, _, _): visit(operand)
            case .call(let target, _, let args):
                if let target { visit(target) }
                for arg in args { visit(arg) }
            case .list(let elements, _): for element in elements { visit(element) }
            case .map(let entries):
                for entry in entries {
                    visit(entry.key)
                    visit(entry.value)
                }
            case .comprehension(let c):
                for part in [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result] { visit(part) }
            }
        }
        visit(root)
        return references
    }

    /// The variable and constant path `expr` reads, when it is a resolved name with selections on
    /// it, and how the first field of the path is selected.
    private static func chain(_ expr: CELExpr, _ variables: CELSideTable<String>) -> (String, [String], CELReference.Selection)? {
        if let variable = variables[expr.id] { return (variable, [], .value) }
        switch expr.kind {
        case .select(let operand, let field, let testOnly, let optional):
            guard let (variable, path, selection) = chain(operand, variables) else { return nil }
            guard path.isEmpty else { return (variable, path + [field], selection) }
            return (variable, [field], testOnly ? .presenceTest : optional ? .optional : .value)
        case .call(nil, let function, let args)
            where (function == Operator.index || function == Operator.optionalIndex) && args.count == 2:
            guard case .literal(.string(let key)) = args[1].kind, let (variable, path, selection) = chain(args[0], variables) else { return nil }
            guard path.isEmpty else { return (variable, path + [key], selection) }
            return (variable, [key], function == Operator.optionalIndex ? .optional : .value)
        default:
            return nil
        }
    }
}
