/// The connectors the validator knows, by name.
public struct ConnectorCatalog: Sendable {
    public let connectors: [ConnectorDescriptor]
    private let byName: [String: ConnectorDescriptor]

    public init(_ connectors: [ConnectorDescriptor]) {
        self.connectors = connectors
        self.byName = Dictionary(connectors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(name: String) -> ConnectorDescriptor? { byName[name] }

    public var names: [String] { connectors.map(\.name) }

    /// The connectors shipped with Playbook.
    public static let builtIn = ConnectorCatalog(KnownConnectors.all)
}
