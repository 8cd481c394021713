import Diagnostics

/// The JSON Schema (draft 2020-12) of connector spec files, generated from the format's key tables,
/// so it accepts exactly the keys the loader does. `playbook schema --connector` prints it.
public enum ConnectorSpecSchema {
    public static let schemaID = "urn:playbook:schema:connector-spec-v1"

    /// The whole schema.
    public static func schema() -> JSONValue {
        guard case .object(var members) = objectSchema(ConnectorSpecFormat.connector) else { return .null }
        members.insert(("$schema", .string("https://json-schema.org/draft/2020-12/schema")), at: 0)
        members.insert(("$id", .string(schemaID)), at: 1)
        members.insert(("title", .string("Playbook connector spec")), at: 2)
        members.append(("$defs", .object([("field", objectSchema(ConnectorSpecFormat.field))])))
        return .object(members)
    }

    /// The schema as printed by `playbook schema --connector`.
    public static func text() -> String { schema().serialized() + "\n" }

    /// The keys a spec file may have at its top level, in the order the format lists them.
    public static var topLevelKeys: [String] { ConnectorSpecFormat.connector.keyNames }

    private static func objectSchema(_ object: SpecObject) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("object"))]
        members.append(("properties", .object(object.keys.map { key in
            (key.name, withDescription(schema(of: key.shape), key.summary))
        })))
        let required = object.keys.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { members.append(("required", .array(required))) }
        members.append(("additionalProperties", .bool(false)))
        return .object(members)
    }

    private static func withDescription(_ schema: JSONValue, _ description: String) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        members.insert(("description", .string(description)), at: 0)
        return .object(members)
    }

    private static func schema(of shape: SpecShape) -> JSONValue {
        switch shape {
        case .text:
            // YAML editors type plain scalars by YAML 1.2 rules; the loader reads `2.0.0` or `1` as text.
            return .object([("type", .array([.string("string"), .string("number"), .string("boolean")]))])
        case .choice(let words):
            return .object([("enum", .array(words.map(JSONValue.string)))])
        case .integer:
            return .object([("type", .string("integer"))])
        case .boolean:
            return .object([("type", .string("boolean"))])
        case .list(let element):
            return .object([("type", .string("array")), ("items", schema(of: element))])
        case .object(let object):
            return objectSchema(object)
        case .dictionary(let value):
            return .object([("type", .string("object")), ("additionalProperties", schema(of: value))])
        case .variant(let variants, let bare):
            var choices: [JSONValue] = variants.map { variant in
                .object([
                    ("type", .string("object")),
                    ("properties", .object([(variant.name, schema(of: variant.shape))])),
                    ("required", .array([.string(variant.name)])),
                    ("additionalProperties", .bool(false)),
                ])
            }
            if !bare.isEmpty { choices.append(.object([("enum", .array(bare.map(JSONValue.string)))])) }
            return .object([("oneOf", .array(choices))])
        case .anything:
            return .object([])
        case .fields:
            return .object([("type", .string("array")), ("items", .object([("$ref", .string("#/$defs/field"))]))])
        }
    }
}
