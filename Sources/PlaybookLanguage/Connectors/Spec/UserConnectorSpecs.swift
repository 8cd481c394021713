import Diagnostics
import Foundation

/// The connector spec files a playbook's connections name (`connector: ./connectors/acme-crm.yaml`),
/// read relative to the playbook's folder and loaded once each.
struct UserConnectorSpecs {
    /// The connectors that loaded without errors, by the `connector:` text that named them.
    private(set) var connectors: [String: ConnectorDescriptor] = [:]
    /// Problems reported in the playbook, on the `connector:` values.
    private(set) var diagnostics: [Diagnostic] = []
    /// The spec files that have problems, with them.
    private(set) var specFiles: [FileDiagnostics] = []

    init(playbook: Playbook, file: SourceFile) {
        let folder = (file.path as NSString).deletingLastPathComponent
        var loaded: [String: ConnectorSpecLoadResult?] = [:]
        for connection in playbook.connections where ConnectorSpecLoader.isSpecPath(connection.connector.value) {
            let written = connection.connector.value
            if loaded[written] == nil {
                loaded[written] = Self.load(written, folder: folder)
                if let result = loaded[written]!, !result.diagnostics.isEmpty { specFiles.append(result.fileDiagnostics) }
            }
            guard let result = loaded[written]! else {
                diagnostics.append(.error(
                    ConnectorSpecDiagnosticCode.specNotFound, ConnectorSpecMessage.specNotFound(written), at: connection.connector.range,
                    help: "the path is relative to the playbook's folder"
                ))
                continue
            }
            if let connector = result.connector {
                connectors[written] = connector
            } else {
                let errors = result.diagnostics.filter { $0.severity == .error }.count
                diagnostics.append(.error(
                    ConnectorSpecDiagnosticCode.specNotFound, ConnectorSpecMessage.specHasErrors(written, count: errors), at: connection.connector.range,
                    help: "the problems are reported in \(result.file.path)"
                ))
            }
        }
    }

    /// The spec at `path` (relative to `folder` unless absolute), or nil when it cannot be read.
    private static func load(_ path: String, folder: String) -> ConnectorSpecLoadResult? {
        let resolved = path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
        let shown = (resolved as NSString).standardizingPath
        guard let data = FileManager.default.contents(atPath: resolved) else { return nil }
        return ConnectorSpecLoader().load(SourceFile(path: shown, bytes: Array(data)))
    }
}
