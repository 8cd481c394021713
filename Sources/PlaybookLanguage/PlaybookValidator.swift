import Diagnostics
import Foundation
import YAML

/// The outcome of validating one file.
public struct ValidationResult: Sendable {
    public var file: SourceFile
    /// Every problem found, sorted by position.
    public var diagnostics: [Diagnostic]
    /// The decoded playbook, when the file could be read as one.
    public var playbook: Playbook?
    /// The checked playbook, when the file could be read as one.
    public var checked: CheckedPlaybook?
    /// The compiled plan, when there are no errors. Compiled on request: validation alone does not need it.
    public var plan: Plan? {
        guard !hasErrors, let checked else { return nil }
        return PlanCompiler().compile(checked)
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var fileDiagnostics: FileDiagnostics { FileDiagnostics(file: file, diagnostics: diagnostics) }
}

/// Reads, decodes, checks and compiles playbooks: the whole front end behind one call, with no
/// network, credentials or state.
public struct PlaybookValidator: Sendable {
    public var catalog: ConnectorCatalog
    public var loaderOptions: YAMLLoader.Options
    /// Type-check expressions and templates; off leaves only the structural and reference checks.
    public var checksExpressions: Bool

    public init(catalog: ConnectorCatalog = .builtIn, loaderOptions: YAMLLoader.Options = .init(), checksExpressions: Bool = true) {
        self.catalog = catalog
        self.loaderOptions = loaderOptions
        self.checksExpressions = checksExpressions
    }

    public func validate(_ file: SourceFile) -> ValidationResult {
        var result = ValidationResult(file: file, diagnostics: [])
        let loaded = YAMLLoader(options: loaderOptions).load(file)
        result.diagnostics = loaded.diagnostics
        guard let root = loaded.root else {
            if !loaded.stoppedEarly, loaded.documents.isEmpty {
                result.diagnostics.append(.error(
                    YAMLDiagnosticCode.emptyDocument, "the file holds no YAML document", at: .at(0),
                    help: "a playbook starts with 'version: 1' and 'name: …'"
                ))
            }
            return finish(result)
        }
        let (playbook, decodeDiagnostics) = PlaybookDecoder().decode(root, in: file)
        result.diagnostics += decodeDiagnostics
        guard let playbook else { return finish(result) }
        result.playbook = playbook
        let (checked, checkDiagnostics) = PlaybookChecker(catalog: catalog, checksExpressions: checksExpressions).check(playbook, in: file)
        result.diagnostics += checkDiagnostics
        result.checked = checked
        return finish(result)
    }

    /// Validates many files on all cores and keeps only their diagnostics, so memory stays flat however
    /// many files there are; results come back in the order of `files`.
    public func diagnostics(of files: [SourceFile], concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) async -> [FileDiagnostics] {
        await concurrentMap(files, concurrency: concurrency) { self.validate($0).fileDiagnostics }
    }

    /// Validates many files on all cores; results come back in the order of `files`.
    public func validate(_ files: [SourceFile], concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) async -> [ValidationResult] {
        await concurrentMap(files, concurrency: concurrency) { self.validate($0) }
    }

    private func concurrentMap<Result: Sendable>(
        _ files: [SourceFile], concurrency: Int, _ transform: @escaping @Sendable (SourceFile) -> Result
    ) async -> [Result] {
        let workers = max(1, min(concurrency, files.count))
        guard workers > 1 else { return files.map(transform) }
        return await withTaskGroup(of: (Int, [Result]).self) { group in
            // Contiguous chunks, one per worker: fewer tasks than files keeps scheduling out of the way.
            let chunk = (files.count + workers - 1) / workers
            for worker in 0..<workers {
                let lower = worker * chunk
                let upper = min(files.count, lower + chunk)
                guard lower < upper else { continue }
                let slice = Array(files[lower..<upper])
                group.addTask { (worker, slice.map(transform)) }
            }
            var parts = [[Result]](repeating: [], count: workers)
            for await (worker, results) in group { parts[worker] = results }
            return parts.flatMap { $0 }
        }
    }

    private func finish(_ result: ValidationResult) -> ValidationResult {
        var sorted = result
        // Two passes can notice the same problem; report it once.
        var seen = Set<Diagnostic>()
        let unique = result.diagnostics.filter { seen.insert($0).inserted }
        sorted.diagnostics = FileDiagnostics(file: result.file, diagnostics: unique).sorted().diagnostics
        return sorted
    }
}
