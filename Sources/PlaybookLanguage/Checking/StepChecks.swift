import Diagnostics

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
                if let title = notify.title, notify.modeIsKnown, notify.mode != .digest || step.inputs.isEmpty {
                    bag.error(LanguageDiagnosticCode.missingNotifyField, .titleWithoutDigest, at: title.source.range)
                }
                if let delivery = notify.delivery, notify.oncePer == nil {
                    bag.error(LanguageDiagnosticCode.missingNotifyField, .deliveryWithoutOncePer, at: delivery.range)
                }
            }
        }
        for alert in playbook.alerts {
            checkNotifyConnection(alert.notify, subject: alert.subject, to: alert.to, at: alert.range, into: &bag)
        }
    }

    // MARK: References

    private func checkReference(_ reference: StepReference, from step: Step, into bag: inout DiagnosticBag) {
        if reference.step == step.id.value {
            bag.error(LanguageDiagnosticCode.cycle, .dependsOnItself(step.id.value), at: reference.range)
            return
        }
        guard let target = playbook.step(reference.step) else {
            // A step left out for its own errors exists; naming it is not a second mistake.
            if playbook.writtenStepIDs.contains(reference.step) { return }
            bag.unknownName(
                LanguageDiagnosticCode.unknownStep, LanguageMessage.unknownStep(reference.step),
                name: reference.step.rawValue, at: reference.range, candidates: stepIDs,
                replacement: { $0 + (reference.segment.map { ".\($0)" } ?? "") },
                otherwise: LanguageMessage.otherSteps(stepIDs)
            )
            return
        }
        guard let segment = reference.segment else { return }
        guard case .segment(let segmentStep) = target.kind, !segmentStep.segments.isEmpty else {
            bag.error(LanguageDiagnosticCode.unknownSegment, .noSegments(target.id.value, reference: reference.description), at: reference.range)
            return
        }
        let isNamed = segmentStep.segments.contains { $0.name.value == segment } || segmentStep.otherwise?.value == segment
        if !isNamed {
            bag.error(
                LanguageDiagnosticCode.unknownSegment, .unknownSegment(segment, of: target.id.value, segments: segmentStep.segmentNames),
                at: reference.range
            )
        }
    }

    private func checkSegmentNames(_ segment: SegmentStep, into bag: inout DiagnosticBag) {
        if let otherwise = segment.otherwise, let clash = segment.segments.first(where: { $0.name.value == otherwise.value }) {
            bag.error(
                LanguageDiagnosticCode.duplicateName, .otherwiseRepeatsSegment(otherwise.value), at: otherwise.range,
                notes: [DiagnosticNote(LanguageMessage.segmentDefinedNote, at: clash.name.range)]
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
                LanguageDiagnosticCode.unknownConnection, LanguageMessage.unknownConnection(name.value),
                name: name.value.rawValue, at: name.range, candidates: names,
                otherwise: LanguageMessage.declaredConnections(names)
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
            LanguageDiagnosticCode.unknownResource, LanguageMessage.unknownResource(name.value, of: connector),
            name: name.value, at: name.range, candidates: names,
            otherwise: LanguageMessage.connectorResources(connector, names)
        )
        return nil
    }

    private func checkFetch(_ fetch: FetchStep, step: Step, into bag: inout DiagnosticBag) {
        switch fetch.source {
        case .connection(let connectionName, let resourceName):
            guard let connector = connector(for: connectionName, into: &bag) else { return }
            guard connector.capabilities.contains(.read) else {
                bag.error(LanguageDiagnosticCode.unsupportedOperation, .cannotRead(connector, usedWith: capabilityWords(connector)), at: connectionName.range)
                return
            }
            guard let resource = resource(resourceName, of: connector, into: &bag) else { return }
            if !resource.readable {
                bag.error(LanguageDiagnosticCode.unsupportedOperation, .writeOnlyResource(resource, of: connector), at: resourceName.range)
            }
            if let cursor = fetch.incrementalCursor, !resource.cursorFields.contains(cursor.value) {
                bag.error(LanguageDiagnosticCode.invalidCursor, .invalidCursor(cursor.value, of: resource, connector), at: cursor.range)
            }
            checkParameters(fetch.params, declared: resource.parameters, of: resource, connector, at: resourceName.range,
                            checksValues: fetch.lookup.isEmpty, into: &bag)
            if let key = fetch.declaredFieldsKey, !resource.fields.isEmpty {
                bag.error(LanguageDiagnosticCode.fieldsOnPlatformFetch, .fieldsOnPlatformFetch(resource, of: connector), at: key)
            }
        case .webhook(let path, _):
            let paths = playbook.triggers.compactMap { trigger -> String? in
                if case .webhook(let webhook) = trigger.kind { return webhook.path.value }
                return nil
            }
            if !paths.contains(path.value), !playbook.writtenWebhookPaths.contains(path.value) {
                bag.error(LanguageDiagnosticCode.unknownWebhook, .unknownWebhook(path.value, paths: paths), at: path.range)
            }
        case .file:
            break
        }
    }

    private func checkSync(_ sync: SyncStep, step: Step, into bag: inout DiagnosticBag) {
        guard let connector = connector(for: sync.connection, into: &bag) else { return }
        guard connector.capabilities.contains(.write) else {
            bag.error(LanguageDiagnosticCode.unsupportedOperation, .cannotWrite(connector, usedWith: capabilityWords(connector)), at: sync.connection.range)
            return
        }
        if sync.mode.value == .upsert || sync.mode.value == .update, !sync.matchOnWritten {
            bag.error(LanguageDiagnosticCode.matchOnRequired, .matchOnRequired(sync.mode.value), at: sync.mode.range)
        }
        if sync.mode.value == .tag, sync.tags.isEmpty {
            bag.error(LanguageDiagnosticCode.missingField, .tagsRequired, at: sync.mode.range)
        }
        guard let resource = resource(sync.resource, of: connector, into: &bag) else { return }
        if !resource.syncModes.contains(sync.mode.value) {
            bag.error(
                LanguageDiagnosticCode.unsupportedSyncMode, .unsupportedSyncMode(sync.mode.value, of: resource, connector),
                at: resource.syncModes.isEmpty ? sync.resource.range : sync.mode.range
            )
        }
        checkParameters(sync.params, declared: resource.syncParameters, of: resource, connector, at: sync.resource.range, into: &bag)
        if let matchOn = sync.matchOn, !resource.matchFields.isEmpty, !resource.matchFields.contains(matchOn.value) {
            bag.error(LanguageDiagnosticCode.matchOnRequired, .cannotMatchOn(matchOn.value, of: resource, connector), at: matchOn.range)
        }
        if let batch = sync.batchSize, let limit = resource.maxBatchSize, batch.value > limit {
            bag.error(
                LanguageDiagnosticCode.batchTooLarge, .batchTooLarge(batch.value, limit: limit, connector), at: batch.range,
                fixIts: [FixIt.replace(batch.range, with: String(limit), LanguageMessage.useBatchLimitFixIt(limit))]
            )
        }
    }

    private func checkParameters(
        _ given: [ResourceParameter], declared: [ConnectorOption],
        of resource: ResourceDescriptor, _ connector: ConnectorDescriptor, at range: SourceRange, checksValues: Bool = true,
        into bag: inout DiagnosticBag
    ) {
        let names = declared.map(\.name)
        for parameter in given where !names.contains(parameter.name.value) {
            bag.error(LanguageDiagnosticCode.unknownOption, .unknownParameter(parameter.name.value, of: resource, connector, known: names), at: parameter.name.range)
        }
        // A lookup's parameters are expressions, whose values are known only when the playbook runs.
        for parameter in given where checksValues {
            guard let option = declared.first(where: { $0.name == parameter.name.value }) else { continue }
            ParameterValueChecks.check(
                parameter.value, of: option, owner: "\(connector.name) \(resource.name)'s parameter '\(option.name)'", into: &bag
            )
        }
        let present = Set(given.map(\.name.value))
        for parameter in declared where parameter.required && !present.contains(parameter.name) {
            bag.error(LanguageDiagnosticCode.missingOption, .missingParameter(parameter, of: resource, connector), at: range)
        }
    }

    private func checkNotifyConnection(
        _ name: Located<ConnectionName>, subject: Template?, to: Template?, at range: SourceRange, into bag: inout DiagnosticBag
    ) {
        guard let connector = connector(for: name, into: &bag) else { return }
        guard connector.capabilities.contains(.notify) else {
            bag.error(LanguageDiagnosticCode.unsupportedOperation, .cannotNotify(connector), at: name.range)
            return
        }
        if connector.notifyNeedsSubject, subject == nil {
            bag.error(LanguageDiagnosticCode.missingNotifyField, .subjectRequired(connector), at: name.range)
        }
        if connector.notifyNeedsRecipient, to == nil {
            bag.error(LanguageDiagnosticCode.missingNotifyField, .recipientRequired(connector), at: name.range)
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
