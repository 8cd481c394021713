/// The lists extension's `flatten`: nested lists such as the entries and changes of one webhook
/// request (`entry[].changes[]`) become one list that a step can read record by record.
extension FunctionLibrary {
    mutating func registerLists() {
        member("flatten", charged: true, unary: { list in
            guard case .list = list else { return CELValue.noOverload("flatten", list) }
            return ListFunctions.flatten(list, depth: .int(1))
        }, binary: ListFunctions.flatten)
    }
}

enum ListFunctions {
    /// The elements of `list`, with lists inside it opened `depth` levels deep; other elements stay
    /// as they are, as in cel-go.
    static func flatten(_ list: CELValue, depth: CELValue) -> CELValue {
        guard case .list(let elements) = list, case .int(let levels) = depth else { return CELValue.noOverload("flatten", list, depth) }
        guard levels >= 0 else { return .fail("flatten: the depth must not be negative, got \(levels)") }
        return .list(flattened(elements, levels: levels))
    }

    private static func flattened(_ elements: [CELValue], levels: Int64) -> [CELValue] {
        guard levels > 0 else { return elements }
        var result: [CELValue] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            if case .list(let inner) = element {
                result.append(contentsOf: flattened(inner, levels: levels - 1))
            } else {
                result.append(element)
            }
        }
        return result
    }
}
