/// The connectors the validator knows, by name.
public struct ConnectorCatalog: Sendable {
    /// The connectors in the order they are documented.
    public let connectors: [ConnectorDescriptor]
    private let byName: [String: ConnectorDescriptor]

    /// Creates a catalogue; when two connectors share a name the first wins.
    public init(_ connectors: [ConnectorDescriptor]) {
        self.connectors = connectors
        self.byName = Dictionary(connectors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The connector called `name`, if there is one.
    public subscript(name: String) -> ConnectorDescriptor? { byName[name] }

    /// Every connector name, in catalogue order.
    public var names: [String] { connectors.map(\.name) }

    /// The connectors shipped with Playbook.
    public static let builtIn = ConnectorCatalog(KnownConnectors.all)
}
