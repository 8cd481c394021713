import CEL
import YAML

/// Values written in a test file, typed as YAML 1.2's core schema reads plain scalars: whole
/// numbers are ints, numbers with a fraction or exponent doubles, `true`/`false` bools, `null`
/// (or nothing) null; everything else, and anything quoted, is text.
enum YAMLValues {
    static func value(_ node: YAMLNode) -> CELValue {
        switch node.content {
        case .scalar(let text, let style):
            return style == .plain ? plain(text, isNull: node.isNull) : .string(text)
        case .mapping(let pairs, _):
            var map = CELMap()
            for pair in pairs { try? map.insert(.string(pair.key.scalar ?? ""), value(pair.value)) }
            return .map(map)
        case .sequence(let items, _):
            return .list(items.map(value))
        case .alias(let name):
            return .string("*" + name)
        }
    }

    private static func plain(_ text: String, isNull: Bool) -> CELValue {
        if isNull { return .null }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if isWholeNumber(text), let number = Int64(text) { return .int(number) }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
           text.allSatisfy({ "0123456789+-.eE".contains($0) }), let number = Double(text), number.isFinite {
            return .double(number)
        }
        return .string(text)
    }

    /// An optional sign and digits, without leading zeros (YAML 1.1 would read `0777` as octal).
    private static func isWholeNumber(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return false }
        return digits.count == 1 || digits.first != "0"
    }
}
