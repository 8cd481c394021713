import Diagnostics

/// The words of a diagnostic found while reading YAML: what is wrong, and how to fix it.
struct YAMLMessage {
    /// What is wrong, in one sentence without a trailing period.
    let text: String
    /// How to fix it, when there is something useful to say.
    let help: String?

    /// A message with its help, if it has one.
    init(_ text: String, help: String? = nil) {
        self.text = text
        self.help = help
    }
}

extension Diagnostic {
    /// An error worded by `message`.
    static func error(_ code: DiagnosticCode, _ message: YAMLMessage, at range: SourceRange, notes: [DiagnosticNote] = []) -> Diagnostic {
        .error(code, message.text, at: range, notes: notes, help: message.help)
    }
}

/// Every message the loader reports, in one place, so that wording is written and reviewed together
/// and the input check, the event reader and the syntax hints say only what they found.
extension YAMLMessage {
    // MARK: The file's bytes

    /// A file of `byteCount` bytes, more than the loader's `limit`.
    static func fileTooLarge(_ byteCount: Int, limit: Int) -> YAMLMessage {
        YAMLMessage("file is \(byteCount) bytes; the limit is \(limit) bytes", help: "split the work into several smaller playbooks")
    }

    /// A file in a wider encoding, named by `encoding` (`UTF-16`, `UTF-32`).
    static func unsupportedEncoding(_ encoding: String) -> YAMLMessage {
        YAMLMessage("file is encoded as \(encoding); playbooks must be UTF-8",
                    help: "re-save the file as UTF-8 (most editors offer this under 'Save with encoding')")
    }

    /// A NUL byte, which libyaml would stop at.
    static let nulByte = YAMLMessage("file contains a NUL byte, so it is not a text file",
                                     help: "a playbook is a YAML text file; check that this is the playbook you meant, not a program, an image or a document saved by a word processor")

    /// A `byte` that does not start or continue a well-formed UTF-8 sequence.
    static func invalidUTF8(_ byte: UInt8) -> YAMLMessage {
        let digits = String(byte, radix: 16, uppercase: true)
        return YAMLMessage("byte 0x\(digits.count == 1 ? "0" + digits : digits) is not valid UTF-8", help: "re-save the file as UTF-8")
    }

    // MARK: Documents and limits

    /// A second document in the file.
    static let multipleDocuments = YAMLMessage("file holds more than one YAML document", help: "put each playbook in its own file")

    /// The note on where the first of several documents starts.
    static let firstDocumentNote = "the first document starts here"

    /// Mappings and lists nested deeper than `limit`.
    static func nestingTooDeep(limit: Int) -> YAMLMessage {
        YAMLMessage("mappings and lists are nested more than \(limit) levels deep",
                    help: "no playbook needs this much nesting; check the brackets and indentation around here")
    }

    /// More than `limit` nodes in the file.
    static func tooManyNodes(limit: Int) -> YAMLMessage {
        YAMLMessage("file holds more than \(limit) values")
    }

    // MARK: Keys

    /// A mapping (`isMapping`) or a list used as a key.
    static func complexKey(isMapping: Bool) -> YAMLMessage {
        YAMLMessage("a \(isMapping ? "mapping" : "list") cannot be used as a key", help: "keys must be text")
    }

    /// A key given twice; `written` and `firstWritten` are how the file spells the two, quotes and all.
    static func duplicateKey(_ text: String, written: String, firstWritten: String) -> YAMLMessage {
        YAMLMessage("duplicate key '\(text)'" + (firstWritten == written ? "" : " (written as \(written) here and \(firstWritten) before)"),
                    help: "YAML keeps only one of the two values; remove or rename one of them")
    }

    /// The note on the first of two equal keys.
    static func keyFirstDefinedNote(_ text: String) -> String { "'\(text)' is first defined here" }

    // MARK: Tags, anchors and aliases

    /// A tag outside YAML's core schema; `tag` is as libyaml resolves it, shown with `!!` for the
    /// standard prefix.
    static func unsupportedTag(_ tag: String) -> YAMLMessage {
        let prefix = "tag:yaml.org,2002:"
        let shown = tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
        return YAMLMessage("tag '\(shown)' is not supported in playbooks",
                           help: "a value that starts with '!' is read as a YAML tag; if it is an expression or text, quote it, e.g. '\(shown)…'")
    }

