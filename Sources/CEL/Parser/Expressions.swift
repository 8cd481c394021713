import Diagnostics

/// The expression grammar, by precedence from `? :` down to literals.
extension CELParser {
    // MARK: - Grammar

    /// Counts one level of recursion; past the limit, reports once and skips the rest of the input,
    /// since nothing sensible can be built that deep.
    mutating func enterNesting() -> Bool {
        depth += 1
        if depth <= CELParserLimits.maxNestingDepth { return true }
        depth -= 1
        if !depthExceeded {
            depthExceeded = true
            diagnostics.append(.error(CELDiagnosticCode.limitExceeded,
                CELDiagnosticMessages.nestedTooDeeply, at: current.range))
        }
        while !atEnd { advance() }
        return false
    }

    /// expr = or ['?' or ':' expr]
    mutating func parseExpr() -> CELExpr {
        guard enterNesting() else { return errorNode(current.range) }
        defer { depth -= 1 }
        let condition = parseOr()
        guard accept(.question) else { return condition }
        let whenTrue = parseOr()
        _ = expect(.colon, "in a conditional expression")
        let whenFalse = parseExpr()
        return call(Operator.conditional, [condition, whenTrue, whenFalse], range(of: condition).union(range(of: whenFalse)))
    }

    /// Chains of `&&` and `||` are built as balanced trees so a long chain stays shallow.
    mutating func parseOr() -> CELExpr {
        let first = parseAnd()
        guard atPunct(.pipePipe) else { return first }
        var operands = [first]
        while accept(.pipePipe) { operands.append(parseAnd()) }
        return balanced(Operator.logicalOr, operands[...])
    }

    mutating func parseAnd() -> CELExpr {
        let first = parseRelation()
        guard atPunct(.ampAmp) else { return first }
        var operands = [first]
        while accept(.ampAmp) { operands.append(parseRelation()) }
        return balanced(Operator.logicalAnd, operands[...])
    }

    mutating func balanced(_ function: String, _ operands: ArraySlice<CELExpr>) -> CELExpr {
        if operands.count == 1 { return operands.first! }
        let middle = operands.startIndex + operands.count / 2
        let left = balanced(function, operands[operands.startIndex..<middle])
        let right = balanced(function, operands[middle...])
        return call(function, [left, right], range(of: left).union(range(of: right)))
    }

    /// The function a relational operator calls.
    static func relation(_ punct: Punct) -> String? {
        switch punct {
        case .less: Operator.less
        case .lessEquals: Operator.lessEquals
        case .greater: Operator.greater
        case .greaterEquals: Operator.greaterEquals
        case .equalEquals: Operator.equals
        case .bangEquals: Operator.notEquals
        default: nil
        }
    }

    mutating func parseRelation() -> CELExpr {
        var left = parseAddition()
        while true {
            let function: String
            if let p = currentPunct, let op = CELParser.relation(p) {
                function = op
            } else if tokens[index].code == 0, case .identifier("in") = current.kind {
                function = Operator.in
            } else {
                return left
            }
            advance()
            let right = parseAddition()
            left = call(function, [left, right], range(of: left).union(range(of: right)))
        }
    }

    mutating func parseAddition() -> CELExpr {
        var left = parseMultiplication()
        while true {
            let function: String
            if atPunct(.plus) { function = Operator.add } else if atPunct(.minus) { function = Operator.subtract } else { return left }
            advance()
            let right = parseMultiplication()
            left = call(function, [left, right], range(of: left).union(range(of: right)))
        }
    }

    mutating func parseMultiplication() -> CELExpr {
        var left = parseUnary()
        while true {
            let function: String
            if atPunct(.star) { function = Operator.multiply } else if atPunct(.slash) { function = Operator.divide } else if atPunct(.percent) { function = Operator.modulo } else { return left }
            advance()
            let right = parseUnary()
            left = call(function, [left, right], range(of: left).union(range(of: right)))
        }
    }

    mutating func parseUnary() -> CELExpr {
        if atPunct(.bang) {
            let start = advanceRange()
            guard enterNesting() else { return errorNode(start) }
            defer { depth -= 1 }
            let operand = parseUnary()
            return call(Operator.logicalNot, [operand], start.union(range(of: operand)))
        }
        if atPunct(.minus) {
            let start = advanceRange()
            // A minus directly before a number is part of the literal, so the minimum int parses.
            switch current.kind {
            case .int, .double:
                let literal = parseNumber(negative: true, start: start)
                return parseMemberSuffixes(literal)
            default:
                guard enterNesting() else { return errorNode(start) }
                defer { depth -= 1 }
                let operand = parseUnary()
                return call(Operator.negate, [operand], start.union(range(of: operand)))
            }
        }
        return parseMember()
    }

    mutating func parseMember() -> CELExpr {
        parseMemberSuffixes(parsePrimary())
    }

