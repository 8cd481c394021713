import Crypto
import Diagnostics
import Foundation

/// The values a connector spec's templates are filled from, by the first name of a placeholder:
/// `options`, `params`, `auth`, `page`, `job`, `items`, `record`, `match`, `message`, `token`.
struct TemplateValues {
    var roots: [String: JSONValue] = [:]

    /// These values with `other`'s roots put over them.
    func merging(_ other: TemplateValues) -> TemplateValues {
        var merged = self
        for (root, value) in other.roots { merged[root] = value }
        return merged
    }

    subscript(root: String) -> JSONValue? {
        get { roots[root] }
        set { roots[root] = newValue }
    }

    /// The value a placeholder names (`options.data_center`, `record.properties.email`), nil when
    /// there is none.
    func value(of written: Substring) -> JSONValue? {
        // Filters after `|` reshape the value for the platform, left to right:
        // - `wrap:key` puts each element of a list in an object `{key: element}` (GA4 wants
        //   `[{name: "date"}]` where a playbook writes `[date]`);
        // - `strip_prefix:text` drops a prefix people often include (`act_` of a Meta ad account);
        // - `digits` keeps only the digits (a Google Ads customer id written `123-456-7890`);
        // - `or:placeholder` takes another value when this one is absent or empty;
        // - `after_last:text` keeps what follows the last `text` (Mailchimp's data centre `us21`
        //   at the end of an API key `…-us21`);
        // - `trim_lower` trims spaces and lower-cases, `sha256` hashes to lower-case hex (Google
        //   Ads Customer Match takes e-mails normalised, then hashed).
        if let bar = written.lastIndex(of: "|") {
            let filter = written[written.index(after: bar)...]
            var value = value(of: written[..<bar])
            if filter.hasPrefix("or:") {
                if value == nil || value == .string("") { value = self.value(of: filter.dropFirst(3)) }
                return value
            }
            guard let value else { return nil }
            if filter.hasPrefix("wrap:") {
                let key = String(filter.dropFirst(5))
                if case .array(let elements) = value { return .array(elements.map { .object([(key, $0)]) }) }
                return .array([.object([(key, value)])])
            }
            guard let text = JSONPath.text(value) else { return value }
            if filter.hasPrefix("strip_prefix:") {
                let prefix = filter.dropFirst("strip_prefix:".count)
                return .string(text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
            }
            if filter.hasPrefix("after_last:") {
                let separator = filter.dropFirst("after_last:".count)
                guard !separator.isEmpty, let found = text.range(of: separator, options: .backwards) else { return .string(text) }
                return .string(String(text[found.upperBound...]))
            }
            if filter == "digits" { return .string(text.filter(\.isASCII).filter(\.isNumber)) }
            if filter == "trim_lower" { return .string(text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()) }
            if filter == "sha256" { return .string(SHA256.hash(data: Data(text.utf8)).lowercaseHex) }
            return value
        }
        let reference = written
        let dot = reference.firstIndex(of: ".")
        let root = String(reference[..<(dot ?? reference.endIndex)])
        guard let value = roots[root] else { return nil }
        guard let dot else { return value }
        return JSONPath.value(at: String(reference[reference.index(after: dot)...]), in: value)
    }
}

/// Fills the `{…}` placeholders of connector spec templates.
enum Template {
    /// `template` with each placeholder replaced by its value as text (a list joined by commas);
    /// a placeholder without a value becomes empty text. `{{` and `}}` write a brace.
    static func text(_ template: String, _ values: TemplateValues) -> String {
        guard template.contains("{") || template.contains("}") else { return template }
        var result = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{", next < template.endIndex, template[next] == "{" {
                result.append("{")
                index = template.index(after: next)
            } else if character == "}", next < template.endIndex, template[next] == "}" {
                result.append("}")
                index = template.index(after: next)
            } else if character == "{", let close = template[next...].firstIndex(of: "}") {
                result += text(of: values.value(of: template[next..<close]))
                index = template.index(after: close)
            } else {
                result.append(character)
                index = next
            }
        }
        return result
    }

    /// The placeholder a template consists of alone (`"{items}"`), if it does.
    static func soleReference(_ template: String) -> Substring? {
        guard template.hasPrefix("{"), template.hasSuffix("}"), !template.hasPrefix("{{"), template.count > 2 else { return nil }
        let inner = template.dropFirst().dropLast()
        return inner.contains("{") || inner.contains("}") ? nil : inner
    }

    /// A JSON template filled: a string that is one placeholder becomes its value (and an object
    /// member whose placeholder has no value is left out); other strings are filled as text.
    static func json(_ template: JSONValue, _ values: TemplateValues) -> JSONValue? {
        switch template {
        case .string(let text):
            if let reference = soleReference(text) { return values.value(of: reference) }
            return .string(Self.text(text, values))
        case .array(let elements):
            return .array(elements.compactMap { filledOrDropped($0, values) })
        case .object(let members):
            // A key starting with `...` spreads the object its value fills to into this one (the
            // record's fields beside fixed members, as Salesforce's `attributes`); a key with a
            // placeholder is filled as text (a field named by a parameter).
            var filled: [(String, JSONValue)] = []
            for (key, value) in members {
                guard let result = filledOrDropped(value, values) else { continue }
                if key.hasPrefix("...") {
                    if case .object(let spread) = result { filled += spread }
                    continue
                }
                let name = key.contains("{") ? text(key, values) : key
                guard !name.isEmpty else { continue }
                filled.removeAll { $0.0 == name }
                filled.append((name, result))
            }
            return .object(filled)
        default:
            return template
        }
    }

    /// A member or element filled, or nil to leave it out: when its placeholder has no value, or
    /// it is an object all of whose members were left out (an identifier the record lacks).
    private static func filledOrDropped(_ template: JSONValue, _ values: TemplateValues) -> JSONValue? {
        let result = json(template, values)
        if case .object(let written) = template, !written.isEmpty, case .object(let filled)? = result, filled.isEmpty { return nil }
        return result
    }

    private static func text(of value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .array(let elements)?: elements.map { text(of: $0) }.joined(separator: ",")
        case .object?: value!.text
        default: JSONPath.text(value) ?? ""
        }
    }
}
