import Diagnostics
import YAML

/// The words of a diagnostic: what is wrong, and how to fix it.
struct LanguageMessage {
    let text: String
    let help: String?

    init(_ text: String, help: String? = nil) {
        self.text = text
        self.help = help
    }
}

extension DiagnosticBag {
    mutating func error(
        _ code: DiagnosticCode, _ message: LanguageMessage, at range: SourceRange,
        notes: [DiagnosticNote] = [], fixIts: [FixIt] = []
    ) {
        error(code, message.text, at: range, notes: notes, help: message.help, fixIts: fixIts)
    }

    mutating func warning(_ code: DiagnosticCode, _ message: LanguageMessage, at range: SourceRange, notes: [DiagnosticNote] = []) {
        warning(code, message.text, at: range, notes: notes, help: message.help)
    }
}

extension Diagnostic {
    /// An error worded by `message`, for the steps that return diagnostics rather than fill a bag.
    static func error(_ code: DiagnosticCode, _ message: LanguageMessage, at range: SourceRange) -> Diagnostic {
        .error(code, message.text, at: range, help: message.help)
    }
}

/// Every message the checks report, in one place, so that wording is written and reviewed together
/// and a check says only what it found. Messages of names that may be misspelt ("unknown …") are
/// finished by `DiagnosticBag.unknownName`, which adds "did you mean".
extension LanguageMessage {
    // MARK: The file as a whole

    static func notAPlaybook(found kind: String?) -> LanguageMessage {
        LanguageMessage(kind.map { "a playbook must be a mapping, found \($0)" } ?? "the file is empty",
                        help: "a playbook starts with 'version: 1' and 'name: …' on their own lines")
    }

    static let noSteps = LanguageMessage("the playbook has no steps", help: "add at least one step under 'steps:'")

    /// The language versions this build reads, in words.
    private static var supportedVersions: String {
        let supported = Grammar.supportedVersions
        return supported.count == 1 ? "version \(supported.lowerBound)" : "versions \(supported.lowerBound) to \(supported.upperBound)"
    }

    static var missingVersion: LanguageMessage {
        LanguageMessage("playbook is missing the required field 'version'",
                        help: "add 'version: 1' as the first line; this build of Playbook reads \(supportedVersions)")
    }

    static func unsupportedVersion(_ version: Int) -> LanguageMessage {
        LanguageMessage("playbook language version \(version) is not supported", help: "this build of Playbook reads \(supportedVersions)"
            + (version > Grammar.supportedVersions.upperBound ? "; upgrade Playbook to read newer playbooks" : ""))
    }

    static func versionNotANumber(found: String) -> LanguageMessage {
        LanguageMessage("'version' must be a whole number, found \(found)", help: "write 'version: 1'; this build of Playbook reads \(supportedVersions)")
    }

    /// A file with no YAML document in it at all, not even an empty one.
    static let emptyDocument = LanguageMessage("the file holds no YAML document", help: "a playbook starts with 'version: 1' and 'name: …'")

    // MARK: Fields of an object

    /// A required field the object does not give; the help says what the field holds.
    static func missingField(_ field: FieldShape, in object: ObjectShape) -> LanguageMessage {
        LanguageMessage("\(object.title) is missing the required field '\(field.name)'",
                        help: "add '\(field.name):' (\(field.shape.expectation)); \(lowercasedFirst(field.summary))")
    }

    /// None of the fields of which an object needs exactly one; the list is helpful only while short.
    static func needsOneOf(_ names: [String], in object: ObjectShape) -> LanguageMessage {
        LanguageMessage("\(object.title) needs one of \(Suggestions.list(names))",
                        help: names.count <= 5 ? "add exactly one of: " + names.joined(separator: ", ") : nil)
    }

    /// `name` is given without `other`, which it needs beside it.
    static func fieldNeeds(_ name: String, _ other: String, in object: ObjectShape) -> LanguageMessage {
        LanguageMessage("'\(name)' needs '\(other)' in the same \(object.title)", help: "add '\(other):' or remove '\(name)'")
    }

    /// `name` is given together with `first`; `given` are all the conflicting fields given.
    static func conflictingField(_ name: String, with first: String, given: [String], in object: ObjectShape, onlyOne: Bool) -> LanguageMessage {
        LanguageMessage(
            "'\(name)' cannot be used together with '\(first)' in a \(object.title)",
            help: onlyOne ? "a \(object.title) takes exactly one of \(Suggestions.list(given, conjunction: "and")); keep one" : "remove one of them"
        )
    }

