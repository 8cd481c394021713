import Diagnostics

/// How a scalar was written, which decides how its text may be read.
public enum ScalarStyle: UInt8, Hashable, Sendable {
    /// `text`: no quotes.
    case plain
    /// `'text'`.
    case singleQuoted
    /// `"text"`, with escapes.
    case doubleQuoted
    /// `|`: a block keeping its line breaks.
    case literal
    /// `>`: a block whose line breaks become spaces.
    case folded

    /// True when the author quoted the text (so `yes` or `NO` were meant as text).
    public var isQuoted: Bool { self != .plain }
}

/// The nodes of one loaded stream, stored flat: one record per node, one array of child indices and
/// one buffer of text (the file's bytes, followed by the scalars the file does not spell exactly),
/// so loading a file costs a handful of allocations instead of several per value. A scalar's text
/// becomes a `String` only when it is asked for; keys are compared, and most values checked, on
/// their bytes.
public final class YAMLStorage: Sendable {
    @usableFromInline enum Kind: UInt8, Sendable {
        case scalar, mapping, sequence, alias
    }

    @usableFromInline struct Record: Sendable {
        @usableFromInline var kind: Kind
        /// The scalar style, or for collections 1 when written in flow style (`[a]`, `{a: b}`).
        @usableFromInline var style: UInt8
        @usableFromInline var start: Int
        @usableFromInline var end: Int
        /// For scalars and aliases: where the text starts in `textBytes`.
        @usableFromInline var text: Int32
        /// For collections: where the children start in `children` and how many there are (for a
        /// mapping, keys and values alternate).
        @usableFromInline var childStart: Int32
        @usableFromInline var childCount: Int32
        /// Indices into `properties`, or -1 when absent.
        @usableFromInline var tag: Int32
        @usableFromInline var anchor: Int32
        /// For scalars and aliases: the UTF-8 length of the text.
        @usableFromInline var textLength: Int32 = 0
        /// For scalar keys: a hash of the text's bytes, so that a new key is compared only with
        /// earlier keys that probably have the same text.
        @usableFromInline var textHash: UInt32 = 0
    }

    @usableFromInline let records: [Record]
    @usableFromInline let children: [Int32]
    /// The file's bytes, then the UTF-8 texts of the scalars and aliases that the file does not spell
    /// exactly (quoted, folded or escaped); every scalar's and alias's record points into it.
    @usableFromInline let textBytes: [UInt8]
    /// Tags and anchors, which almost no node has.
    @usableFromInline let properties: [String]
    /// False when the loader checked every mapping and found no key given twice.
    let mayHaveDuplicateKeys: Bool

    init(records: [Record], children: [Int32], textBytes: [UInt8], properties: [String], mayHaveDuplicateKeys: Bool) {
        self.records = records
        self.children = children
        self.textBytes = textBytes
        self.properties = properties
        self.mayHaveDuplicateKeys = mayHaveDuplicateKeys
    }

    /// The text of a scalar or alias record.
    ///
    /// Read through a buffer rather than an array slice: a slice holds a reference to the array, and
    /// counting it for every text read (here and in `withText`) cost about 1 % of decoding's
    /// instructions.
    @inlinable func text(_ record: Record) -> String {
        textBytes.withUnsafeBufferPointer { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(record.text)..<Int(record.text) + Int(record.textLength)]), as: UTF8.self)
        }
    }

    /// Calls `body` with the bytes of a scalar or alias record's text. The bytes are lent in place
    /// so that readers check most values (names, integers, booleans) without making a `String`.
    @inlinable func withText<Result>(_ record: Record, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try textBytes.withUnsafeBufferPointer { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes[Int(record.text)..<Int(record.text) + Int(record.textLength)]))
        }
    }

    /// Whether a scalar record's text is `key`, compared as YAML compares keys: by bytes.
    @inlinable func textIs(_ record: Record, _ key: String) -> Bool {
        guard record.kind == .scalar, Int(record.textLength) == key.utf8.count else { return false }
        var key = key
        return key.withUTF8 { key in textBytes.withUnsafeBufferPointer { Self.bytes($0, at: Int(record.text), equal: key) } }
    }

    /// Whether `bytes` holds `other` from `offset` on (the caller has checked that it is long enough).
    ///
    /// Buffers rather than arrays because keys are compared for every lookup of a field and every
    /// key the loader reads: with array slices instead (`elementsEqual`, bounds-checked, not inlined)
    /// here, in `YAMLNode.valueIndex(forKey:)` and in the loader's duplicate-key check, decoding took
    /// about 7 % more instructions (`playbook-bench phase decode` under callgrind).
    @inlinable static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, equal other: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < other.count {
            if bytes[offset + index] != other[index] { return false }
            index += 1
        }
        return true
    }
}

