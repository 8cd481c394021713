import CEL
import Diagnostics
import Foundation
import YAML

/// Checks a YAML node tree against the grammar's shapes and reports every structural problem.
///
/// This pass only reports; the AST builder that runs after it reads values leniently and trusts that
/// anything malformed has been reported here.
struct ShapeChecker {
    private(set) var diagnostics = DiagnosticBag()
    /// Expression fields holding `{{` outside string literals, reported here; type-checking skips them.
    private(set) var expressionsWithBraces = Set<YAMLNode>()
    /// Keys already reported as malformed names (a step id `get-contacts`); a reference to one is the
    /// same mistake, so it is not reported again.
    private var malformedKeys = Set<String>()
    /// Fields of the mapping about to be checked that are written below it at its key's column
    /// (indented too little): reported there, so not reported missing as well.
    private var fieldsWrittenBelow = Set<String>()
    let file: SourceFile

    init(file: SourceFile) {
        self.file = file
    }

    // MARK: Objects

    /// Checks a mapping against an object shape. `owner` is the key the mapping is the value of, where
    /// a missing field is reported.
    mutating func check(_ node: YAMLNode, against object: ObjectShape, owner: YAMLNode?) {
        if node.isAlias { return }
        guard let pairs = node.mapping else {
            reportWrongKind(node, expected: .object(object), key: owner)
            return
        }
        var present = Presence(object: object, pairs: pairs)
        // Fields that a misspelt key probably meant: they are not reported missing as well.
        var meant = fieldsWrittenBelow
        fieldsWrittenBelow = []
        for position in pairs.indices {
            // Keys are looked up on their bytes; a key that is not text was reported by the loader.
            guard let index = pairs.withKeyUTF8(at: position, { object.fieldIndex($0) ?? -1 }) else { continue }
            guard index >= 0 else {
                let name = pairs.keyText(at: position) ?? ""
                if let parent = blockAbove(position, in: pairs, of: object, having: name) {
                    let key = pairs.key(at: position)
                    let spaces = file.location(of: parent.firstFieldStart).column - file.location(of: key.range.start).column
                    diagnostics.error(LanguageDiagnosticCode.unknownField, .indentedTooLittle(name, under: parent.key, besides: parent.firstField, by: spaces),
                                      at: key.range)
                    meant.insert(name)
                    continue
                }
                reportUnknownField(pairs.key(at: position), name: name, in: object)
                if let closest = Suggestions.closest(to: name, in: object.fieldNames) { meant.insert(closest) }
                continue
            }
            present.fields.insert(index)
            if case .object(let inner) = object.fields[index].shape {
                fieldsWrittenBelow = fieldsIndentedTooLittle(after: position, in: pairs, of: object, under: inner)
            }
            check(pairs.value(at: position), against: object.fields[index].shape, key: pairs.key(at: position))
            fieldsWrittenBelow = []
        }
        let ownerRange = owner?.range ?? SourceRange(start: node.range.start, end: node.range.start)
        // Read by position: copying each field out of the table would cost a reference count per text.
        for index in object.fields.indices where object.fields[index].required && !present.fields.contains(index) {
            let field = object.fields[index]
            if meant.contains(field.name) { continue }
            diagnostics.error(LanguageDiagnosticCode.missingField, .missingField(field, in: object), at: ownerRange)
        }
        for rule in object.rules {
            check(rule, present: present, meant: meant, object: object, ownerRange: ownerRange)
        }
    }

    /// Which fields of an object a mapping gives, looked up by name for the cross-field rules.
    private struct Presence {
        let object: ObjectShape
        let pairs: YAMLPairs
        var fields = PresentFields()

        func contains(_ name: String) -> Bool {
            object.fieldIndex(name).map(fields.contains) ?? false
        }

        /// The key that gives the field (the last one, should the mapping give it twice); only for
        /// messages, so it searches the mapping again.
        func key(_ name: String) -> YAMLNode? {
            guard let index = object.fieldIndex(name), fields.contains(index) else { return nil }
            let position = pairs.indices.last { pairs.withKeyUTF8(at: $0, { object.fieldIndex($0) }) == index }
            return position.map { pairs.key(at: $0) }
        }
    }

