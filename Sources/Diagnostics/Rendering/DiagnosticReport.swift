/// What the renderers print: the diagnostics of several files, with the catalogue for titles.
public struct DiagnosticReport: Sendable {
    /// Each file's diagnostics, sorted by position.
    public var files: [FileDiagnostics]
    /// The codes' titles and explanations, for the formats that print them.
    public var catalogue: DiagnosticCatalogue
    /// Most diagnostics shown per file; the rest are counted, never silently dropped.
    public var maxPerFile: Int?

    /// A report of the given files, each sorted by position; `maxPerFile` nil shows every diagnostic.
    public init(files: [FileDiagnostics], catalogue: DiagnosticCatalogue, maxPerFile: Int? = nil) {
        self.files = files.map { $0.sorted() }
        self.catalogue = catalogue
        self.maxPerFile = maxPerFile
    }

    /// Errors in every file, shown or not.
    public var errorCount: Int { files.reduce(0) { $0 + $1.errorCount } }
    /// Warnings in every file, shown or not.
    public var warningCount: Int { files.reduce(0) { $0 + $1.warningCount } }

    /// The diagnostics shown for a file, and how many more there were.
    public func shown(_ file: FileDiagnostics) -> (diagnostics: ArraySlice<Diagnostic>, hidden: Int) {
        guard let limit = maxPerFile, file.diagnostics.count > limit else { return (file.diagnostics[...], 0) }
        return (file.diagnostics.prefix(limit), file.diagnostics.count - limit)
    }

    /// `2 errors and 1 warning in 3 files`, or `no problems found in 3 files`.
    public var summary: String {
        let files = plural(self.files.count, "file")
        let errors = errorCount
        let warnings = warningCount
        switch (errors, warnings) {
        case (0, 0): return "no problems found in \(files)"
        case (_, 0): return "\(plural(errors, "error")) in \(files)"
        case (0, _): return "\(plural(warnings, "warning")) in \(files)"
        default: return "\(plural(errors, "error")) and \(plural(warnings, "warning")) in \(files)"
        }
    }

    private func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

/// Turns a report into text for one audience: people, programs, GitHub or code scanning.
public protocol DiagnosticRenderer {
    /// The whole report as this format's text.
    func render(_ report: DiagnosticReport) -> String
}

/// The output formats of `playbook validate`.
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    /// Compiler-style text, JSON, GitHub workflow commands, SARIF 2.1.0.
    case text, json, github, sarif

    /// The renderer for this format. `colour` applies to text only.
    public func renderer(colour: Bool = false, toolVersion: String = "0.0.0") -> any DiagnosticRenderer {
        switch self {
        case .text: TextRenderer(colour: colour)
        case .json: JSONRenderer()
        case .github: GitHubRenderer()
        case .sarif: SARIFRenderer(toolVersion: toolVersion)
        }
    }
}

/// Where a diagnostic starts and ends, as printed (1-based lines, columns in Unicode scalars).
struct PrintedRange {
    var start: SourceLocation
    var end: SourceLocation

    init(_ range: SourceRange, in file: SourceFile) {
        start = file.location(of: range.start)
        end = file.location(of: range.end)
    }
}
