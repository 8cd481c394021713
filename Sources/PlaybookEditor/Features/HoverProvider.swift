import Diagnostics
import PlaybookLanguage

/// The documentation of what is under the cursor: a key's description from the grammar, a record
/// field's type and summary, an expression function, a connector or a resource.
struct HoverProvider {
    let document: OpenDocument
    let catalog: ConnectorCatalog

    /// Markdown and the range it is about, or nil when there is nothing to say.
    func hover(at offset: Int) -> (markdown: String, range: SourceRange)? {
        guard let word = WordAtCursor(in: document.file, at: offset) else { return nil }
        if word.isKey {
            let context = CursorContext(in: document.file, at: word.range.start)
            guard let field = GrammarPath.field(word.text, at: context.path) else { return nil }
            return ("**\(field.name)**\(field.required ? " (required)" : ""): \(field.shape.expectation)\n\n\(field.summary)", word.range)
        }
        let context = CursorContext(in: document.file, at: word.range.end)
        let completion = CompletionProvider(document: document, catalog: catalog)
        // The chain up to the end of the word under the cursor: `record.address.city`.
        if let chain = RecordChain(endOf: context.textBeforeCursor + "."), let name = chain.fields.last,
           let type = completion.recordType(at: context.path),
           let field = RecordChain(fields: chain.fields.dropLast()).fields(in: type)?.first(where: { $0.isNamed(name) }) {
            let summary = field.summary.isEmpty ? "" : "\n\n\(field.summary)"
            return ("**record.\(chain.fields.joined(separator: "."))**: `\(field.type)`\(summary)", word.range)
        }
        switch context.key {
        case "connector":
            guard let connector = catalog[word.text] else { break }
            return ("**\(connector.title)** (`\(connector.name)`)\n\n\(connector.summary)", word.range)
        case "resource":
            guard let connection = SiblingKeys(in: document.file, at: offset).value(of: "connection"),
                  let resource = completion.connector(of: connection)?.resource(named: word.text)
            else { break }
            return ("**\(resource.name)**\n\n\(resource.summary)", word.range)
        default:
            break
        }
        return functionHover(word)
    }

    /// A function or macro: the word followed by `(`, named with its namespace (`math.abs`).
    private func functionHover(_ word: WordAtCursor) -> (markdown: String, range: SourceRange)? {
        guard word.lineAfter.hasPrefix("(") else { return nil }
        var name = word.text
        if word.lineBefore.hasSuffix(".") {
            let namespace = CursorContext.trailingWord(of: String(word.lineBefore.dropLast()))
            if CELFunctionDoc.named(namespace + "." + name) != nil { name = namespace + "." + name }
        }
        guard let doc = CELFunctionDoc.named(name) else { return nil }
        return (doc.markdown, word.range)
    }
}

extension RecordChain {
    init(fields: some Collection<String>) { self.fields = Array(fields) }
}