    /// Reports a rule that does not hold. Counting the fields given allocates nothing, so a rule that
    /// holds, the usual case, costs a few lookups.
    private mutating func check(_ rule: FieldRule, present: Presence, meant: Set<String>, object: ObjectShape, ownerRange: SourceRange) {
        switch rule {
        case .exactlyOne(let names):
            let count = names.count(where: present.contains)
            if count == 0, meant.isDisjoint(with: names) {
                diagnostics.error(LanguageDiagnosticCode.exactlyOneRequired, .needsOneOf(names, in: object), at: ownerRange)
            } else if count > 1 {
                reportConflict(names.filter(present.contains), present: present, object: object, onlyOne: true)
            }
        case .atMostOne(let names):
            if names.count(where: present.contains) > 1 {
                reportConflict(names.filter(present.contains), present: present, object: object, onlyOne: false)
            }
        case .requires(let name, let others):
            guard present.contains(name) else { return }
            for other in others where !present.contains(other) && !meant.contains(other) {
                diagnostics.error(LanguageDiagnosticCode.missingField, .fieldNeeds(name, other, in: object), at: present.key(name)!.range)
            }
        }
    }

    private mutating func reportConflict(_ given: [String], present: Presence, object: ObjectShape, onlyOne: Bool) {
        let first = present.key(given[0])!
        for name in given.dropFirst() {
            diagnostics.error(
                LanguageDiagnosticCode.conflictingFields,
                .conflictingField(name, with: given[0], given: given, in: object, onlyOne: onlyOne),
                at: present.key(name)!.range,
                notes: [DiagnosticNote(LanguageMessage.fieldGivenHere(given[0]), at: first.range)]
            )
        }
    }

    /// The keys after `position` that are not fields of `object` but of `inner`, the shape of the
    /// block mapping at `position`: fields of that block written at its key's column.
    private func fieldsIndentedTooLittle(after position: Int, in pairs: YAMLPairs, of object: ObjectShape, under inner: ObjectShape) -> Set<String> {
        let value = pairs.value(at: position)
        guard value.mapping != nil, !value.isFlow else { return [] }
        var names = Set<String>()
        for later in pairs.indices.dropFirst(position + 1) {
            guard pairs.withKeyUTF8(at: later, { object.fieldIndex($0) }) == .some(nil),
                  let name = pairs.keyText(at: later), inner.fieldIndex(name) != nil else { break }
            names.insert(name)
        }
        return names
    }

    /// The key just above `position` and the first key of its block, when that block is a mapping
    /// whose fields include `name`: a key written at its parent's column at the end of a block
    /// (`match_on:` under the step instead of under its `sync:`), which YAML reads without error.
    private func blockAbove(_ position: Int, in pairs: YAMLPairs, of object: ObjectShape, having name: String) -> (key: String, firstField: String, firstFieldStart: Int)? {
        // Several fields may have been written too little indented one after another.
        var above = position - 1
        while above >= 0, pairs.withKeyUTF8(at: above, { object.fieldIndex($0) }) == .some(nil) { above -= 1 }
        guard above >= 0 else { return nil }
        let value = pairs.value(at: above)
        guard let inner = value.mapping, !value.isFlow, !inner.isEmpty,
              let index = pairs.withKeyUTF8(at: above, { object.fieldIndex($0) }) ?? nil,
              case .object(let shape) = object.fields[index].shape, shape.fieldIndex(name) != nil,
              fieldsIndentedTooLittle(after: above, in: pairs, of: object, under: shape).contains(name),
              !inner.indices.contains(where: { inner.keyIs(name, at: $0) }),
              let key = pairs.keyText(at: above), let firstField = inner.keyText(at: 0) else { return nil }
        return (key, firstField, inner.key(at: 0).range.start)
    }

    private mutating func reportUnknownField(_ key: YAMLNode, name: String, in object: ObjectShape) {
        let fixIts = Suggestions.closest(to: name, in: object.fieldNames).map {
            [FixIt.replace(key.range, with: $0, LanguageMessage.renameFieldFixIt($0))]
        } ?? []
        diagnostics.error(LanguageDiagnosticCode.unknownField, .unknownField(name, in: object), at: key.range, fixIts: fixIts)
    }

    // MARK: Values

