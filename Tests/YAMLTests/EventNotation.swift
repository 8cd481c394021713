import YAML

/// Writes a loaded stream in the YAML test suite's event notation, so node trees can be compared with
/// the suite's expected `.event` files.
enum EventNotation {
    static func render(_ documents: [YAMLDocument]) -> String {
        var lines = ["+STR"]
        for document in documents {
            lines.append(document.explicitStart ? "+DOC ---" : "+DOC")
            render(document.root, into: &lines)
            lines.append(document.explicitEnd ? "-DOC ..." : "-DOC")
        }
        lines.append("-STR")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func render(_ node: YAMLNode, into lines: inout [String]) {
        var properties = ""
        if let anchor = node.anchor { properties += " &\(anchor)" }
        if let tag = node.tag { properties += " <\(tag)>" }
        switch node.content {
        case .scalar(let text, let style):
            let indicator: String = switch style {
            case .plain: ":"
            case .singleQuoted: "'"
            case .doubleQuoted: "\""
            case .literal: "|"
            case .folded: ">"
            }
            lines.append("=VAL\(properties) \(indicator)\(escape(text))")
        case .alias(let name):
            lines.append("=ALI *\(name)")
        case .mapping(let pairs, let flow):
            lines.append("+MAP\(flow ? " {}" : "")\(properties)")
            for pair in pairs {
                render(pair.key, into: &lines)
                render(pair.value, into: &lines)
            }
            lines.append("-MAP")
        case .sequence(let items, let flow):
            lines.append("+SEQ\(flow ? " []" : "")\(properties)")
            for item in items { render(item, into: &lines) }
            lines.append("-SEQ")
        }
    }

    private static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\u{08}": result += "\\b"
            case "\0": result += "\\0"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
