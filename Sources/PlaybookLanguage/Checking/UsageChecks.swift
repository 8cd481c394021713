import CEL
import Diagnostics

/// Warnings about things declared but never used: step outputs, connections and parameters.
struct UsageChecks {
    let playbook: Playbook
    let graph: StepGraph

    func run(into bag: inout DiagnosticBag) {
        // By step position: whether a later step reads the records, and whether one waits for the step.
        var consumed = [Bool](repeating: false, count: playbook.steps.count)
        var awaited = [Bool](repeating: false, count: playbook.steps.count)
        for edge in graph.edges {
            if edge.kind == .data { consumed[edge.fromPosition] = true } else { awaited[edge.fromPosition] = true }
        }
        // A misspelt `from:` is reported as unknown; the step it was meant to name is not unused as well.
        if !graph.unresolvedDataReferences.isEmpty {
            let ids = playbook.steps.map(\.id.value.rawValue)
            for reference in graph.unresolvedDataReferences {
                if let meant = Suggestions.closest(to: reference.step.rawValue, in: ids), let position = playbook.position(of: StepID(meant)) {
                    consumed[position] = true
                }
            }
        }
        for (position, step) in playbook.steps.enumerated() where !step.kind.isSink && !consumed[position] {
            bag.warning(LanguageDiagnosticCode.unusedOutput, .unusedOutput(step.id.value, awaited: awaited[position]), at: step.id.range)
        }

        // By connection position. A playbook has a handful of connections: comparing names beats hashing them.
        var usedConnections = [Bool](repeating: false, count: playbook.connections.count)
        func use(_ name: ConnectionName) {
            for index in playbook.connections.indices where playbook.connections[index].name.value == name {
                usedConnections[index] = true
            }
        }
        for step in playbook.steps {
            switch step.kind {
            case .fetch(let fetch):
                if case .connection(let name, _) = fetch.source { use(name.value) }
            case .sync(let sync): use(sync.connection.value)
            case .notify(let notify): use(notify.connection.value)
            default: break
            }
        }
        for alert in playbook.alerts { use(alert.notify.value) }
        for (index, connection) in playbook.connections.enumerated() where !usedConnections[index] {
            bag.warning(LanguageDiagnosticCode.unusedConnection, .unusedConnection(connection.name.value), at: connection.name.range)
        }

        let declared = Set(playbook.params.map(\.name.value))
        let referenced = declared.isEmpty ? [] : ExpressionScan.referencedParams(in: playbook, stoppingOnceAllOf: declared)
        for param in playbook.params where !referenced.contains(param.name.value) {
            bag.warning(LanguageDiagnosticCode.unusedParam, .unusedParam(param.name.value), at: param.name.range)
        }
    }
}

/// Finds names in expression and template text without a full parse: enough to tell which params a
/// playbook reads. Only code counts: the inside of string literals and the text around a template's
/// `{{ }}` never read a param.
enum ExpressionScan {
    /// The names read as `params.NAME`. Reading stops once every name in `declared` has been seen:
    /// the usage check only asks which declared params are never read.
    static func referencedParams(in playbook: Playbook, stoppingOnceAllOf declared: Set<String>) -> Set<String> {
        var names = Set<String>()
        var unseen = declared.count
        forEachSource(of: playbook) { source, isTemplate in
            source.withUTF8 { bytes in
                func scan(_ expression: Range<Int>) {
                    CELSourceScan.forEachCodeRange(bytes, in: expression) { code in
                        collectMemberNames(after: "params", in: bytes, code: code) { name in
                            if names.insert(name).inserted, declared.contains(name) { unseen -= 1 }
                        }
                    }
                }
                if isTemplate { CELSourceScan.forEachInterpolation(bytes, scan) } else { scan(0..<bytes.count) }
            }
            return unseen > 0
        }
        return names
    }

    /// Calls `body` with every expression and template of the playbook, and whether it is a template,
    /// until `body` returns false.
    static func forEachSource(of playbook: Playbook, _ body: (SourceText, Bool) -> Bool) {
        var keepGoing = true
        func visit(_ source: SourceText, _ isTemplate: Bool) {
            if keepGoing { keepGoing = body(source, isTemplate) }
        }
        for step in playbook.steps {
            guard keepGoing else { return }
            if let condition = step.condition { visit(condition.source, false) }
            switch step.kind {
            case .fetch(let fetch):
                if case .webhook(_, let records?) = fetch.source { visit(records.source, false) }
            case .transform(let transform):
                for (_, value) in transform.set { visit(value.source, false) }
                if let dedupe = transform.dedupe { visit(dedupe.by.source, false) }
                for computed in transform.aggregate?.compute ?? [] {
                    if let expression = computed.expression { visit(expression.source, false) }
                }
            case .segment(let segment):
                if let filter = segment.filter { visit(filter.source, false) }
                for (_, condition) in segment.segments { visit(condition.source, false) }
            case .sync(let sync):
                for field in sync.fields { visit(field.value.source, false) }
                for tag in sync.tags { visit(tag.source, false) }
            case .notify(let notify):
                visit(notify.message.source, true)
                if let subject = notify.subject { visit(subject.source, true) }
                if let to = notify.to { visit(to.source, true) }
                if let oncePer = notify.oncePer { visit(oncePer.source, false) }
            }
        }
        for alert in playbook.alerts {
            guard keepGoing else { return }
            visit(alert.when.source, false)
            visit(alert.message.source, true)
            if let subject = alert.subject { visit(subject.source, true) }
            if let to = alert.to { visit(to.source, true) }
        }
    }

    /// Calls `found` with each identifier written as `root.NAME` or `root["NAME"]` in `bytes[code]`.
    static func collectMemberNames(
        after root: StaticString, in bytes: UnsafeBufferPointer<UInt8>, code: Range<Int>, _ found: (String) -> Void
    ) {
        let root = UnsafeBufferPointer(start: root.utf8Start, count: root.utf8CodeUnitCount)
        guard let first = root.first else { return }
        var index = code.lowerBound
        while index + root.count < code.upperBound {
            guard bytes[index] == first, index == code.lowerBound || !ASCII.isNameByte(bytes[index - 1]),
                  UnsafeBufferPointer(rebasing: bytes[index..<(index + root.count)]).elementsEqual(root) else {
                index += 1
                continue
            }
            var cursor = index + root.count
            if bytes[cursor] == UInt8(ascii: ".") {
                cursor += 1
                let start = cursor
                while cursor < code.upperBound, ASCII.isNameByte(bytes[cursor]) { cursor += 1 }
                if cursor > start { found(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)) }
            } else if bytes[cursor] == UInt8(ascii: "[") {
                // `params["name"]`: the name is a string literal, which starts where this code ends.
                cursor += 1
                while cursor < code.upperBound, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
                if cursor == code.upperBound, let name = quotedName(at: cursor, in: bytes) { found(name) }
            }
            index = cursor
        }
    }

    /// The text of the string literal whose opening quote is at `offset`, if it is one.
    private static func quotedName(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") || bytes[offset] == UInt8(ascii: "'") else { return nil }
        let quote = bytes[offset]
        guard let end = bytes[(offset + 1)...].firstIndex(of: quote) else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[(offset + 1)..<end]), as: UTF8.self)
    }
}
