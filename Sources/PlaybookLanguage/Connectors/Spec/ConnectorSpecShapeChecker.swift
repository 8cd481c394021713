import Diagnostics
import YAML

/// Checks a connector spec's YAML against the format's key tables and reports every structural
/// problem: unknown keys, missing keys, values of the wrong kind, words outside a fixed set. The
/// decoder that runs after it reads leniently and trusts that anything malformed was reported here.
struct ConnectorSpecShapeChecker {
    private(set) var bag = DiagnosticBag()

    mutating func check(_ node: YAMLNode, against object: SpecObject, owner: YAMLNode?) {
        guard let pairs = node.mapping else {
            wrongKind(node, key: owner, expected: "a mapping")
            return
        }
        var present = Set<String>()
        var meant = Set<String>()
        for pair in pairs {
            guard let name = pair.key.scalar else { continue }
            guard let key = object.key(name) else {
                let suggestion = Suggestions.closest(to: name, in: object.keyNames)
                if let suggestion { meant.insert(suggestion) }
                bag.error(
                    ConnectorSpecDiagnosticCode.unknownKey, ConnectorSpecMessage.unknownKey(name, in: object.title), at: pair.key.range,
                    help: suggestion.map { "did you mean '\($0)'?" } ?? ConnectorSpecMessage.knownKeys(object.keyNames),
                    fixIts: suggestion.map { [FixIt.replace(pair.key.range, with: $0, "use '\($0)'")] } ?? []
                )
                continue
            }
            present.insert(name)
            check(pair.value, against: key.shape, key: pair.key)
        }
        let anchor = owner?.range ?? SourceRange.at(node.range.start)
        for key in object.keys where key.required && !present.contains(key.name) && !meant.contains(key.name) {
            bag.error(ConnectorSpecDiagnosticCode.missingKey, ConnectorSpecMessage.missingKey(key.name, in: object.title), at: anchor)
        }
    }

    mutating func check(_ node: YAMLNode, against shape: SpecShape, key: YAMLNode) {
        switch shape {
        case .text:
            if node.scalar == nil || node.isNull { wrongKind(node, key: key, expected: "text") }
        case .choice(let words):
            guard let text = node.scalar, !node.isNull else { return wrongKind(node, key: key, expected: "one of \(Suggestions.list(words))") }
            if !words.contains(text) { unknownWord(text, of: key.scalar ?? "value", at: node.range, allowed: words) }
        case .integer:
            if node.scalar.flatMap({ Int($0) }) == nil || node.scalarStyle?.isQuoted == true { wrongKind(node, key: key, expected: "a whole number") }
        case .boolean:
            if !(node.scalarIs("true") || node.scalarIs("false")) { wrongKind(node, key: key, expected: "true or false") }
        case .list(let element):
            guard let items = node.sequence else { return wrongKind(node, key: key, expected: "a list") }
            for item in items { check(item, against: element, key: key) }
        case .object(let object):
            check(node, against: object, owner: key)
        case .dictionary(let value):
            guard let pairs = node.mapping else { return wrongKind(node, key: key, expected: "a mapping") }
            for pair in pairs { check(pair.value, against: value, key: pair.key) }
        case .variant(let variants, let bare):
            checkVariant(node, variants: variants, bare: bare, key: key)
        case .anything:
            break
        case .fields:
            guard let items = node.sequence else { return wrongKind(node, key: key, expected: "a list") }
            for item in items { check(item, against: ConnectorSpecFormat.field, owner: key) }
        }
    }

    private mutating func checkVariant(_ node: YAMLNode, variants: [(name: String, shape: SpecShape)], bare: [String], key: YAMLNode) {
        let names = variants.map(\.name)
        if let text = node.scalar, !node.isNull {
            if !bare.contains(text) { unknownWord(text, of: key.scalar ?? "value", at: node.range, allowed: bare.isEmpty ? names : bare) }
            return
        }
        guard let pairs = node.mapping, pairs.count == 1, let name = pairs[0].key.scalar else {
            return wrongKind(node, key: key, expected: "a mapping with one of \(Suggestions.list(names))")
        }
        guard let variant = variants.first(where: { $0.name == name }) else {
            return unknownWord(name, of: key.scalar ?? "value", at: pairs[0].key.range, allowed: names)
        }
        check(pairs[0].value, against: variant.shape, key: pairs[0].key)
    }

    private mutating func unknownWord(_ word: String, of key: String, at range: SourceRange, allowed: [String]) {
        let suggestion = Suggestions.closest(to: word, in: allowed)
        bag.error(
            ConnectorSpecDiagnosticCode.unknownValue, ConnectorSpecMessage.unknownValue(word, of: key), at: range,
            help: suggestion.map { "did you mean '\($0)'?" } ?? ConnectorSpecMessage.allowed(allowed),
            fixIts: suggestion.map { [FixIt.replace(range, with: $0, "use '\($0)'")] } ?? []
        )
    }

    private mutating func wrongKind(_ node: YAMLNode, key: YAMLNode?, expected: String) {
        bag.error(
            ConnectorSpecDiagnosticCode.wrongKind,
            ConnectorSpecMessage.wrongKind(key?.scalar ?? "value", expected: expected, found: node.isNull ? "nothing" : "a \(node.kindDescription)"),
            at: node.range.isEmpty ? (key?.range ?? node.range) : node.range
        )
    }
}
