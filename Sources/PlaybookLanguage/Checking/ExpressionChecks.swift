import CEL
import Diagnostics

/// What checking a playbook's expressions and templates found, kept for the plan compiler.
struct CheckedExpressions: Sendable {
    let file: SourceFile
    /// By the file offset where each expression's or template's text starts.
    let sources: [Int: CheckedSource]
}

/// The record fields an expression or template reads as values (`record.job_title`), which fails
/// when the record lacks the field, with where each read is written in the text.
struct RecordValueReads: Sendable {
    let source: SourceText
    let fields: [(field: String, range: SourceRange)]
}

/// What checking an expression or template found.
struct CheckedSource: Sendable {
    /// What was checked, when it checked without errors.
    enum Checked: Sendable {
        case expression(CELCheckedExpression)
        case template(CELCheckedTemplate)
    }

    /// The checked type; nil when the check failed.
    var type: CELType?
    /// The checked expression or template, when it checked without errors and the checker keeps them.
    var checked: Checked?
    /// The environment it was checked in.
    var environment: CELEnvironment
    /// The type of the record the expression saw, when it saw one.
    var record: ValueType?
}

/// Type-checks expressions and templates against what the step receives, and moves each problem's
/// position from the expression's text to the file (through quoting, escapes and folded lines).
///
/// Each expression is checked once, in the environment of its step: the record-type pass asks for
/// the types of `set:` values while it works out record fields, and the remaining expressions are
/// checked afterwards. What each check found is kept for the plan compiler.
final class ExpressionTypeChecker {
    let playbook: Playbook
    let file: SourceFile
    /// Whether to keep each checked expression, for the plan compiler; a validator that reports
    /// problems only does not need them.
    let keepsChecked: Bool
    private(set) var diagnostics: [Diagnostic] = []
    /// What each expression and template checked to, by the file offset where its text starts.
    private(set) var checked: [Int: CheckedSource] = [:]
    /// The params that expressions and templates read, as the checker resolved them.
    private(set) var paramsRead = Set<String>()
    /// Whether every expression and template parsed and none reads `params` as a whole, so that
    /// `paramsRead` names every param read.
    private(set) var paramReadsKnown = true
    /// The record fields that each step's conditions read, by step position: what a segment filters on.
    private(set) var recordFieldsInConditions: [Int: Set<String>] = [:]
    /// The record fields each expression and template reads as values, by the file offset where
    /// its text starts; only those that read one.
    private(set) var recordValueReads: [Int: RecordValueReads] = [:]
    /// Explains a record field that is unknown because the step's fetch does not request it.
    var requestedFieldHints: RequestedFieldHints?
    /// The variables every expression sees, `record` aside.
    private let runVariables: [String: CELType]
    /// The environment of each step's expressions, by step position; and the one without `record`.
    private var stepEnvironments: [Int: (record: ValueType, environment: CELEnvironment)] = [:]
    private let environmentWithoutRecord: CELEnvironment

    init(playbook: Playbook, file: SourceFile, keepsChecked: Bool) {
        self.playbook = playbook
        self.file = file
        self.keepsChecked = keepsChecked
        self.runVariables = Self.variables(of: playbook)
        self.environmentWithoutRecord = CELEnvironment(variables: runVariables)
        checked.reserveCapacity(2 * playbook.steps.count + playbook.alerts.count)
    }

    /// What `steps.NAME` offers, shared by every step's type.
    static let stepFields: [String: CELType] = [
        "status": .string, "records_in": .int, "records_out": .int, "records_skipped": .int,
        "started_at": .timestamp, "finished_at": .timestamp,
    ]

