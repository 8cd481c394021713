import Diagnostics
import PlaybookLanguage

/// The connectors as JSON, for scripts and editors: the same facts `playbook connectors` prints.
enum ConnectorJSON {
    /// The list: each connector's name, platform, capabilities and resource names.
    static func list(_ catalog: ConnectorCatalog) -> JSONValue {
        .object([("connectors", .array(catalog.connectors.map { connector in
            .object([
                ("name", .string(connector.name)),
                ("title", .string(connector.title)),
                ("capabilities", capabilities(connector)),
                ("resources", connector.acceptsAnyResource ? .null : .array(connector.resources.map { .string($0.name) })),
            ])
        }))])
    }

    /// One connector in full: auth, options, resources with their fields and parameters.
    static func connector(_ connector: ConnectorDescriptor) -> JSONValue {
        .object([
            ("name", .string(connector.name)),
            ("title", .string(connector.title)),
            ("summary", .string(connector.summary)),
            ("capabilities", capabilities(connector)),
            ("default_rate_limit", connector.defaultRateLimit.map(JSONValue.string) ?? .null),
            ("max_concurrency", connector.maxConcurrency.map { .int($0) } ?? .null),
            ("auth", .array(connector.authSchemes.map { scheme in
                .object([
                    ("scheme", .string(scheme.name)),
                    ("summary", .string(scheme.summary)),
                    ("required_fields", strings(scheme.requiredFields)),
                    ("optional_fields", strings(scheme.optionalFields)),
                    ("required_options", strings(scheme.requiredOptions)),
                ])
            })),
            ("options", options(connector.options)),
            ("accepts_any_resource", .bool(connector.acceptsAnyResource)),
            ("resources", .array(connector.resources.map(resource))),
        ])
    }

    private static func resource(_ resource: ResourceDescriptor) -> JSONValue {
        .object([
            ("name", .string(resource.name)),
            ("summary", .string(resource.summary)),
            ("readable", .bool(resource.readable)),
            ("sync_modes", strings(resource.syncModes.map(\.rawValue))),
            ("max_batch_size", resource.maxBatchSize.map { .int($0) } ?? .null),
            ("match_on", strings(resource.matchFields)),
            ("cursor_fields", strings(resource.cursorFields)),
            ("params", options(resource.parameters)),
            ("sync_params", options(resource.syncParameters)),
            ("fields", fields(resource.fields)),
        ])
    }

    private static func fields(_ fields: [ValueType.Field]) -> JSONValue {
        .array(fields.map { field in
            .object([("name", .string(field.name)), ("type", type(field.type)), ("summary", .string(field.summary))])
        })
    }

    private static func options(_ options: [ConnectorOption]) -> JSONValue {
        .array(options.map { option in
            .object([
                ("name", .string(option.name)),
                ("type", type(option.type)),
                ("required", .bool(option.required)),
                ("default", option.defaultValue.map(JSONValue.string) ?? .null),
                ("summary", .string(option.summary)),
            ])
        })
    }

    /// A type as the docs write it; a nested record lists its fields.
    private static func type(_ type: ValueType) -> JSONValue {
        switch type {
        case .object(let fields): .object([("record", self.fields(fields))])
        default: .string(type.description)
        }
    }

    private static func capabilities(_ connector: ConnectorDescriptor) -> JSONValue {
        strings(ConnectorCapability.allCases.filter(connector.capabilities.contains).map(\.rawValue))
    }

    private static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}
