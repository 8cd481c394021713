import Diagnostics

/// Codes of the problems found while reading a file as YAML (`PB00xx` input, `PB01xx` YAML).
public enum YAMLDiagnosticCode {
    /// The file is larger than the loader's limit (4 MiB by default).
    public static let fileTooLarge: DiagnosticCode = "PB0001"
    /// A byte sequence is not valid UTF-8.
    public static let invalidUTF8: DiagnosticCode = "PB0002"
    /// The file contains a NUL byte.
    public static let nulByte: DiagnosticCode = "PB0003"
    /// The file starts with a UTF-16 or UTF-32 byte order mark.
    public static let unsupportedEncoding: DiagnosticCode = "PB0004"
    /// The file holds no YAML document.
    public static let emptyDocument: DiagnosticCode = "PB0005"
    /// libyaml could not read the file.
    public static let syntaxError: DiagnosticCode = "PB0101"
    /// A mapping gives the same key twice.
    public static let duplicateKey: DiagnosticCode = "PB0102"
    /// A tag outside YAML's core schema, such as `!include`.
    public static let unsupportedTag: DiagnosticCode = "PB0103"
    /// An anchor or alias, which playbooks refuse.
    public static let aliasNotAllowed: DiagnosticCode = "PB0104"
    /// The file holds more than one document.
    public static let multipleDocuments: DiagnosticCode = "PB0105"
    /// Collections nested deeper than the limit (64 levels by default).
    public static let nestingTooDeep: DiagnosticCode = "PB0106"
    /// A list or mapping used as a key.
    public static let complexKey: DiagnosticCode = "PB0107"
    /// More values than the limit (1,000,000 by default).
    public static let tooManyNodes: DiagnosticCode = "PB0108"

    /// What each code means and how to fix it.
    public static let catalogue = DiagnosticCatalogue([
        DiagnosticDescriptor(fileTooLarge, .error, "file too large",
            "The file is larger than a playbook may be (4 MiB). Split the work into several playbooks."),
        DiagnosticDescriptor(invalidUTF8, .error, "invalid UTF-8",
            "Playbooks are UTF-8 text. The byte at the location is not valid UTF-8; re-save the file as UTF-8."),
        DiagnosticDescriptor(nulByte, .error, "NUL byte",
            "The file contains a NUL byte, which never belongs in a text file; it is often a sign of a binary or UTF-16 file."),
        DiagnosticDescriptor(unsupportedEncoding, .error, "UTF-16 or UTF-32 file",
            "The file starts with a UTF-16 or UTF-32 byte order mark. Re-save it as UTF-8."),
        DiagnosticDescriptor(emptyDocument, .error, "empty file",
            "The file holds no YAML document. A playbook is a mapping that starts with `version: 1`."),
        DiagnosticDescriptor(syntaxError, .error, "YAML syntax error",
            "The YAML parser could not read the file. The message says what it expected; the help explains the common causes, such as an unquoted value that starts with `*`, `@`, `!` or a quote."),
        DiagnosticDescriptor(duplicateKey, .error, "duplicate key",
            "A mapping has the same key twice (also when written with different quotes). YAML keeps only one of them, so one of the values would be lost: remove or rename one. Keys are compared character by character, as YAML defines: `café` with a precomposed `é` and with `e` plus a combining accent are two different keys."),
        DiagnosticDescriptor(unsupportedTag, .error, "unsupported tag",
            "Playbooks use plain YAML values; a tag such as `!include` or `!!python/object` is not supported. A value that starts with `!` (like a negated expression) must be quoted."),
        DiagnosticDescriptor(aliasNotAllowed, .error, "anchors and aliases are not supported",
            "Anchors (`&name`) and aliases (`*name`) hide where a value comes from and can expand without bound, so playbooks refuse them. Write the value out, or use `defaults:`. A value that starts with `*` or `&` (like cron text) must be quoted."),
        DiagnosticDescriptor(multipleDocuments, .error, "more than one document",
            "A playbook file holds exactly one YAML document. Put each playbook in its own file."),
        DiagnosticDescriptor(nestingTooDeep, .error, "nesting too deep",
            "Mappings and lists are nested deeper than the limit (64 levels). No playbook needs that; the file is probably malformed."),
        DiagnosticDescriptor(complexKey, .error, "key is not text",
            "A mapping key must be text. A list or mapping used as a key (`? [a, b]`) is not supported."),
        DiagnosticDescriptor(tooManyNodes, .error, "too many values",
            "The file holds more values than the limit (1,000,000). No playbook needs that; the file is probably malformed."),
    ])
}