/// One node of a YAML document with the exact source range it came from.
///
/// A node is a light handle (its storage and an index): copying one costs a single reference count.
/// The accessors the decoder calls for every node are inlinable: inlined into their caller, the
/// optimizer drops most of the reference counting that a call across modules costs (handing back
/// a node or a list from another module takes a reference for it).
public struct YAMLNode: Hashable, Sendable {
    /// What a node holds.
    public enum Content: Equatable, Sendable {
        /// Text, with how it was written.
        case scalar(String, ScalarStyle)
        /// Key-value pairs in file order; `flow` when written `{ … }`.
        case mapping(YAMLPairs, flow: Bool)
        /// Items in file order; `flow` when written `[ … ]`.
        case sequence(YAMLItems, flow: Bool)
        /// `*name`: only kept when the loader is told to allow aliases; never expanded.
        case alias(String)
    }

    @usableFromInline let storage: YAMLStorage
    @usableFromInline let index: Int32

    @inlinable init(_ storage: YAMLStorage, _ index: Int32) {
        self.storage = storage
        self.index = index
    }

    @inlinable var record: YAMLStorage.Record { storage.records[Int(index)] }

    /// What the node holds, as one value to switch over.
    @inlinable public var content: Content {
        let record = record
        switch record.kind {
        case .scalar:
            return .scalar(storage.text(record), ScalarStyle(rawValue: record.style) ?? .plain)
        case .mapping:
            return .mapping(YAMLPairs(storage: storage, start: Int(record.childStart), count: Int(record.childCount) / 2), flow: record.style == 1)
        case .sequence:
            return .sequence(YAMLItems(storage: storage, start: Int(record.childStart), count: Int(record.childCount)), flow: record.style == 1)
        case .alias:
            return .alias(storage.text(record))
        }
    }

    /// Bytes of the node in the file; for collections, from the first to the last character of their content.
    @inlinable public var range: SourceRange {
        let record = record
        return SourceRange(start: record.start, end: record.end)
    }

    /// The resolved tag when one was written explicitly (`!!str` → `tag:yaml.org,2002:str`).
    public var tag: String? {
        let tag = record.tag
        return tag < 0 ? nil : storage.properties[Int(tag)]
    }

    /// `&name`, when anchors are allowed.
    public var anchor: String? {
        let anchor = record.anchor
        return anchor < 0 ? nil : storage.properties[Int(anchor)]
    }

    /// The scalar's text, or nil for collections.
    @inlinable public var scalar: String? {
        let record = record
        return record.kind == .scalar ? storage.text(record) : nil
    }

