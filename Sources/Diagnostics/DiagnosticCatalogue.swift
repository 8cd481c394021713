/// The documented facts about one diagnostic code: what it means and how to fix it.
public struct DiagnosticDescriptor: Hashable, Sendable {
    /// The code described.
    public var code: DiagnosticCode
    /// The severity diagnostics with this code have.
    public var severity: Severity
    /// A short title, e.g. `unknown field`; used as the SARIF rule name and in the catalogue.
    public var title: String
    /// One or two sentences on when it is reported and how to fix it.
    public var explanation: String

    /// A descriptor with its code, severity, title and explanation.
    public init(_ code: DiagnosticCode, _ severity: Severity, _ title: String, _ explanation: String) {
        self.code = code
        self.severity = severity
        self.title = title
        self.explanation = explanation
    }
}

/// A set of diagnostic descriptors, one per code. Each domain (YAML, language, expressions) has one.
public struct DiagnosticCatalogue: Sendable {
    /// The descriptors, sorted by code.
    public let descriptors: [DiagnosticDescriptor]
    private let byCode: [DiagnosticCode: DiagnosticDescriptor]

    /// A catalogue of the given descriptors; a code given twice keeps its first descriptor.
    public init(_ descriptors: [DiagnosticDescriptor]) {
        self.descriptors = descriptors.sorted { $0.code < $1.code }
        self.byCode = Dictionary(descriptors.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The descriptor of a code, or nil when the catalogue does not list it.
    public subscript(code: DiagnosticCode) -> DiagnosticDescriptor? { byCode[code] }

    /// The union of several catalogues; a code defined twice keeps its first definition.
    public static func merged(_ catalogues: [DiagnosticCatalogue]) -> DiagnosticCatalogue {
        DiagnosticCatalogue(catalogues.flatMap(\.descriptors))
    }
}