    mutating func parseMemberSuffixes(_ operand: CELExpr) -> CELExpr {
        var operand = operand
        while true {
            if atPunct(.dot) {
                advance()
                let optional = accept(.question)
                let nameToken = current
                let name: String
                switch nameToken.kind {
                case .identifier(let id):
                    name = id
                    // The grammar's keywords are never names, even after a dot; the words only
                    // reserved (`if`, `as`, …) may be field names there, as in cel-go.
                    if Self.isKeyword(id) {
                        error(CELDiagnosticCode.reservedWord, CELDiagnosticMessages.keywordAsFieldName(id), at: nameToken.range,
                              help: CELDiagnosticMessages.reservedWordHelp(id))
                    }
                case .quotedName(let quoted): name = quoted
                default:
                    error(CELDiagnosticCode.syntaxError, CELDiagnosticMessages.expectedMemberName(found: describe(nameToken)), at: nameToken.range)
                    if case .end = nameToken.kind {} else if !nameToken.isPunct(.rightParen) && !nameToken.isPunct(.rightBracket) && !nameToken.isPunct(.rightBrace) { advance() }
                    return errorNode(range(of: operand).union(nameToken.range))
                }
                advance()
                let isQuoted = { if case .quotedName = nameToken.kind { return true } else { return false } }()
                if atPunct(.leftParen), !optional, !isQuoted {
                    let open = advanceRange()
                    let (args, close) = parseArguments(open: open)
                    let whole = range(of: operand).union(close)
                    operand = expandMemberCall(target: operand, name: name, nameRange: nameToken.range, args: args, range: whole)
                } else {
                    operand = make(.select(operand: operand, field: name, testOnly: false, optional: optional),
                                   range(of: operand).union(nameToken.range))
                    nameRanges[operand.id] = nameToken.range
                    if atPunct(.leftBrace), isQualifiedName(operand) {
                        operand = skipMessageConstruction(operand)
                    }
                }
            } else if atPunct(.leftBracket) {
                advance()
                let optional = accept(.question)
                let index = parseExpr()
                let close = expect(.rightBracket, "to close the index") ?? range(of: index)
                operand = call(optional ? Operator.optionalIndex : Operator.index, [operand, index], range(of: operand).union(close))
            } else {
                return operand
            }
        }
    }

    func isQualifiedName(_ expr: CELExpr) -> Bool {
        switch expr.kind {
        case .ident: return true
        case .select(let operand, _, false, false): return isQualifiedName(operand)
        default: return false
        }
    }

    /// `Name{…}` is valid CEL for protocol-buffer messages; it is reported and skipped.
    mutating func skipMessageConstruction(_ name: CELExpr) -> CELExpr {
        let start = range(of: name)
        var nesting = 0
        var end = current.range
        repeat {
            if atPunct(.leftBrace) { nesting += 1 } else if atPunct(.rightBrace) { nesting -= 1 }
            end = advanceRange()
        } while nesting > 0 && !atEnd
        let whole = start.union(end)
        error(CELDiagnosticCode.messageConstruction, CELDiagnosticMessages.messageConstruction, at: whole,
              help: CELDiagnosticMessages.messageConstructionHelp)
        return errorNode(whole)
    }

    /// Parses `a, b, c)` after an opening parenthesis; returns the arguments and the closing range.
    mutating func parseArguments(open: SourceRange) -> ([CELExpr], SourceRange) {
        var args: [CELExpr] = []
        if atPunct(.rightParen) { return (args, advanceRange()) }
        args.reserveCapacity(4)
        while true {
            args.append(parseExpr())
            if accept(.comma) {
                if atPunct(.rightParen) { break }
                continue
            }
            break
        }
        if let close = expect(.rightParen, "to close the argument list") { return (args, close) }
        recover(to: [.rightParen])
        return (args, current.range)
    }

    /// Skips tokens up to one of the given closers (consuming it) or the end, after an error.
    mutating func recover(to closers: [Punct]) {
        while !atEnd {
            if closers.contains(where: current.isPunct) {
                advance()
                return
            }
            if atPunct(.rightParen) || atPunct(.rightBracket) || atPunct(.rightBrace) { return }
            advance()
        }
    }

    mutating func parsePrimary() -> CELExpr {
        let token = current
        switch token.kind {
        case .int, .uint, .double:
            return parseNumber(negative: false, start: token.range)
        case .string(let text):
            advance()
            return make(.literal(.string(text)), token.range)
        case .bytes(let bytes):
            advance()
            return make(.literal(.bytes(bytes)), token.range)
        case .identifier(let name):
            return parseIdentifier(name, leadingDot: false, start: token.range)
        case .punct(.dot):
            advance()
            if case .identifier(let name) = current.kind {
                return parseIdentifier(name, leadingDot: true, start: token.range)
            }
            error(CELDiagnosticCode.syntaxError, CELDiagnosticMessages.expectedNameAfterLeadingDot(found: describe(current)), at: current.range)
            return errorNode(token.range)
        case .punct(.leftParen):
            advance()
            let inner = parseExpr()
            if expect(.rightParen, "to close the parenthesis") == nil { recover(to: [.rightParen]) }
            return inner
        case .punct(.leftBracket):
            return parseList()
        case .punct(.leftBrace):
            return parseMap()
        default:
            error(CELDiagnosticCode.syntaxError, CELDiagnosticMessages.expectedExpression(found: describe(token)), at: token.range)
            // Leave closers for the enclosing construct; skip anything else so parsing moves on.
            if !(token.isPunct(.rightParen) || token.isPunct(.rightBracket) || token.isPunct(.rightBrace) || token.isPunct(.comma) || token.isPunct(.colon) || token.isEnd) {
                advance()
            }
            return errorNode(token.range)
        }
    }

