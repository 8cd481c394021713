import Diagnostics
import YAML

/// The outcome of loading one connector spec file.
public struct ConnectorSpecLoadResult: Sendable {
    public var file: SourceFile
    /// The connector, when the file has no errors.
    public var connector: ConnectorDescriptor?
    /// Every problem found, sorted by position.
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var fileDiagnostics: FileDiagnostics { FileDiagnostics(file: file, diagnostics: diagnostics) }
}

/// Reads connector spec files (the built-in ones and a user's own) into connector descriptors.
public struct ConnectorSpecLoader: Sendable {
    public init() {}

    /// Loads one spec; the connector is there only when the file has no errors.
    public func load(_ file: SourceFile) -> ConnectorSpecLoadResult {
        let loaded = YAMLLoader().load(file)
        var diagnostics = loaded.diagnostics
        var connector: ConnectorDescriptor?
        if let root = loaded.root {
            var shapes = ConnectorSpecShapeChecker()
            shapes.check(root, against: ConnectorSpecFormat.connector, owner: nil)
            var decoder = ConnectorSpecDecoder()
            let decoded = decoder.decode(root)
            diagnostics += shapes.bag.diagnostics + decoder.bag.diagnostics
            if !diagnostics.contains(where: { $0.severity == .error }) { connector = decoded }
        } else if !loaded.stoppedEarly, loaded.documents.isEmpty {
            diagnostics.append(.error(YAMLDiagnosticCode.emptyDocument, "the file holds no YAML document", at: .at(0), help: "a connector spec starts with 'name: …'"))
        }
        var seen = Set<Diagnostic>()
        let unique = diagnostics.filter { seen.insert($0).inserted }
        return ConnectorSpecLoadResult(file: file, connector: connector, diagnostics: FileDiagnostics(file: file, diagnostics: unique).sorted().diagnostics)
    }

    /// Whether a connection's `connector:` names a spec file rather than a built-in connector.
    public static func isSpecPath(_ connector: String) -> Bool {
        connector.hasSuffix(".yaml") || connector.hasSuffix(".yml")
    }
}
