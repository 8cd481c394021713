import Diagnostics

/// Warnings about things declared but never used: step outputs, connections and parameters.
struct UsageChecks {
    let playbook: Playbook
    let graph: StepGraph

    func run(into bag: inout DiagnosticBag) {
        var consumed = Set(graph.edges.filter { $0.kind == .data }.map(\.from))
        // A misspelt `from:` is reported as unknown; the step it was meant to name is not unused as well.
        var ids: [String]?
        for step in playbook.steps {
            var references = step.inputs
            if case .transform(let transform) = step.kind, let join = transform.join { references.append(join.with) }
            for reference in references where playbook.step(reference.step) == nil {
                if ids == nil { ids = playbook.steps.map(\.id.value.rawValue) }
                if let meant = Suggestions.closest(to: reference.step.rawValue, in: ids!) { consumed.insert(StepID(meant)) }
            }
        }
        let awaited = Set(graph.edges.filter { $0.kind == .order }.map(\.from))
        for step in playbook.steps where !step.kind.isSink && !consumed.contains(step.id.value) {
            bag.warning(
                LanguageDiagnosticCode.unusedOutput,
                "the records of step '\(step.id.value)' go nowhere",
                at: step.id.range,
                help: awaited.contains(step.id.value)
                    ? "'after:' only orders steps; to use the records, name '\(step.id.value)' in a later step's 'from:'"
                    : "name '\(step.id.value)' in a later step's 'from:', or remove the step"
            )
        }

        var usedConnections = Set<String>()
        for step in playbook.steps {
            switch step.kind {
            case .fetch(let fetch):
                if case .connection(let name, _) = fetch.source { usedConnections.insert(name.value) }
            case .sync(let sync): usedConnections.insert(sync.connection.value)
            case .notify(let notify): usedConnections.insert(notify.connection.value)
            default: break
            }
        }
        for alert in playbook.alerts { usedConnections.insert(alert.notify.value) }
        for connection in playbook.connections where !usedConnections.contains(connection.name.value.rawValue) {
            bag.warning(
                LanguageDiagnosticCode.unusedConnection,
                "connection '\(connection.name.value)' is not used by any step",
                at: connection.name.range,
                help: "remove it, or use it in a fetch, sync or notify step"
            )
        }

        let referenced = ExpressionScan.referencedParams(in: playbook)
        for param in playbook.params where !referenced.contains(param.name.value) {
            bag.warning(
                LanguageDiagnosticCode.unusedParam,
                "parameter '\(param.name.value)' is never read",
                at: param.name.range,
                help: "read it in an expression as params.\(param.name.value), or remove it"
            )
        }
    }
}

/// Finds names in expression and template text without a full parse: enough to tell which params a
/// playbook reads.
enum ExpressionScan {
    static func referencedParams(in playbook: Playbook) -> Set<String> {
        var names = Set<String>()
        forEachSource(of: playbook) { collectMemberNames(after: "params", in: $0.text, into: &names) }
        return names
    }

    /// Calls `body` with every expression and template of the playbook.
    static func forEachSource(of playbook: Playbook, _ body: (SourceText) -> Void) {
        for step in playbook.steps {
            if let condition = step.condition { body(condition.source) }
            switch step.kind {
            case .fetch(let fetch):
                if case .webhook(_, let records?) = fetch.source { body(records.source) }
            case .transform(let transform):
                for (_, value) in transform.set { body(value.source) }
                if let dedupe = transform.dedupe { body(dedupe.by.source) }
                for computed in transform.aggregate?.compute ?? [] {
                    if let expression = computed.expression { body(expression.source) }
                }
            case .segment(let segment):
                if let filter = segment.filter { body(filter.source) }
                for (_, condition) in segment.segments { body(condition.source) }
            case .sync(let sync):
                for field in sync.fields { body(field.value.source) }
                for tag in sync.tags { body(tag.source) }
            case .notify(let notify):
                body(notify.message.source)
                if let subject = notify.subject { body(subject.source) }
                if let to = notify.to { body(to.source) }
                if let oncePer = notify.oncePer { body(oncePer.source) }
            }
        }
        for alert in playbook.alerts {
            body(alert.when.source)
            body(alert.message.source)
            if let subject = alert.subject { body(subject.source) }
            if let to = alert.to { body(to.source) }
        }
    }

    /// Adds the identifiers written as `root.NAME` or `root["NAME"]` to `names`.
    static func collectMemberNames(after root: String, in text: String, into names: inout Set<String>) {
        var text = text
        var root = root
        text.withUTF8 { bytes in
            root.withUTF8 { rootBytes in
                guard let first = rootBytes.first else { return }
                var index = 0
                while index + rootBytes.count < bytes.count {
                    guard bytes[index] == first,
                          index == 0 || !ASCII.isNameByte(bytes[index - 1]),
                          UnsafeBufferPointer(rebasing: bytes[index..<(index + rootBytes.count)]).elementsEqual(rootBytes) else {
                        index += 1
                        continue
                    }
                    var cursor = index + rootBytes.count
                    if bytes[cursor] == UInt8(ascii: ".") {
                        cursor += 1
                        let start = cursor
                        while cursor < bytes.count, ASCII.isNameByte(bytes[cursor]) { cursor += 1 }
                        if cursor > start { names.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)) }
                    } else if cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "["),
                              bytes[cursor + 1] == UInt8(ascii: "\"") || bytes[cursor + 1] == UInt8(ascii: "'") {
                        let quote = bytes[cursor + 1]
                        let start = cursor + 2
                        if let end = bytes[start...].firstIndex(of: quote) {
                            names.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                        }
                    }
                    index = cursor
                }
            }
        }
    }
}
