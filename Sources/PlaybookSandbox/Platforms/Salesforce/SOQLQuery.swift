import Foundation

/// The small part of SOQL the sandbox understands: `SELECT fields FROM Object [WHERE field op literal
/// [AND …]] [ORDER BY field [ASC|DESC]] [LIMIT n]`.
struct SOQLQuery: Sendable {
    struct Condition: Sendable {
        let field: String
        let operation: String
        /// nil for the literal `null`.
        let literal: String?
    }

    let fields: [String]
    let object: String
    let conditions: [Condition]
    let orderBy: (field: String, descending: Bool)?
    let limit: Int?

    struct ParseError: Error {
        let message: String
    }

    static func parse(_ text: String) throws(ParseError) -> SOQLQuery {
        var tokens = tokenize(text)
        func next() -> String? { tokens.isEmpty ? nil : tokens.removeFirst() }
        func keyword(_ word: String) -> Bool {
            guard let first = tokens.first, first.uppercased() == word else { return false }
            tokens.removeFirst()
            return true
        }
        guard keyword("SELECT") else { throw ParseError(message: "unexpected token: '\(tokens.first ?? "")', the query must start with SELECT") }
        var fields: [String] = []
        while let token = next() {
            if token == "," { continue }
            if token.uppercased() == "FROM" { tokens.insert(token, at: 0); break }
            fields.append(token)
        }
        guard !fields.isEmpty else { throw ParseError(message: "unexpected token: 'FROM', no fields are selected") }
        guard keyword("FROM"), let object = next() else { throw ParseError(message: "unexpected end of query, expecting FROM and an object") }
        var conditions: [Condition] = []
        if keyword("WHERE") {
            repeat {
                guard let field = next(), let operation = next(), let literal = next() else {
                    throw ParseError(message: "unexpected end of query in the WHERE clause")
                }
                guard ["=", "!=", ">", ">=", "<", "<="].contains(operation) else {
                    throw ParseError(message: "unexpected token: '\(operation)' in the WHERE clause")
                }
                let value: String?
                if literal.lowercased() == "null" {
                    value = nil
                } else if literal.hasPrefix("'"), literal.hasSuffix("'"), literal.count >= 2 {
                    value = String(literal.dropFirst().dropLast()).replacingOccurrences(of: "\\'", with: "'")
                } else {
                    value = literal
                }
                conditions.append(Condition(field: field, operation: operation, literal: value))
            } while keyword("AND")
        }
        var orderBy: (String, Bool)?
        if keyword("ORDER") {
            guard keyword("BY"), let field = next() else { throw ParseError(message: "unexpected token after ORDER, expecting BY and a field") }
            let descending = keyword("DESC")
            if !descending { _ = keyword("ASC") }
            orderBy = (field, descending)
        }
        var limit: Int?
        if keyword("LIMIT") {
            guard let text = next(), let value = Int(text), value >= 0 else { throw ParseError(message: "LIMIT needs a whole number") }
            limit = value
        }
        if let extra = tokens.first { throw ParseError(message: "unexpected token: '\(extra)'") }
        return SOQLQuery(fields: fields, object: object, conditions: conditions, orderBy: orderBy, limit: limit)
    }

    /// Words, quoted strings, commas and comparison operators.
    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var characters = Array(text)[...]
        func flush() {
            if !current.isEmpty { tokens.append(current); current = "" }
        }
        while let character = characters.popFirst() {
            switch character {
            case " ", "\n", "\t", "\r": flush()
            case ",": flush(); tokens.append(",")
            case "'":
                flush()
                var literal = "'"
                while let inner = characters.popFirst() {
                    literal.append(inner)
                    if inner == "\\", let escaped = characters.popFirst() { literal.append(escaped); continue }
                    if inner == "'" { break }
                }
                tokens.append(literal)
            case "=", "<", ">", "!":
                flush()
                if characters.first == "=" {
                    characters.removeFirst()
                    tokens.append(String(character) + "=")
                } else {
                    tokens.append(String(character))
                }
            default: current.append(character)
            }
        }
        flush()
        return tokens
    }
}
