import CEL
import Testing

/// `typeCheck` types plain paths without parsing them; it must answer exactly as `check` does.
struct TypeCheckTests {
    static let record: CELType = .object(name: "record", fields: [
        "email": .string, "score": .int, "active": .bool, "in": .string,
        "address": .object(name: "address", fields: ["city": .string]),
        "tags": .list(.string), "extra": .map(.string, .int), "payload": .dyn,
        "maybe": .optional(.string), "loose": .map(.dyn, .int),
    ])
    static let variables: [String: CELType] = [
        "record": record, "params": .object(name: "params", fields: ["min_score": .int]),
        "now": .timestamp, "payload": .dyn, "int": .string,
    ]

    static let expressions = [
        "record.email", "  record.email\n", "record.score", "record.address.city", "record.address",
        "record.extra.clicks", "record.payload.anything.deeper", "record.payload.x", "payload.x", "record.loose.x", "record.maybe.x",
        "record.in", "record.scroe", "record.address.zip", "record.email.length", "record.tags.first",
        "params.min_score", "params", "payload.x.y", "now", "now.seconds", "int", "int.x",
        "recrod.email", "true", "null.x", "in.x", "google.protobuf", "record . email", "record.email // note",
        "record.", ".record.email", "record..email", "record.email2", "record.9", "récord.email",
        "record.email == \"a\"", "record.`in`", "",
    ]

    static func same(_ source: String, in environment: CELEnvironment) -> Bool {
        let fast = environment.typeCheck(source)
        let full = environment.check(source)
        return fast.diagnostics == full.diagnostics && fast.resultType == full.resultType
    }

    @Test(arguments: [nil, CELType.bool, CELType.string, CELType.int])
    func pathsGetTheCheckersAnswer(expected: CELType?) {
        let environment = CELEnvironment(variables: Self.variables, expectedResultType: expected)
        for source in Self.expressions {
            #expect(Self.same(source, in: environment), "\(source)")
        }
    }

    @Test func dottedVariablesAndUncheckedEnvironmentsAgree() {
        var dotted = Self.variables
        dotted["record.address"] = .string
        for environment in [CELEnvironment(variables: dotted), CELEnvironment(variables: Self.variables, checksTypes: false)] {
            for source in Self.expressions {
                #expect(Self.same(source, in: environment), "\(source)")
            }
        }
    }

    /// Every expression of the conformance suite, with its bindings typed and as `dyn`.
    @Test(.enabled(if: SharedConformance.celSuiteIsPresent, SharedConformance.celSuiteIsMissing))
    func conformanceExpressionsAgree() throws {
        var disagreements: [String] = []
        for testCase in try ConformanceTests.loadCases() {
            for typed in [false, true] {
                let environment = CELEnvironment(
                    variables: testCase.bindings.mapValues { typed ? ConformanceTests.inferredType($0) : .dyn },
                    checksTypes: !testCase.disableCheck)
                if !Self.same(testCase.expr, in: environment) { disagreements.append(testCase.id) }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    @Test func aPlainPathIsTyped() {
        let environment = CELEnvironment(variables: Self.variables)
        #expect(environment.typeCheck("record.address.city").resultType == .string)
        #expect(environment.typeCheck("record.scroe").diagnostics.map(\.message) == ["unknown field 'scroe' on record"])
    }
}
