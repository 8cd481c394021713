import Diagnostics
import Foundation

/// Why a search body was refused.
struct HubSpotSearchError: Error {
    let message: String
}

/// One `filterGroups` entry: its filters must all hold; a record matches a search when any group does.
struct HubSpotFilterGroup: Sendable {
    struct Filter: Sendable {
        let property: String
        let operation: String
        let value: String?
    }

    let filters: [Filter]
    static let operators: Set = ["EQ", "NEQ", "GT", "GTE", "LT", "LTE", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN"]
    /// Properties compared as instants, given as ISO 8601 text or epoch milliseconds.
    static let instantProperties: Set = ["lastmodifieddate", "createdate", "hs_lastmodifieddate", "closedate"]

    static func parse(_ value: JSONValue?) throws(HubSpotSearchError) -> [HubSpotFilterGroup] {
        guard let value, value != .null else { return [] }
        guard let groups = value.arrayValue else { throw HubSpotSearchError(message: "filterGroups must be a list") }
        guard groups.count <= 5 else { throw HubSpotSearchError(message: "Too many filter groups: at most 5 are allowed, got \(groups.count)") }
        var parsed: [HubSpotFilterGroup] = []
        var filterCount = 0
        for (groupIndex, group) in groups.enumerated() {
            var filters: [Filter] = []
            for (filterIndex, filter) in (group["filters"]?.arrayValue ?? []).enumerated() {
                let place = "filterGroups[\(groupIndex)].filters[\(filterIndex)]"
                guard let property = filter["propertyName"]?.stringValue else {
                    throw HubSpotSearchError(message: "\(place) needs a propertyName")
                }
                let operation = filter["operator"]?.stringValue ?? "EQ"
                guard operators.contains(operation) else {
                    throw HubSpotSearchError(message: "\(place): unknown operator \(operation)")
                }
                filters.append(Filter(property: property, operation: operation, value: filter["value"]?.textValue))
            }
            filterCount += filters.count
            parsed.append(HubSpotFilterGroup(filters: filters))
        }
        guard filterCount <= 25 else { throw HubSpotSearchError(message: "Too many filters: at most 25 are allowed, got \(filterCount)") }
        return parsed
    }

    func matches(_ record: HubSpotRecord) -> Bool {
        filters.allSatisfy { filter in
            let actual = record.properties[filter.property]
            switch filter.operation {
            case "HAS_PROPERTY": return actual.map { !$0.isEmpty } ?? false
            case "NOT_HAS_PROPERTY": return actual.map { $0.isEmpty } ?? true
            default: break
            }
            guard let actual, let wanted = filter.value else { return filter.operation == "NEQ" }
            if filter.operation == "CONTAINS_TOKEN" {
                return actual.lowercased().contains(wanted.lowercased().replacingOccurrences(of: "*", with: ""))
            }
            let order = Self.compare(actual, wanted, property: filter.property)
            switch filter.operation {
            case "EQ": return order == .orderedSame
            case "NEQ": return order != .orderedSame
            case "GT": return order == .orderedDescending
            case "GTE": return order != .orderedAscending
            case "LT": return order == .orderedAscending
            case "LTE": return order != .orderedDescending
            default: return false
            }
        }
    }

    /// Instants as instants, numbers as numbers, text without regard to case or surrounding spaces.
    static func compare(_ left: String, _ right: String, property: String) -> ComparisonResult {
        if instantProperties.contains(property), let a = SandboxTime.parseInstant(left), let b = SandboxTime.parseInstant(right) {
            return a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
        }
        if let a = Double(left), let b = Double(right) {
            return a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
        }
        let a = HubSpotStore.normalized(left)
        let b = HubSpotStore.normalized(right)
        return a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
    }
}

/// A search's `sorts`: property names, ascending unless `DESCENDING`; id breaks ties.
enum HubSpotSort {
    static func parse(_ value: JSONValue?) -> [(property: String, descending: Bool)] {
        (value?.arrayValue ?? []).compactMap { item in
            if let name = item.stringValue { return (name, false) }
            guard let name = item["propertyName"]?.stringValue else { return nil }
            return (name, item["direction"]?.stringValue == "DESCENDING")
        }
    }

    static func ordered(_ a: HubSpotRecord, _ b: HubSpotRecord, by sorts: [(property: String, descending: Bool)]) -> Bool {
        for sort in sorts {
            let left = a.properties[sort.property] ?? ""
            let right = b.properties[sort.property] ?? ""
            let order = HubSpotFilterGroup.compare(left, right, property: sort.property)
            if order != .orderedSame { return sort.descending ? order == .orderedDescending : order == .orderedAscending }
        }
        return a.id < b.id
    }
}
