import Diagnostics
import Foundation
import Synchronization
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
    /// The compiled plan, when there are no errors and the validator kept the checked expressions.
    /// Compiled on request: validation alone does not need it.
    public var plan: Plan? {
        guard !hasErrors, let checked else { return nil }
        return PlanCompiler().compile(checked)
    }

    /// Connector spec files the playbook names that have problems, with their problems.
    public var connectorSpecDiagnostics: [FileDiagnostics] = []

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var fileDiagnostics: FileDiagnostics { FileDiagnostics(file: file, diagnostics: diagnostics) }
    /// The playbook's diagnostics followed by those of the connector spec files it names.
    public var allFileDiagnostics: [FileDiagnostics] { [fileDiagnostics] + connectorSpecDiagnostics }
}

/// Reads, decodes, checks and compiles playbooks: the whole front end behind one call, with no
/// network, credentials or state.
public struct PlaybookValidator: Sendable {
    public var catalog: ConnectorCatalog
    public var loaderOptions: YAMLLoader.Options
    /// Type-check expressions and templates; off leaves only the structural and reference checks.
    public var checksExpressions: Bool
    /// Keep the checked expressions so that `ValidationResult.plan` can compile them; off when only
    /// the problems are wanted.
    public var keepsCheckedExpressions: Bool

    /// A validator with these settings; by default every check runs and a plan can be compiled.
    public init(
        catalog: ConnectorCatalog = .builtIn, loaderOptions: YAMLLoader.Options = .init(), checksExpressions: Bool = true,
        keepsCheckedExpressions: Bool = true
    ) {
        self.catalog = catalog
        self.loaderOptions = loaderOptions
        self.checksExpressions = checksExpressions
        self.keepsCheckedExpressions = keepsCheckedExpressions
    }

    public func validate(_ file: SourceFile) -> ValidationResult {
        var result = ValidationResult(file: file, diagnostics: [])
        let loaded = YAMLLoader(options: loaderOptions).load(file)
        result.diagnostics = loaded.diagnostics
        guard let root = loaded.root else {
            if !loaded.stoppedEarly, loaded.documents.isEmpty {
                result.diagnostics.append(.error(YAMLDiagnosticCode.emptyDocument, .emptyDocument, at: .at(0)))
            }
            return finish(result)
        }
        let (playbook, decodeDiagnostics) = PlaybookDecoder().decode(root, in: file)
        result.diagnostics += decodeDiagnostics
        guard let playbook else { return finish(result) }
        result.playbook = playbook
        var catalog = self.catalog
        if playbook.connections.contains(where: { ConnectorSpecLoader.isSpecPath($0.connector.value) }) {
            let specs = UserConnectorSpecs(playbook: playbook, file: file)
            result.diagnostics += specs.diagnostics
            result.connectorSpecDiagnostics = specs.specFiles
            catalog = catalog.adding(specs: specs.connectors)
        }
        // One mistake, one message: when reading the file already failed, a step left out for its
        // errors may be what used an output, a connection or a param, so unused ones are not reported.
        let (checked, checkDiagnostics) = PlaybookChecker(
            catalog: catalog, checksExpressions: checksExpressions, keepsCheckedExpressions: keepsCheckedExpressions,
            reportsUnused: !result.hasErrors).check(playbook, in: file)
        result.diagnostics += checkDiagnostics
        result.checked = checked
        return finish(result)
    }

    /// Validates many files on all cores and keeps only their diagnostics, so memory stays flat however
    /// many files there are; results come back in the order of `files`, each followed by the connector
    /// spec files it names that have problems (each spec file once). The files are checked together
    /// too: a playbook with the name or a webhook path of an earlier file is an error (`FolderClaims`).
    public func diagnostics(of files: [SourceFile], concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) async -> [FileDiagnostics] {
        let problemsOnly = PlaybookValidator(
            catalog: catalog, loaderOptions: loaderOptions, checksExpressions: checksExpressions, keepsCheckedExpressions: false)
        let results = await concurrentMap(files, concurrency: concurrency) { file in
            let result = problemsOnly.validate(file)
            return (diagnostics: result.allFileDiagnostics, claims: result.playbook.map { PlaybookClaims($0) })
        }
        let clashes = FolderClaims.clashes(in: zip(files, results).map { (path: $0.path, claims: $1.claims) })
        var specsShown = Set<String>()
        return zip(results, clashes).flatMap { result, clash in
            var playbook = result.diagnostics[0]
            if let clash {
                playbook = FileDiagnostics(file: playbook.file, diagnostics: playbook.diagnostics + [clash.diagnostic]).sorted()
            }
            return [playbook] + result.diagnostics.dropFirst().filter { specsShown.insert($0.file.path).inserted }
        }
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
        // Each worker takes the next file not yet taken, so one large file does not leave the
        // other cores idle while a fixed share of the list waits behind it.
        let next = FileCounter()
        return await withTaskGroup(of: [(Int, Result)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var done: [(Int, Result)] = []
                    while true {
                        let index = next.take()
                        guard index < files.count else { return done }
                        done.append((index, transform(files[index])))
                    }
                }
            }
            var results = [Result?](repeating: nil, count: files.count)
            for await done in group {
                for (index, result) in done { results[index] = result }
            }
            return results.map { $0! }
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

/// Hands out file indices to the workers validating files in parallel, each index once.
private final class FileCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
