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
        var meant = Set<String>()
        for position in pairs.indices {
            // Keys are looked up on their bytes; a key that is not text was reported by the loader.
            guard let index = pairs.withKeyUTF8(at: position, { object.fieldIndex($0) ?? -1 }) else { continue }
            guard index >= 0 else {
                let name = pairs.keyText(at: position) ?? ""
                reportUnknownField(pairs.key(at: position), name: name, in: object)
                if let closest = Suggestions.closest(to: name, in: object.fieldNames) { meant.insert(closest) }
                continue
            }
            present.fields.insert(index)
            check(pairs.value(at: position), against: object.fields[index].shape, key: pairs.key(at: position))
        }
        let ownerRange = owner?.range ?? SourceRange(start: node.range.start, end: node.range.start)
        // Read by position: copying each field out of the table would cost a reference count per text.
        for index in object.fields.indices where object.fields[index].required && !present.fields.contains(index) {
            let field = object.fields[index]
            if meant.contains(field.name) { continue }
            diagnostics.error(
                LanguageDiagnosticCode.missingField,
                "\(object.title) is missing the required field '\(field.name)'",
                at: ownerRange,
                help: "add '\(field.name):' (\(field.shape.expectation)); \(lowercasedFirst(field.summary))"
            )
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
                diagnostics.error(
                    LanguageDiagnosticCode.exactlyOneRequired,
                    "\(object.title) needs one of \(Suggestions.list(names))",
                    at: ownerRange,
                    help: names.count <= 5 ? "add exactly one of: " + names.joined(separator: ", ") : nil
                )
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
                diagnostics.error(
                    LanguageDiagnosticCode.missingField,
                    "'\(name)' needs '\(other)' in the same \(object.title)",
                    at: present.key(name)!.range,
                    help: "add '\(other):' or remove '\(name)'"
                )
            }
        }
    }

    private mutating func reportConflict(_ given: [String], present: Presence, object: ObjectShape, onlyOne: Bool) {
        let first = present.key(given[0])!
        for name in given.dropFirst() {
            diagnostics.error(
                LanguageDiagnosticCode.conflictingFields,
                "'\(name)' cannot be used together with '\(given[0])' in a \(object.title)",
                at: present.key(name)!.range,
                notes: [DiagnosticNote("'\(given[0])' is given here", at: first.range)],
                help: onlyOne ? "a \(object.title) takes exactly one of \(Suggestions.list(given, conjunction: "and")); keep one" : "remove one of them"
            )
        }
    }

    private mutating func reportUnknownField(_ key: YAMLNode, name: String, in object: ObjectShape) {
        var help: String?
        if let suggestion = Suggestions.didYouMean(name, in: object.fieldNames) {
            help = suggestion
        } else if object === Grammar.step, Grammar.commonStepFields.contains(where: { $0.name == name }) || name == "from" {
            help = "'\(name)' belongs inside the step's kind, e.g. under 'transform:', next to the other settings"
        } else {
            help = "\(object.title) fields are: " + object.fieldNames.joined(separator: ", ")
        }
        let fixIts = Suggestions.closest(to: name, in: object.fieldNames).map {
            [FixIt.replace(key.range, with: $0, "rename to '\($0)'")]
        } ?? []
        diagnostics.error(
            LanguageDiagnosticCode.unknownField,
            "unknown field '\(name)' in \(object.title)",
            at: key.range,
            help: help,
            fixIts: fixIts
        )
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
            for position in pairs.indices {
                let pair = pairs[position]
                if pairs.withKeyUTF8(at: position, { keyFormat.accepts($0) }) == false, let name = pairs.keyText(at: position) {
                    diagnostics.error(
                        LanguageDiagnosticCode.invalidName,
                        "'\(name)' is not a valid name here: expected \(keyFormat.expectation)",
                        at: pair.key.range,
                        help: keyFormat == .identifier ? "use letters, digits and underscores, starting with a letter, e.g. '\(identifierSuggestion(name))'" : nil
                    )
                }
                check(pair.value, against: valueShape, key: pair.key)
            }
        case .list(let element, let minimumCount):
            guard let items = node.sequence else {
                reportWrongKind(node, expected: shape, key: key)
                return
            }
            if items.count < minimumCount {
                diagnostics.error(LanguageDiagnosticCode.missingValue, "the list is empty", at: node.range,
                                  help: "give at least \(minimumCount) item\(minimumCount == 1 ? "" : "s") or remove the field")
            }
            for item in items { check(item, against: element, key: nil) }
        case .oneOrMany(let element):
            if let items = node.sequence {
                if items.isEmpty {
                    diagnostics.error(LanguageDiagnosticCode.missingValue, "the list is empty", at: node.range,
                                      help: "name at least one step or remove the field")
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
            diagnostics.error(
                LanguageDiagnosticCode.missingValue,
                "\(key.flatMap(\.scalar).map { "'\($0)'" } ?? "this item") has no value",
                at: key?.range ?? node.range,
                help: "give \(shape.expectation)"
            )
            return
        }
        switch shape {
        case .text(let format):
            if node.withScalarUTF8({ format.accepts($0) }) == false {
                let text = node.scalar ?? ""
                diagnostics.error(
                    LanguageDiagnosticCode.invalidName,
                    "'\(text)' is not valid here: expected \(format.expectation)",
                    at: node.range,
                    help: format == .identifier ? "use letters, digits and underscores, e.g. '\(identifierSuggestion(text))'" : nil
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
                    "'\(text)' is not one of \(Suggestions.list(words))",
                    at: node.range,
                    help: suggestion.map { "did you mean '\($0)'?" },
                    fixIts: suggestion.map { [FixIt.replace(node.range, with: $0, "replace with '\($0)'")] } ?? []
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
            let why = style.isQuoted ? "quoted text is not a boolean" : "Playbook reads only true and false as booleans"
            diagnostics.error(
                LanguageDiagnosticCode.notABoolean,
                "expected true or false, found '\(file.text(in: node.range))'",
                at: node.range,
                help: "write \(meant): \(why)",
                fixIts: [FixIt.replace(node.range, with: meant, "replace with \(meant)")]
            )
        } else {
            diagnostics.error(
                LanguageDiagnosticCode.notABoolean,
                "expected true or false, found '\(text)'",
                at: node.range,
                help: "write true or false"
            )
        }
    }

    private mutating func reportNotANumber(_ node: YAMLNode, text: String, style: ScalarStyle, expectation: String) {
        var help: String?
        var fixIts: [FixIt] = []
        if style.isQuoted, ScalarReading.integer(text, style: .plain) != nil || ScalarReading.number(text, style: .plain) != nil {
            help = "remove the quotes: quoted values are text"
            fixIts = [FixIt.replace(node.range, with: text, "remove the quotes")]
        } else if text.count > 1, text.hasPrefix("0"), text.allSatisfy(\.isNumber) {
            help = "write the number without leading zeros (\(text.drop { $0 == "0" }.isEmpty ? "0" : String(text.drop { $0 == "0" })))"
        } else if text.contains("e") || text.contains("E"), ScalarReading.number(text, style: .plain) != nil {
            help = "write the number out in full, without an exponent"
        } else if text.contains("_") || text.contains(",") {
            help = "write the number without separators"
        }
        diagnostics.error(
            LanguageDiagnosticCode.notANumber,
            "expected \(expectation), found '\(text)'",
            at: node.range,
            help: help,
            fixIts: fixIts
        )
    }

    private mutating func reportRange(_ node: YAMLNode, value: Double, minimum: Double?, maximum: Double?) {
        if let minimum, value < minimum {
            diagnostics.error(LanguageDiagnosticCode.outOfRange, "\(file.text(in: node.range)) is below the minimum of \(format(minimum))", at: node.range)
        } else if let maximum, value > maximum {
            diagnostics.error(LanguageDiagnosticCode.outOfRange, "\(file.text(in: node.range)) is above the maximum of \(format(maximum))", at: node.range)
        }
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
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
            fixIts = [FixIt.replace(node.range, with: inner, "remove the braces")]
        }
        let start = ScalarSourceMap(node: node, file: file).sourceOffset(forValueOffset: offset)
        diagnostics.error(
            LanguageDiagnosticCode.bracesInExpression,
            "'{{' in an expression field",
            at: SourceRange(start: start, end: start + 2),
            help: "this field is already an expression: write it without {{ }}",
            fixIts: fixIts
        )
    }

    // MARK: Secrets

    private mutating func checkSecretReference(_ node: YAMLNode, key: YAMLNode?) {
        if let pairs = node.mapping {
            guard pairs.count == 1, pairs.keyIs("secret", at: 0) else {
                diagnostics.error(
                    LanguageDiagnosticCode.wrongType,
                    "expected a secret reference such as { secret: NAME }",
                    at: node.range,
                    help: "a credential is given as a mapping with the single key 'secret'"
                )
                return
            }
            let name = pairs[0].value
            guard let text = name.scalar, !name.isNull else {
                diagnostics.error(LanguageDiagnosticCode.missingValue, "the secret reference has no name", at: name.range,
                                  help: "write { secret: NAME }")
                return
            }
            if !TextFormat.secretName.accepts(text) {
                let suggestion = text.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
                diagnostics.error(
                    LanguageDiagnosticCode.invalidName,
                    "'\(text)' is not a valid secret name: expected \(TextFormat.secretName.expectation)",
                    at: name.range,
                    help: "secret names are upper case, e.g. \(String(suggestion))",
                    fixIts: [FixIt.replace(name.range, with: String(suggestion), "use \(String(suggestion))")]
                )
            }
            return
        }
        if node.scalar != nil, !node.isNull {
            let fieldName = key?.scalar ?? "credential"
            let suggestedName = fieldName.uppercased()
            diagnostics.error(
                LanguageDiagnosticCode.literalCredential,
                "a credential is written into the playbook",
                at: node.range,
                help: "never put credentials in a playbook: reference a secret by name instead, { secret: \(suggestedName) }",
                fixIts: [FixIt.replace(node.range, with: "{ secret: \(suggestedName) }", "reference a secret instead")]
            )
            return
        }
        reportWrongKind(node, expected: .secretReference, key: key)
    }

    /// A `{ secret: … }` mapping where secrets are not allowed. Returns true when reported.
    @discardableResult
    private mutating func reportMisplacedSecret(_ node: YAMLNode) -> Bool {
        guard node.isSingleKeyMapping("secret") else { return false }
        diagnostics.error(
            LanguageDiagnosticCode.misplacedSecret,
            "a secret can only be used in a connection's 'auth' or a webhook's 'signing_secret'",
            at: node.range,
            help: "secrets never appear in messages, records or options, so they cannot leak; move the credential to the connection's auth"
        )
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
        let keyName = key?.scalar.map { "'\($0)'" }
        if node.isNull {
            diagnostics.error(
                LanguageDiagnosticCode.missingValue,
                "\(keyName ?? "this item") has no value",
                at: key?.range ?? node.range,
                help: "give \(shape.expectation)"
            )
            return
        }
        if looksLikeUnquotedTemplate(node) {
            let isExpression: Bool
            if case .expression = shape { isExpression = true } else { isExpression = false }
            diagnostics.error(
                LanguageDiagnosticCode.unquotedTemplate,
                isExpression ? "expected an expression, found '{{ }}' read as a YAML mapping" : "text starting with '{' must be quoted",
                at: node.range,
                help: isExpression
                    ? "this field is already an expression: write it without {{ }}"
                    : "YAML reads an unquoted '{' as the start of a mapping; put the whole text in quotes"
            )
            return
        }
        diagnostics.error(
            LanguageDiagnosticCode.wrongType,
            "expected \(shape.expectation), found \(describe(node))",
            at: node.range,
            help: hint(for: node, expected: shape)
        )
    }

    private func hint(for node: YAMLNode, expected shape: Shape) -> String? {
        switch (shape, node.content) {
        case (.object, .sequence), (.dictionary, .sequence):
            return "remove the '- ' in front of the entries: this is a mapping, not a list"
        case (.list, .mapping):
            return "start each entry with '- ': this is a list"
        case (.list, .scalar), (.oneOrMany, .mapping):
            return "write a list, e.g. [a, b], or one entry per line starting with '- '"
        case (.expression, .mapping), (.template, .mapping), (.text, .mapping):
            return "if the value contains ': ' or starts with '{', quote it"
        default:
            return nil
        }
    }

    private func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, _):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "'\(shown)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private func looksLikeUnquotedTemplate(_ node: YAMLNode) -> Bool {
        guard case .mapping(let pairs, true) = node.content, let first = pairs.first else { return false }
        if case .mapping(_, true) = first.key.content { return true }
        return false
    }

    private func identifierSuggestion(_ text: String) -> String {
        var result = String(text.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        if result.first?.isNumber == true { result = "_" + result }
        return result.isEmpty ? "name" : result
    }

    private func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
