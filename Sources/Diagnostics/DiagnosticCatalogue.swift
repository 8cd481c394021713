/// The documented facts about one diagnostic code: what it means and how to fix it.
public struct DiagnosticDescriptor: Hashable, Sendable {
    public var code: DiagnosticCode
    public var severity: Severity
    /// A short title, e.g. `unknown field`; used as the SARIF rule name and in the catalogue.
    public var title: String
    /// One or two sentences on when it is reported and how to fix it.
    public var explanation: String

    public init(_ code: DiagnosticCode, _ severity: Severity, _ title: String, _ explanation: String) {
        self.code = code
        self.severity = severity
        self.title = title
        self.explanation = explanation
    }
}

/// A set of diagnostic descriptors, one per code. Each domain (YAML, language, expressions) has one.
public struct DiagnosticCatalogue: Sendable {
    public let descriptors: [DiagnosticDescriptor]
    private let byCode: [DiagnosticCode: DiagnosticDescriptor]

    public init(_ descriptors: [DiagnosticDescriptor]) {
        self.descriptors = descriptors.sorted { $0.code < $1.code }
        self.byCode = Dictionary(descriptors.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(code: DiagnosticCode) -> DiagnosticDescriptor? { byCode[code] }

    /// The union of several catalogues; a code defined twice keeps its first definition.
    public static func merged(_ catalogues: [DiagnosticCatalogue]) -> DiagnosticCatalogue {
        DiagnosticCatalogue(catalogues.flatMap(\.descriptors))
    }
}