    /// An alias, `*name`.
    static func aliasNotAllowed(_ name: String) -> YAMLMessage {
        YAMLMessage("aliases ('*\(name)') are not supported in playbooks",
                    help: "write the value out in full; if this is text that starts with '*' (such as cron text), quote it")
    }

    /// An anchor, `&name`.
    static func anchorNotAllowed(_ name: String) -> YAMLMessage {
        YAMLMessage("anchors ('&\(name)') are not supported in playbooks",
                    help: "write each value out in full; if this is text that starts with '&', quote it")
    }

    // MARK: Syntax errors

    /// What a syntax error says when libyaml gives no problem of its own.
    static let unknownSyntaxProblem = "invalid YAML"

    /// libyaml's `problem`, with advice about the usual cause.
    static func syntaxError(_ problem: String, hint: SyntaxHints.Hint?) -> YAMLMessage {
        // libyaml's words for a tab ("found character that cannot start any token") do not say
        // what is wrong; the line does.
        if case .tabIndentation? = hint {
            return YAMLMessage("this line is indented with a tab", help: "YAML indentation must use spaces, not tabs: replace the tab with spaces")
        }
        // libyaml's words for an unquoted template ("did not find expected key") speak of YAML's
        // mappings; the fix is to quote the value.
        if case .startsWithTemplateBraces(let quoted)? = hint {
            return YAMLMessage("a value that starts with '{{' must be quoted as a whole",
                               help: "YAML reads '{' as the start of a mapping; quote the whole text, e.g. \(quoted)")
        }
        // libyaml's words for a misplaced key ("did not find expected key", or "mapping values are
        // not allowed" when the key is read as more of the value above) name neither the key nor the fix.
        if case .misindentedKey(let misindent)? = hint {
            return misindentedKey(misindent)
        }
        return YAMLMessage(problem, help: hint.map(help))
    }

    /// A key indented differently from the keys of its mapping.
    static func misindentedKey(_ misindent: IndentationHints.Misindent) -> YAMLMessage {
        let key = misindent.key, sibling = misindent.sibling, column = misindent.column
        if misindent.siblingIsBelow {
            return YAMLMessage("'\(key)' is indented less than the keys below it, so YAML cannot tell which mapping they belong to",
                               help: "line it up with '\(sibling)' (column \(column)), using spaces")
        }
        if misindent.isDeeper {
            return YAMLMessage("'\(key)' is indented more than the keys above it, so YAML reads it as more of the value of '\(sibling)'",
                               help: "line it up under '\(sibling)' (column \(column)), using spaces; if the line continues that value, put the whole value in quotes")
        }
        return YAMLMessage("'\(key)' is indented less than the keys above it, so YAML cannot tell which mapping it belongs to",
                           help: "line it up under '\(sibling)' (column \(column)), using spaces")
    }

    private static func help(_ hint: SyntaxHints.Hint) -> String {
        switch hint {
        case .startsWithAlias(let quoted):
            "a value that starts with '*' is read as a YAML alias; quote the text, e.g. \(quoted)"
        case .reservedFirstCharacter(let first, let quoted):
            "a value cannot start with '\(first)' in YAML; quote the text, e.g. \(quoted)"
        case .textAfterQuotedString:
            "a value that starts with a quote ends at the closing quote; to write an expression that starts with a string, put the whole expression in quotes of the other kind or use a block scalar ('>-' on the line before)"
        case .colonInValue(let quoted):
            "a value that contains ': ' must be quoted, e.g. \(quoted ?? "\"text: with colon\"")"
        case .startsWithTemplateBraces(let quoted):
            "a value that starts with '{{' is read as a YAML mapping; quote the whole text, e.g. \(quoted)"
        case .misindentedKey(let misindent):
            misindentedKey(misindent).help ?? ""
        case .tabIndentation:
            "YAML indentation must use spaces, not tabs"
        case .unclosedQuote:
            "a quoted value is missing its closing quote"
        case .indentationOrBrackets:
            "check the indentation of this line against the lines above, and that brackets and quotes are closed"
        }
    }
}
