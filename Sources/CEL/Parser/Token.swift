import Diagnostics

/// One lexical token of CEL source, with its byte range.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        /// Integer literal text without sign or suffix, and whether it was hexadecimal.
        case int(String, hex: Bool)
        case uint(String, hex: Bool)
        case double(String)
        case string(String)
        case bytes([UInt8])
        case punct(String)
        case end
        /// Text the lexer could not understand; the message says why.
        case invalid(String)
    }

    var kind: Kind
    var range: SourceRange

    func isPunct(_ text: String) -> Bool {
        if case .punct(let p) = kind { return p == text }
        return false
    }
}

/// Words the grammar reserves: they may not name variables or functions, but may follow a `.`.
let reservedWords: Set<String> = [
    "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
    "package", "namespace", "return", "var", "void", "while",
]
