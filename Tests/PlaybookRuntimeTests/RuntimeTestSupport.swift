import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

/// Plans and runs playbooks written inline, with fixtures in place of connectors.
enum Runtime {
    /// The plan of a playbook; the test fails when it does not validate.
    static func plan(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Plan? {
        let result = PlaybookValidator().validate(SourceFile(path: "test.yaml", text: yaml))
        let errors = result.fileDiagnostics.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.message))", sourceLocation: sourceLocation)
        return result.plan
    }

    /// Runs `yaml` with fixture records for its fetch steps (records as JSON objects).
    static func run(
        _ yaml: String, records: [String: [String]] = [:], params: [String: CELValue] = [:], dryRun: Bool = false,
        directory: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> (summary: RunSummary, connectors: FixtureConnectors) {
        let compiled = Self.plan(yaml, sourceLocation: sourceLocation)
        let plan = try #require(compiled, sourceLocation: sourceLocation)
        var fixtures: [StepID: [CELValue]] = [:]
        for (step, lines) in records { fixtures[StepID(step)] = try lines.map { try JSONText.decode(Array($0.utf8)) } }
        let connectors = FixtureConnectors(records: fixtures)
        let folder = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("playbook-runtime-\(UUID().uuidString)").path
        let options = RunOptions(params: params, dryRun: dryRun, now: CELTimestamp(rfc3339: "2026-03-02T09:00:00Z")!, baseDirectory: folder, batchSize: 2)
        let summary = await Executor(plan: plan, options: options, connectors: connectors).run()
        return (summary, connectors)
    }

    /// Records as compact JSON, for comparing.
    static func json(_ records: [Record]?) -> [String] {
        (records ?? []).map { JSONText.string(.map($0)) }
    }
}

extension RunSummary {
    func step(_ id: String) -> StepSummary? { steps.first { $0.id.rawValue == id } }
}