    mutating func check(_ node: YAMLNode, against shape: Shape, key: YAMLNode?) {
        if node.isAlias { return }
        switch shape {
        case .object(let object):
            if reportMisplacedSecret(node) { return }
            check(node, against: object, owner: key)
        case .dictionary(let keyFormat, let valueShape):
            guard let pairs = node.mapping else {
                reportWrongKind(node, expected: shape, key: key)
                return
            }
            // Keys first, so that a value naming a malformed key (even a later one) is not reported again.
            for position in pairs.indices {
                if pairs.withKeyUTF8(at: position, { keyFormat.accepts($0) }) == false, let name = pairs.keyText(at: position) {
                    diagnostics.error(
                        LanguageDiagnosticCode.invalidName,
                        .invalidKey(name, format: keyFormat, suggestion: identifierSuggestion(name)),
                        at: pairs[position].key.range
                    )
                    malformedKeys.insert(name)
                }
            }
            for pair in pairs {
                check(pair.value, against: valueShape, key: pair.key)
            }
        case .list(let element, let minimumCount):
            guard let items = node.sequence else {
                reportWrongKind(node, expected: shape, key: key)
                return
            }
            if items.count < minimumCount {
                diagnostics.error(LanguageDiagnosticCode.missingValue, .emptyList(minimumCount: minimumCount), at: node.range)
            }
            for item in items { check(item, against: element, key: nil) }
        case .oneOrMany(let element):
            if let items = node.sequence {
                if items.isEmpty {
                    diagnostics.error(LanguageDiagnosticCode.missingValue, .emptyStepList, at: node.range)
                }
                for item in items { check(item, against: element, key: nil) }
            } else {
                check(node, against: element, key: key)
            }
        case .alternatives(let shapes):
            checkAlternatives(node, shapes, key: key)
        case .anything:
            reportSecretsInside(node)
        case .secretReference:
            checkSecretReference(node, key: key)
        default:
            checkScalar(node, against: shape, key: key)
        }
    }

    private mutating func checkAlternatives(_ node: YAMLNode, _ shapes: [Shape], key: YAMLNode?) {
        var lastProblems: [Diagnostic] = []
        for shape in shapes {
            var trial = ShapeChecker(file: file)
            trial.malformedKeys = malformedKeys
            trial.check(node, against: shape, key: key)
            if !trial.diagnostics.hasErrors {
                diagnostics.append(contentsOf: trial.diagnostics.diagnostics)
                expressionsWithBraces.formUnion(trial.expressionsWithBraces)
                return
            }
            lastProblems = trial.diagnostics.diagnostics
        }
        diagnostics.append(contentsOf: lastProblems)
    }

    /// Checks a value that must be a single scalar.
    ///
    /// The common cases are checked on the text's bytes; a `String` is made only to read literals
    /// (durations, cron text) and for messages.
    private mutating func checkScalar(_ node: YAMLNode, against shape: Shape, key: YAMLNode?) {
        if reportMisplacedSecret(node) { return }
        guard let style = node.scalarStyle else {
            reportWrongKind(node, expected: shape, key: key)
            return
        }
        if node.isNull, !isNullAcceptable(shape) {
            diagnostics.error(LanguageDiagnosticCode.missingValue, .noValue(key: key?.scalar, expected: shape), at: key?.range ?? node.range)
            return
        }
        switch shape {
        case .text(let format):
            if node.withScalarUTF8({ format.accepts($0) }) == false {
                let text = node.scalar ?? ""
                if names(malformedKey: text, as: format) { return }
                diagnostics.error(
                    LanguageDiagnosticCode.invalidName, .invalidText(text, format: format, suggestion: identifierSuggestion(text)), at: node.range
                )
            }
        case .integer(let minimum, let maximum):
            guard let value = node.withScalarUTF8({ ScalarReading.integer($0, style: style) }) ?? nil else {
                reportNotANumber(node, text: node.scalar ?? "", style: style, expectation: shape.expectation)
                return
            }
            reportRange(node, value: Double(value), minimum: minimum.map(Double.init), maximum: maximum.map(Double.init))
        case .number(let minimum):
            let text = node.scalar ?? ""
            guard let value = ScalarReading.number(text, style: style) else {
                reportNotANumber(node, text: text, style: style, expectation: shape.expectation)
                return
            }
            reportRange(node, value: value, minimum: minimum, maximum: nil)
        case .boolean:
            checkBoolean(node, style: style)
        case .choice(let words):
            if !words.contains(where: node.scalarIs) {
                let text = node.scalar ?? ""
                let suggestion = Suggestions.closest(to: text, in: words)
                diagnostics.error(
                    LanguageDiagnosticCode.invalidChoice,
                    .notAChoice(text, of: words, suggestion: suggestion),
                    at: node.range,
                    fixIts: suggestion.map { [FixIt.replace(node.range, with: $0, LanguageMessage.replaceFixIt($0))] } ?? []
                )
            }
        case .duration:
            report(LiteralChecks.duration(node.scalar ?? ""), LanguageDiagnosticCode.invalidDuration, node)
        case .rateLimit:
            report(LiteralChecks.rateLimit(node.scalar ?? ""), LanguageDiagnosticCode.invalidRateLimit, node)
        case .cron:
            report(LiteralChecks.cron(node.scalar ?? ""), LanguageDiagnosticCode.invalidCron, node)
        case .timeZone:
            report(LiteralChecks.timeZone(node.scalar ?? ""), LanguageDiagnosticCode.unknownTimeZone, node)
        case .expression:
            checkExpressionText(node)
        case .template, .scalarValue:
            break
        default:
            break
        }
    }

