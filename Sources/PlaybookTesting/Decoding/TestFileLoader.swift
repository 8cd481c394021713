import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import YAML

/// Reads a test file and the playbook it names, and checks the tests against the playbook: step
/// ids, params, fixtures and expectations, every problem located in the test file.
public enum TestFileLoader {
    /// What loading a test file gave: the suite when it can run, and the problems of the test file
    /// and, when it has errors, of the playbook.
    public struct Result: Sendable {
        /// The tests, ready to run; nil when a file has errors.
        public var suite: TestSuite?
        /// The test file's problems, then the playbook's when it has errors.
        public var diagnostics: [FileDiagnostics]

        /// Whether any file has an error.
        public var hasErrors: Bool { diagnostics.contains { $0.errorCount > 0 } }
    }

    /// The `now` of a test that gives none: a fixed instant, so runs repeat exactly.
    public static let defaultNow = CELTimestamp(rfc3339: "2026-01-01T00:00:00Z")!

    /// Loads the test file `file`; a relative `playbook:` path starts at the test file's folder.
    public static func load(_ file: SourceFile) -> Result {
        let loaded = YAMLLoader().load(file)
        var bag = DiagnosticBag()
        bag.append(contentsOf: loaded.diagnostics)
        guard let root = loaded.root else { return Result(suite: nil, diagnostics: [FileDiagnostics(file: file, diagnostics: bag.diagnostics)]) }
        guard root.mapping != nil else {
            bag.error(LanguageDiagnosticCode.wrongType, root.isNull ? "the test file is empty" : "a test file must be a mapping, found \(root.kindDescription)",
                      at: root.isNull ? .at(0) : root.range, help: "a test file starts with 'playbook: PATH' and 'tests:'")
            return Result(suite: nil, diagnostics: [FileDiagnostics(file: file, diagnostics: bag.diagnostics)])
        }
        bag.append(contentsOf: ShapeValidation.diagnostics(of: root, against: TestFileGrammar.testFile, in: file))
        guard !bag.hasErrors, let playbookNode = root[field: "playbook"], let written = playbookNode.scalar else {
            return Result(suite: nil, diagnostics: [FileDiagnostics(file: file, diagnostics: bag.diagnostics)])
        }
        let playbookPath = resolve(written, from: file.path)
        guard let bytes = FileManager.default.contents(atPath: playbookPath) else {
            bag.error(TestDiagnosticCode.playbookUnreadable, "cannot read the playbook '\(playbookPath)'", at: playbookNode.range,
                      help: "the path is relative to the test file's folder")
            return Result(suite: nil, diagnostics: [FileDiagnostics(file: file, diagnostics: bag.diagnostics)])
        }
        let validation = PlaybookValidator().validate(SourceFile(path: playbookPath, bytes: Array(bytes)))
        guard let plan = validation.plan else {
            bag.error(TestDiagnosticCode.playbookInvalid, "the playbook '\(playbookPath)' has errors", at: playbookNode.range,
                      help: "run 'playbook validate \(playbookPath)' and fix them first")
            return Result(suite: nil, diagnostics: [FileDiagnostics(file: file, diagnostics: bag.diagnostics), validation.fileDiagnostics])
        }
        var builder = TestBuilder(file: file, plan: plan, root: root)
        let tests = builder.tests()
        bag.append(contentsOf: builder.diagnostics.diagnostics)
        let diagnostics = [FileDiagnostics(file: file, diagnostics: bag.diagnostics)]
        if bag.hasErrors { return Result(suite: nil, diagnostics: diagnostics) }
        return Result(suite: TestSuite(file: file, playbookPath: playbookPath, plan: plan, tests: tests), diagnostics: diagnostics)
    }

    /// `path` as reached from the current folder, when written relative to the file `from`.
    static func resolve(_ path: String, from file: String) -> String {
        if path.hasPrefix("/") { return path }
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }
}

/// Builds the tests of a file whose structure has been checked, reporting what does not fit the
/// playbook.
struct TestBuilder {
    let file: SourceFile
    let plan: Plan
    let root: YAMLNode
    private(set) var diagnostics = DiagnosticBag()

