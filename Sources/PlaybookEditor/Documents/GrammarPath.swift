import PlaybookLanguage

/// Finds what the grammar tables say about a place in a playbook, given the keys leading to it.
enum GrammarPath {
    /// The shape of the value at `path`: each key is a field of an object or an entry of a mapping
    /// whose keys the author chooses; lists are stepped through, since their items add no key.
    static func shape(at path: [String]) -> Shape? {
        var shape: Shape = .object(Grammar.playbook)
        for key in path {
            switch elements(of: shape) {
            case .object(let object):
                guard let field = object.field(key) else { return nil }
                shape = field.shape
            case .dictionary(_, let value):
                shape = value
            default:
                return nil
            }
        }
        return shape
    }

    /// The field `key` of the mapping at `path`, with its description.
    static func field(_ key: String, at path: [String]) -> FieldShape? {
        guard let shape = shape(at: path), case .object(let object) = elements(of: shape) else { return nil }
        return object.field(key)
    }

    /// The object whose keys may be written at `path`, if the grammar fixes them.
    static func object(at path: [String]) -> ObjectShape? {
        guard let shape = shape(at: path), case .object(let object) = elements(of: shape) else { return nil }
        return object
    }

    /// Whether the items of a list at `path` are mappings (such as `triggers:`), not scalars (`from:`).
    static func holdsMappings(_ path: [String]) -> Bool {
        guard let shape = shape(at: path) else { return false }
        switch elements(of: shape) {
        case .object, .dictionary: return true
        default: return false
        }
    }

    /// What one item of a list is; for `manual: true` or `manual: {…}` style alternatives, the mapping.
    static func elements(of shape: Shape) -> Shape {
        switch shape {
        case .list(let element, _): elements(of: element)
        case .oneOrMany(let element): elements(of: element)
        case .alternatives(let shapes):
            shapes.first { if case .object = $0 { true } else { false } } ?? shapes.first ?? shape
        default: shape
        }
    }
}