    /// Calls `body` with the UTF-8 bytes of the scalar's text, without making a `String`; nil for
    /// collections.
    @inlinable public func withScalarUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        let record = record
        guard record.kind == .scalar else { return nil }
        return try storage.withText(record, body)
    }

    /// The UTF-8 length of the scalar's text, or nil for collections.
    @inlinable public var scalarLength: Int? {
        let record = record
        return record.kind == .scalar ? Int(record.textLength) : nil
    }

    /// Whether this is a scalar whose text is `text`, compared by bytes.
    @inlinable public func scalarIs(_ text: String) -> Bool { storage.textIs(record, text) }

    /// How the scalar was written, or nil for collections.
    @inlinable public var scalarStyle: ScalarStyle? {
        let record = record
        return record.kind == .scalar ? ScalarStyle(rawValue: record.style) : nil
    }

    /// The pairs when the node is a mapping, else nil.
    @inlinable public var mapping: YAMLPairs? {
        let record = record
        guard record.kind == .mapping else { return nil }
        return YAMLPairs(storage: storage, start: Int(record.childStart), count: Int(record.childCount) / 2)
    }

    /// The items when the node is a list, else nil.
    @inlinable public var sequence: YAMLItems? {
        let record = record
        guard record.kind == .sequence else { return nil }
        return YAMLItems(storage: storage, start: Int(record.childStart), count: Int(record.childCount))
    }

    /// Whether the node is an alias (`*name`), kept only when aliases are allowed.
    @inlinable public var isAlias: Bool { record.kind == .alias }

    /// False when no mapping of this node's document gives a key twice (the loader checked them all),
    /// so readers can skip looking for repeated keys.
    public var mayHaveDuplicateKeys: Bool { storage.mayHaveDuplicateKeys }

    /// True for a mapping with exactly one pair whose key is the scalar `key`, such as `{ secret: NAME }`.
    @inlinable public func isSingleKeyMapping(_ key: String) -> Bool {
        let record = record
        guard record.kind == .mapping, record.childCount == 2 else { return false }
        return storage.textIs(storage.records[Int(storage.children[Int(record.childStart)])], key)
    }

    /// True for a collection written in flow style: `[a, b]` or `{a: b}`.
    public var isFlow: Bool {
        let record = record
        return (record.kind == .mapping || record.kind == .sequence) && record.style == 1
    }

    /// True for a plain scalar that YAML reads as null: empty, `~` or `null`.
    @inlinable public var isNull: Bool {
        let record = record
        guard record.kind == .scalar, record.style == ScalarStyle.plain.rawValue, record.tag < 0 else { return false }
        // The length rules out most texts without reading them.
        switch record.textLength {
        case 0: return true
        case 1: return storage.textBytes[Int(record.text)] == UInt8(ascii: "~")
        case 4: return storage.textIs(record, "null") || storage.textIs(record, "Null") || storage.textIs(record, "NULL")
        default: return false
        }
    }

    /// A word for the kind of node, for messages: `text`, `mapping`, `list`.
    public var kindDescription: String {
        switch record.kind {
        case .scalar: isNull ? "null" : "text"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }

    /// The value for `key` in a mapping, comparing keys as text.
    @inlinable public subscript(key: String) -> YAMLNode? {
        // Most lookups (optional fields) find nothing; the node, and the reference it holds, is made
        // only for a key that is there.
        guard let value = valueIndex(forKey: key) else { return nil }
        return YAMLNode(storage, value)
    }

    /// The value for `key`, a field name written in the program: compared with the keys' bytes
    /// without making a `String` of it.
    @inlinable public subscript(field key: StaticString) -> YAMLNode? {
        guard let value = key.withUTF8Buffer({ valueIndex(forKey: $0) }) else { return nil }
        return YAMLNode(storage, value)
    }

    /// The index of the value for `key`, when this is a mapping with that key.
    @inlinable func valueIndex(forKey key: String) -> Int32? {
        var key = key
        return key.withUTF8 { valueIndex(forKey: $0) }
    }

    /// The index of the value for the key with these bytes, when this is a mapping with that key.
    @inlinable func valueIndex(forKey key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let record = record
        guard record.kind == .mapping else { return nil }
        // Every field the decoder reads is looked up here. The loader built these arrays consistently,
        // so they are read without bounds checks or reference counting (see `YAMLStorage.bytes` for
        // what reading them as arrays cost).
        return storage.records.withUnsafeBufferPointer { records in
            storage.children.withUnsafeBufferPointer { children in
                storage.textBytes.withUnsafeBufferPointer { bytes in
                    var child = Int(record.childStart)
                    let end = child + Int(record.childCount)
                    while child < end {
                        let keyRecord = records[Int(children[child])]
                        if keyRecord.kind == .scalar, Int(keyRecord.textLength) == key.count,
                           YAMLStorage.bytes(bytes, at: Int(keyRecord.text), equal: key) {
                            return children[child + 1]
                        }
                        child += 2
                    }
                    return nil
                }
            }
        }
    }

    /// Nodes are the same when they are the same node of the same load.
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        lhs.storage === rhs.storage && lhs.index == rhs.index
    }

    /// Hashes the node's identity, to match `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(storage))
        hasher.combine(index)
    }
}