    init(file: SourceFile, plan: Plan, root: YAMLNode) {
        self.file = file
        self.plan = plan
        self.root = root
    }

    private var stepIDs: [String] { plan.steps.map(\.id.rawValue) }

    mutating func tests() -> [TestCase] {
        let fileNow = root[field: "now"].flatMap { timestamp($0) }
        let fileParams = pairs(root[field: "params"])
        let fileFixtures = pairs(root[field: "fixtures"])
        let fileTrigger = root[field: "trigger"]
        var names: [String: SourceRange] = [:]
        var tests: [TestCase] = []
        for node in items(root[field: "tests"]) {
            guard let nameNode = node[field: "name"] else { continue }
            let name = nameNode.scalar ?? ""
            if names[name] != nil {
                diagnostics.error(TestDiagnosticCode.duplicateTestName, "a test named '\(name)' comes earlier in this file", at: nameNode.range,
                                  notes: [DiagnosticNote("the first test with this name", at: names[name])], help: "give each test its own name")
            } else {
                names[name] = nameNode.range
            }
            let now = node[field: "now"].map { timestamp($0) ?? TestFileLoader.defaultNow } ?? fileNow ?? TestFileLoader.defaultNow
            let params = self.params(merging(fileParams, pairs(node[field: "params"])), test: nameNode)
            let triggerNode = node[field: "trigger"] ?? fileTrigger
            let trigger = triggerNode.map { self.trigger($0) } ?? .manual
            let fixtures = self.fixtures(merging(fileFixtures, pairs(node[field: "fixtures"])), trigger: trigger, triggerNode: triggerNode,
                                         params: params, now: now, test: nameNode)
            let expectations = node[field: "expect"].map { self.expectations($0) } ?? RunExpectations(range: nameNode.range)
            tests.append(TestCase(name: name, range: nameNode.range, now: now, params: params, trigger: trigger, fixtures: fixtures, expectations: expectations))
        }
        return tests
    }

    // MARK: Params, now and trigger

    private mutating func timestamp(_ node: YAMLNode) -> CELTimestamp? {
        guard let time = node.scalar.flatMap(CELTimestamp.init(rfc3339:)) else {
            diagnostics.error(TestDiagnosticCode.invalidTime, "'\(node.scalar ?? "")' is not an RFC 3339 time", at: node.range,
                              help: "write a time such as \"2026-03-02T09:00:00Z\"")
            return nil
        }
        return time
    }

    private mutating func params(_ given: [YAMLPair], test: YAMLNode) -> [String: CELValue] {
        var values: [String: CELValue] = [:]
        for pair in given {
            let name = pair.key.scalar ?? ""
            guard let param = plan.params.first(where: { $0.name.value == name }) else {
                let names = plan.params.map(\.name.value)
                diagnostics.unknown(TestDiagnosticCode.unknownParam, "the playbook has no param '\(name)'", name: name, at: pair.key.range,
                                    candidates: names, otherwise: names.isEmpty ? "the playbook declares no params" : "its params are: " + names.joined(separator: ", "))
                continue
            }
            let text = pair.value.scalar ?? JSONText.string(YAMLValues.value(pair.value))
            switch ParamValues.value(text, as: param.type) {
            case .success(let value): values[name] = value
            case .failure(let expected):
                diagnostics.error(TestDiagnosticCode.invalidParamValue, "param '\(name)' is a \(param.type.rawValue), and '\(text)' is not \(expected.example)",
                                  at: pair.value.range)
            }
        }
        for param in plan.params where param.required && param.defaultValue == nil && values[param.name.value] == nil
            && !given.contains(where: { $0.key.scalar == param.name.value }) {
            diagnostics.error(TestDiagnosticCode.missingParam, "the playbook requires the param '\(param.name.value)', and this test gives it no value",
                              at: test.range, help: "add it under 'params:' of the test or of the file")
        }
        return values
    }

