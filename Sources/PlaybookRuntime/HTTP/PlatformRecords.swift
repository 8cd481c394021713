import CEL
import Diagnostics
import PlaybookLanguage

/// Records to and from the platform's shape: each record field sits at its path in the platform's
/// item (`first_name` at `properties.firstname`), and platform values are read by the field's type
/// (HubSpot writes numbers as text, Meta metrics too, some dates are epoch milliseconds).
struct PlatformRecords {
    let resource: ResourceDescriptor
    let http: ResourceHTTP
    /// The fetch step's layout, when its records have known fields.
    let layout: CELRecordSchema?
    /// The programs of `http.fieldExpressions`, compiled once (the spec's loader checked them).
    private let computed: [String: CELProgram]
    /// The read's parameters (defaults filled), which computed fields may use as `params`.
    private let params: CELValue
    /// The types of the fields the read's parameters name (GA4 dimensions and metrics), as the
    /// checker typed them.
    private let requestedTypes: [String: ValueType]
    /// The fields the platform sets itself, looked up for every field of every record written.
    private let readOnlyFields: Set<String>
    /// Those of them stored inside a map of the platform's properties (HubSpot `properties.…`), with
    /// their paths split once rather than for every record written.
    private let nestedReadOnlyPaths: [(field: String, steps: [String])]

    init(resource: ResourceDescriptor, http: ResourceHTTP, layout: CELRecordSchema?, params: [(name: String, value: JSONValue)] = []) {
        self.resource = resource
        self.http = http
        self.layout = layout
        let environment = CELEnvironment(variables: ["item": .dyn, "params": .dyn, "lookups": .dyn])
        computed = http.fieldExpressions.compactMapValues { environment.compile($0).program }
        var values: [String: CELValue] = [:]
        for parameter in resource.parameters {
            guard let written = parameter.defaultValue else { continue }
            let json: JSONValue = parameter.type == .string ? .string(written) : ((try? JSONValue(parsing: written)) ?? Self.yamlList(written) ?? .string(written))
            values[parameter.name] = Self.cel(json)
        }
        for parameter in params { values[parameter.name] = Self.cel(parameter.value) }
        self.params = .map(CELMap(values))
        var requestedTypes: [String: ValueType] = [:]
        if case .object(let fields)? = resource.requestedRecordType(params: params) {
            for field in fields { requestedTypes[field.name] = field.type }
        }
        self.requestedTypes = requestedTypes
        readOnlyFields = Set(resource.readOnlyFields)
        nestedReadOnlyPaths = resource.readOnlyFields.compactMap { name in
            guard let path = http.fieldPaths[name], path.contains(".") else { return nil }
            return (name, path.split(separator: ".").map(String.init))
        }
    }

