/// Collects diagnostics from a pass; passes append and carry on rather than stop at the first problem.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
    public mutating func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }

    public mutating func error(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIts: [FixIt] = []
    ) {
        append(.error(code, message, at: range, notes: notes, help: help, fixIts: fixIts))
    }

    public mutating func warning(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIts: [FixIt] = []
    ) {
        append(.warning(code, message, at: range, notes: notes, help: help, fixIts: fixIts))
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
