import Diagnostics

/// Explains an unknown field of records whose fields are the ones their fetch requests (GA4
/// reports hold exactly the requested dimensions and metrics): when the name is one the platform
/// documents, the fix is to request it, not to correct the name.
struct RequestedFieldHints {
    let playbook: Playbook
    let graph: StepGraph
    let connectors: ConnectorsByConnection

    /// What to say about `field`, unknown on the records `step` receives, when a fetch upstream
    /// could request it; nil otherwise.
    func message(forUnknown field: String, readBy step: Step) -> LanguageMessage? {
        guard let position = playbook.position(of: step.id.value),
              let (fetchStep, fetch, resource) = requestingFetch(above: position) else { return nil }
        for parameter in resource.parameters where parameter.recordFieldType != nil {
            guard let apiName = parameter.values.first(where: { FieldName.snakeCase($0) == field }) else { continue }
            let requested = fetch.params.first { $0.name.value == parameter.name }.map { $0.value.value }
            return .unrequestedField(field, apiName: apiName, parameter: parameter.name, fetch: fetchStep.id.value, requested: requested)
        }
        return nil
    }

    /// The fetch whose requested fields the step's records have: followed up through steps that
    /// pass records on with their fields (segments, and transforms that only add fields).
    private func requestingFetch(above position: Int) -> (Step, FetchStep, ResourceDescriptor)? {
        var current = position
        while true {
            let inputs = graph.inputPositions(of: current)
            guard inputs.count == 1, let input = inputs.first, input >= 0 else { return nil }
            let step = playbook.steps[input]
            switch step.kind {
            case .fetch(let fetch):
                guard case .connection(let connection, let resourceName) = fetch.source,
                      let resource = connectors[connection.value]?.resource(named: resourceName.value),
                      resource.parameters.contains(where: { $0.recordFieldType != nil }) else { return nil }
                return (step, fetch, resource)
            case .segment:
                current = input
            case .transform(let transform):
                guard transform.rename.isEmpty, transform.drop.isEmpty, transform.select == nil, transform.aggregate == nil else { return nil }
                current = input
            case .sync, .notify:
                current = input
            }
        }
    }
}
