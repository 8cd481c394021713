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
        case punct(Punct)
        /// A field name quoted with backticks, without the backticks.
        case quotedName(String)
        case end
        /// Text the lexer could not understand; the message says why.
        case invalid(String)
        /// Text that looks like a number but that the grammar refuses (`1.`, `0X1F`).
        case malformedNumber(MalformedNumber)
    }

    /// A number the grammar refuses, with the text as written. One string, so that a token stays
    /// as small as the other kinds make it: tokens are copied throughout the parser.
    enum MalformedNumber: Sendable, Equatable {
        /// `1.`: no digits after the point.
        case pointWithoutDigits(String)
        /// `0X1F`: the prefix is lowercase only.
        case uppercaseHexPrefix(String)

        var message: String {
            switch self {
            case .pointWithoutDigits(let written): CELDiagnosticMessages.pointWithoutDigits(written)
            case .uppercaseHexPrefix: CELDiagnosticMessages.uppercaseHexPrefix
            }
        }

        var help: String {
            switch self {
            case .pointWithoutDigits(let written): CELDiagnosticMessages.pointWithoutDigitsHelp(written)
            case .uppercaseHexPrefix(let written): CELDiagnosticMessages.uppercaseHexPrefixHelp(written)
            }
        }
    }

    var kind: Kind
    var range: SourceRange
    /// A small code for the grammar's frequent "is the next token a `+`?" tests, read without copying
    /// the token: the punctuation's raw value + 1, 255 for the end, 0 otherwise.
    let code: UInt8

    init(kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
        self.code = switch kind {
        case .punct(let punct): punct.rawValue &+ 1
        case .end: 255
        default: 0
        }
    }

    func isPunct(_ wanted: Punct) -> Bool {
        if case .punct(let p) = kind { return p == wanted }
        return false
    }

    var isEnd: Bool {
        if case .end = kind { return true }
        return false
    }
}

/// Operators and punctuation, compared as small integers instead of text.
enum Punct: UInt8, Sendable, Equatable {
    case plus, minus, star, slash, percent
    case less, lessEquals, greater, greaterEquals, equalEquals, bangEquals
    case ampAmp, pipePipe, bang, question, colon, dot, comma
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace

    /// How the punctuation is written, for messages.
    var text: String {
        switch self {
        case .plus: "+"
        case .minus: "-"
        case .star: "*"
        case .slash: "/"
        case .percent: "%"
        case .less: "<"
        case .lessEquals: "<="
        case .greater: ">"
        case .greaterEquals: ">="
        case .equalEquals: "=="
        case .bangEquals: "!="
        case .ampAmp: "&&"
        case .pipePipe: "||"
        case .bang: "!"
        case .question: "?"
        case .colon: ":"
        case .dot: "."
        case .comma: ","
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .leftBrace: "{"
        case .rightBrace: "}"
        }
    }

    /// The single-byte punctuation starting with `byte`, if any.
    static func single(_ byte: UInt8) -> Punct? {
        switch byte {
        case UInt8(ascii: "+"): .plus
        case UInt8(ascii: "-"): .minus
        case UInt8(ascii: "*"): .star
        case UInt8(ascii: "/"): .slash
        case UInt8(ascii: "%"): .percent
        case UInt8(ascii: "<"): .less
        case UInt8(ascii: ">"): .greater
        case UInt8(ascii: "!"): .bang
        case UInt8(ascii: "?"): .question
        case UInt8(ascii: ":"): .colon
        case UInt8(ascii: "."): .dot
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: "("): .leftParen
        case UInt8(ascii: ")"): .rightParen
        case UInt8(ascii: "["): .leftBracket
        case UInt8(ascii: "]"): .rightBracket
        case UInt8(ascii: "{"): .leftBrace
        case UInt8(ascii: "}"): .rightBrace
        default: nil
        }
    }

    /// The two-byte operator written `first second`, if any.
    static func double(_ first: UInt8, _ second: UInt8) -> Punct? {
        switch (first, second) {
        case (UInt8(ascii: "="), UInt8(ascii: "=")): .equalEquals
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): .bangEquals
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): .lessEquals
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): .greaterEquals
        case (UInt8(ascii: "&"), UInt8(ascii: "&")): .ampAmp
        case (UInt8(ascii: "|"), UInt8(ascii: "|")): .pipePipe
        default: nil
        }
    }
}

/// Words the grammar reserves: they may not name variables or functions, but may follow a `.`.
let reservedWords: Set<String> = [
    "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
    "package", "namespace", "return", "var", "void", "while",
]

/// Whether `name` is reserved (or is `in`). Every identifier is tested, so the length and first
/// letter pick the one word it could be, and only that word is compared.
func isReservedWord(_ name: String) -> Bool {
    let length = name.utf8.count
    guard length >= 2, length <= 9, let first = name.utf8.first else { return false }
    let candidate: String? = switch (length, first) {
    case (2, UInt8(ascii: "a")): "as"
    case (2, UInt8(ascii: "i")): name == "in" ? "in" : "if"
    case (3, UInt8(ascii: "f")): "for"
    case (3, UInt8(ascii: "l")): "let"
    case (3, UInt8(ascii: "v")): "var"
    case (4, UInt8(ascii: "e")): "else"
    case (4, UInt8(ascii: "l")): "loop"
    case (4, UInt8(ascii: "v")): "void"
    case (5, UInt8(ascii: "b")): "break"
    case (5, UInt8(ascii: "c")): "const"
    case (5, UInt8(ascii: "w")): "while"
    case (6, UInt8(ascii: "i")): "import"
    case (6, UInt8(ascii: "r")): "return"
    case (7, UInt8(ascii: "p")): "package"
    case (8, UInt8(ascii: "c")): "continue"
    case (8, UInt8(ascii: "f")): "function"
    case (9, UInt8(ascii: "n")): "namespace"
    default: nil
    }
    return candidate.map { name == $0 } ?? false
}
