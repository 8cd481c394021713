import Diagnostics

/// Checks connections against the connectors they name: auth fields, options and literal credentials.
struct ConnectionChecks {
    let playbook: Playbook
    let catalog: ConnectorCatalog

    /// Words in an option name that mark it as a credential, which belongs in `auth:` as a secret.
    private static let credentialWords = ["token", "secret", "password", "api_key", "apikey", "private_key", "webhook_url"]

    func run(into bag: inout DiagnosticBag) {
        for connection in playbook.connections {
            guard let connector = catalog[connection.connector.value] else {
                // A spec file that cannot be used was reported where it was loaded.
                if ConnectorSpecLoader.isSpecPath(connection.connector.value) { continue }
                bag.unknownName(
                    LanguageDiagnosticCode.unknownConnector, LanguageMessage.unknownConnector(connection.connector.value),
                    name: connection.connector.value, at: connection.connector.range, candidates: catalog.names,
                    otherwise: LanguageMessage.knownConnectors(catalog.names)
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
            bag.error(LanguageDiagnosticCode.authMismatch, .notACredential(field.value, of: connector, accepted: known), at: field.range)
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
                .missingCredentials(connection.name.value, noneGiven: given.isEmpty, missing: missing, for: connector, schemes: options),
                at: connection.name.range
            )
        }
    }

    private func checkOptions(_ connection: Connection, _ connector: ConnectorDescriptor, into bag: inout DiagnosticBag) {
        let known = connector.options.map(\.name)
        for option in connection.options {
            let name = option.name.value
            if Self.credentialWords.contains(where: { name.lowercased().contains($0) }), !option.value.value.isContainer {
                bag.error(LanguageDiagnosticCode.literalCredential, .literalCredential(name), at: option.value.range)
                continue
            }
            // Every connection to a platform takes `base_url`: an EU endpoint, a proxy, the sandbox.
            if name == "base_url", connector.http != nil {
                if case .string(let url) = option.value.value, url.hasPrefix("http://") || url.hasPrefix("https://") { continue }
                bag.error(LanguageDiagnosticCode.unknownOption, .baseURLNotAnAddress, at: option.value.range)
                continue
            }
            if let declared = connector.options.first(where: { $0.name == name }) {
                ParameterValueChecks.check(option.value, of: declared, owner: "\(connector.name)'s option '\(name)'", into: &bag)
            } else {
                bag.error(LanguageDiagnosticCode.unknownOption, .unknownOption(name, of: connector, known: known + (connector.http != nil ? ["base_url"] : [])), at: option.name.range)
            }
        }
        let given = Set(connection.options.map(\.name.value))
        let credentials = Set(connection.authFields.map(\.value))
        // The scheme in use is the most specific one whose credentials are all given.
        let scheme = connector.authSchemes
            .filter { Set($0.requiredFields).isSubset(of: credentials) }
            .max { $0.requiredFields.count < $1.requiredFields.count }
        for name in scheme?.requiredOptions ?? [] where !given.contains(name) {
            let option = connector.options.first { $0.name == name }
            bag.error(
                LanguageDiagnosticCode.missingOption,
                .missingSchemeOption(option, named: name, connection: connection.name.value, scheme: scheme!.name),
                at: connection.name.range
            )
        }
        for option in connector.options where option.required && !given.contains(option.name) {
            bag.error(LanguageDiagnosticCode.missingOption, .missingOption(option, connection: connection.name.value, connector: connector), at: connection.name.range)
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
