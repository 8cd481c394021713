import Diagnostics
import YAML

/// Checks what each step names: other steps and their segments, connections, resources, sync modes,
/// cursor and match fields, batch sizes and the webhooks fetches read.
struct StepChecks {
    let playbook: Playbook
    /// Each connection's connector by connection name, where the connector is known.
    let connectors: ConnectorsByConnection

    private var stepIDs: [String] { playbook.steps.map(\.id.value.rawValue) }

    func run(into bag: inout DiagnosticBag) {
        for step in playbook.steps {
            for reference in step.inputs { checkReference(reference, from: step, into: &bag) }
            for reference in step.after { checkReference(reference, from: step, into: &bag) }
            switch step.kind {
            case .fetch(let fetch): checkFetch(fetch, step: step, into: &bag)
            case .transform(let transform):
                if let join = transform.join { checkReference(join.with, from: step, into: &bag) }
            case .segment(let segment): checkSegmentNames(segment, into: &bag)
            case .sync(let sync): checkSync(sync, step: step, into: &bag)
            case .notify(let notify):
                checkNotifyConnection(notify.connection, subject: notify.subject, to: notify.to, at: step.kindRange, into: &bag)
            }
        }
        for alert in playbook.alerts {
            checkNotifyConnection(alert.notify, subject: alert.subject, to: alert.to, at: alert.range, into: &bag)
        }
    }

    // MARK: References

    private func checkReference(_ reference: StepReference, from step: Step, into bag: inout DiagnosticBag) {
        if reference.step == step.id.value {
            bag.error(LanguageDiagnosticCode.cycle, "step '\(step.id.value)' depends on itself", at: reference.range,
                      help: "a step cannot read its own output; name the step whose records it should take")
            return
        }
        guard let target = playbook.step(reference.step) else {
            bag.unknownName(
                LanguageDiagnosticCode.unknownStep, "unknown step '\(reference.step)'",
                name: reference.step.rawValue, at: reference.range, candidates: stepIDs,
                replacement: { $0 + (reference.segment.map { ".\($0)" } ?? "") },
                otherwise: "steps in this playbook: " + stepIDs.joined(separator: ", ")
            )
            return
        }
        guard let segment = reference.segment else { return }
        guard case .segment(let segmentStep) = target.kind, !segmentStep.segments.isEmpty else {
            bag.error(
                LanguageDiagnosticCode.unknownSegment,
                "step '\(target.id.value)' has no segments, so '\(reference.description)' does not exist",
                at: reference.range,
                help: "only a segment step with 'segments:' has named outputs; write '\(target.id.value)' to take all its records"
            )
            return
        }
        let isNamed = segmentStep.segments.contains { $0.name.value == segment } || segmentStep.otherwise?.value == segment
        if !isNamed {
            let names = segmentStep.segmentNames
            bag.error(
                LanguageDiagnosticCode.unknownSegment,
                "step '\(target.id.value)' has no segment '\(segment)'",
                at: reference.range,
                help: Suggestions.didYouMean(segment, in: names) ?? "its segments are: " + names.joined(separator: ", ")
            )
        }
    }

    private func checkSegmentNames(_ segment: SegmentStep, into bag: inout DiagnosticBag) {
        if let otherwise = segment.otherwise, let clash = segment.segments.first(where: { $0.name.value == otherwise.value }) {
            bag.error(
                LanguageDiagnosticCode.duplicateName,
                "'otherwise' names the segment '\(otherwise.value)', which is already defined",
                at: otherwise.range,
                notes: [DiagnosticNote("defined here", at: clash.name.range)],
                help: "give the records that match no segment a name of their own"
            )
        }
    }

    // MARK: Connections and resources

    /// The connector of a connection, reporting an unknown connection name.
    private func connector(for name: Located<ConnectionName>, into bag: inout DiagnosticBag) -> ConnectorDescriptor? {
        if let connector = connectors[name.value] { return connector }
        guard playbook.connections.contains(where: { $0.name.value == name.value }) else {
            let names = playbook.connections.map(\.name.value.rawValue)
            bag.unknownName(
                LanguageDiagnosticCode.unknownConnection, "unknown connection '\(name.value)'",
                name: name.value.rawValue, at: name.range, candidates: names,
                otherwise: names.isEmpty ? "declare it under 'connections:'" : "connections in this playbook: " + names.joined(separator: ", ")
            )
            return nil
        }
        // A connection whose connector is unknown, reported with the connections.
        return nil
    }

