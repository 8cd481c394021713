import Diagnostics

/// Generates the JSON Schema (draft 2020-12) of playbook files from the grammar's field tables.
///
/// Editors use it for completion and inline checks. It is looser than `playbook validate` in one way:
/// YAML editors type plain scalars by YAML 1.2 rules, so text fields also accept numbers and booleans
/// there, exactly as the validator reads `list: 12345` as the text "12345".
public enum JSONSchemaGenerator {
    /// A URN rather than a web address: the schema ships with the tool (`playbook schema`).
    public static let schemaID = "urn:playbook:schema:playbook-v1"

    /// The whole schema, as `playbook schema` prints it.
    public static func schema() -> JSONValue {
        schema(of: Grammar.playbook, id: schemaID, title: "Playbook v1")
    }

    /// The schema of files whose top-level mapping is `root`, such as playbook test files.
    public static func schema(of root: ObjectShape, id: String, title: String) -> JSONValue {
        var definitions: [(String, JSONValue)] = []
        var defined = Set<String>()
        let rootSchema = objectSchema(root, definitions: &definitions, defined: &defined)
        guard case .object(var members) = rootSchema else { return rootSchema }
        members.insert(("$schema", .string("https://json-schema.org/draft/2020-12/schema")), at: 0)
        members.insert(("$id", .string(id)), at: 1)
        members.insert(("title", .string(title)), at: 2)
        members.append(("$defs", .object(definitions.sorted { $0.0 < $1.0 })))
        return .object(members)
    }

    /// The schema as printed by `playbook schema`.
    public static func text() -> String { schema().serialized() + "\n" }

    static func definitionName(_ object: ObjectShape) -> String {
        object.title.split(separator: " ").enumerated().map { index, word in
            index == 0 ? String(word) : word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
    }

    private static func objectSchema(_ object: ObjectShape, definitions: inout [(String, JSONValue)], defined: inout Set<String>) -> JSONValue {
        var properties: [(String, JSONValue)] = []
        for field in object.fields {
            var schema = shapeSchema(field.shape, definitions: &definitions, defined: &defined)
            schema = withDescription(schema, field.summary)
            properties.append((field.name, schema))
        }
        var members: [(String, JSONValue)] = [
            ("type", .string("object")),
            ("description", .string(object.summary)),
            ("properties", .object(properties)),
        ]
        let required = object.fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { members.append(("required", .array(required))) }
        members.append(("additionalProperties", .bool(false)))
        var constraints: [JSONValue] = []
        var dependent: [(String, JSONValue)] = []
        for rule in object.rules {
            switch rule {
            case .exactlyOne(let names):
                constraints.append(.object([("oneOf", .array(names.map { .object([("required", .array([.string($0)]))]) }))]))
            case .atMostOne(let names):
                constraints.append(.object([("not", .object([("required", .array(names.map(JSONValue.string)))]))]))
            case .requires(let name, let others):
                dependent.append((name, .array(others.map(JSONValue.string))))
            }
        }
        if !dependent.isEmpty { members.append(("dependentRequired", .object(dependent))) }
        if constraints.count == 1, case .object(let only) = constraints[0] {
            members += only
        } else if !constraints.isEmpty {
            members.append(("allOf", .array(constraints)))
        }
        return .object(members)
    }

    private static func reference(_ object: ObjectShape, definitions: inout [(String, JSONValue)], defined: inout Set<String>) -> JSONValue {
        let name = definitionName(object)
        if !defined.contains(name) {
            defined.insert(name)
            let schema = objectSchema(object, definitions: &definitions, defined: &defined)
            definitions.append((name, schema))
        }
        return .object([("$ref", .string("#/$defs/\(name)"))])
    }

    private static let scalarTypes: JSONValue = .array([.string("string"), .string("number"), .string("boolean")])

    static func shapeSchema(_ shape: Shape, definitions: inout [(String, JSONValue)], defined: inout Set<String>) -> JSONValue {
        switch shape {
        case .text(let format):
            if let pattern = format.pattern {
                return .object([("type", .string("string")), ("pattern", .string(pattern))])
            }
            return .object([("type", scalarTypes)])
        case .integer(let minimum, let maximum):
            var members: [(String, JSONValue)] = [("type", .string("integer"))]
            if let minimum { members.append(("minimum", .int(minimum))) }
            if let maximum { members.append(("maximum", .int(maximum))) }
            return .object(members)
        case .number(let minimum):
            var members: [(String, JSONValue)] = [("type", .string("number"))]
            if let minimum { members.append(("minimum", .double(minimum))) }
            return .object(members)
        case .boolean:
            return .object([("type", .string("boolean"))])
        case .choice(let words):
            return .object([("enum", .array(words.map(JSONValue.string)))])
        case .duration:
            return .object([("type", .string("string")), ("pattern", .string(LiteralChecks.durationPattern))])
        case .rateLimit:
            return .object([("type", .string("string")), ("pattern", .string(LiteralChecks.rateLimitPattern))])
        case .cron:
            return .object([("type", .string("string")), ("examples", .array([.string("0 9 * * MON-FRI"), .string("*/15 * * * *"), .string("@daily")]))])
        case .timeZone:
            return .object([("type", .string("string")), ("examples", .array([.string("UTC"), .string("Europe/Warsaw"), .string("America/New_York")]))])
        case .expression, .template:
            return .object([("type", scalarTypes)])
        case .secretReference:
            return .object([
                ("type", .string("object")),
                ("properties", .object([("secret", .object([("type", .string("string")), ("pattern", .string(TextFormat.secretName.pattern!))]))])),
                ("required", .array([.string("secret")])),
                ("additionalProperties", .bool(false)),
            ])
        case .scalarValue:
            return .object([("type", .array([.string("string"), .string("number"), .string("boolean"), .string("null")]))])
        case .anything:
            return .object([])
        case .list(let element, let minimumCount):
            var members: [(String, JSONValue)] = [
                ("type", .string("array")),
                ("items", shapeSchema(element, definitions: &definitions, defined: &defined)),
            ]
            if minimumCount > 0 { members.append(("minItems", .int(minimumCount))) }
            return .object(members)
        case .oneOrMany(let element):
            let single = shapeSchema(element, definitions: &definitions, defined: &defined)
            return .object([("anyOf", .array([
                single,
                .object([("type", .string("array")), ("items", single), ("minItems", .int(1))]),
            ]))])
        case .dictionary(let key, let value):
            var members: [(String, JSONValue)] = [("type", .string("object"))]
            if let pattern = key.pattern { members.append(("propertyNames", .object([("pattern", .string(pattern))]))) }
            members.append(("additionalProperties", shapeSchema(value, definitions: &definitions, defined: &defined)))
            return .object(members)
        case .object(let object):
            return reference(object, definitions: &definitions, defined: &defined)
        case .alternatives(let shapes):
            return .object([("anyOf", .array(shapes.map { shapeSchema($0, definitions: &definitions, defined: &defined) }))])
        }
    }

    private static func withDescription(_ schema: JSONValue, _ description: String) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        if members.first?.0 == "$ref" {
            // Keywords beside $ref are allowed in draft 2020-12.
            members.append(("description", .string(description)))
        } else {
            members.insert(("description", .string(description)), at: 0)
        }
        return .object(members)
    }
}
