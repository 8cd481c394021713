import Diagnostics

/// Dotted paths into JSON answers and bodies, as connector specs write them: `paging.next.after`,
/// `errors.0.message` (a number steps into a list), `chunks.*.results` (a star steps into every
/// element of a list, and the lists found are joined). The empty path is the value itself.
enum JSONPath {
    /// The value at `path`, or nil when a step of it is missing.
    static func value(at path: String, in root: JSONValue) -> JSONValue? {
        guard !path.isEmpty else { return root }
        var values = [root]
        var spread = false
        for step in path.split(separator: ".", omittingEmptySubsequences: false) {
            var next: [JSONValue] = []
            for value in values {
                if step == "*" {
                    guard case .array(let elements) = value else { continue }
                    next.append(contentsOf: elements)
                    spread = true
                } else if case .array(let elements) = value, let index = Int(step) {
                    if elements.indices.contains(index) { next.append(elements[index]) }
                } else if let member = value[String(step)] {
                    next.append(member)
                }
            }
            values = next
            if values.isEmpty { return nil }
        }
        guard spread else { return values.first }
        // Lists found under a star are joined into one; other values are gathered in a list.
        var joined: [JSONValue] = []
        for value in values {
            if case .array(let elements) = value { joined.append(contentsOf: elements) } else { joined.append(value) }
        }
        return .array(joined)
    }

    /// `root` with `value` put at `path` (objects made on the way; list indexes are not written).
    static func setting(_ value: JSONValue, at path: String, in root: JSONValue) -> JSONValue {
        let steps = path.split(separator: ".").map(String.init)
        return setting(value, at: steps[...], in: root)
    }

    private static func setting(_ value: JSONValue, at steps: ArraySlice<String>, in root: JSONValue) -> JSONValue {
        guard let first = steps.first else { return value }
        var members: [(String, JSONValue)] = []
        if case .object(let existing) = root { members = existing }
        if let index = members.firstIndex(where: { $0.0 == first }) {
            members[index].1 = setting(value, at: steps.dropFirst(), in: members[index].1)
        } else {
            members.append((first, setting(value, at: steps.dropFirst(), in: .null)))
        }
        return .object(members)
    }

    /// A scalar as text, for tokens, ids and statuses; nil for null, lists and objects.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        default: nil
        }
    }
}
