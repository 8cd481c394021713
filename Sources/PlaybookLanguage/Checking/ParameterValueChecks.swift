import Diagnostics

/// Checks a value written in the playbook for a connection option or a resource parameter against
/// what the platform documents: one of its `values` (for a list, each element), or an id of its
/// `pattern`. Values filled in when the playbook runs (`{{ }}`) are the platform's to judge.
enum ParameterValueChecks {
    /// `owner` names the option or parameter in messages, e.g. `ga4 report's parameter 'metrics'`.
    static func check(_ value: Located<JSONValue>, of option: ConnectorOption, owner: String, into bag: inout DiagnosticBag) {
        guard !option.values.isEmpty || option.pattern != nil else { return }
        let texts: [String] = switch value.value {
        case .string(let text): [text]
        case .array(let elements): elements.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
        for text in texts where !text.contains("{{") {
            if !option.values.isEmpty, !option.values.contains(text), !option.valuePrefixes.contains(where: text.hasPrefix) {
                bag.error(LanguageDiagnosticCode.unknownParameterValue, .unknownParameterValue(text, of: option, owner: owner), at: value.range)
            } else if let pattern = option.pattern, let regex = try? Regex(pattern), (try? regex.wholeMatch(in: text)) == nil {
                bag.error(LanguageDiagnosticCode.invalidParameterForm, .invalidParameterForm(text, of: option, owner: owner), at: value.range)
            }
        }
    }
}