    /// The variables of a playbook's expressions besides `record`: `params`, `trigger`, `run`, `now`
    /// and `steps`.
    static func variables(of playbook: Playbook) -> [String: CELType] {
        var params: [String: CELType] = [:]
        for param in playbook.params { params[param.name.value] = celType(param.type.valueType) }
        var steps: [String: CELType] = [:]
        steps.reserveCapacity(playbook.steps.count)
        for step in playbook.steps {
            steps[step.id.value.rawValue] = .object(name: "step " + step.id.value.rawValue, fields: stepFields)
        }
        return [
            "params": .object(name: "params", fields: params),
            "trigger": .object(name: "trigger", fields: [
                "kind": .string, "fired_at": .timestamp, "path": .string, "schedule": .string,
                "payload": .dyn, "headers": .map(.string, .string),
            ]),
            "run": .object(name: "run", fields: [
                "id": .string, "started_at": .timestamp, "status": .string, "dry_run": .bool, "error": .string,
            ]),
            "now": .timestamp,
            "steps": .object(name: "steps", fields: steps),
        ]
    }

    /// Checks an expression seeing `record` of the given type (none for step conditions and alerts);
    /// returns its type, `dyn` when unknown.
    @discardableResult
    func check(_ expression: Expression, record: ValueType?, of step: Step? = nil) -> ValueType {
        let key = expression.source.range.start
        if let known = checked[key] { return known.type.map(Self.valueType) ?? .dyn }
        // `{{ }}` in an expression field is reported by the decoder, with a fix; parsing it as CEL would
        // only add noise.
        if expression.holdsTemplateBraces {
            checked[key] = CheckedSource(type: nil, checked: nil, environment: environmentWithoutRecord)
            paramReadsKnown = false
            return .dyn
        }
        var environment = environment(record: record, of: step)
        switch expression.role {
        case .condition: environment.expectedResultType = .bool
        case .records: environment.expectedResultType = .list(.dyn)
        case .value, .key: break
        }
        let source: CheckedSource
        if keepsChecked {
            let result = environment.check(expression.source.text)
            report(explainingUnrequested(result.diagnostics, references: result.references, in: expression.source, step: step), in: expression.source)
            noteReads(result.references, parsed: !result.parsed.hasErrors)
            noteConditionReads(result.references, of: expression, in: step)
            noteRecordValueReads(result.references, in: expression.source)
            source = CheckedSource(
                type: result.checked?.resultType, checked: result.checked.map(CheckedSource.Checked.expression),
                environment: environment, record: record)
        } else {
            let result = environment.typeCheck(expression.source.text)
            report(explainingUnrequested(result.diagnostics, references: result.references, in: expression.source, step: step), in: expression.source)
            noteReads(result.references, parsed: result.parsed)
            noteConditionReads(result.references, of: expression, in: step)
            noteRecordValueReads(result.references, in: expression.source)
            source = CheckedSource(type: result.hasErrors ? nil : result.resultType, environment: environment, record: record)
        }
        checked[key] = source
        return source.type.map(Self.valueType) ?? .dyn
    }

    /// Checks every interpolation of a template.
    func check(_ template: Template, record: ValueType?, of step: Step? = nil) {
        let key = template.source.range.start
        guard checked[key] == nil else { return }
        let environment = environment(record: record, of: step)
        let result = keepsChecked
            ? CELTemplate.checkInterpolations(template.source.text, in: environment)
            : CELTemplate.checkReads(template.source.text, in: environment)
        report(explainingUnrequested(result.diagnostics, references: result.references, in: template.source, step: step), in: template.source)
        noteReads(result.references, parsed: result.parsed)
        noteRecordValueReads(result.references, in: template.source)
        let failed = result.diagnostics.contains { $0.severity == .error }
        checked[key] = CheckedSource(
            type: failed ? nil : .string, checked: result.template.map(CheckedSource.Checked.template),
            environment: environment, record: record)
    }

    /// The problems, with an unknown record field that the step's fetch could request (a GA4
    /// dimension it does not ask for) explained as such.
    private func explainingUnrequested(_ problems: [Diagnostic], references: [CELReference], in source: SourceText, step: Step?) -> [Diagnostic] {
        // Nearly every expression has no problem: leave before anything is copied.
        guard !problems.isEmpty, let step, problems.contains(where: { $0.code == CELDiagnosticCode.unknownField }),
              let hints = requestedFieldHints else { return problems }
        return problems.map { problem in
            guard problem.code == CELDiagnosticCode.unknownField,
                  let reference = references.first(where: { $0.variable == "record" && $0.path.count == 1 && $0.range.end == problem.range.end }),
                  let message = hints.message(forUnknown: reference.path[0], readBy: step) else { return problem }
            var explained = problem
            explained.message = message.text
            explained.help = message.help
            explained.fixIts = []
            return explained
        }
    }

