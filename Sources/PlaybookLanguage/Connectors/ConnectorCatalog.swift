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

    private init(connectors: [ConnectorDescriptor], byName: [String: ConnectorDescriptor]) {
        self.connectors = connectors
        self.byName = byName
    }

    /// The connector called `name`, if there is one.
    public subscript(name: String) -> ConnectorDescriptor? { byName[name] }

    /// Every connector name, in catalogue order.
    public var names: [String] { connectors.map(\.name) }

    /// This catalogue plus connectors loaded from spec files, found by the `connector:` text that
    /// named each file (`./connectors/acme-crm.yaml`). They are not listed in `connectors`, so
    /// suggestions for a misspelt name stay among the built-ins.
    public func adding(specs: [String: ConnectorDescriptor]) -> ConnectorCatalog {
        ConnectorCatalog(connectors: connectors, byName: byName.merging(specs) { _, spec in spec })
    }

    /// The connectors shipped with Playbook, loaded from the spec files embedded in the binary.
    public static let builtIn = ConnectorCatalog(BuiltInConnectorSpecs.connectors)
}