    private mutating func report(_ errors: [LiteralError], _ code: DiagnosticCode, _ node: YAMLNode) {
        for error in errors { diagnostics.append(error.diagnostic(code, node: node, file: file)) }
    }

    private func isNullAcceptable(_ shape: Shape) -> Bool {
        if case .scalarValue = shape { return true }
        return false
    }

    private mutating func checkBoolean(_ node: YAMLNode, style: ScalarStyle) {
        if style == .plain, node.scalarIs("true") || node.scalarIs("false") { return }
        let text = node.scalar ?? ""
        let lowered = text.lowercased()
        let meant: String? = switch lowered {
        case "yes", "y", "on", "true": "true"
        case "no", "n", "off", "false": "false"
        default: nil
        }
        if let meant {
            diagnostics.error(
                LanguageDiagnosticCode.notABoolean,
                .booleanSpeltAsText(file.text(in: node.range), meant: meant, quoted: style.isQuoted),
                at: node.range,
                fixIts: [FixIt.replace(node.range, with: meant, LanguageMessage.replaceWithBooleanFixIt(meant))]
            )
        } else {
            diagnostics.error(LanguageDiagnosticCode.notABoolean, .notABoolean(text), at: node.range)
        }
    }

    private mutating func reportNotANumber(_ node: YAMLNode, text: String, style: ScalarStyle, expectation: String) {
        var mistake: LanguageMessage.NumberMistake?
        var fixIts: [FixIt] = []
        if style.isQuoted, ScalarReading.integer(text, style: .plain) != nil || ScalarReading.number(text, style: .plain) != nil {
            mistake = .quoted
            fixIts = [FixIt.replace(node.range, with: text, LanguageMessage.removeQuotesFixIt)]
        } else if text.count > 1, text.hasPrefix("0"), text.allSatisfy(\.isNumber) {
            mistake = .leadingZeros
        } else if text.contains("e") || text.contains("E"), ScalarReading.number(text, style: .plain) != nil {
            mistake = .exponent
        } else if text.contains("_") || text.contains(",") {
            mistake = .separators
        }
        diagnostics.error(
            LanguageDiagnosticCode.notANumber, .notANumber(text, expected: expectation, mistake: mistake), at: node.range, fixIts: fixIts
        )
    }

    private mutating func reportRange(_ node: YAMLNode, value: Double, minimum: Double?, maximum: Double?) {
        if let minimum, value < minimum {
            diagnostics.error(LanguageDiagnosticCode.outOfRange, .belowMinimum(file.text(in: node.range), minimum), at: node.range)
        } else if let maximum, value > maximum {
            diagnostics.error(LanguageDiagnosticCode.outOfRange, .aboveMaximum(file.text(in: node.range), maximum), at: node.range)
        }
    }

    /// An expression field holds bare CEL: `{{ }}` there is a mistake carried over from message text.
    private mutating func checkExpressionText(_ node: YAMLNode) {
        // Braces inside a quoted string are text, as in `record.note.contains("{{")`.
        guard let offset = node.withScalarUTF8(CELSource.firstTemplateBrace(in:)) ?? nil else { return }
        let text = node.scalar ?? ""
        expressionsWithBraces.insert(node)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var fixIts: [FixIt] = []
        if trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.components(separatedBy: "{{").count == 2 {
            let inner = trimmed.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
            fixIts = [FixIt.replace(node.range, with: inner, LanguageMessage.removeBracesFixIt)]
        }
        let start = ScalarSourceMap(node: node, file: file).sourceOffset(forValueOffset: offset)
        diagnostics.error(
            LanguageDiagnosticCode.bracesInExpression, .bracesInExpression, at: SourceRange(start: start, end: start + 2), fixIts: fixIts
        )
    }