    private func noteReads(_ references: [CELReference], parsed: Bool) {
        if !parsed { paramReadsKnown = false }
        for reference in references where reference.variable == "params" {
            if let name = reference.path.first { paramsRead.insert(name) } else { paramReadsKnown = false }
        }
    }

    /// Notes the record fields read as values, unless the same text also tests for the field or
    /// reads it as an optional (`has(record.job_title) ? record.job_title : ""`).
    private func noteRecordValueReads(_ references: [CELReference], in source: SourceText) {
        var values: [(field: String, range: SourceRange)] = []
        for reference in references where reference.variable == "record" && reference.firstSelection == .value {
            if let field = reference.path.first { values.append((field, reference.range)) }
        }
        guard !values.isEmpty else { return }
        let guarded = references.compactMap { $0.variable == "record" && $0.firstSelection != .value ? $0.path.first : nil }
        values.removeAll { guarded.contains($0.field) }
        guard !values.isEmpty else { return }
        recordValueReads[source.range.start] = RecordValueReads(source: source, fields: values)
    }

    private func noteConditionReads(_ references: [CELReference], of expression: Expression, in step: Step?) {
        guard expression.role == .condition, let step, let position = playbook.position(of: step.id.value) else { return }
        for reference in references where reference.variable == "record" {
            if let field = reference.path.first { recordFieldsInConditions[position, default: []].insert(field) }
        }
    }

    /// The environment of a step's expressions: every variable, and `record` of the given type, named
    /// as messages name the step's records. Made once per step and record type (a transform's `set:`
    /// values each see the fields set above them).
    private func environment(record: ValueType?, of step: Step?) -> CELEnvironment {
        guard let record else { return environmentWithoutRecord }
        let position = step.flatMap { playbook.position(of: $0.id.value) } ?? -1
        if let known = stepEnvironments[position], known.record == record { return known.environment }
        var variables = runVariables
        variables["record"] = recordType(record, name: step.map(RecordTypes.recordName) ?? "record")
        let environment = CELEnvironment(variables: variables)
        stepEnvironments[position] = (record, environment)
        return environment
    }

    /// The CEL fields of each record type seen: many steps see the same record type (every step that
    /// passes records through, and the steps reading it), which is then converted once.
    private var recordFields: [RecordTypeKey: [String: CELType]] = [:]

    private func recordType(_ record: ValueType, name: String) -> CELType {
        guard case .object(let fields) = record else { return Self.celType(record, name: name) }
        let key = RecordTypeKey(fields: fields)
        if let known = recordFields[key] { return .object(name: name, fields: known) }
        let converted = Self.celFields(fields)
        recordFields[key] = converted
        return .object(name: name, fields: converted)
    }

    /// A record type as a dictionary key, hashed by its size and the names of its first and last
    /// fields: far cheaper than hashing every field and type, and record types that share all three
    /// are still told apart by comparing them in full (which is immediate when they share storage).
    private struct RecordTypeKey: Hashable {
        let fields: [ValueType.Field]

        func hash(into hasher: inout Hasher) {
            hasher.combine(fields.count)
            hasher.combine(fields.first?.name)
            hasher.combine(fields.last?.name)
        }
    }

    /// What was checked, for the plan compiler.
    var results: CheckedExpressions { CheckedExpressions(file: file, sources: checked) }

