import Diagnostics

/// How a scalar was written, which decides how its text may be read.
public enum ScalarStyle: Hashable, Sendable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded

    /// True when the author quoted the text (so `yes` or `NO` were meant as text).
    public var isQuoted: Bool { self != .plain }
}

/// One node of a YAML document with the exact source range it came from.
public struct YAMLNode: Hashable, Sendable {
    /// What a node holds.
    public enum Content: Hashable, Sendable {
        case scalar(String, ScalarStyle)
        case mapping([YAMLPair], flow: Bool)
        case sequence([YAMLNode], flow: Bool)
        /// `*name`: only kept when the loader is told to allow aliases; never expanded.
        case alias(String)
    }

    public var content: Content
    /// Bytes of the node in the file; for collections, from the first to the last character of their content.
    public var range: SourceRange
    /// The resolved tag when one was written explicitly (`!!str` → `tag:yaml.org,2002:str`).
    public var tag: String?
    /// `&name`, when anchors are allowed.
    public var anchor: String?

    public init(_ content: Content, range: SourceRange, tag: String? = nil, anchor: String? = nil) {
        self.content = content
        self.range = range
        self.tag = tag
        self.anchor = anchor
    }

    /// The scalar's text, or nil for collections.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    public var scalarStyle: ScalarStyle? {
        if case .scalar(_, let style) = content { return style }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs, _) = content { return pairs }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items, _) = content { return items }
        return nil
    }

    /// True for a plain scalar that YAML reads as null: empty, `~` or `null`.
    public var isNull: Bool {
        guard case .scalar(let text, .plain) = content, tag == nil else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// A word for the kind of node, for messages: `text`, `mapping`, `list`.
    public var kindDescription: String {
        switch content {
        case .scalar: isNull ? "null" : "text"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }

    /// The value for `key` in a mapping, comparing keys as text.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs, _) = content else { return nil }
        for index in pairs.indices {
            if case .scalar(let text, _) = pairs[index].key.content, text == key { return pairs[index].value }
        }
        return nil
    }
}

/// A key and its value in a mapping.
public struct YAMLPair: Hashable, Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// One document of a stream, with the markers that delimited it.
public struct YAMLDocument: Hashable, Sendable {
    public var root: YAMLNode
    /// The document began with `---`.
    public var explicitStart: Bool
    /// The document ended with `...`.
    public var explicitEnd: Bool
}