/// A key and its value in a mapping.
public struct YAMLPair: Hashable, Sendable {
    /// The key, a scalar unless complex keys are allowed.
    public var key: YAMLNode
    /// The value.
    public var value: YAMLNode

    /// A pair of a key and its value.
    @inlinable public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// The pairs of a mapping, in file order, read from the storage without copying.
public struct YAMLPairs: RandomAccessCollection, Equatable, Sendable {
    @usableFromInline let storage: YAMLStorage
    @usableFromInline let start: Int
    /// How many pairs the mapping has.
    public let count: Int

    @inlinable init(storage: YAMLStorage, start: Int, count: Int) {
        self.storage = storage
        self.start = start
        self.count = count
    }

    /// The first position, 0.
    @inlinable public var startIndex: Int { 0 }
    /// The position after the last pair.
    @inlinable public var endIndex: Int { count }

    /// The pair at a position.
    @inlinable public subscript(position: Int) -> YAMLPair {
        let child = start + 2 * position
        return YAMLPair(key: YAMLNode(storage, storage.children[child]), value: YAMLNode(storage, storage.children[child + 1]))
    }

    /// The key of one pair, without building the pair.
    @inlinable public func key(at position: Int) -> YAMLNode { YAMLNode(storage, storage.children[start + 2 * position]) }

    /// The value of one pair, without building the pair.
    @inlinable public func value(at position: Int) -> YAMLNode { YAMLNode(storage, storage.children[start + 2 * position + 1]) }

    /// The key's text when the key is a scalar, read straight from the storage.
    @inlinable public func keyText(at position: Int) -> String? {
        let record = storage.records[Int(storage.children[start + 2 * position])]
        return record.kind == .scalar ? storage.text(record) : nil
    }

    /// Calls `body` with the bytes of the key's text when the key is a scalar, without making a
    /// `String`; nil otherwise.
    @inlinable public func withKeyUTF8<Result>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        let record = storage.records[Int(storage.children[start + 2 * position])]
        guard record.kind == .scalar else { return nil }
        return try storage.withText(record, body)
    }

    /// Whether the key of one pair is the scalar `text`, compared by bytes.
    @inlinable public func keyIs(_ text: String, at position: Int) -> Bool {
        storage.textIs(storage.records[Int(storage.children[start + 2 * position])], text)
    }

    /// Pairs are the same when they are the same mapping of the same load.
    public static func == (lhs: YAMLPairs, rhs: YAMLPairs) -> Bool {
        lhs.storage === rhs.storage && lhs.start == rhs.start && lhs.count == rhs.count
    }
}

/// The items of a list, in file order, read from the storage without copying.
public struct YAMLItems: RandomAccessCollection, Equatable, Sendable {
    @usableFromInline let storage: YAMLStorage
    @usableFromInline let start: Int
    /// How many items the list has.
    public let count: Int

    @inlinable init(storage: YAMLStorage, start: Int, count: Int) {
        self.storage = storage
        self.start = start
        self.count = count
    }

    /// The first position, 0.
    @inlinable public var startIndex: Int { 0 }
    /// The position after the last item.
    @inlinable public var endIndex: Int { count }

    /// The item at a position.
    @inlinable public subscript(position: Int) -> YAMLNode {
        YAMLNode(storage, storage.children[start + position])
    }

    /// Items are the same when they are the same list of the same load.
    public static func == (lhs: YAMLItems, rhs: YAMLItems) -> Bool {
        lhs.storage === rhs.storage && lhs.start == rhs.start && lhs.count == rhs.count
    }
}

/// One document of a stream, with the markers that delimited it.
public struct YAMLDocument: Hashable, Sendable {
    /// The document's top node.
    public var root: YAMLNode
    /// The document began with `---`.
    public var explicitStart: Bool
    /// The document ended with `...`.
    public var explicitEnd: Bool
}
