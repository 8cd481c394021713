import Diagnostics

/// Checks what a sync writes against the platform's resource: each field of `fields:` must be one
/// the resource has, one the platform lets a sync set, and get a value of the field's type. Records
/// written without `fields:` are checked for the types of the fields they share with the resource;
/// read-only fields among them are left out of the write, so they are not reported.
struct SyncFieldChecks {
    let sync: SyncStep
    let resource: ResourceDescriptor
    let connector: ConnectorDescriptor

    /// Checks the fields of `fields:`, given the type of each value in order. Returns false when a
    /// name is not one of the resource's, so that what follows from it is not reported as well.
    @discardableResult
    func checkWritten(types: [ValueType], into bag: inout DiagnosticBag) -> Bool {
        var allKnown = true
        for ((field, value), type) in zip(sync.fields, types) {
            let name = field.value
            guard let declared = resource.field(named: name) else {
                reportUnknown(field, value: value.source.text, into: &bag)
                allKnown = false
                continue
            }
            if resource.isReadOnly(name), name != sync.matchOn?.value {
                bag.error(LanguageDiagnosticCode.readOnlyField, .readOnlyField(name, of: resource, connector), at: field.range)
                continue
            }
            if !Self.accepts(declared.type, type) {
                bag.error(
                    LanguageDiagnosticCode.fieldTypeMismatch,
                    .fieldTypeMismatch(name, takes: declared.type, given: type, of: resource, connector, value: value.source.text),
                    at: value.source.range
                )
            }
        }
        return allKnown
    }

    /// Checks the incoming records' fields that the resource has, when no `fields:` chooses them.
    func checkIncoming(_ record: ValueType, records: String, into bag: inout DiagnosticBag) {
        guard case .object(let fields) = record else { return }
        for field in fields {
            guard let declared = resource.field(named: field.name), !resource.isReadOnly(field.name) else { continue }
            if !Self.accepts(declared.type, field.type) {
                bag.error(
                    LanguageDiagnosticCode.fieldTypeMismatch,
                    .incomingFieldTypeMismatch(field.name, takes: declared.type, given: field.type, of: resource, connector, records: records),
                    at: sync.resource.range
                )
            }
        }
    }

    /// Reports a field the resource does not have; `value` is the expression written for it, shown
    /// in the help on writing a custom field.
    private func reportUnknown(_ field: Located<String>, value: String, into bag: inout DiagnosticBag) {
        let message = LanguageMessage.unknownPlatformField(field.value, of: resource, connector)
        // A Salesforce custom field's API name ends in `__c`: no standard field is what was meant.
        if field.value.hasSuffix("__c"), let custom = LanguageMessage.customFieldHelp(field.value, value: value, of: resource) {
            bag.error(LanguageDiagnosticCode.unknownPlatformField, message, at: field.range, help: custom)
            return
        }
        bag.unknownName(
            LanguageDiagnosticCode.unknownPlatformField, message, name: field.value, at: field.range,
            candidates: resource.fields.map(\.name), otherwise: LanguageMessage.platformFields(field.value, value: value, of: resource)
        )
    }

    /// Whether a value of type `value` can be written to a field of type `field`. A whole number
    /// goes into a decimal field (JSON has one kind of number); values of unknown type are checked
    /// by the platform.
    static func accepts(_ field: ValueType, _ value: ValueType) -> Bool {
        switch (field, value) {
        case (.dyn, _), (_, .dyn), (.double, .int):
            true
        case (.list(let element), .list(let valueElement)), (.map(let element), .map(let valueElement)):
            accepts(element, valueElement)
        case (.map, .object), (.object, .map), (.object, .object):
            true
        default:
            field == value
        }
    }
}
