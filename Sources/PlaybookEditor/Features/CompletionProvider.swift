import Diagnostics
import Foundation
import PlaybookLanguage

/// What may be written at the cursor: keys the grammar allows there, step ids, connection names,
/// resources, record fields and expression functions.
struct CompletionProvider {
    let document: OpenDocument
    let catalog: ConnectorCatalog

    /// LSP completion item kinds used here.
    enum Kind: Int {
        case function = 3, field = 5, variable = 6, module = 9, property = 10, value = 12, keyword = 14, reference = 18, enumMember = 20
    }

    func items(at offset: Int) -> [JSONValue] {
        let context = CursorContext(in: document.file, at: offset)
        guard let key = context.key else { return keyItems(at: context.path) }
        let valuePath = context.path + [key]
        guard let shape = GrammarPath.shape(at: valuePath) else { return [] }
        switch GrammarPath.elements(of: shape) {
        case .expression:
            return expressionItems(context.textBeforeCursor, path: context.path)
        case .template:
            let text = context.textBeforeCursor
            guard let open = text.range(of: "{{", options: .backwards),
                  text.range(of: "}}", options: .backwards, range: open.upperBound..<text.endIndex) == nil
            else { return [] }
            return expressionItems(String(text[open.upperBound...]), path: context.path)
        case .text(.stepReference):
            return stepItems()
        case .text(.connector):
            return catalog.connectors.map { item($0.name, .module, detail: $0.title, documentation: $0.summary) }
        case .choice(let words):
            return words.map { item($0, .enumMember) }
        case .boolean:
            return ["true", "false"].map { item($0, .keyword) }
        case .text(.identifier) where key == "connection" || (key == "notify" && context.path == ["alerts"]):
            return connectionItems()
        case .text(.any) where key == "resource":
            return resourceItems(near: offset)
        default:
            return []
        }
    }

    private func keyItems(at path: [String]) -> [JSONValue] {
        guard let object = GrammarPath.object(at: path) else { return [] }
        return object.fields.map { field in
            let opensBlock = switch GrammarPath.elements(of: field.shape) {
            case .object, .dictionary: true
            default: false
            }
            return item(field.name, .property, detail: field.shape.expectation, documentation: field.summary,
                        insertText: opensBlock ? "\(field.name):" : "\(field.name): ")
        }
    }

    private func stepItems() -> [JSONValue] {
        guard let playbook = document.playbook else { return [] }
        var items: [JSONValue] = []
        for step in playbook.steps {
            items.append(item(step.id.value.rawValue, .reference, detail: "\(step.kindName) step", documentation: step.description))
            if case .segment(let segment) = step.kind {
                for name in segment.segmentNames {
                    items.append(item("\(step.id.value).\(name)", .reference, detail: "segment of \(step.id.value)"))
                }
            }
        }
        return items
    }

    private func connectionItems() -> [JSONValue] {
        guard let playbook = document.playbook else { return [] }
        return playbook.connections.map { item($0.name.value.rawValue, .reference, detail: "connector \($0.connector.value)") }
    }

    /// The resources of the connector of the `connection:` written beside the cursor.
    private func resourceItems(near offset: Int) -> [JSONValue] {
        guard let connection = SiblingKeys(in: document.file, at: offset).value(of: "connection"),
              let connector = connector(of: connection)
        else { return [] }
        return connector.resources.map { resource in
            let modes = resource.syncModes.map(\.rawValue).joined(separator: ", ")
            let detail = [resource.readable ? "read" : nil, modes.isEmpty ? nil : "write: \(modes)"].compactMap { $0 }.joined(separator: "; ")
            return item(resource.name, .value, detail: detail, documentation: resource.summary)
        }
    }

    func connector(of connection: String) -> ConnectorDescriptor? {
        if let known = document.checked?.connectors[ConnectionName(connection)] { return known }
        guard let declared = document.playbook?.connection(ConnectionName(connection)) else { return nil }
        return catalog[declared.connector.value]
    }

