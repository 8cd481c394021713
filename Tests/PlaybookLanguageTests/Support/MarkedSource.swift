import Diagnostics
import PlaybookLanguage

/// Source text with the expected diagnostic range marked as «text»; markers are removed before use.
struct MarkedSource {
    let text: String
    /// Byte ranges of the marked spans, in order.
    let ranges: [SourceRange]

    init(_ marked: String) {
        var output: [UInt8] = []
        var ranges: [SourceRange] = []
        var openAt: Int?
        for scalar in marked.unicodeScalars {
            switch scalar {
            case "«": openAt = output.count
            case "»":
                if let start = openAt { ranges.append(SourceRange(start: start, end: output.count)) }
                openAt = nil
            default: output.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        self.text = String(decoding: output, as: UTF8.self)
        self.ranges = ranges
    }

    var file: SourceFile { SourceFile(path: "playbook.yaml", text: text) }
}

func validate(_ text: String, path: String = "playbook.yaml") -> ValidationResult {
    PlaybookValidator().validate(SourceFile(path: path, text: text))
}

/// A one-line summary of a diagnostic for readable failures: `3:5 PB0201 unknown field 'x'`.
func summary(_ diagnostic: Diagnostic, in file: SourceFile) -> String {
    let location = file.location(of: diagnostic.range.start)
    return "\(location.line):\(location.column) \(diagnostic.code) \(diagnostic.message)"
}
