import Diagnostics
import Foundation
import PlaybookLanguage

/// A playbook open in the editor: its current text, and what validation last made of it.
struct OpenDocument {
    let uri: String
    /// The file path the URI names, which connector spec paths in the playbook are relative to.
    let path: String
    var version: Int?
    private(set) var file: SourceFile
    /// The validation of the current text.
    private(set) var validation: ValidationResult
    /// The latest text that decoded as a playbook, kept while the current text is broken mid-edit
    /// so that completion still knows the steps, connections and record fields.
    private(set) var lastDecoded: ValidationResult?

    init(uri: String, text: String, version: Int?, validator: PlaybookValidator) {
        self.uri = uri
        self.path = Self.path(of: uri)
        self.version = version
        self.file = SourceFile(path: path, text: text)
        self.validation = validator.validate(file)
        self.lastDecoded = validation.playbook == nil ? nil : validation
    }

    var text: String { String(decoding: file.bytes, as: UTF8.self) }

    /// Replaces the text and validates it again.
    mutating func update(text: String, version: Int?, validator: PlaybookValidator) {
        self.version = version
        file = SourceFile(path: path, text: text)
        revalidate(validator)
    }

    /// Validates the current text again, for a save that may have changed files it reads.
    mutating func revalidate(_ validator: PlaybookValidator) {
        validation = validator.validate(file)
        if validation.playbook != nil { lastDecoded = validation }
    }

    /// The playbook the editor features read: the current one when it decodes, else the last that did.
    var playbook: Playbook? { validation.playbook ?? lastDecoded?.playbook }
    /// The checked playbook, from the same text as `playbook`.
    var checked: CheckedPlaybook? { validation.playbook != nil ? validation.checked : lastDecoded?.checked }

    /// The path of a `file:` URI, or the URI itself for any other scheme (an unsaved buffer).
    static func path(of uri: String) -> String {
        guard let url = URL(string: uri), url.isFileURL else { return uri }
        return url.path
    }
}