    private mutating func trigger(_ node: YAMLNode) -> RunTrigger {
        let pathNode = node[field: "webhook"]
        let path = pathNode?.scalar ?? ""
        let paths = plan.triggers.compactMap { trigger -> String? in
            if case .webhook(let webhook) = trigger.kind { return webhook.path.value }
            return nil
        }
        if let pathNode, !paths.contains(path) {
            diagnostics.unknown(TestDiagnosticCode.unknownWebhook, "the playbook has no webhook trigger at '\(path)'", name: path, at: pathNode.range,
                                candidates: paths, otherwise: paths.isEmpty ? "the playbook has no webhook triggers" : "its webhook paths are: " + paths.joined(separator: ", "))
        }
        var headers: [String: String] = [:]
        for pair in pairs(node[field: "headers"]) { headers[pair.key.scalar ?? ""] = pair.value.scalar ?? "" }
        return .webhook(path: path, payload: node[field: "payload"].map(YAMLValues.value) ?? .null, headers: headers)
    }

    // MARK: Fixtures

    private mutating func fixtures(
        _ given: [YAMLPair], trigger: RunTrigger, triggerNode: YAMLNode?, params: [String: CELValue], now: CELTimestamp, test: YAMLNode
    ) -> [StepID: [CELValue]] {
        var fixtures: [StepID: [CELValue]] = [:]
        for pair in given {
            let name = pair.key.scalar ?? ""
            guard let step = plan.step(StepID(name)) else {
                diagnostics.unknown(TestDiagnosticCode.unknownStep, "the playbook has no step '\(name)'", name: name, at: pair.key.range,
                                    candidates: fetchSteps.map(\.id.rawValue), otherwise: "its fetch steps are: " + fetchSteps.map(\.id.rawValue).joined(separator: ", "))
                continue
            }
            guard case .fetch(let fetch) = step.operation else {
                diagnostics.error(TestDiagnosticCode.fixtureForNonFetch, "step '\(name)' is a \(step.kind) step; only fetch steps take fixtures", at: pair.key.range,
                                  help: "give records to the fetch steps it reads from: " + fetchSteps.map(\.id.rawValue).joined(separator: ", "))
                continue
            }
            if let items = pair.value.sequence {
                fixtures[step.id] = items.map { record(fixture: $0, of: step) }
            } else if let records = fileRecords(pair.value, of: step, fetch: fetch) {
                fixtures[step.id] = records
            }
        }
        for step in fetchSteps where fixtures[step.id] == nil && !given.contains(where: { $0.key.scalar == step.id.rawValue }) {
            if case .fetch(let fetch) = step.operation, case .webhook(_, let records) = fetch.source, case .webhook(_, let payload, _) = trigger {
                if let derived = webhookRecords(records, payload: payload, trigger: trigger, params: params, now: now, at: triggerNode?.range ?? test.range) {
                    fixtures[step.id] = derived
                }
                continue
            }
            diagnostics.error(TestDiagnosticCode.missingFixture, "fetch step '\(step.id)' has no fixtures in this test", at: test.range,
                              help: "add 'fixtures: { \(step.id): [ … ] }' to the test or the file ([] for no records)")
        }
        return fixtures
    }

    private var fetchSteps: [PlanStep] {
        plan.steps.filter { if case .fetch = $0.operation { true } else { false } }
    }

    /// A record written inline; a field the step's records do not have is reported.
    private mutating func record(fixture node: YAMLNode, of step: PlanStep) -> CELValue {
        if case .object(let fields) = step.outputRecord, let pairs = node.mapping {
            let names = fields.map(\.name)
            for pair in pairs where !names.contains(pair.key.scalar ?? "") {
                let name = pair.key.scalar ?? ""
                diagnostics.unknown(TestDiagnosticCode.unknownFixtureField, "records of '\(step.id)' have no field '\(name)'", name: name, at: pair.key.range,
                                    candidates: names, otherwise: "their fields are: " + names.joined(separator: ", "))
            }
        }
        return YAMLValues.value(node)
    }

