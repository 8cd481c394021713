/// Each connection's connector, looked up once by connection name for every step that names one.
struct ConnectorsByConnection: Sendable {
    /// By connection name; a name given twice (reported) keeps its first connection.
    let dictionary: [ConnectionName: ConnectorDescriptor]

    init(_ connections: [Connection], catalog: ConnectorCatalog) {
        var connectors: [ConnectionName: ConnectorDescriptor] = [:]
        var seen = Set<ConnectionName>()
        for connection in connections where seen.insert(connection.name.value).inserted {
            connectors[connection.name.value] = catalog[connection.connector.value]
        }
        dictionary = connectors
    }

    /// The connector of the connection called `name`, when that connector is known.
    subscript(name: ConnectionName) -> ConnectorDescriptor? { dictionary[name] }
}