    /// The note on the first of two conflicting fields.
    static func fieldGivenHere(_ name: String) -> String { "'\(name)' is given here" }

    /// A key that is not a field of the object; the help names the closest field, or lists them all.
    static func indentedTooLittle(_ name: String, under parent: String, besides sibling: String, by spaces: Int) -> LanguageMessage {
        LanguageMessage(
            "'\(name)' is indented too little: it belongs under '\(parent):' above, not beside it",
            help: "indent '\(name):' by \(spaces) more space\(spaces == 1 ? "" : "s"), to line up with '\(sibling):' and the other fields of '\(parent):'"
        )
    }

    static func unknownField(_ name: String, in object: ObjectShape) -> LanguageMessage {
        let help = if let suggestion = Suggestions.didYouMean(name, in: object.fieldNames) {
            suggestion
        } else if object === Grammar.playbook, Grammar.trigger.fieldNames.contains(name) {
            fieldOfATrigger(name)
        } else if object === Grammar.step, Grammar.commonStepFields.contains(where: { $0.name == name }) || name == "from" {
            "'\(name)' belongs inside the step's kind, e.g. under 'transform:', next to the other settings"
        } else {
            "\(object.title) fields are: " + object.fieldNames.joined(separator: ", ")
        }
        return LanguageMessage("unknown field '\(name)' in \(object.title)", help: help)
    }

    /// The fix-it title of a misspelt field name.
    static func renameFieldFixIt(_ name: String) -> String { "rename to '\(name)'" }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    // MARK: Values

    /// A key of a mapping whose keys the author chooses that is not of `format`; `suggestion` is the
    /// name spelt as an identifier.
    static func invalidKey(_ name: String, format: TextFormat, suggestion: String) -> LanguageMessage {
        LanguageMessage("'\(name)' is not a valid name here: expected \(format.expectation)",
                        help: format == .identifier ? "use letters, digits and underscores, starting with a letter, e.g. '\(suggestion)'" : nil)
    }

    /// A text value that is not of `format`; `suggestion` is the text spelt as an identifier.
    static func invalidText(_ text: String, format: TextFormat, suggestion: String) -> LanguageMessage {
        LanguageMessage("'\(text)' is not valid here: expected \(format.expectation)",
                        help: format == .identifier ? "use letters, digits and underscores, e.g. '\(suggestion)'" : nil)
    }

    /// An empty list where at least `minimumCount` items are needed.
    static func emptyList(minimumCount: Int) -> LanguageMessage {
        LanguageMessage("the list is empty", help: "give at least \(minimumCount) item\(minimumCount == 1 ? "" : "s") or remove the field")
    }

    /// An empty list where one step or a list of steps is expected (`from: []`).
    static let emptyStepList = LanguageMessage("the list is empty", help: "name at least one step or remove the field")

    /// A null value; `key` is the key it is the value of, if it has one.
    static func noValue(key: String?, expected shape: Shape) -> LanguageMessage {
        LanguageMessage("\(key.map { "'\($0)'" } ?? "this item") has no value", help: "give \(shape.expectation)")
    }

    /// A value of the wrong kind, such as a list where a mapping belongs.
    static func wrongType(expected shape: Shape, found node: YAMLNode) -> LanguageMessage {
        LanguageMessage("expected \(shape.expectation), found \(describe(node))", help: wrongTypeHint(node, expected: shape))
    }

