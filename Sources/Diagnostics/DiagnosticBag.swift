/// Collects diagnostics from a pass; passes append and carry on rather than stop at the first problem.
public struct DiagnosticBag: Sendable {
    /// Every diagnostic appended so far, in order.
    public private(set) var diagnostics: [Diagnostic] = []

    /// An empty bag.
    public init() {}

    /// Adds one diagnostic.
    public mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
    /// Adds the diagnostics of another pass.
    public mutating func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }

    /// Adds an error.
    public mutating func error(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIts: [FixIt] = []
    ) {
        append(.error(code, message, at: range, notes: notes, help: help, fixIts: fixIts))
    }

    /// Adds a warning.
    public mutating func warning(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIts: [FixIt] = []
    ) {
        append(.warning(code, message, at: range, notes: notes, help: help, fixIts: fixIts))
    }

    /// Whether any diagnostic so far is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