    private func report(_ problems: [Diagnostic], in source: SourceText) {
        guard !problems.isEmpty else { return }
        let map = ScalarSourceMap(source: source, file: file)
        for var problem in problems {
            // A param named without `params.` is the usual unknown name; it is then not unused as well.
            if problem.code == CELDiagnosticCode.unknownVariable {
                let bytes = Array(source.text.utf8)
                let name = String(decoding: bytes[min(problem.range.start, bytes.count)..<min(problem.range.end, bytes.count)], as: UTF8.self)
                if playbook.params.contains(where: { $0.name.value == name }) {
                    paramsRead.insert(name)
                    problem.help = LanguageMessage.paramWithoutPrefix(name)
                }
            }
            problem.range = map.sourceRange(forValueRange: problem.range)
            problem.notes = problem.notes.map { note in
                var note = note
                note.range = note.range.map(map.sourceRange(forValueRange:))
                return note
            }
            problem.fixIts = problem.fixIts.map { fixIt in
                var fixIt = fixIt
                fixIt.edits = fixIt.edits.map { FixIt.Edit(range: map.sourceRange(forValueRange: $0.range), replacement: $0.replacement) }
                return fixIt
            }
            diagnostics.append(problem)
        }
    }

    // MARK: Types

    static func celType(_ type: ValueType, name: String = "record") -> CELType {
        switch type {
        case .string: .string
        case .int: .int
        case .double: .double
        case .bool: .bool
        case .timestamp: .timestamp
        case .duration: .duration
        case .bytes: .bytes
        case .list(let element): .list(celType(element, name: name))
        case .map(let value): .map(.string, celType(value, name: name))
        case .object(let fields):
            .object(name: name, fields: celFields(fields))
        case .dyn: .dyn
        }
    }

    /// Fields by name; a name given twice keeps its first type.
    static func celFields(_ fields: [ValueType.Field]) -> [String: CELType] {
        var types: [String: CELType] = [:]
        types.reserveCapacity(fields.count)
        for field in fields where types[field.name] == nil {
            types[field.name] = celType(field.type, name: field.name)
        }
        return types
    }

    static func valueType(_ type: CELType) -> ValueType {
        switch type {
        case .string: .string
        case .int, .uint: .int
        case .double: .double
        case .bool: .bool
        case .timestamp: .timestamp
        case .duration: .duration
        case .bytes: .bytes
        case .list(let element): .list(valueType(element))
        case .map(_, let value): .map(valueType(value))
        case .object(_, let fields): .object(fields.keys.sorted().map { ValueType.Field($0, valueType(fields[$0]!)) })
        default: .dyn
        }
    }
}

/// Checks the expressions the record-type pass does not reach: conditions, segments, sync tags,
/// notifications, webhook record selectors and alerts.
struct ExpressionChecks {
    let playbook: Playbook
    /// By step position, as in `playbook.steps`.
    let inputTypes: [ValueType]
    let checker: ExpressionTypeChecker

    func run() {
        for (position, step) in playbook.steps.enumerated() {
            if let condition = step.condition { checker.check(condition, record: nil) }
            let input = inputTypes[position]
            switch step.kind {
            case .fetch(let fetch):
                if case .webhook(_, let records?) = fetch.source { checker.check(records, record: nil) }
                for parameter in fetch.lookup { checker.check(parameter.value, record: input, of: step) }
            case .transform:
                break  // checked while record types are worked out
            case .segment(let segment):
                if let filter = segment.filter { checker.check(filter, record: input, of: step) }
                for (_, condition) in segment.segments { checker.check(condition, record: input, of: step) }
            case .sync(let sync):
                for tag in sync.tags { checker.check(tag, record: input, of: step) }
            case .notify(let notify):
                for template in [notify.message, notify.subject, notify.to].compactMap({ $0 }) {
                    checker.check(template, record: step.inputs.isEmpty ? nil : input, of: step)
                }
                if let title = notify.title { checker.check(title, record: nil, of: step) }
                if let oncePer = notify.oncePer { checker.check(oncePer, record: step.inputs.isEmpty ? nil : input, of: step) }
            }
        }
        for alert in playbook.alerts {
            checker.check(alert.when, record: nil)
            for template in [alert.message, alert.subject, alert.to].compactMap({ $0 }) { checker.check(template, record: nil) }
        }
    }
}