    // MARK: Secrets

    private mutating func checkSecretReference(_ node: YAMLNode, key: YAMLNode?) {
        if let pairs = node.mapping {
            guard pairs.count == 1, pairs.keyIs("secret", at: 0) else {
                diagnostics.error(LanguageDiagnosticCode.wrongType, .notASecretReference, at: node.range)
                return
            }
            let name = pairs[0].value
            guard let text = name.scalar, !name.isNull else {
                diagnostics.error(LanguageDiagnosticCode.missingValue, .secretWithoutName, at: name.range)
                return
            }
            if !TextFormat.secretName.accepts(text) {
                let suggestion = String(text.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
                diagnostics.error(
                    LanguageDiagnosticCode.invalidName,
                    .invalidSecretName(text, suggestion: suggestion),
                    at: name.range,
                    fixIts: [FixIt.replace(name.range, with: suggestion, LanguageMessage.useSecretNameFixIt(suggestion))]
                )
            }
            return
        }
        if node.scalar != nil, !node.isNull {
            let fieldName = key?.scalar ?? "credential"
            let suggestedName = fieldName.uppercased()
            diagnostics.error(
                LanguageDiagnosticCode.literalCredential,
                .credentialInPlaybook(suggestedName: suggestedName),
                at: node.range,
                fixIts: [FixIt.replace(node.range, with: "{ secret: \(suggestedName) }", LanguageMessage.referenceSecretFixIt)]
            )
            return
        }
        reportWrongKind(node, expected: .secretReference, key: key)
    }

    /// A `{ secret: … }` mapping where secrets are not allowed. Returns true when reported.
    @discardableResult
    private mutating func reportMisplacedSecret(_ node: YAMLNode) -> Bool {
        guard node.isSingleKeyMapping("secret") else { return false }
        diagnostics.error(LanguageDiagnosticCode.misplacedSecret, .misplacedSecret, at: node.range)
        return true
    }

    private mutating func reportSecretsInside(_ node: YAMLNode) {
        if reportMisplacedSecret(node) { return }
        switch node.content {
        case .mapping(let pairs, _):
            for pair in pairs { reportSecretsInside(pair.value) }
        case .sequence(let items, _):
            for item in items { reportSecretsInside(item) }
        default:
            break
        }
    }

    // MARK: Wrong kinds

    private mutating func reportWrongKind(_ node: YAMLNode, expected shape: Shape, key: YAMLNode?) {
        if reportMisplacedSecret(node) { return }
        if node.isNull {
            diagnostics.error(LanguageDiagnosticCode.missingValue, .noValue(key: key?.scalar, expected: shape), at: key?.range ?? node.range)
            return
        }
        if looksLikeUnquotedTemplate(node) {
            let isExpression: Bool
            if case .expression = shape { isExpression = true } else { isExpression = false }
            diagnostics.error(LanguageDiagnosticCode.unquotedTemplate, .unquotedTemplate(inExpression: isExpression), at: node.range)
            return
        }
        diagnostics.error(LanguageDiagnosticCode.wrongType, .wrongType(expected: shape, found: node), at: node.range)
    }

    private func looksLikeUnquotedTemplate(_ node: YAMLNode) -> Bool {
        guard case .mapping(let pairs, true) = node.content, let first = pairs.first else { return false }
        if case .mapping(_, true) = first.key.content { return true }
        return false
    }

    /// Whether `text`, which `format` refuses, names a key already reported as malformed: `step` or
    /// `step.segment` for a step reference, the whole text otherwise.
    private func names(malformedKey text: String, as format: TextFormat) -> Bool {
        guard !malformedKeys.isEmpty else { return false }
        if malformedKeys.contains(text) { return true }
        if format == .stepReference, let dot = text.lastIndex(of: ".") { return malformedKeys.contains(String(text[..<dot])) }
        return false
    }

    private func identifierSuggestion(_ text: String) -> String {
        var result = String(text.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        if result.first?.isNumber == true { result = "_" + result }
        return result.isEmpty ? "name" : result
    }
}
