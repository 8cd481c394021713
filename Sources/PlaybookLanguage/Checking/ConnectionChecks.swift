import Diagnostics
import YAML

/// Checks connections against the connectors they name: auth fields, options and literal credentials.
struct ConnectionChecks {
    let playbook: Playbook
    let catalog: ConnectorCatalog

    /// Words in an option name that mark it as a credential, which belongs in `auth:` as a secret.
    private static let credentialWords = ["token", "secret", "password", "api_key", "apikey", "private_key", "webhook_url"]

    func run(into bag: inout DiagnosticBag) {
        for connection in playbook.connections {
            guard let connector = catalog[connection.connector.value] else {
                bag.unknownName(
                    LanguageDiagnosticCode.unknownConnector, "unknown connector '\(connection.connector.value)'",
                    name: connection.connector.value, at: connection.connector.range, candidates: catalog.names,
                    otherwise: "known connectors: " + catalog.names.joined(separator: ", ")
                )
                continue
            }
            checkAuth(connection, connector, into: &bag)
            checkOptions(connection, connector, into: &bag)
        }
    }

    private func checkAuth(_ connection: Connection, _ connector: ConnectorDescriptor, into bag: inout DiagnosticBag) {
        let known = connector.authFieldNames
        for field in connection.authFields where !known.contains(field.value) {
            bag.error(
                LanguageDiagnosticCode.authMismatch,
                known.isEmpty
                    ? "connector '\(connector.name)' takes no credentials"
                    : "'\(field.value)' is not a credential of connector '\(connector.name)'",
                at: field.range,
                help: Suggestions.didYouMean(field.value, in: known)
                    ?? (known.isEmpty ? "remove 'auth:'" : "\(connector.name) accepts: " + known.joined(separator: ", "))
            )
        }
        guard !connector.authSchemes.isEmpty else { return }
        let given = Set(connection.authFields.map(\.value))
        // A misspelt credential was reported above; saying the connection lacks credentials too is noise.
        if connection.authFields.contains(where: { !known.contains($0.value) }) { return }
        let satisfied = connector.authSchemes.contains { Set($0.requiredFields).isSubset(of: given) }
        if !satisfied {
            let options = connector.authSchemes.map { scheme in
                scheme.requiredFields.isEmpty ? scheme.name : scheme.requiredFields.joined(separator: " + ")
            }
            // The scheme the author seems to have started on: the one sharing most fields with what was given.
            let closest = connector.authSchemes.max { lhs, rhs in
                Set(lhs.allFields).intersection(given).count < Set(rhs.allFields).intersection(given).count
            }
            let missing = closest.map { $0.requiredFields.filter { !given.contains($0) } } ?? []
            bag.error(
                LanguageDiagnosticCode.authMismatch,
                given.isEmpty
                    ? "connection '\(connection.name.value)' has no credentials for \(connector.title)"
                    : "connection '\(connection.name.value)' is missing \(Suggestions.list(missing, conjunction: "and")) for \(connector.title)",
                at: connection.name.range,
                help: "give one of: " + options.joined(separator: "; ") + ", each as { secret: NAME }"
            )
        }
    }

    private func checkOptions(_ connection: Connection, _ connector: ConnectorDescriptor, into bag: inout DiagnosticBag) {
        let known = connector.options.map(\.name)
        for option in connection.options {
            let name = option.name.value
            if Self.credentialWords.contains(where: { name.lowercased().contains($0) }), !option.value.value.isContainer {
                bag.error(
                    LanguageDiagnosticCode.literalCredential,
                    "'\(name)' looks like a credential written into the playbook",
                    at: option.value.range,
                    help: "credentials go under 'auth:' as { secret: NAME }, so they never appear in the file"
                )
                continue
            }
            if !known.contains(name) {
                bag.error(
                    LanguageDiagnosticCode.unknownOption,
                    "'\(name)' is not an option of connector '\(connector.name)'",
                    at: option.name.range,
                    help: Suggestions.didYouMean(name, in: known)
                        ?? (known.isEmpty ? "\(connector.name) has no options" : "\(connector.name) options: " + known.joined(separator: ", "))
                )
            }
        }
        let given = Set(connection.options.map(\.name.value))
        let credentials = Set(connection.authFields.map(\.value))
        // The scheme in use is the most specific one whose credentials are all given.
        let scheme = connector.authSchemes
            .filter { Set($0.requiredFields).isSubset(of: credentials) }
            .max { $0.requiredFields.count < $1.requiredFields.count }
        for name in scheme?.requiredOptions ?? [] where !given.contains(name) {
            let summary = connector.options.first { $0.name == name }?.summary ?? ""
            bag.error(
                LanguageDiagnosticCode.missingOption,
                "connection '\(connection.name.value)' is missing the option '\(name)', which \(scheme!.name) authentication needs",
                at: connection.name.range,
                help: "add options: { \(name): … } — \(summary)"
            )
        }
        for option in connector.options where option.required && !given.contains(option.name) {
            bag.error(
                LanguageDiagnosticCode.missingOption,
                "connection '\(connection.name.value)' is missing the option '\(option.name)' that \(connector.title) needs",
                at: connection.name.range,
                help: "add options: { \(option.name): … } — \(option.summary)"
            )
        }
    }
}

private extension JSONValue {
    /// Whether this is a list or a mapping rather than a single value.
    var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }
}