    /// Completion inside an expression: fields after `record.`, methods after another `.`, else
    /// functions, macros and variables.
    private func expressionItems(_ text: String, path: [String]) -> [JSONValue] {
        // After `record.` or `record.address.`, the fields; after a field that is not a record, its methods.
        if let chain = RecordChain(endOf: text), let type = recordType(at: path), let fields = chain.fields(in: type) {
            return fields.map { item($0.name, .field, detail: $0.type.description, documentation: $0.summary.isEmpty ? nil : $0.summary) }
        }
        let beforeWord = text.dropLast(CursorContext.trailingWord(of: text).count)
        if beforeWord.hasSuffix(".") {
            let namespace = CursorContext.trailingWord(of: String(beforeWord.dropLast()))
            if ["math", "strings", "base64", "optional", "cel"].contains(namespace) {
                return CELFunctionDoc.all.filter { $0.name.hasPrefix(namespace + ".") }.map {
                    functionItem($0, label: String($0.name.dropFirst(namespace.count + 1)))
                }
            }
            return CELFunctionDoc.all.filter { $0.call != .global }.map { functionItem($0, label: $0.name) }
        }
        let variables = [
            ("record", "The record the expression is computed for."), ("params", "The playbook's parameters."),
            ("now", "The time the run started."), ("run", "The run: id, started_at, status, dry_run, error."),
            ("trigger", "What started the run: kind, fired_at, path, schedule, payload, headers."),
            ("steps", "The steps' results, by step id."),
        ]
        return variables.map { item($0.0, .variable, documentation: $0.1) }
            + CELFunctionDoc.all.filter { $0.call != .member }.map { functionItem($0, label: $0.name) }
    }

    /// The record type expressions of the step at `path` (`steps → id → kind → …`) read.
    func recordType(at path: [String]) -> ValueType? {
        guard path.count >= 2, path[0] == "steps", let checked = document.checked else { return nil }
        return checked.inputTypes[StepID(path[1])]
    }

    private func functionItem(_ doc: CELFunctionDoc, label: String) -> JSONValue {
        item(label, doc.isMacro ? .keyword : .function, detail: doc.signature, documentation: doc.summary)
    }

    private func item(_ label: String, _ kind: Kind, detail: String? = nil, documentation: String? = nil, insertText: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("label", .string(label)), ("kind", .int(kind.rawValue))]
        if let detail { members.append(("detail", .string(detail))) }
        if let documentation { members.append(("documentation", .object([("kind", .string("markdown")), ("value", .string(documentation))]))) }
        if let insertText { members.append(("insertText", .string(insertText))) }
        return .object(members)
    }
}

/// `record.a.b.` (or `record.a.b.partial`) at the end of expression text: the fields read on the way.
struct RecordChain {
    var fields: [String]

    init?(endOf text: String) {
        var rest = Substring(text)
        let partial = CursorContext.trailingWord(of: String(rest))
        rest = rest.dropLast(partial.count)
        guard rest.hasSuffix(".") else { return nil }
        var names: [String] = []
        while rest.hasSuffix(".") {
            rest = rest.dropLast()
            let name = CursorContext.trailingWord(of: String(rest))
            guard !name.isEmpty else { return nil }
            names.insert(name, at: 0)
            rest = rest.dropLast(name.count)
        }
        guard names.first == "record" else { return nil }
        if let before = rest.last, before.isLetter || before.isNumber || before == "_" || before == "." { return nil }
        fields = Array(names.dropFirst())
    }

    /// The fields of the value reached by following the chain from a record of `type`.
    func fields(in type: ValueType) -> [ValueType.Field]? {
        var current = type
        for name in fields {
            guard case .object(let members) = current, let field = members.first(where: { $0.isNamed(name) }) else { return nil }
            current = field.type
        }
        guard case .object(let members) = current else { return nil }
        return members
    }
}

/// The keys written in the same mapping as a line, read from the text.
struct SiblingKeys {
    var values: [String: String] = [:]

    init(in file: SourceFile, at offset: Int) {
        let lines = YAMLLines(file)
        let cursorLine = lines.index(containing: offset)
        let column = LineShape(lines.text(of: cursorLine)).contentColumn
        var found: [String: String] = [:]
        /// Reads one line; false once the line ends the mapping.
        func read(_ index: Int) -> Bool {
            let shape = LineShape(lines.text(of: index))
            if shape.isBlankOrComment { return true }
            if shape.contentColumn < column { return false }
            if shape.contentColumn == column, let key = shape.key, let value = shape.value, found[key] == nil {
                found[key] = value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
            // A list item's dash at this column starts the next item, whose keys are not siblings.
            return !(shape.dashColumn != nil && shape.contentColumn == column)
        }
        var index = cursorLine
        while index >= 0, read(index) { index -= 1 }
        index = cursorLine + 1
        while index < lines.count, read(index) { index += 1 }
        values = found
    }

    func value(of key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
}
