/// Each connection's connector, looked up by connection name for every step that names one.
///
/// A playbook has a handful of connections, so names are compared in turn (lengths first) rather
/// than hashed; each step's lookup costs a few comparisons.
struct ConnectorsByConnection: Sendable {
    private let names: [String]
    /// The connector of each connection in `names`; nil where the connector is not known.
    private let connectors: [ConnectorDescriptor?]

    init(_ connections: [Connection], catalog: ConnectorCatalog) {
        names = connections.map(\.name.value.rawValue)
        connectors = connections.map { catalog[$0.connector.value] }
    }

    /// The connector of the first connection called `name`, when that connector is known.
    subscript(name: String) -> ConnectorDescriptor? {
        let length = name.utf8.count
        for index in names.indices where names[index].utf8.count == length && names[index] == name {
            return connectors[index]
        }
        return nil
    }

    /// By connection name, for callers outside the checks.
    var dictionary: [String: ConnectorDescriptor] {
        var result: [String: ConnectorDescriptor] = [:]
        for (name, connector) in zip(names, connectors) where result[name] == nil {
            if let connector { result[name] = connector }
        }
        return result
    }
}
