import Diagnostics
import Testing
import YAML

/// The loader's own rules on top of libyaml: ranges, styles, limits and refusals.
struct YAMLLoaderTests {
    func load(_ text: String, options: YAMLLoader.Options = .init()) -> (SourceFile, YAMLLoader.Result) {
        let file = SourceFile(path: "t.yaml", text: text)
        return (file, YAMLLoader(options: options).load(file))
    }

    @Test func nodesCarryExactRangesAndStyles() throws {
        let (file, result) = load("name: \"żółw\"\nlist: [a, 'b']\nblock: |\n  line\n")
        let root = try #require(result.root)
        let name = try #require(root["name"])
        #expect(file.text(in: name.range) == "\"żółw\"")
        #expect(name.scalar == "żółw" && name.scalarStyle == .doubleQuoted)
        let list = try #require(root["list"])
        #expect(file.text(in: list.range) == "[a, 'b']")
        #expect(list.sequence?.map(\.scalarStyle) == [.plain, .singleQuoted])
        let block = try #require(root["block"])
        #expect(block.scalar == "line\n" && block.scalarStyle == .literal)
        #expect(file.text(in: block.range) == "|\n  line")
    }

    /// Plain one-line scalars are read in place from the file; every other text is copied. Both give
    /// what libyaml delivers, including where the two could be confused: text folded onto one line of
    /// the same length, escapes that keep the length, CRLF line ends and multi-byte characters.
    @Test func scalarTextsAreWhatLibyamlDelivers() throws {
        let text = "\u{FEFF}plain: żółw ąę\r\nfolded: a\r\n  b\r\nflow: [a\nb, c d]\nescaped: \"\\N\"\n"
            + "quoted: 'it''s'\nkey with spaces: x\t y\nempty:\n\"k\\u00e9y\": v\n"
        let (_, result) = load(text)
        #expect(result.diagnostics.isEmpty)
        let root = try #require(result.root)
        #expect(root["plain"]?.scalar == "żółw ąę")
        #expect(root["folded"]?.scalar == "a b")
        #expect(root["flow"]?.sequence?.map(\.scalar) == ["a b", "c d"])
        #expect(root["escaped"]?.scalar == "\u{85}")
        #expect(root["quoted"]?.scalar == "it's")
        #expect(root["key with spaces"]?.scalar == "x\t y")
        #expect(root["empty"]?.isNull == true && root["empty"]?.scalar == "")
        #expect(root["kéy"]?.scalar == "v")
        #expect(root.mapping?.map { $0.key.scalar } == ["plain", "folded", "flow", "escaped", "quoted", "key with spaces", "empty", "kéy"])
    }

    @Test func scalarsAreNeverTypedByYAML11Rules() throws {
        let (_, result) = load("a: NO\nb: on\nc: 0777\nd: 1e3\ne: ~\n")
        let root = try #require(result.root)
        #expect(["a", "b", "c", "d"].map { root[$0]?.scalar } == ["NO", "on", "0777", "1e3"])
        #expect(root["e"]?.isNull == true)
    }

    @Test func duplicateKeysAreFoundAcrossQuotingStyles() throws {
        let (file, result) = load("steps: 1\n'steps': 2\n\"steps\": 3\n")
        let duplicates = result.diagnostics.filter { $0.code == YAMLDiagnosticCode.duplicateKey }
        #expect(duplicates.count == 2)
        #expect(duplicates.map { file.location(of: $0.range.start).line } == [2, 3])
        #expect(duplicates[0].notes.first?.range == SourceRange(start: 0, end: 5))
        #expect(duplicates[0].message.contains("written as 'steps' here and steps before"))
    }

    /// YAML compares keys by their characters: a precomposed and a decomposed `é` are two keys, in
    /// a small mapping (scanned) and in a large one (indexed) alike.
    @Test(arguments: [0, 40, 100])
    func keysCompareByTheirBytes(otherKeys: Int) throws {
        let padding = (0..<otherKeys).map { "k\($0): v\n" }.joined()
        let (_, result) = load(padding + "caf\u{E9}: 1\ncafe\u{301}: 2\n")
        #expect(result.diagnostics.isEmpty)
        let root = try #require(result.root)
        #expect(root["caf\u{E9}"]?.scalar == "1")
        #expect(root["cafe\u{301}"]?.scalar == "2")
    }

    /// Small mappings are scanned and large ones indexed; both find a repeated key and point at the
    /// first one.
    @Test(arguments: [40, 100])
    func manyKeysStillFindDuplicates(keyCount: Int) throws {
        let keys = (0..<keyCount).map { "k\($0): v" } + ["k7: again", "k\(keyCount - 1): again"]
        let (file, result) = load(keys.joined(separator: "\n") + "\n")
        #expect(result.diagnostics.map(\.code) == [YAMLDiagnosticCode.duplicateKey, YAMLDiagnosticCode.duplicateKey])
        let firstDefinitions = result.diagnostics.compactMap { $0.notes.first?.range.map { file.location(of: $0.start).line } }
        #expect(firstDefinitions == [8, keyCount])
    }

    /// Keys are first told apart by a hash of their bytes (FNV-1a); these two keys have the same
    /// length and the same hash, and are still two keys.
    @Test func keysWithTheSameHashAreDifferentKeys() throws {
        let (_, result) = load("key1039599: a\nkey1222382: b\n")
        #expect(result.diagnostics.isEmpty)
        let root = try #require(result.root)
        #expect(root["key1039599"]?.scalar == "a")
        #expect(root["key1222382"]?.scalar == "b")
    }