    private func resource(
        _ name: Located<String>, of connector: ConnectorDescriptor, into bag: inout DiagnosticBag
    ) -> ResourceDescriptor? {
        if let resource = connector.resource(named: name.value) { return resource }
        if connector.acceptsAnyResource { return nil }
        let names = connector.resources.map(\.name)
        bag.unknownName(
            LanguageDiagnosticCode.unknownResource, "connector '\(connector.name)' has no resource '\(name.value)'",
            name: name.value, at: name.range, candidates: names,
            otherwise: "\(connector.name) resources: " + names.joined(separator: ", ")
        )
        return nil
    }

    private func checkFetch(_ fetch: FetchStep, step: Step, into bag: inout DiagnosticBag) {
        switch fetch.source {
        case .connection(let connectionName, let resourceName):
            guard let connector = connector(for: connectionName, into: &bag) else { return }
            guard connector.capabilities.contains(.read) else {
                bag.error(
                    LanguageDiagnosticCode.unsupportedOperation,
                    "connector '\(connector.name)' cannot be read from",
                    at: connectionName.range,
                    help: "\(connector.title) is used with \(capabilityWords(connector))"
                )
                return
            }
            guard let resource = resource(resourceName, of: connector, into: &bag) else { return }
            if !resource.readable {
                bag.error(LanguageDiagnosticCode.unsupportedOperation, "resource '\(resource.name)' of \(connector.name) cannot be read",
                          at: resourceName.range, help: "it can only be written with a sync step")
            }
            if let cursor = fetch.incrementalCursor, !resource.cursorFields.contains(cursor.value) {
                bag.error(
                    LanguageDiagnosticCode.invalidCursor,
                    "'\(cursor.value)' cannot be used as the incremental cursor of \(connector.name) \(resource.name)",
                    at: cursor.range,
                    help: resource.cursorFields.isEmpty
                        ? "\(resource.name) cannot be read incrementally; remove 'incremental:'"
                        : (Suggestions.didYouMean(cursor.value, in: resource.cursorFields) ?? "use one of: " + resource.cursorFields.joined(separator: ", "))
                )
            }
            checkParameters(fetch.params, declared: resource.parameters, of: resource, connector, at: resourceName.range, into: &bag)
        case .webhook(let path, _):
            let paths = playbook.triggers.compactMap { trigger -> String? in
                if case .webhook(let webhook) = trigger.kind { return webhook.path.value }
                return nil
            }
            if !paths.contains(path.value) {
                bag.error(
                    LanguageDiagnosticCode.unknownWebhook,
                    "no webhook trigger has the path '\(path.value)'",
                    at: path.range,
                    help: paths.isEmpty
                        ? "add a trigger: - webhook: { path: \(path.value), verify: …, signing_secret: { secret: … } }"
                        : (Suggestions.didYouMean(path.value, in: paths) ?? "webhook paths: " + paths.joined(separator: ", "))
                )
            }
        case .file:
            break
        }
    }

