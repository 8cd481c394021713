import Diagnostics

/// Go to definition: from a step named in `from:`, `after:` or a join's `with:` to that step's key.
struct DefinitionProvider {
    let document: OpenDocument

    static let stepReferenceKeys: Set<String> = ["from", "after", "with"]

    /// The range of the step id under `steps:` that the reference under the cursor names.
    func definition(at offset: Int) -> SourceRange? {
        guard let word = WordAtCursor(in: document.file, at: offset), !word.isKey else { return nil }
        let context = CursorContext(in: document.file, at: word.range.end)
        guard let key = context.key, Self.stepReferenceKeys.contains(key) else { return nil }
        // `from: score.hot` names the segment `hot` of step `score`: the step is the first part.
        var stepID = word.text
        if word.lineBefore.hasSuffix(".") {
            stepID = CursorContext.trailingWord(of: String(word.lineBefore.dropLast()))
        }
        return Self.stepKey(stepID, in: document.file)
    }

    /// Finds `id:` among the keys directly under the top-level `steps:`, by reading the text, so that
    /// it works while another part of the file is broken.
    static func stepKey(_ id: String, in file: SourceFile) -> SourceRange? {
        let lines = YAMLLines(file)
        var index = 0
        while index < lines.count {
            let shape = LineShape(lines.text(of: index))
            index += 1
            if shape.key == "steps", shape.contentColumn == 0, shape.dashColumn == nil { break }
        }
        var stepColumn: Int?
        while index < lines.count {
            defer { index += 1 }
            let shape = LineShape(lines.text(of: index))
            if shape.isBlankOrComment { continue }
            if shape.contentColumn == 0 { return nil }
            if stepColumn == nil { stepColumn = shape.contentColumn }
            guard shape.contentColumn == stepColumn, shape.dashColumn == nil, shape.key == id else { continue }
            let start = lines[index].start + shape.contentColumn + (shape.content.first == "\"" || shape.content.first == "'" ? 1 : 0)
            return SourceRange(start: start, end: start + id.utf8.count)
        }
        return nil
    }
}