    @Test func anchorsAndAliasesAreRefusedButKeptWhenAllowed() {
        let text = "a: &x 1\nb: *x\n"
        let (_, strict) = load(text)
        #expect(strict.diagnostics.map(\.code) == [YAMLDiagnosticCode.aliasNotAllowed, YAMLDiagnosticCode.aliasNotAllowed])
        let (_, permissive) = load(text, options: .permissive)
        #expect(permissive.diagnostics.isEmpty)
        #expect(permissive.root?["b"]?.content == .alias("x"))
        #expect(permissive.root?["a"]?.anchor == "x")
    }

    @Test func aSecondDocumentStopsReading() throws {
        let (file, result) = load("a: 1\n---\nb: 2\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == YAMLDiagnosticCode.multipleDocuments)
        #expect(file.location(of: diagnostic.range.start).line == 2)
        #expect(result.stoppedEarly && result.root == nil)
    }

    @Test func customTagsAreRefusedAndCoreTagsKept() {
        let (_, result) = load("a: !!str 5\nb: !include other.yaml\n")
        #expect(result.diagnostics.map(\.code) == [YAMLDiagnosticCode.unsupportedTag])
        #expect(result.diagnostics.first?.message == "tag '!include' is not supported in playbooks")
    }

    /// Deep flow nesting makes libyaml quadratic; reading stops at the limit instead of running on.
    @Test func deepNestingStopsAtTheLimit() throws {
        let depth = 200_000
        let (file, result) = load("a: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == YAMLDiagnosticCode.nestingTooDeep)
        #expect(file.location(of: diagnostic.range.start).column == 4 + 63)
        #expect(result.stoppedEarly)
    }

    @Test(arguments: [
        ([UInt8]([0xFF, 0xFE, 0x61, 0x00]), YAMLDiagnosticCode.unsupportedEncoding),
        ([UInt8]([0x00, 0x61, 0x00, 0x3A]), YAMLDiagnosticCode.unsupportedEncoding),
        ([UInt8]([0x61, 0x3A, 0x20, 0xC3, 0x28]), YAMLDiagnosticCode.invalidUTF8),
        ([UInt8]([0x61, 0x3A, 0x00, 0x62]), YAMLDiagnosticCode.nulByte),
        ([UInt8]([0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80]), YAMLDiagnosticCode.invalidUTF8),
    ])
    func unreadableBytesGetALocatedDiagnostic(bytes: [UInt8], code: DiagnosticCode) {
        let result = YAMLLoader().load(SourceFile(path: "t.yaml", bytes: bytes))
        #expect(result.diagnostics.map(\.code) == [code])
        #expect(result.root == nil)
    }

    @Test func aByteOrderMarkDoesNotShiftRanges() throws {
        let file = SourceFile(path: "t.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("key: value\n".utf8))
        let result = YAMLLoader().load(file)
        let value = try #require(result.root?["key"])
        #expect(file.text(in: value.range) == "value")
    }

    @Test(arguments: [
        ("schedule: */5 * * * *\n", "*/5 * * * *", "quote the text"),
        ("schedule: @daily\n", "@daily", "quote the text"),
        ("where: \"a\" == record.x\n", nil, "ends at the closing quote"),
        ("message: Hello: world\n", nil, "must be quoted"),
        ("steps:\n\ta: 1\n", nil, "not tabs"),
        ("notify:\n  message: {{ run.id }} finished\n", nil, "quote the whole text"),
        ("steps:\n  a: 1\n  \tb: 2\n", nil, "not tabs"),
    ])
    func syntaxErrorsExplainTheUsualCause(text: String, underlined: String?, help: String) throws {
        let (file, result) = load(text)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == YAMLDiagnosticCode.syntaxError)
        #expect(diagnostic.help?.contains(help) == true, "\(diagnostic.help ?? "no help")")
        if let underlined { #expect(file.text(in: diagnostic.range) == underlined) }
    }

    @Test func aTabInTheIndentationIsSaidInPlainWords() throws {
        let (_, result) = load("version: 1\nsteps:\n\tfirst: {}\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message == "this line is indented with a tab")
    }

    @Test func anUnquotedTemplateIsToldToBeQuoted() throws {
        let (file, result) = load("notify:\n  message: {{ run.id }} finished\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.message == "a value that starts with '{{' must be quoted as a whole")
        #expect(diagnostic.notes.isEmpty)
        #expect(file.text(in: diagnostic.range) == "{{ run.id }} finished")
    }

    @Test func aTabIsPointedAtWithoutLibyamlsNotes() throws {
        let (file, result) = load("steps:\n  a:\n    fetch: 1\n\t  b: 2\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message == "this line is indented with a tab")
        #expect(diagnostic.notes.isEmpty)
        #expect(file.location(of: diagnostic.range.start).line == 4)
        #expect(file.text(in: diagnostic.range) == "\t")
    }

    @Test func oversizedFilesAreRefusedBeforeParsing() {
        var options = YAMLLoader.Options()
        options.maxBytes = 10
        let result = YAMLLoader(options: options).load(SourceFile(path: "t.yaml", text: "key: a long value\n"))
        #expect(result.diagnostics.map(\.code) == [YAMLDiagnosticCode.fileTooLarge])
    }
}

struct ByteOrderMarkTests {
    @Test func twoByteOrderMarksDoNotShiftOffsets() throws {
        let file = SourceFile(path: "t.yaml", bytes: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("a: żółw\nb: x\n".utf8))
        let result = YAMLLoader().load(file)
        let b = try #require(result.root?["b"])
        #expect(file.text(in: b.range) == "x")
        #expect(file.location(of: b.range.start).column == 4)
    }
}