    private static func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, _):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "'\(shown)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private static func wrongTypeHint(_ node: YAMLNode, expected shape: Shape) -> String? {
        switch (shape, node.content) {
        case (.object, .sequence), (.dictionary, .sequence):
            "remove the '- ' in front of the entries: this is a mapping, not a list"
        case (.list, .mapping):
            "start each entry with '- ': this is a list"
        case (.list, .scalar), (.oneOrMany, .mapping):
            "write a list, e.g. [a, b], or one entry per line starting with '- '"
        case (.expression, .mapping), (.template, .mapping), (.text, .mapping):
            "if the value contains ': ' or starts with '{', quote it"
        default:
            nil
        }
    }

    /// `{{ … }}` written unquoted, which YAML reads as a mapping inside a mapping.
    static func unquotedTemplate(inExpression: Bool) -> LanguageMessage {
        inExpression
            ? LanguageMessage("expected an expression, found '{{ }}' read as a YAML mapping",
                              help: "this field is already an expression: write it without {{ }}")
            : LanguageMessage("text starting with '{' must be quoted",
                              help: "YAML reads an unquoted '{' as the start of a mapping; put the whole text in quotes")
    }

    /// `{{` in a field that is already an expression.
    static let bracesInExpression = LanguageMessage("'{{' in an expression field", help: "this field is already an expression: write it without {{ }}")

    /// The fix-it title of `{{ expression }}` in an expression field.
    static let removeBracesFixIt = "remove the braces"

    /// How a number that does not read as one was probably meant to be written.
    enum NumberMistake {
        /// `"5"`: a number in quotes, which is text.
        case quoted
        /// `007`.
        case leadingZeros
        /// `1e3`.
        case exponent
        /// `1_000` or `1,000`.
        case separators
    }

    /// Text where a number is expected, with advice when it looks like a number written another way.
    static func notANumber(_ text: String, expected expectation: String, mistake: NumberMistake?) -> LanguageMessage {
        let help: String? = switch mistake {
        case .quoted: "remove the quotes: quoted values are text"
        case .leadingZeros: "write the number without leading zeros (\(text.drop { $0 == "0" }.isEmpty ? "0" : String(text.drop { $0 == "0" })))"
        case .exponent: "write the number out in full, without an exponent"
        case .separators: "write the number without separators"
        case nil: nil
        }
        return LanguageMessage("expected \(expectation), found '\(text)'", help: help)
    }

    /// The fix-it title of a number written in quotes.
    static let removeQuotesFixIt = "remove the quotes"

    /// A number below the field's minimum, `written` as in the file.
    static func belowMinimum(_ written: String, _ minimum: Double) -> LanguageMessage {
        LanguageMessage("\(written) is below the minimum of \(format(minimum))")
    }

    /// A number above the field's maximum, `written` as in the file.
    static func aboveMaximum(_ written: String, _ maximum: Double) -> LanguageMessage {
        LanguageMessage("\(written) is above the maximum of \(format(maximum))")
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A word such as `yes` or `"true"` that means `meant` but is not a boolean; `written` is as in the
    /// file, quotes and all.
    static func booleanSpeltAsText(_ written: String, meant: String, quoted: Bool) -> LanguageMessage {
        let why = quoted ? "quoted text is not a boolean" : "Playbook reads only true and false as booleans"
        return LanguageMessage("expected true or false, found '\(written)'", help: "write \(meant): \(why)")
    }

    /// Text where true or false is expected that means neither.
    static func notABoolean(_ text: String) -> LanguageMessage {
        LanguageMessage("expected true or false, found '\(text)'", help: "write true or false")
    }

    /// The fix-it title of a boolean spelt as text.
    static func replaceWithBooleanFixIt(_ meant: String) -> String { "replace with \(meant)" }

    /// A word that is not one of the field's `words`; `suggestion` is the closest of them, if any is close.
    static func notAChoice(_ text: String, of words: [String], suggestion: String?) -> LanguageMessage {
        LanguageMessage("'\(text)' is not one of \(Suggestions.list(words))", help: suggestion.map { "did you mean '\($0)'?" })
    }

    /// The fix-it title of a value replaced by the word or literal it was probably meant to be.
    static func replaceFixIt(_ replacement: String) -> String { "replace with '\(replacement)'" }

    // MARK: Secrets

    /// A mapping where a secret reference belongs that is not `{ secret: NAME }`.
    static let notASecretReference = LanguageMessage("expected a secret reference such as { secret: NAME }",
                                                     help: "a credential is given as a mapping with the single key 'secret'")

    /// `{ secret: }` with no name.
    static let secretWithoutName = LanguageMessage("the secret reference has no name", help: "write { secret: NAME }")

    /// A secret name that is not upper case; `suggestion` is the name spelt as one.
    static func invalidSecretName(_ text: String, suggestion: String) -> LanguageMessage {
        LanguageMessage("'\(text)' is not a valid secret name: expected \(TextFormat.secretName.expectation)",
                        help: "secret names are upper case, e.g. \(suggestion)")
    }

    /// The fix-it title of a secret name spelt in upper case.
    static func useSecretNameFixIt(_ name: String) -> String { "use \(name)" }

    /// A credential field given as text rather than a reference to a secret named `suggestedName`.
    static func credentialInPlaybook(suggestedName: String) -> LanguageMessage {
        LanguageMessage("a credential is written into the playbook",
                        help: "never put credentials in a playbook: reference a secret by name instead, { secret: \(suggestedName) }")
    }

    /// The fix-it title of a written credential replaced by a secret reference.
    static let referenceSecretFixIt = "reference a secret instead"

    /// A secret reference outside the two places a credential may be given.
    static let misplacedSecret = LanguageMessage(
        "a secret can only be used in a connection's 'auth' or a webhook's 'signing_secret' or 'verify_token'",
        help: "secrets never appear in messages, records or options, so they cannot leak; move the credential to the connection's auth")

    // MARK: Steps and references

    static func dependsOnItself(_ step: StepID) -> LanguageMessage {
        LanguageMessage("step '\(step)' depends on itself",
                        help: "a step cannot read its own output; name the step whose records it should take")
    }

    static func cycle(_ path: String) -> LanguageMessage {
        LanguageMessage("steps depend on each other in a cycle: \(path)",
                        help: "a step can only take records from steps that finish before it; remove one of these dependencies")
    }

    /// The note on one edge of a cycle, where `edge.to` names `edge.from`.
    static func cycleEdgeNote(_ edge: StepGraph.Edge) -> String {
        "'\(edge.to)' \(edge.kind == .data ? "reads from" : "runs after") '\(edge.from)' here"
    }

    static func unknownStep(_ step: StepID) -> String { "unknown step '\(step)'" }

    static func otherSteps(_ ids: [String]) -> String { "steps in this playbook: " + ids.joined(separator: ", ") }

    static func noSegments(_ step: StepID, reference: String) -> LanguageMessage {
        LanguageMessage("step '\(step)' has no segments, so '\(reference)' does not exist",
                        help: "only a segment step with 'segments:' has named outputs; write '\(step)' to take all its records")
    }

    static func unknownSegment(_ segment: String, of step: StepID, segments: [String]) -> LanguageMessage {
        LanguageMessage("step '\(step)' has no segment '\(segment)'",
                        help: Suggestions.didYouMean(segment, in: segments) ?? "its segments are: " + segments.joined(separator: ", "))
    }

    static func otherwiseRepeatsSegment(_ name: String) -> LanguageMessage {
        LanguageMessage("'otherwise' names the segment '\(name)', which is already defined",
                        help: "give the records that match no segment a name of their own")
    }

    /// The note on the segment that 'otherwise' repeats.
    static let segmentDefinedNote = "defined here"

    static func unusedOutput(_ step: StepID, awaited: Bool) -> LanguageMessage {
        LanguageMessage("the records of step '\(step)' go nowhere", help: awaited
            ? "'after:' only orders steps; to use the records, name '\(step)' in a later step's 'from:'"
            : "name '\(step)' in a later step's 'from:', or remove the step")
    }

    static func unknownRecordField(_ field: String, purpose: String, owner: String) -> String {
        "cannot \(purpose) '\(field)': no such field in \(owner)"
    }

    static func recordFields(_ names: [String]) -> String {
        names.isEmpty ? "the records have no fields here" : "the fields are: " + names.joined(separator: ", ")
    }

    // MARK: Connections

    static func unknownConnection(_ name: ConnectionName) -> String { "unknown connection '\(name)'" }

    static func declaredConnections(_ names: [String]) -> String {
        names.isEmpty ? "declare it under 'connections:'" : "connections in this playbook: " + names.joined(separator: ", ")
    }

    static func unknownConnector(_ name: String) -> String { "unknown connector '\(name)'" }

    static func knownConnectors(_ names: [String]) -> String { "known connectors: " + names.joined(separator: ", ") }

    static func unusedConnection(_ name: ConnectionName) -> LanguageMessage {
        LanguageMessage("connection '\(name)' is not used by any step", help: "remove it, or use it in a fetch, sync or notify step")
    }

    static func notACredential(_ field: String, of connector: ConnectorDescriptor, accepted: [String]) -> LanguageMessage {
        LanguageMessage(
            accepted.isEmpty ? "connector '\(connector.name)' takes no credentials" : "'\(field)' is not a credential of connector '\(connector.name)'",
            help: Suggestions.didYouMean(field, in: accepted)
                ?? (accepted.isEmpty ? "remove 'auth:'" : "\(connector.name) accepts: " + accepted.joined(separator: ", "))
        )
    }

    static func missingCredentials(
        _ connection: ConnectionName, noneGiven: Bool, missing: [String], for connector: ConnectorDescriptor, schemes: [String]
    ) -> LanguageMessage {
        LanguageMessage(
            noneGiven
                ? "connection '\(connection)' has no credentials for \(connector.title)"
                : "connection '\(connection)' is missing \(Suggestions.list(missing, conjunction: "and")) for \(connector.title)",
            help: "give one of: " + schemes.joined(separator: "; ") + ", each as { secret: NAME }"
        )
    }

    static func literalCredential(_ option: String) -> LanguageMessage {
        LanguageMessage("'\(option)' looks like a credential written into the playbook",
                        help: "credentials go under 'auth:' as { secret: NAME }, so they never appear in the file")
    }

    static func unknownOption(_ option: String, of connector: ConnectorDescriptor, known: [String]) -> LanguageMessage {
        LanguageMessage("'\(option)' is not an option of connector '\(connector.name)'", help: Suggestions.didYouMean(option, in: known)
            ?? (known.isEmpty ? "\(connector.name) has no options" : "\(connector.name) options: " + known.joined(separator: ", ")))
    }

    static func missingSchemeOption(_ option: ConnectorOption?, named name: String, connection: ConnectionName, scheme: String) -> LanguageMessage {
        LanguageMessage("connection '\(connection)' is missing the option '\(name)', which \(scheme) authentication needs",
                        help: "add options: { \(name): … } — \(option?.summary ?? "")")
    }

    static func missingOption(_ option: ConnectorOption, connection: ConnectionName, connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage("connection '\(connection)' is missing the option '\(option.name)' that \(connector.title) needs",
                        help: "add options: { \(option.name): … } — \(option.summary)")
    }

    // MARK: Resources and operations

    static func unknownResource(_ name: String, of connector: ConnectorDescriptor) -> String {
        "connector '\(connector.name)' has no resource '\(name)'"
    }

    static func connectorResources(_ connector: ConnectorDescriptor, _ names: [String]) -> String {
        "\(connector.name) resources: " + names.joined(separator: ", ")
    }

    static func cannotRead(_ connector: ConnectorDescriptor, usedWith: String) -> LanguageMessage {
        LanguageMessage("connector '\(connector.name)' cannot be read from", help: "\(connector.title) is used with \(usedWith)")
    }

    static func cannotWrite(_ connector: ConnectorDescriptor, usedWith: String) -> LanguageMessage {
        LanguageMessage("connector '\(connector.name)' cannot be written to", help: connector.capabilities.contains(.notify)
            ? "to send messages through \(connector.title), use a notify step"
            : "\(connector.title) is used with \(usedWith)")
    }

    static func cannotNotify(_ connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage("connector '\(connector.name)' cannot send messages", help: "notify through a slack, sendgrid or webhook connection")
    }

    static func writeOnlyResource(_ resource: ResourceDescriptor, of connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage("resource '\(resource.name)' of \(connector.name) cannot be read", help: "it can only be written with a sync step")
    }

    static func invalidCursor(_ cursor: String, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage(
            "'\(cursor)' cannot be used as the incremental cursor of \(connector.name) \(resource.name)",
            help: resource.cursorFields.isEmpty
                ? "\(resource.name) cannot be read incrementally; remove 'incremental:'"
                : (Suggestions.didYouMean(cursor, in: resource.cursorFields) ?? "use one of: " + resource.cursorFields.joined(separator: ", "))
        )
    }

    static func unknownWebhook(_ path: String, paths: [String]) -> LanguageMessage {
        LanguageMessage(
            "no webhook trigger has the path '\(path)'",
            help: paths.isEmpty
                ? "add a trigger: - webhook: { path: \(path), verify: …, signing_secret: { secret: … } }"
                : (Suggestions.didYouMean(path, in: paths) ?? "webhook paths: " + paths.joined(separator: ", "))
        )
    }

    static func matchOnRequired(_ mode: SyncMode) -> LanguageMessage {
        LanguageMessage("\(mode.rawValue) needs 'match_on' to find existing records",
                        help: "add 'match_on:' with the field that identifies a record, such as email")
    }

    static let tagsRequired = LanguageMessage("tag needs 'tags' (the tags to apply)", help: "add 'tags: [\"…\"]' to the sync step")

    static func unsupportedSyncMode(_ mode: SyncMode, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor) -> LanguageMessage {
        resource.syncModes.isEmpty
            ? LanguageMessage("\(connector.name) \(resource.name) cannot be written")
            : LanguageMessage("\(connector.name) \(resource.name) does not support mode '\(mode.rawValue)'",
                              help: "it supports: " + resource.syncModes.map(\.rawValue).joined(separator: ", "))
    }

    static func cannotMatchOn(_ field: String, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage("\(connector.name) \(resource.name) cannot match records on '\(field)'",
                        help: Suggestions.didYouMean(field, in: resource.matchFields) ?? "it matches on: " + resource.matchFields.joined(separator: ", "))
    }

    static func batchTooLarge(_ batch: Int, limit: Int, _ connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage("batch_size \(batch) is more than \(connector.title) accepts in one call (\(limit))", help: "use batch_size: \(limit) or less")
    }

    /// The fix-it title of a batch size lowered to the platform's `limit`.
    static func useBatchLimitFixIt(_ limit: Int) -> String { "use \(limit)" }

    static func unknownParameter(_ name: String, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor, known: [String]) -> LanguageMessage {
        LanguageMessage("'\(name)' is not a parameter of \(connector.name) \(resource.name)", help: Suggestions.didYouMean(name, in: known)
            ?? (known.isEmpty ? "\(resource.name) takes no parameters here" : "its parameters are: " + known.joined(separator: ", ")))
    }

    static func missingParameter(_ parameter: ConnectorOption, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage("\(connector.name) \(resource.name) needs the parameter '\(parameter.name)'",
                        help: "add params: { \(parameter.name): … } — \(parameter.summary)")
    }

    static let titleWithoutDigest = LanguageMessage(
        "'title' is the first line of a digest, and this step does not send one",
        help: "add 'mode: digest' (with 'from:') to send one message listing every record under the title, or put the line in 'message:'")

    static let deliveryWithoutOncePer = LanguageMessage(
        "'delivery' needs 'once_per': without a key, no message is recorded, so none is known to be uncertain",
        help: "add 'once_per:' with the key each message is for, such as 'once_per: record.email', or remove 'delivery:'")

    static func subjectRequired(_ connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage("sending through \(connector.title) needs a 'subject'", help: "add 'subject:' with the e-mail subject")
    }

    static func recipientRequired(_ connector: ConnectorDescriptor) -> LanguageMessage {
        LanguageMessage("sending through \(connector.title) needs 'to' (the recipient)",
                        help: "add 'to:', e.g. to: \"{{ record.email }}\" or a fixed address")
    }

    // MARK: Triggers and params

    static func duplicateWebhookPath(_ path: String) -> LanguageMessage {
        LanguageMessage("two webhook triggers use the path '\(path)'", help: "give each webhook its own path")
    }

    /// The note on the first trigger that uses a webhook path.
    static let webhookPathFirstUsedNote = "first used here"

    static func nameHeldByAnotherFile(_ name: String, file: String) -> LanguageMessage {
        LanguageMessage("the name '\(name)' is already the name of \(file)",
                        help: "each playbook in a folder needs its own name: runs, state and `playbook runs` are kept by name")
    }

    static func webhookPathHeldByAnotherFile(_ path: String, file: String) -> LanguageMessage {
        LanguageMessage("the webhook path '\(path)' is already used by \(file)",
                        help: "give each webhook in a folder its own path: one path can start only one playbook")
    }

    static func eitherDayField(_ cron: String, dayOfMonth: String, dayOfWeek: String, withoutWeekday: String, weekdays: [Int], timeZone: String) -> LanguageMessage {
        let test = weekdays.count == 1 ? "== \(weekdays[0])" : "in [\(weekdays.map(String.init).joined(separator: ", "))]"
        return LanguageMessage(
            "'\(cron)' runs on days \(dayOfMonth) of the month and also on every \(dayOfWeek): cron runs on a day that matches either field",
            help: "to run only on days that match both (such as the first Monday of the month), schedule \"\(withoutWeekday)\" and test the weekday in the first step's `if:`, "
                + "e.g. `if: now.getDayOfWeek(\"\(timeZone)\") \(test)` (Sunday is 0)"
        )
    }

    static func paramWithoutPrefix(_ name: String) -> String {
        "'\(name)' is a parameter of this playbook: write params.\(name)"
    }

    static func fieldOfATrigger(_ name: String) -> String {
        "'\(name)' belongs to a trigger: put it under 'triggers:' as an item of the list, e.g. `triggers: [{ schedule: \"0 9 * * MON\", timezone: Europe/Warsaw }]`"
    }

    static func incrementalWriteBack(connection: ConnectionName, resource: String, reader: StepID, cursor: String) -> LanguageMessage {
        LanguageMessage(
            "this step writes to \(connection) \(resource), which step '\(reader)' reads incrementally: every record written here counts as changed, "
                + "so the next run reads it again and writes it again, run after run",
            help: "write only the records whose value changes: before this step, add a segment that compares the value you write with the one already stored, "
                + "e.g. `where: record.lead_score != record.new_score`; if reading them again on every run is acceptable (it costs API calls and time), leave it as it is"
        )
    }

    static func incrementalReadNote(_ reader: StepID, cursor: String) -> String {
        "'\(reader)' reads only records whose \(cursor) moved since the last run"
    }

    static let baseURLNotAnAddress = LanguageMessage(
        "base_url must be an http or https address",
        help: "write the address that takes the place of the platform's, e.g. `base_url: https://api-eu1.hubapi.com` or `base_url: http://127.0.0.1:8790/hubspot` for the sandbox"
    )

    static func unverifiedWebhook(_ path: String) -> LanguageMessage {
        LanguageMessage("webhook '\(path)' accepts unsigned requests",
                        help: "anyone who learns the URL can start this playbook; use the sender's signature scheme with a signing_secret")
    }

    static let signatureHeaderRequired = LanguageMessage(
        "hmac-sha256 verification needs 'signature_header' (the header that carries the signature)", help: "add e.g. signature_header: X-Signature")

    static func signingSecretRequired(_ scheme: WebhookVerification) -> LanguageMessage {
        LanguageMessage("\(scheme.rawValue) verification needs a 'signing_secret'",
                        help: "add signing_secret: { secret: NAME } with the secret the sender signs requests with")
    }

    static let verifyTokenRequired = LanguageMessage(
        "meta verification needs a 'verify_token' (Meta sends it when it checks the address)",
        help: "add verify_token: { secret: NAME } with the verify token you enter in Meta's app dashboard")

    static func verifyTokenOutsideMeta(_ scheme: WebhookVerification) -> LanguageMessage {
        LanguageMessage("'verify_token' is only used by verify: meta, and this webhook uses \(scheme.rawValue)",
                        help: "remove verify_token, or write verify: meta if the sender is Meta")
    }

    /// A parameter default that is not a value of the parameter's type; `problem` says what it is instead.
    static func invalidDefault(_ name: String, type: ParamType, _ problem: ParamDefaults.Problem) -> LanguageMessage {
        let example = switch type {
        case .string: "write text, e.g. default: PL"
        case .int: "write a whole number, e.g. default: 80"
        case .double: "write a number, e.g. default: 0.25"
        case .bool: "write true or false"
        case .list: "write a list, e.g. default: [PL, DE]"
        case .duration: "write a duration, e.g. default: 24h"
        case .timestamp: "write an RFC 3339 timestamp, e.g. default: \"2026-01-01T00:00:00Z\""
        }
        let reason = switch problem {
        case .notAList(let kind): "found \(kind)"
        case .notASingleValue(let kind): "found a \(kind)"
        case .empty: "it is empty"
        case .unreadable(let text): "'\(text)' is not \(valueWords(type))"
        }
        return LanguageMessage("the default of '\(name)' is not \(type == .int ? "an" : "a") \(type.rawValue): \(reason)", help: example)
    }

    /// What a value of `type` is, in words, for "'…' is not …".
    private static func valueWords(_ type: ParamType) -> String {
        switch type {
        case .string: "text"
        case .int: "a whole number"
        case .double: "a number"
        case .bool: "true or false"
        case .list: "a list"
        case .duration: "a duration"
        case .timestamp: "an RFC 3339 timestamp"
        }
    }

    static func unusedParam(_ name: String) -> LanguageMessage {
        LanguageMessage("parameter '\(name)' is never read", help: "read it in an expression as params.\(name), or remove it")
    }
}
