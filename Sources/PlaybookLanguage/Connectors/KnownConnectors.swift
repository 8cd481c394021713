/// Declarations of the connectors shipped with Playbook.
enum KnownConnectors {
    static let all: [ConnectorDescriptor] = []
}
