import Diagnostics

/// Messages of the checks against what the platforms accept: the fields a sync writes.
extension LanguageMessage {
    // MARK: Parameters of a fetch

    static func unknownParameterValue(_ value: String, of option: ConnectorOption, owner: String) -> LanguageMessage {
        var help = option.values.count <= 24 ? "it takes: " + option.values.joined(separator: ", ")
            : "docs/connectors.md lists the values"
        if !option.valuePrefixes.isEmpty {
            help += "; custom ones start with " + option.valuePrefixes.joined(separator: ", ")
        }
        if let suggestion = Suggestions.didYouMean(value, in: option.values) { help = suggestion }
        return LanguageMessage("'\(value)' is not a value of \(owner)", help: help)
    }

    static func invalidParameterForm(_ value: String, of option: ConnectorOption, owner: String) -> LanguageMessage {
        LanguageMessage("'\(value)' is not in the form of \(owner)", help: option.patternHelp ?? "it must match \(option.pattern ?? "")")
    }

    // MARK: Fields a report did not request

    static func unrequestedField(_ field: String, apiName: String, parameter: String, fetch: StepID, requested: JSONValue?) -> LanguageMessage {
        let kind = parameter == "metrics" ? "metric" : parameter == "dimensions" ? "dimension" : "value"
        var help = "add `\(apiName)` to `\(parameter):` of step '\(fetch)'"
        if case .array(let values)? = requested {
            let names = values.compactMap { if case .string(let name) = $0 { name } else { nil } }
            help += ": `\(parameter): [\((names + [apiName]).joined(separator: ", "))]`"
        }
        return LanguageMessage(
            "unknown field '\(field)': step '\(fetch)' does not request the \(kind) `\(apiName)`",
            help: help
        )
    }

    // MARK: Fields a record may lack

    static func fieldMayBeAbsent(_ field: String, connector: String, resource: String) -> LanguageMessage {
        LanguageMessage(
            "'\(field)' may be absent: \(connector) leaves it out of \(resource) that have no value for it, and reading it then fails this step",
            help: "read it with a default: `record.?\(field).orValue(\"\")` or `has(record.\(field)) ? record.\(field) : \"\"`; "
                + "or add `on_record_error: skip` to the step to set such records aside"
        )
    }

    // MARK: Fields of a fetch

    static func fieldsOnPlatformFetch(_ resource: ResourceDescriptor, of connector: ConnectorDescriptor) -> LanguageMessage {
        var help = "remove 'fields:'; 'playbook connectors \(connector.name)' lists the fields of \(resource.name); to keep only some, add a transform with 'select: [...]'"
        if resource.parameters.contains(where: { $0.name == "properties" }) {
            help += "; to read more \(connector.title) properties, list them in 'params: { properties: [...] }'"
        }
        return LanguageMessage("\(connector.name) \(resource.name) has its own fields: 'fields:' declares the fields of files, webhooks and http resources only", help: help)
    }

    // MARK: Fields a sync writes

    static func unknownPlatformField(_ field: String, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor) -> String {
        "'\(field)' is not a field of \(connector.name) \(resource.name)"
    }

    /// The help for a field the resource does not have and no field's name is close to.
    static func platformFields(_ field: String, value: String, of resource: ResourceDescriptor) -> String {
        if let custom = customFieldHelp(field, value: value, of: resource) { return custom }
        return "its fields are: " + resource.fields.map(\.name).joined(separator: ", ")
    }

    /// How to write a custom field through the resource's map of custom fields, if it has one.
    static func customFieldHelp(_ field: String, value: String, of resource: ResourceDescriptor) -> String? {
        guard let map = resource.customFieldsMap else { return nil }
        // The value goes inside a CEL map in single YAML quotes: a value with its own single quote
        // is shown as a placeholder rather than as broken YAML.
        let shown = value.contains("'") || value.contains("\n") ? "VALUE" : value
        return "a custom field is written inside '\(map)' by its API name: \(map): '{\"\(field)\": \(shown)}'"
    }

    static func readOnlyField(_ field: String, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor) -> LanguageMessage {
        let fix: String
        if resource.matchFields.contains(field) {
            fix = "remove it from 'fields:'; to change the record it identifies, use 'match_on: \(field)' with mode update or upsert"
        } else if let map = resource.customFieldsMap {
            fix = "remove it from 'fields:'; to keep a value of your own, write it to a custom field inside '\(map)'"
        } else {
            fix = "remove it from 'fields:'"
        }
        return LanguageMessage("'\(field)' is read-only in \(connector.name) \(resource.name): \(connector.title) sets it itself", help: fix)
    }

    static func fieldTypeMismatch(
        _ field: String, takes expected: ValueType, given: ValueType, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor,
        value: String
    ) -> LanguageMessage {
        LanguageMessage("\(connector.name) \(resource.name) field '\(field)' is \(expected), but the value written to it is \(given)",
                        help: conversionHelp(to: expected, value: value))
    }

    static func incomingFieldTypeMismatch(
        _ field: String, takes expected: ValueType, given: ValueType, of resource: ResourceDescriptor, _ connector: ConnectorDescriptor,
        records: String
    ) -> LanguageMessage {
        LanguageMessage(
            "\(connector.name) \(resource.name) field '\(field)' is \(expected), but \(records) have it as \(given)",
            help: "write the fields with 'fields:' and convert this one, e.g. " + (conversionHelp(to: expected, value: "record.\(field)") ?? "'\(field)'")
        )
    }

    /// How to turn a value into `type`, written with the value's own text.
    private static func conversionHelp(to type: ValueType, value: String) -> String? {
        switch type {
        case .int: "convert it: int(\(value))"
        case .double: "convert it: double(\(value))"
        case .string: "convert it: string(\(value))"
        case .timestamp: "convert it: timestamp(\(value)), from text such as \"2026-03-01T09:00:00Z\""
        case .bool: "compare it to get true or false, e.g. \(value) == \"yes\""
        default: nil
        }
    }
}