    /// Whether `name` is one of the grammar's keywords: `in`, `true`, `false`, `null`.
    static func isKeyword(_ name: String) -> Bool { name == "in" || literalKeyword(name) != nil }

    /// The value of `true`, `false` or `null`; lengths are compared first, since every identifier is tested.
    static func literalKeyword(_ name: String) -> CELValue? {
        switch name.utf8.count {
        case 4: name == "true" ? .bool(true) : name == "null" ? .null : nil
        case 5: name == "false" ? .bool(false) : nil
        default: nil
        }
    }

    mutating func parseIdentifier(_ name: String, leadingDot: Bool, start: SourceRange) -> CELExpr {
        let tokenRange = advanceRange()
        let whole = start.union(tokenRange)
        if !leadingDot, let literal = Self.literalKeyword(name) { return make(.literal(literal), tokenRange) }
        if isReservedWord(name) {
            error(CELDiagnosticCode.reservedWord, CELDiagnosticMessages.reservedWord(name), at: tokenRange,
                  help: CELDiagnosticMessages.reservedWordHelp(name))
            if atPunct(.leftParen) {
                let open = advanceRange()
                _ = parseArguments(open: open)
            }
            return errorNode(whole)
        }
        if atPunct(.leftParen) {
            let open = advanceRange()
            let (args, close) = parseArguments(open: open)
            return expandGlobalCall(name: name, nameRange: tokenRange, args: args, range: whole.union(close))
        }
        let ident = make(.ident(name), whole)
        if atPunct(.leftBrace) {
            return skipMessageConstruction(ident)
        }
        return ident
    }

    mutating func parseNumber(negative: Bool, start: SourceRange) -> CELExpr {
        let token = take()
        let whole = start.union(token.range)
        switch token.kind {
        case .int(let text, let hex):
            let magnitude = UInt64(text, radix: hex ? 16 : 10)
            if let magnitude {
                if negative, magnitude == UInt64(Int64.max) + 1 { return make(.literal(.int(Int64.min)), whole) }
                if magnitude <= UInt64(Int64.max) {
                    return make(.literal(.int(negative ? -Int64(magnitude) : Int64(magnitude))), whole)
                }
            }
            error(CELDiagnosticCode.invalidLiteral, CELDiagnosticMessages.intOutOfRange, at: whole,
                  help: CELDiagnosticMessages.intOutOfRangeHelp)
            return errorNode(whole)
        case .uint(let text, let hex):
            guard let value = UInt64(text, radix: hex ? 16 : 10) else {
                error(CELDiagnosticCode.invalidLiteral, CELDiagnosticMessages.uintOutOfRange, at: whole)
                return errorNode(whole)
            }
            if negative {
                // `-1u` is the negation of a uint, which has no overload; keep it an error at run time.
                let literal = make(.literal(.uint(value)), token.range)
                return call(Operator.negate, [literal], whole)
            }
            return make(.literal(.uint(value)), whole)
        case .double(let text):
            guard let value = Double(text) else {
                error(CELDiagnosticCode.invalidLiteral, CELDiagnosticMessages.invalidDouble, at: whole)
                return errorNode(whole)
            }
            return make(.literal(.double(negative ? -value : value)), whole)
        default:
            return errorNode(whole)
        }
    }

    mutating func parseList() -> CELExpr {
        let open = advanceRange()
        var elements: [CELExpr] = []
        var optionalIndices: [Int] = []
        while !atPunct(.rightBracket) && !atEnd {
            if accept(.question) { optionalIndices.append(elements.count) }
            elements.append(parseExpr())
            if !accept(.comma) { break }
        }
        let close = expect(.rightBracket, "to close the list") ?? current.range
        if close == current.range, !atPunct(.rightBracket) { recover(to: [.rightBracket]) }
        return make(.list(elements: elements, optionalIndices: optionalIndices), open.union(close))
    }

    mutating func parseMap() -> CELExpr {
        let open = advanceRange()
        var entries: [CELExpr.MapEntry] = []
        while !atPunct(.rightBrace) && !atEnd {
            let optional = accept(.question)
            let key = parseExpr()
            if expect(.colon, "between a map key and its value") == nil {
                recover(to: [.rightBrace])
                return errorNode(open.union(current.range))
            }
            let value = parseExpr()
            let id = nextID
            nextID += 1
            ranges[id] = range(of: key).union(range(of: value))
            entries.append(CELExpr.MapEntry(id: id, key: key, value: value, optional: optional))
            if !accept(.comma) { break }
        }
        let close = expect(.rightBrace, "to close the map") ?? current.range
        return make(.map(entries: entries), open.union(close))
    }
}