    /// The records of a fixture file, as plain values (timestamps as RFC 3339 text), read as the
    /// step would read the file: with its declared fields when it has them.
    private mutating func fileRecords(_ node: YAMLNode, of step: PlanStep, fetch: FetchOperation) -> [CELValue]? {
        guard let fileNode = node[field: "file"], let written = fileNode.scalar else { return nil }
        let path = TestFileLoader.resolve(written, from: file.path)
        let format: FileFormat = node[field: "format"]?.scalar.flatMap(FileFormat.init(rawValue:))
            ?? (path.lowercased().hasSuffix(".csv") ? .csv : .jsonl)
        let fields: [(name: String, type: ValueType)]? = if case .object(let fields) = step.outputRecord { fields.map { ($0.name, $0.type) } } else { nil }
        var records: [CELValue] = []
        do throws(FileAccessError) {
            let reader = try RecordFileReader(path: path, format: format, fields: fields, schema: nil)
            while true {
                let outcomes = try reader.read(upTo: 1024)
                if outcomes.isEmpty { break }
                for outcome in outcomes {
                    switch outcome {
                    case .record(let record, _):
                        records.append((try? JSONText.decode(Array(JSONText.string(.map(record)).utf8))) ?? .map(record))
                    case .invalid(let line, let reason, _):
                        diagnostics.error(TestDiagnosticCode.unreadableFixtureFile, "\(path) line \(line) is not a record: \(reason)", at: fileNode.range)
                        return nil
                    }
                }
            }
        } catch {
            diagnostics.error(TestDiagnosticCode.unreadableFixtureFile, "cannot read the fixture file '\(path)': \(error)", at: fileNode.range,
                              help: "the path is relative to the test file's folder")
            return nil
        }
        return records
    }

    /// The records a webhook fetch takes from the trigger's payload: its `records:` expression's
    /// list, or the payload itself as one record.
    private mutating func webhookRecords(
        _ expression: CompiledExpression?, payload: CELValue, trigger: RunTrigger, params: [String: CELValue], now: CELTimestamp, at range: SourceRange
    ) -> [CELValue]? {
        guard let expression else { return [payload] }
        var paramValues = params
        for param in plan.params where paramValues[param.name.value] == nil {
            if let value = param.defaultValue?.value { paramValues[param.name.value] = value }
        }
        let triggerValue: CELValue = if case .webhook(let path, _, let headers) = trigger {
            .map(CELMap(["kind": .string("webhook"), "fired_at": .timestamp(now), "path": .string(path), "payload": payload,
                         "headers": .map(CELMap(headers.mapValues(CELValue.string)))]))
        } else { .null }
        let value = expression.program.evaluate(["trigger": triggerValue, "params": .map(CELMap(paramValues)), "now": .timestamp(now)])
        guard case .list(let records) = value else {
            let reason = if case .error(let error) = value { error.message } else { "it gave \(value.celType.runtimeName), not a list" }
            diagnostics.error(TestDiagnosticCode.missingFixture, "the webhook fetch's records cannot be taken from this trigger's payload: \(reason)", at: range,
                              help: "give the payload the records '\(expression.source.text)' reads, or give the step fixtures")
            return nil
        }
        return records
    }

    // MARK: Expectations

    private mutating func expectations(_ node: YAMLNode) -> RunExpectations {
        var expectations = RunExpectations(range: node.range)
        expectations.status = node[field: "status"].flatMap { located($0, RunStatus.init(rawValue:)) }
        expectations.error = node[field: "error"].flatMap { located($0, { $0 }) }
        expectations.deadLetters = node[field: "dead_letters"].flatMap { located($0, { Int($0) }) }
        for pair in pairs(node[field: "steps"]) {
            if let step = stepExpectation(pair) { expectations.steps.append(step) }
        }
        return expectations
    }

