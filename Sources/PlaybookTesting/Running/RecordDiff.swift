import CEL

/// Compares the records a run produced with the records a test expects, and words the
/// differences field by field.
struct RecordDiff {
    /// Only these fields are compared; every field when nil.
    var fields: [String]?

    /// The differences between `expected` and `actual`, one line each; empty when they match.
    /// In order, records are compared by position; otherwise each expected record takes the first
    /// equal record not yet taken, and what is left over on either side is listed.
    func differences(expected: [CELValue], actual: [CELValue], ordered: Bool) -> [String] {
        ordered ? orderedDifferences(expected, actual) : unorderedDifferences(expected, actual)
    }

    private func orderedDifferences(_ expected: [CELValue], _ actual: [CELValue]) -> [String] {
        var lines: [String] = []
        for index in 0..<max(expected.count, actual.count) {
            // CELValue takes `nil` as its null, so absence is spelt out.
            let wanted: CELValue? = index < expected.count ? .some(expected[index]) : .none
            let got: CELValue? = index < actual.count ? .some(actual[index]) : .none
            switch (wanted, got) {
            case (let wanted?, let got?):
                let fieldLines = fieldDifferences(wanted, got)
                if !fieldLines.isEmpty { lines += ["record \(index + 1):"] + fieldLines.map { "  " + $0 } }
            case (let wanted?, nil):
                lines.append("record \(index + 1) is missing: expected \(ValueMatching.text(compared(wanted)))")
            case (nil, let got?):
                lines.append("record \(index + 1) is not expected: got \(ValueMatching.text(compared(got)))")
            case (nil, nil):
                break
            }
        }
        return lines
    }

    private func unorderedDifferences(_ expected: [CELValue], _ actual: [CELValue]) -> [String] {
        var taken = Set<Int>()
        var missing: [CELValue] = []
        for wanted in expected {
            if let index = actual.indices.first(where: { !taken.contains($0) && fieldDifferences(wanted, actual[$0]).isEmpty }) {
                taken.insert(index)
            } else {
                missing.append(wanted)
            }
        }
        let extra = actual.indices.filter { !taken.contains($0) }.map { actual[$0] }
        return missing.map { "missing: \(ValueMatching.text(compared($0)))" } + extra.map { "not expected: \(ValueMatching.text(compared($0)))" }
    }

    /// The differing fields of one record: missing, not expected, or a different value. With
    /// `fields`, both records are first cut down to those fields.
    func fieldDifferences(_ expected: CELValue, _ actual: CELValue) -> [String] {
        guard case .map(let wanted) = compared(expected), case .map(let got) = compared(actual) else {
            return ValueMatching.matches(expected, actual) ? [] : [ValueMatching.mismatch(expected, actual)]
        }
        var lines: [String] = []
        for entry in wanted {
            guard case .string(let name) = entry.key else { continue }
            if let value = got[name] {
                if !ValueMatching.matches(entry.value, value) { lines.append("\(name): " + ValueMatching.mismatch(entry.value, value)) }
            } else {
                lines.append("\(name): expected \(ValueMatching.text(entry.value)), but the record has no such field")
            }
        }
        for entry in got {
            guard case .string(let name) = entry.key, wanted[name] == nil else { continue }
            lines.append("\(name): not expected, got \(ValueMatching.text(entry.value))")
        }
        return lines
    }

    /// A record cut down to the compared fields, for messages.
    private func compared(_ value: CELValue) -> CELValue {
        guard let fields, case .map(let map) = value else { return value }
        return .map((try? CELMap(pairs: fields.compactMap { name in map[name].map { (.string(name), $0) } })) ?? map)
    }
}
