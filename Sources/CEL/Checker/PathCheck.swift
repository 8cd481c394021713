/// Types `record.email`-style expressions (a declared variable followed by field names) without
/// building a syntax tree.
///
/// Most template interpolations and many keys and operands in a playbook are just that. The answer
/// is the one the parser and the checker would give; whenever they would have something to report
/// (an unknown variable or field, a reserved word, a type that does not fit), or the text is anything
/// but a plain path, the answer is nil and the caller takes the full route.
enum PathCheck {
    static func type(of source: String, in environment: CELEnvironment) -> CELType? {
        guard environment.checksTypes, !environment.hasDottedVariables else { return nil }
        var source = source
        return source.withUTF8 { bytes in
            guard bytes.count <= CELParserLimits.maxSourceLength else { return nil }
            var start = 0
            var end = bytes.count
            while start < end, Lexer.isBlank(bytes[start]) { start += 1 }
            while end > start, Lexer.isBlank(bytes[end - 1]) { end -= 1 }
            var position = start
            guard let first = identifier(bytes, &position, end),
                  CELParser.literalKeyword(first) == nil, !isReservedWord(first), first != "google",
                  var type = environment.variables[first] else { return nil }
            while position < end {
                guard bytes[position] == UInt8(ascii: "."), let field = identifier(bytes, &position, end, afterDot: true),
                      let selected = select(field, on: type) else { return nil }
                type = selected
            }
            guard !containsTypeParameter(type) else { return nil }
            if let expected = environment.expectedResultType, !Checker.isAssignable(type, to: expected) { return nil }
            return type
        }
    }

    /// The field's type, as the checker selects it, or nil when the checker would report something
    /// or the operand's type is one this shortcut leaves to the checker.
    private static func select(_ field: String, on type: CELType) -> CELType? {
        switch type {
        case .object(_, let fields): fields[field]
        case .map(.string, let value): value
        case .dyn: .dyn
        default: nil
        }
    }

    /// Reads an identifier at `position` (past a `.` when `afterDot`), moving past it.
    private static func identifier(
        _ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ end: Int, afterDot: Bool = false
    ) -> String? {
        let start = afterDot ? position + 1 : position
        guard start < end, Lexer.isIdentStart(bytes[start]) else { return nil }
        var cursor = start + 1
        while cursor < end, Lexer.isIdentStart(bytes[cursor]) || Lexer.isDigit(bytes[cursor]) { cursor += 1 }
        position = cursor
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
    }

    private static func containsTypeParameter(_ type: CELType) -> Bool {
        switch type {
        case .typeParam: true
        case .list(let element), .type(let element), .optional(let element): containsTypeParameter(element)
        case .map(let key, let value): containsTypeParameter(key) || containsTypeParameter(value)
        default: false
        }
    }
}