    private mutating func stepExpectation(_ pair: YAMLPair) -> StepExpectation? {
        let key = pair.key.scalar ?? ""
        let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
        guard let step = plan.step(StepID(parts[0])) else {
            diagnostics.unknown(TestDiagnosticCode.unknownStep, "the playbook has no step '\(parts[0])'", name: parts[0], at: pair.key.range,
                                candidates: stepIDs, otherwise: "its steps are: " + stepIDs.joined(separator: ", "))
            return nil
        }
        let segment = parts.count > 1 ? parts[1] : nil
        if let segment {
            let names = if case .segment(let operation) = step.operation { operation.segmentNames } else { [String]() }
            if !names.contains(segment) {
                diagnostics.unknown(TestDiagnosticCode.unknownSegment, "step '\(step.id)' has no segment '\(segment)'", name: segment, at: pair.key.range,
                                    candidates: names, otherwise: names.isEmpty ? "step '\(step.id)' has no named segments" : "its segments are: " + names.joined(separator: ", "))
                return nil
            }
        }
        let node = pair.value
        var expectation = StepExpectation(step: step.id, segment: segment, range: pair.key.range)
        expectation.status = node[field: "status"].flatMap { located($0, StepStatus.init(rawValue:)) }
        expectation.error = node[field: "error"].flatMap { located($0, { $0 }) }
        expectation.count = node[field: "count"].flatMap { located($0, { Int($0) }) }
        expectation.recordsIn = node[field: "records_in"].flatMap { located($0, { Int($0) }) }
        expectation.deadLetters = node[field: "dead_letters"].flatMap { located($0, { Int($0) }) }
        let fields = node[field: "fields"]?.sequence.map { $0.compactMap(\.scalar) }
        let ordered = node[field: "ordered"]?.scalar != "false"
        if let records = node[field: "records"] {
            expectation.records = recordsExpectation(records, fields: fields, ordered: ordered)
        }
        if let written = node[field: "written"] {
            if case .sync = step.operation {
                expectation.written = recordsExpectation(written, fields: fields, ordered: ordered)
            } else {
                diagnostics.error(TestDiagnosticCode.expectationNotForStep, "'written' is for sync steps, and '\(step.id)' is a \(step.kind) step",
                                  at: written.range, help: "use 'records' for the records a step passes on")
            }
        }
        if let messages = node[field: "messages"] {
            if case .notify = step.operation {
                expectation.messages = MessagesExpectation(
                    messages: items(messages).map { Located(message($0), at: $0.range) }, range: messages.range, ordered: ordered)
            } else {
                diagnostics.error(TestDiagnosticCode.expectationNotForStep, "'messages' is for notify steps, and '\(step.id)' is a \(step.kind) step",
                                  at: messages.range)
            }
        }
        return expectation
    }

    private func recordsExpectation(_ node: YAMLNode, fields: [String]?, ordered: Bool) -> RecordsExpectation {
        RecordsExpectation(
            records: items(node).map { Located(YAMLValues.value($0), at: $0.range) },
            range: node.range, fields: fields, ordered: ordered
        )
    }

    private func message(_ node: YAMLNode) -> ExpectedMessage {
        if let text = node.scalar { return ExpectedMessage(text: text) }
        let contains: [String] = if let list = node[field: "contains"]?.sequence { list.compactMap(\.scalar) }
            else { node[field: "contains"]?.scalar.map { [$0] } ?? [] }
        return ExpectedMessage(
            text: node[field: "text"]?.scalar, contains: contains, subject: node[field: "subject"]?.scalar,
            to: node[field: "to"]?.scalar, channel: node[field: "channel"]?.scalar
        )
    }

    // MARK: Helpers

    private func located<Value>(_ node: YAMLNode, _ read: (String) -> Value?) -> Located<Value>? {
        node.scalar.flatMap(read).map { Located($0, at: node.range) }
    }

    /// The items of a list; none when it is absent (or not a list, which the shape checks reported).
    private func items(_ node: YAMLNode?) -> [YAMLNode] {
        node?.sequence.map(Array.init) ?? []
    }

    private func pairs(_ node: YAMLNode?) -> [YAMLPair] {
        node?.mapping.map(Array.init) ?? []
    }

    /// The pairs of `base` whose keys `overrides` does not give, then `overrides`.
    private func merging(_ base: [YAMLPair], _ overrides: [YAMLPair]) -> [YAMLPair] {
        let replaced = Set(overrides.compactMap(\.key.scalar))
        return base.filter { !replaced.contains($0.key.scalar ?? "") } + overrides
    }
}

