import CEL
import Diagnostics
import YAML

/// Type-checks expressions and templates against what the step receives, and moves each problem's
/// position from the expression's text to the file (through quoting, escapes and folded lines).
///
/// Each expression is checked once: the record-type pass asks for the types of `set:` values while it
/// works out record fields, and the remaining expressions are checked afterwards.
final class ExpressionTypeChecker {
    let playbook: Playbook
    let file: SourceFile
    private(set) var diagnostics: [Diagnostic] = []
    private var checked: [YAMLNode: CELType?] = [:]
    /// The variables expressions read, without `steps`; `record` is added per step. Few expressions
    /// read `steps` (one type per step, costly to build for large playbooks), so it is added only
    /// when an expression does not check without it.
    private let baseEnvironment: CELEnvironment
    /// Every variable, `steps` included: for expressions that need it and for messages.
    private lazy var allVariables = Self.variables(of: playbook, includingSteps: true)

    init(playbook: Playbook, file: SourceFile) {
        self.playbook = playbook
        self.file = file
        self.baseEnvironment = CELEnvironment(variables: Self.variables(of: playbook, includingSteps: false))
        // Most steps hold an expression or two; growing the table step by step would rehash it often.
        checked.reserveCapacity(2 * playbook.steps.count + playbook.alerts.count)
    }

    /// What `steps.NAME` offers, shared by every step's type.
    private static let stepFields: [String: CELType] = [
        "status": .string, "records_in": .int, "records_out": .int, "records_skipped": .int,
        "started_at": .timestamp, "finished_at": .timestamp,
    ]

    /// The variables of a playbook's expressions: `params`, `trigger`, `run`, `now` and, when asked
    /// for, `steps`.
    static func variables(of playbook: Playbook, includingSteps: Bool) -> [String: CELType] {
        var params: [String: CELType] = [:]
        for param in playbook.params { params[param.name.value] = celType(param.type.valueType) }
        var variables: [String: CELType] = [
            "params": .object(name: "params", fields: params),
            "trigger": .object(name: "trigger", fields: [
                "kind": .string, "fired_at": .timestamp, "path": .string,
                "payload": .dyn, "headers": .map(.string, .string),
            ]),
            "run": .object(name: "run", fields: [
                "id": .string, "started_at": .timestamp, "status": .string, "dry_run": .bool, "error": .string,
            ]),
            "now": .timestamp,
        ]
        if includingSteps {
            var steps: [String: CELType] = [:]
            steps.reserveCapacity(playbook.steps.count)
            for step in playbook.steps {
                steps[step.id.value.rawValue] = .object(name: "step " + step.id.value.rawValue, fields: stepFields)
            }
            variables["steps"] = .object(name: "steps", fields: steps)
        }
        return variables
    }

    /// Checks an expression seeing `record` of the given type (none for step conditions and alerts);
    /// returns its type, `dyn` when unknown.
    @discardableResult
    func check(_ expression: Expression, record: ValueType?, of step: Step? = nil) -> ValueType {
        let node = expression.source.node
        if let known = checked[node] { return known.map(Self.valueType) ?? .dyn }
        // `{{ }}` in an expression field is reported by the decoder, with a fix; parsing it as CEL would
        // only add noise.
        if expression.holdsTemplateBraces {
            checked[node] = .some(nil)
            return .dyn
        }
        func check(in environment: CELEnvironment) -> CELTypeCheckResult {
            var environment = environment
            switch expression.role {
            case .condition: environment.expectedResultType = .bool
            case .records: environment.expectedResultType = .list(.dyn)
            case .value, .key: break
            }
            return environment.typeCheck(expression.source.text)
        }
        var result = check(in: environment(record: record))
        // Messages name the records (`the records from 'contacts'`); the name is worked out only when
        // there is something to report, so every step with the same record type shares one
        // environment. The check is then repeated with every variable, `steps` included.
        if !result.diagnostics.isEmpty {
            result = check(in: completeEnvironment(record: record, of: step))
        }
        report(result.diagnostics, in: expression.source)
        checked[node] = result.hasErrors ? .some(nil) : .some(result.resultType)
        return result.hasErrors ? .dyn : (result.resultType.map(Self.valueType) ?? .dyn)
    }

    /// Checks every interpolation of a template.
    func check(_ template: Template, record: ValueType?, of step: Step? = nil) {
        let node = template.source.node
        guard checked[node] == nil else { return }
        checked[node] = .some(.string)
        var problems = CELTemplate.check(template.source.text, in: environment(record: record))
        if !problems.isEmpty {
            problems = CELTemplate.check(template.source.text, in: completeEnvironment(record: record, of: step))
        }
        report(problems, in: template.source)
    }

    /// Environments with `record`, for the record types seen recently, so that building the CEL type
    /// (a dictionary of every field) is rarely repeated.
    private var recentRecordEnvironments: [(record: ValueType, environment: CELEnvironment)] = []
    private var nextReplaced = 0
    private static let recentLimit = 8

    private func environment(record: ValueType?) -> CELEnvironment {
        guard let record else { return baseEnvironment }
        // A step's expressions come one after another with the same record type, which then shares
        // storage with an entry: look for that first, in constant time per entry. Equal record types
        // built by different steps compare field by field; the entry then keeps the newer one, so the
        // rest of that step's expressions find it by identity.
        for position in recentRecordEnvironments.indices.reversed() where recentRecordEnvironments[position].record.isIdentical(to: record) {
            return recentRecordEnvironments[position].environment
        }
        for position in recentRecordEnvironments.indices.reversed() where recentRecordEnvironments[position].record.hasSameFields(as: record) {
            recentRecordEnvironments[position].record = record
            return recentRecordEnvironments[position].environment
        }
        var variables = baseEnvironment.variables
        variables["record"] = Self.celType(record)
        let environment = CELEnvironment(variables: variables)
        if recentRecordEnvironments.count < Self.recentLimit {
            recentRecordEnvironments.append((record, environment))
        } else {
            recentRecordEnvironments[nextReplaced] = (record, environment)
            nextReplaced = (nextReplaced + 1) % Self.recentLimit
        }
        return environment
    }

    /// The environment with every variable, in which `record` carries the name messages give the
    /// step's records.
    private func completeEnvironment(record: ValueType?, of step: Step?) -> CELEnvironment {
        var variables = allVariables
        if let record { variables["record"] = Self.celType(record, name: step.map(RecordTypes.recordName) ?? "record") }
        return CELEnvironment(variables: variables)
    }

    private func report(_ problems: [Diagnostic], in source: SourceText) {
        guard !problems.isEmpty else { return }
        let map = ScalarSourceMap(node: source.node, file: file)
        for var problem in problems {
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
            .object(name: name, fields: Dictionary(fields.map { ($0.name, celType($0.type, name: $0.name)) }, uniquingKeysWith: { first, _ in first }))
        case .dyn: .dyn
        }
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
                if let oncePer = notify.oncePer { checker.check(oncePer, record: step.inputs.isEmpty ? nil : input, of: step) }
            }
        }
        for alert in playbook.alerts {
            checker.check(alert.when, record: nil)
            for template in [alert.message, alert.subject, alert.to].compactMap({ $0 }) { checker.check(template, record: nil) }
        }
    }
}
