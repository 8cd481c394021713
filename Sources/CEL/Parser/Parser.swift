import Diagnostics

/// Limits that keep hostile input from exhausting the stack or memory.
public enum CELParserLimits {
    /// Deepest allowed syntax tree: parentheses, calls, operators and literals all count.
    public static let maxNestingDepth = 100
    /// Longest accepted expression, in UTF-8 bytes.
    public static let maxSourceLength = 100_000
    /// Syntax errors reported per expression before the parser stops reporting.
    static let maxDiagnostics = 10
}

/// Recursive-descent parser for CEL. It never throws: problems become diagnostics and the parser
/// carries on where it can, so one expression may report several errors.
public struct CELParser {
    var tokens: [Token] = []
    var index = 0
    var nextID: CELExprID = 1
    var ranges = CELSideTable<SourceRange>()
    var nameRanges = CELSideTable<SourceRange>()
    var heights = CELSideTable<Int>()
    var diagnostics: [Diagnostic] = []
    var depth = 0
    var depthExceeded = false
    let sourceLength: Int

    private init(sourceLength: Int) { self.sourceLength = sourceLength }

    /// Parses one expression. Ranges in the result are byte offsets into `source`, starting at 0.
    public static func parse(_ source: String) -> CELParsedExpression {
        let length = source.utf8.count
        var parser = CELParser(sourceLength: length)
        if length > CELParserLimits.maxSourceLength {
            parser.diagnostics.append(.error(
                CELDiagnosticCode.limitExceeded,
                CELDiagnosticMessages.tooLong(length),
                at: SourceRange(start: 0, end: length)))
            let root = parser.make(.ident("<error>"), .at(0))
            return parser.result(root, source: source)
        }
        parser.tokens = Lexer.tokenize(source)
        // About one node per token; macros add a few more.
        parser.ranges.reserveCapacity(parser.tokens.count + 8)
        parser.heights.reserveCapacity(parser.tokens.count + 8)
        parser.nameRanges.reserveCapacity(parser.tokens.count + 8)
        var root = parser.parseExpr()
        if !parser.atEnd {
            let words = CELDiagnosticMessages.textAfterExpression(source, found: parser.current.range, described: parser.describe(parser.current))
            parser.error(CELDiagnosticCode.syntaxError, words.message, at: parser.current.range, help: words.help)
            root = parser.make(.ident("<error>"), parser.range(of: root))
        }
        return parser.result(root, source: source)
    }

    func result(_ root: CELExpr, source: String) -> CELParsedExpression {
        var parsed = CELParsedExpression(root: root, ranges: ranges, diagnostics: diagnostics, source: source, nextID: nextID)
        parsed.nameRanges = nameRanges
        return parsed
    }

    // MARK: - Tokens

    var current: Token { tokens[index] }

    /// Whether the current token is `punct`.
    func atPunct(_ punct: Punct) -> Bool { tokens[index].code == punct.rawValue &+ 1 }

    /// The current token's punctuation, if it is one.
    var currentPunct: Punct? {
        let code = tokens[index].code
        return code == 0 || code == 255 ? nil : Punct(rawValue: code &- 1)
    }

    /// Whether the whole input has been read.
    var atEnd: Bool { tokens[index].code == 255 }
    func peekToken(_ offset: Int = 1) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    /// Moves past the current token (staying on the final `.end`).
    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// Moves past the current token and returns its range, without copying the token.
    mutating func advanceRange() -> SourceRange {
        let range = tokens[index].range
        advance()
        return range
    }

    /// Moves past the current token and returns it.
    mutating func take() -> Token {
        let token = tokens[index]
        advance()
        return token
    }

    mutating func accept(_ punct: Punct) -> Bool {
        if atPunct(punct) {
            advance()
            return true
        }
        return false
    }

    mutating func expect(_ punct: Punct, _ context: String) -> SourceRange? {
        if atPunct(punct) { return advanceRange() }
        error(CELDiagnosticCode.syntaxError, CELDiagnosticMessages.expected(punct.text, context, found: describe(current)), at: current.range)
        return nil
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier(let name): return "'\(name)'"
        case .int(let text, _), .uint(let text, _), .double(let text): return "number '\(text)'"
        case .string: return "a string"
        case .bytes: return "a bytes literal"
        case .punct(let p): return "'\(p.text)'"
        case .quotedName: return "a quoted field name"
        case .end: return "the end of the expression"
        case .invalid(let message): return message
        case .malformedNumber(let number): return number.message
        }
    }

    mutating func error(_ code: DiagnosticCode, _ message: String, at range: SourceRange, help: String? = nil) {
        // After the nesting limit, the skipped input would only produce noise.
        guard diagnostics.count < CELParserLimits.maxDiagnostics, !depthExceeded else { return }
        // A token that failed to lex already says what is wrong with it.
        if case .invalid(let text) = current.kind, range == current.range, code == CELDiagnosticCode.syntaxError {
            let literal = text.contains("escape") || text.contains("string") || text.contains("hexadecimal") || text.contains("UTF-8")
            diagnostics.append(.error(literal ? CELDiagnosticCode.invalidLiteral : code, text, at: range))
            return
        }
        if case .malformedNumber(let number) = current.kind, range == current.range, code == CELDiagnosticCode.syntaxError {
            diagnostics.append(.error(CELDiagnosticCode.invalidLiteral, number.message, at: range, help: number.help))
            return
        }
        diagnostics.append(.error(code, message, at: range, help: help))
    }

    // MARK: - Nodes

    /// Creates a node, recording its range and tree height; too tall a tree becomes one limit error.
    mutating func make(_ kind: CELExpr.Kind, _ range: SourceRange) -> CELExpr {
        let id = nextID
        nextID += 1
        ranges[id] = range
        var height = 0
        switch kind {
        case .literal, .ident: height = 0
        case .select(let operand, _, _, _): height = (heights[operand.id] ?? 0)
        case .call(let target, _, let args):
            height = target.map { (heights[$0.id] ?? 0) } ?? 0
            for arg in args { height = max(height, (heights[arg.id] ?? 0)) }
        case .list(let elements, _):
            for element in elements { height = max(height, (heights[element.id] ?? 0)) }
        case .map(let entries):
            for entry in entries { height = max(height, (heights[entry.key.id] ?? 0), (heights[entry.value.id] ?? 0)) }
        case .comprehension(let c):
            height = [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].map { (heights[$0.id] ?? 0) }.max()!
        }
        height += 1
        heights[id] = height
        if height > CELParserLimits.maxNestingDepth {
            if !depthExceeded {
                depthExceeded = true
                diagnostics.append(.error(CELDiagnosticCode.limitExceeded,
                    CELDiagnosticMessages.nestedTooDeeply, at: range))
            }
            heights[id] = 0
            return CELExpr(id: id, kind: .ident("<error>"))
        }
        return CELExpr(id: id, kind: kind)
    }

    func range(of expr: CELExpr) -> SourceRange { ranges[expr.id] ?? .at(0) }

    mutating func errorNode(_ range: SourceRange) -> CELExpr { make(.ident("<error>"), range) }

    mutating func call(_ function: String, _ args: [CELExpr], _ range: SourceRange) -> CELExpr {
        make(.call(target: nil, function: function, args: args), range)
    }
}