    /// A YAML flow list of plain words (`[offsite_conversion.fb_pixel_purchase]`), as defaults are written.
    private static func yamlList(_ text: String) -> JSONValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else { return nil }
        let items = trimmed.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return .array(items.map { .string($0) })
    }

    /// The record an item of the platform's answer holds; throws a reason when a field's value
    /// does not fit its type. `lookups` are the answers of the resource's item lookups for this item.
    func record(from item: JSONValue, lookups: CELValue = .map(CELMap())) throws(RecordShapeProblem) -> Record {
        let names = layout?.fieldNames ?? resource.fields.map(\.name)
        var values: [CELValue?] = []
        values.reserveCapacity(names.count)
        var itemValue: CELValue?
        for name in names {
            if let program = computed[name] {
                if itemValue == nil { itemValue = Self.cel(item) }
                let value = program.evaluate(["item": itemValue!, "params": params, "lookups": lookups])
                // A computed field whose inputs are missing is absent, as a missing field is.
                if case .error = value { values.append(nil); continue }
                let type = resource.field(named: name)?.type ?? .dyn
                // A format reads the computed value as it reads a platform's (name and value pairs into a map).
                if let format = http.fieldFormats[name], let read = Self.value(value.plainJSON, as: type, format: format) {
                    values.append(read)
                    continue
                }
                values.append(FieldConversion.json(value, as: type) ?? value)
                continue
            }
            let path = http.fieldPaths[name] ?? name
            // A field with no path of its own is placed by the write's item template, not read.
            if path.isEmpty {
                values.append(nil)
                continue
            }
            // A platform's null is a value it does not have (HubSpot sends null for an unset
            // property), so the field is absent: `has()` is false for it.
            guard let raw = JSONPath.value(at: path, in: item), raw != .null else {
                values.append(nil)
                continue
            }
            let type = resource.field(named: name)?.type ?? requestedTypes[name] ?? .dyn
            guard let value = Self.value(raw, as: type, format: http.fieldFormats[name] ?? .plain) else {
                throw RecordShapeProblem(field: name, path: path, expected: type, value: LineProblem.cut(raw.text))
            }
            values.append(value)
        }
        if let layout { return Record(schema: layout, values: values) }
        var map = CELMap()
        for (name, value) in zip(names, values) {
            if let value { try? map.insert(.string(name), value) }
        }
        return map
    }

    /// The platform's item for a record: each field at its path. Fields the platform sets itself
    /// (read-only in the spec) are left out, as a record read from the same platform carries them,
    /// except `keeping`, the field the write matches on, which some writes send in the item.
    func item(from record: Record, keeping matchField: String? = nil) -> JSONValue {
        var item = JSONValue.object([])
        for (key, value) in record {
            guard case .string(let name) = key else { continue }
            if readOnlyFields.contains(name), name != matchField { continue }
            let path = http.fieldPaths[name] ?? name
            // A field whose path is empty is not one of the item's members: the item template places it.
            guard !path.isEmpty else { continue }
            item = Self.merging(value.plainJSON, at: path, in: item)
        }
        // A map of the platform's own properties read with the record (HubSpot `properties`) holds
        // the read-only ones too, under their platform names.
        for (name, steps) in nestedReadOnlyPaths where name != matchField {
            item = Self.removing(steps[...], from: item)
        }
        return item
    }

    private static func removing(_ steps: ArraySlice<String>, from value: JSONValue) -> JSONValue {
        guard let first = steps.first, case .object(var members) = value, let index = members.firstIndex(where: { $0.0 == first }) else {
            return value
        }
        if steps.count == 1 {
            members.remove(at: index)
        } else {
            members[index].1 = removing(steps.dropFirst(), from: members[index].1)
        }
        return .object(members)
    }

    /// Sets a value at a path; an object set where one already is adds its members to it, so that
    /// HubSpot's `properties` map and the fields stored inside it (`email` at `properties.email`)
    /// make one `properties`, in whichever order the record holds them.
    private static func merging(_ value: JSONValue, at path: String, in item: JSONValue) -> JSONValue {
        guard case .object(let members) = value, case .object(let existing)? = JSONPath.value(at: path, in: item) else {
            return JSONPath.setting(value, at: path, in: item)
        }
        var merged = existing
        for (name, member) in members {
            if let index = merged.firstIndex(where: { $0.0 == name }) { merged[index].1 = member } else { merged.append((name, member)) }
        }
        return JSONPath.setting(.object(merged), at: path, in: item)
    }

    /// Rows of columns made into items: each value under its column's name in snake_case.
    static func items(fromRows rows: [JSONValue], columns: HTTPColumns, answer: JSONValue) -> [JSONValue] {
        let names: [[String]] = columns.headers.map { path in
            guard case .array(let headers)? = JSONPath.value(at: path, in: answer) else { return [] }
            return headers.map { JSONPath.text(JSONPath.value(at: columns.name, in: $0)).map(snakeCase) ?? "" }
        }
        return rows.map { row in
            var members: [(String, JSONValue)] = []
            for (group, path) in columns.values.enumerated() where group < names.count {
                guard case .array(let values)? = JSONPath.value(at: path, in: row) else { continue }
                for (index, value) in values.enumerated() where index < names[group].count {
                    members.append((names[group][index], JSONPath.value(at: columns.value, in: value) ?? .null))
                }
            }
            return .object(members)
        }
    }

    /// `sessionSource` as `session_source`, `customEvent:plan_type` as `custom_event_plan_type`.
    static func snakeCase(_ name: String) -> String { FieldName.snakeCase(name) }

    /// The platform's name of a field: the last step of its path.
    func platformName(of field: String) -> String {
        let path = http.fieldPaths[field] ?? field
        return path.split(separator: ".").last.map(String.init) ?? path
    }

    /// A platform value as `type`, read leniently as platforms write them.
    static func value(_ raw: JSONValue, as type: ValueType, format: HTTPFieldFormat) -> CELValue? {
        if case .null = raw { return .null }
        switch (type, format, raw) {
        case (.timestamp, .epochMilliseconds, _), (.timestamp, .epochSeconds, _):
            let number: Int64? = switch raw {
            case .int(let value): value
            case .double(let value): Int64(exactly: value.rounded())
            case .string(let text): Int64(text)
            default: nil
            }
            guard let number else { return nil }
            let nanos = Int128(number) * (format == .epochMilliseconds ? 1_000_000 : 1_000_000_000)
            return .timestamp(CELTimestamp(nanos: nanos))
        case (.map(let valueType), .pairs, .array(let elements)):
            var map = CELMap()
            for element in elements {
                guard let key = ["action_type", "name", "key", "type"].lazy.compactMap({ JSONPath.text(element[$0]) }).first else { return nil }
                var raw = element["value"]
                if raw == nil, case .array(let values)? = element["values"] { raw = values.first }
                guard let raw, let value = Self.value(raw, as: valueType, format: .plain) else { return nil }
                try? map.insert(.string(key), value)
            }
            return .map(map)
        case (_, .micros, _):
            let number: Double? = switch raw {
            case .int(let value): Double(value)
            case .double(let value): value
            case .string(let text): FieldConversion.isDecimalNumber(text) ? Double(text) : nil
            default: nil
            }
            return number.map { .double($0 / 1_000_000) }
        case (.timestamp, .date, .string(let text)):
            return CELTimestamp(rfc3339: text + "T00:00:00Z").map(CELValue.timestamp)
        case (.int, _, .string(let text)):
            if let number = Int64(text) { return .int(number) }
            return Double(text).flatMap { Int64(exactly: $0) }.map(CELValue.int)
        case (.double, _, .string(let text)):
            return FieldConversion.isDecimalNumber(text) ? Double(text).map(CELValue.double) : nil
        case (.bool, _, .string(let text)):
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case (.string, _, .int(let number)):
            return .string(String(number))
        case (.string, _, .double(let number)):
            return .string(JSONText.doubleText(number))
        case (.timestamp, _, .string(let text)):
            // Platforms write RFC 3339 with or without a zone designator, and some write only a date.
            if let stamp = CELTimestamp(rfc3339: text) { return .timestamp(stamp) }
            if text.count == 10, let stamp = CELTimestamp(rfc3339: text + "T00:00:00Z") { return .timestamp(stamp) }
            if !text.hasSuffix("Z"), !text.contains("+"), let stamp = CELTimestamp(rfc3339: text + "Z") { return .timestamp(stamp) }
            // Salesforce and Meta write the offset without its colon: `+0000`.
            let scalars = Array(text.utf8)
            if scalars.count > 5, scalars[scalars.count - 5] == UInt8(ascii: "+") || scalars[scalars.count - 5] == UInt8(ascii: "-"),
               scalars.suffix(4).allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                let withColon = String(text.dropLast(2)) + ":" + String(text.suffix(2))
                return CELTimestamp(rfc3339: withColon).map(CELValue.timestamp)
            }
            return nil
        default:
            return FieldConversion.json(cel(raw), as: type)
        }
    }

    /// A JSON value as the CEL value of the same shape.
    static func cel(_ json: JSONValue) -> CELValue {
        switch json {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let elements): .list(elements.map(cel))
        case .object(let members):
            .map(CELMap(Dictionary(members.map { ($0.0, cel($0.1)) }, uniquingKeysWith: { first, _ in first })))
        }
    }
}

/// An item whose field does not fit the field's type.
struct RecordShapeProblem: Error, CustomStringConvertible {
    var field: String
    var path: String
    var expected: ValueType
    var value: String

    var description: String {
        "the field \(field) (`\(path)`) should be \(expected) but the platform sent \(value)"
    }
}