    private func checkSync(_ sync: SyncStep, step: Step, into bag: inout DiagnosticBag) {
        guard let connector = connector(for: sync.connection, into: &bag) else { return }
        guard connector.capabilities.contains(.write) else {
            bag.error(
                LanguageDiagnosticCode.unsupportedOperation,
                "connector '\(connector.name)' cannot be written to",
                at: sync.connection.range,
                help: connector.capabilities.contains(.notify)
                    ? "to send messages through \(connector.title), use a notify step"
                    : "\(connector.title) is used with \(capabilityWords(connector))"
            )
            return
        }
        if sync.mode.value == .upsert || sync.mode.value == .update, !sync.matchOnWritten {
            bag.error(
                LanguageDiagnosticCode.matchOnRequired,
                "\(sync.mode.value.rawValue) needs 'match_on' to find existing records",
                at: sync.mode.range,
                help: "add 'match_on:' with the field that identifies a record, such as email"
            )
        }
        if sync.mode.value == .tag, sync.tags.isEmpty {
            bag.error(LanguageDiagnosticCode.missingField, "tag needs 'tags' (the tags to apply)",
                      at: sync.mode.range, help: "add 'tags: [\"…\"]' to the sync step")
        }
        guard let resource = resource(sync.resource, of: connector, into: &bag) else { return }
        if !resource.syncModes.contains(sync.mode.value) {
            bag.error(
                LanguageDiagnosticCode.unsupportedSyncMode,
                resource.syncModes.isEmpty
                    ? "\(connector.name) \(resource.name) cannot be written"
                    : "\(connector.name) \(resource.name) does not support mode '\(sync.mode.value.rawValue)'",
                at: resource.syncModes.isEmpty ? sync.resource.range : sync.mode.range,
                help: resource.syncModes.isEmpty ? nil : "it supports: " + resource.syncModes.map(\.rawValue).joined(separator: ", ")
            )
        }
        checkParameters(sync.params, declared: resource.syncParameters, of: resource, connector, at: sync.resource.range, into: &bag)
        if let matchOn = sync.matchOn, !resource.matchFields.isEmpty, !resource.matchFields.contains(matchOn.value) {
            bag.error(
                LanguageDiagnosticCode.matchOnRequired,
                "\(connector.name) \(resource.name) cannot match records on '\(matchOn.value)'",
                at: matchOn.range,
                help: Suggestions.didYouMean(matchOn.value, in: resource.matchFields) ?? "it matches on: " + resource.matchFields.joined(separator: ", ")
            )
        }
        if let batch = sync.batchSize, let limit = resource.maxBatchSize, batch.value > limit {
            bag.error(
                LanguageDiagnosticCode.batchTooLarge,
                "batch_size \(batch.value) is more than \(connector.title) accepts in one call (\(limit))",
                at: batch.range,
                help: "use batch_size: \(limit) or less",
                fixIts: [FixIt.replace(batch.range, with: String(limit), "use \(limit)")]
            )
        }
    }

    private func checkParameters(
        _ given: [ResourceParameter], declared: [ConnectorOption],
        of resource: ResourceDescriptor, _ connector: ConnectorDescriptor, at range: SourceRange, into bag: inout DiagnosticBag
    ) {
        let names = declared.map(\.name)
        for parameter in given where !names.contains(parameter.name.value) {
            bag.error(
                LanguageDiagnosticCode.unknownOption,
                "'\(parameter.name.value)' is not a parameter of \(connector.name) \(resource.name)",
                at: parameter.name.range,
                help: Suggestions.didYouMean(parameter.name.value, in: names)
                    ?? (names.isEmpty ? "\(resource.name) takes no parameters here" : "its parameters are: " + names.joined(separator: ", "))
            )
        }
        let present = Set(given.map(\.name.value))
        for parameter in declared where parameter.required && !present.contains(parameter.name) {
            bag.error(
                LanguageDiagnosticCode.missingOption,
                "\(connector.name) \(resource.name) needs the parameter '\(parameter.name)'",
                at: range,
                help: "add params: { \(parameter.name): … } — \(parameter.summary)"
            )
        }
    }

    private func checkNotifyConnection(
        _ name: Located<ConnectionName>, subject: Template?, to: Template?, at range: SourceRange, into bag: inout DiagnosticBag
    ) {
        guard let connector = connector(for: name, into: &bag) else { return }
        guard connector.capabilities.contains(.notify) else {
            bag.error(
                LanguageDiagnosticCode.unsupportedOperation,
                "connector '\(connector.name)' cannot send messages",
                at: name.range,
                help: "notify through a slack, sendgrid or webhook connection"
            )
            return
        }
        if connector.notifyNeedsSubject, subject == nil {
            bag.error(LanguageDiagnosticCode.missingNotifyField, "sending through \(connector.title) needs a 'subject'",
                      at: name.range, help: "add 'subject:' with the e-mail subject")
        }
        if connector.notifyNeedsRecipient, to == nil {
            bag.error(LanguageDiagnosticCode.missingNotifyField, "sending through \(connector.title) needs 'to' (the recipient)",
                      at: name.range, help: "add 'to:', e.g. to: \"{{ record.email }}\" or a fixed address")
        }
    }

    private func capabilityWords(_ connector: ConnectorDescriptor) -> String {
        var words: [String] = []
        if connector.capabilities.contains(.read) { words.append("fetch") }
        if connector.capabilities.contains(.write) { words.append("sync") }
        if connector.capabilities.contains(.notify) { words.append("notify") }
        return words.joined(separator: " and ") + " steps"
    }
}
