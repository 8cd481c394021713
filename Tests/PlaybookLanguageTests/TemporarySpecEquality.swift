import Testing
@testable import PlaybookLanguage

struct TemporarySpecEquality {
    @Test func loadedSpecsEqualTheSwiftDeclarations() {
        let results = BuiltInConnectorSpecs.load()
        for result in results {
            #expect(result.diagnostics.isEmpty, "\(result.file.path): \(result.diagnostics.map { "\(result.file.location(of: $0.range.start)) \($0.message) \($0.help ?? "")" })")
        }
        let loaded = results.compactMap(\.connector)
        #expect(loaded.map(\.name) == KnownConnectors.all.map(\.name))
        for (spec, swift) in zip(loaded, KnownConnectors.all) {
            let declared = Set(swift.resources.map(\.name))
            let catalogue = ConnectorDescriptor(
                name: spec.name, title: spec.title, summary: spec.summary, capabilities: spec.capabilities, authSchemes: spec.authSchemes,
                options: spec.options, defaultRateLimit: spec.defaultRateLimit, maxConcurrency: spec.maxConcurrency,
                resources: spec.resources.filter { declared.contains($0.name) }.map(withoutHTTP),
                acceptsAnyResource: spec.acceptsAnyResource, notifyNeedsSubject: spec.notifyNeedsSubject,
                notifyNeedsRecipient: spec.notifyNeedsRecipient, genericResource: spec.genericResource.map(withoutHTTP), http: nil
            )
            #expect(catalogue == swift, "\(spec.name) differs")
            if catalogue != swift {
                for (a, b) in zip(catalogue.resources, swift.resources) where a != b {
                    Issue.record("\(spec.name).\(a.name): \(a.fields == b.fields) \(a.parameters == b.parameters) \(a.syncParameters == b.syncParameters) \(a.summary == b.summary)")
                }
                Issue.record("schemes \(catalogue.authSchemes == swift.authSchemes) options \(catalogue.options == swift.options) generic \(catalogue.genericResource == swift.genericResource)")
            }
        }
    }

    private func withoutHTTP(_ resource: ResourceDescriptor) -> ResourceDescriptor {
        ResourceDescriptor(
            name: resource.name, summary: resource.summary, readable: resource.readable, syncModes: resource.syncModes, fields: resource.fields,
            cursorFields: resource.cursorFields, matchFields: resource.matchFields, parameters: resource.parameters,
            maxBatchSize: resource.maxBatchSize, notifies: resource.notifies, syncParameters: resource.syncParameters
        )
    }
}
