@testable import CEL
import Diagnostics
import Testing

@Suite struct RecordTests {
    let schema = CELRecordSchema(fieldNames: ["email", "score", "country"])
    let environment = CELEnvironment(variables: [
        "record": .object(name: "contact", fields: ["email": .string, "score": .int, "country": .string]),
    ])

    private func run(_ source: String, _ record: CELValue, layout: CELRecordSchema? = nil) throws -> CELValue {
        let checked = try #require(environment.check(source).checked)
        let program = environment.program(for: checked, recordLayouts: layout.map { ["record": $0] } ?? [:])
        return program.evaluate(["record": record])
    }

    @Test func aRecordIsAMapWithItsFieldsInSchemaOrder() {
        let record = CELMap(schema: schema, values: [.string("a@x.io"), nil, .string("PL")])
        #expect(record.count == 2)
        #expect(record.keys.map(\.typed) == [#"{"string":"email"}"#, #"{"string":"country"}"#])
        #expect(record["score"] == nil)
        #expect(record[.string("country")].map(\.typed) == #"{"string":"PL"}"#)
        #expect(CELValue.map(record).rendered == #"{"email": "a@x.io", "country": "PL"}"#)
        let sameAsMap = CELMap(["email": .string("a@x.io"), "country": .string("PL")])
        #expect(evaluate("a == b", ["a": .map(record), "b": .map(sameAsMap)]).typed == #"{"bool":true}"#)
    }

    @Test func fieldsAreReadFromSlotsWhenTheSchemaIsTheOnePlanned() throws {
        let record = CELValue.map(CELMap(schema: schema, values: [.string("a@x.io"), .int(91), .string("PL")]))
        #expect(try run("record.score >= 80 && record.country == 'PL'", record, layout: schema).typed == #"{"bool":true}"#)
        #expect(try run("record.email", record, layout: schema).typed == #"{"string":"a@x.io"}"#)
    }

    @Test func anotherSchemaWithTheSameFieldsAlsoReadsSlots() throws {
        let twin = CELRecordSchema(fieldNames: ["email", "score", "country"])
        let record = CELValue.map(CELMap(schema: twin, values: [.string("a@x.io"), .int(7), nil]))
        #expect(try run("record.score", record, layout: schema).typed == #"{"int":"7"}"#)
    }

    @Test func aSchemaExtendingThePlannedOneIsReadLikeIt() throws {
        let extended = CELRecordSchema(fieldNames: ["email", "score", "country", "tier"], prefixes: [schema])
        let record = CELValue.map(CELMap(schema: extended, values: [.string("a@x.io"), .int(91), .string("PL"), nil]))
        #expect(try run("record.score >= 80 && record.country == 'PL'", record, layout: schema).typed == #"{"bool":true}"#)
        #expect(try run("size(record)", record, layout: schema).typed == #"{"int":"3"}"#)
        let filled = CELValue.map(CELMap(schema: extended, values: [nil, .int(3), nil, .string("gold")]))
        #expect(try run("record.score", filled, layout: schema).typed == #"{"int":"3"}"#)
        #expect(try run("has(record.email)", filled, layout: schema).typed == #"{"bool":false}"#)
    }

    @Test func aRecordKnowsTheLayoutItIsOnByIdentity() {
        let record = CELMap(schema: schema, values: [.string("a@x.io"), nil, nil])
        #expect(record.isRecord(laidOutOn: schema))
        #expect(!record.isRecord(laidOutOn: CELRecordSchema(fieldNames: ["email", "score", "country"])))
        #expect(!CELMap(["email": .string("a@x.io")]).isRecord(laidOutOn: schema))
    }

    /// A program that only reads a field of the record skips the frame: its answers, errors and
    /// their places must be the ones the whole evaluation gives (`record.score + 0` takes that path).
    @Test func oneSlotIsReadOnlyFromARecordOnThatVeryLayout() {
        let record = CELMap(schema: schema, values: [.string("a@x.io"), nil, .string("PL")])
        #expect(record.value(inSlot: 2, ofRecordLaidOutOn: schema).map { $0.map(\.typed) } == .some(.some(#"{"string":"PL"}"#)))
        // The record lacks the field: an answer, that it is absent.
        #expect(record.value(inSlot: 1, ofRecordLaidOutOn: schema).map { $0 == nil } == true)
        // Another layout, even with the same fields, or a map that is no record: no answer.
        let sameFields = CELRecordSchema(fieldNames: ["email", "score", "country"])
        #expect(record.value(inSlot: 2, ofRecordLaidOutOn: sameFields) == nil)
        #expect(CELMap(["country": .string("PL")]).value(inSlot: 0, ofRecordLaidOutOn: schema) == nil)
    }

    @Test func aBareFieldReadAnswersAsTheWholeEvaluationDoes() throws {
        let records: [CELValue] = [
            .map(CELMap(schema: schema, values: [.string("a@x.io"), .int(91), nil])),
            .map(CELMap(schema: CELRecordSchema(fieldNames: ["score"]), values: [.int(7)])),
            .map(CELMap(["score": .int(5)])),
            .map(CELMap(schema: schema, values: [nil, nil, nil])),
            .map(CELMap()),
            .string("not a record"),
            .error(CELError("given as an error")),
        ]
        let checked = try #require(environment.check("record.score").checked)
        let whole = try #require(environment.check("record.score + 0").checked)
        let runVariables: CELActivation = ["other": .int(1)]
        let resolver: any CELVariableResolver = runVariables
        for layout in [schema, nil] {
            let bare = environment.program(for: checked, recordLayouts: layout.map { ["record": $0] } ?? [:])
            let full = environment.program(for: whole, recordLayouts: layout.map { ["record": $0] } ?? [:])
            for record in records {
                let expected = full.evaluate(record: record, in: resolver)
                for value in [bare.evaluate(record: record, in: resolver), bare.evaluate(record: record, in: runVariables)] {
                    #expect(value.typed == expected.typed, "\(record.rendered)")
                    if case .error(let error) = value, case .error(let wholeError) = expected, wholeError.message.hasPrefix("no such key") {
                        #expect(bare.sourceRange(of: error) == SourceRange(start: 0, end: 12), "the whole selection, as in the frame")
                    }
                }
            }
            // Bound under another name, the record is not what the program reads.
            #expect(bare.evaluate(record: records[0], named: "lead", in: resolver).isError)
        }
    }

    /// The record is read afresh, never from the cache the frame keeps for other variables: records
    /// evaluated one after another each give their own answer, beside a cached run variable.
    @Test func eachRecordIsReadAfreshBesideCachedVariables() throws {
        let environment = CELEnvironment(variables: [
            "record": .object(name: "contact", fields: ["email": .string, "score": .int, "country": .string]), "bonus": .int,
        ])
        let checked = try #require(environment.check("record.score + bonus + (record.country == 'PL' ? bonus : 0)").checked)
        let program = environment.program(for: checked, recordLayouts: ["record": schema])
        let runVariables: any CELVariableResolver = CELActivation(["bonus": .int(10)])
        let answers = [(91, "PL"), (5, "DE"), (40, "PL")].map { score, country in
            program.evaluate(record: .map(CELMap(schema: schema, values: [nil, .int(Int64(score)), .string(country)])), in: runVariables).typed
        }
        #expect(answers == [#"{"int":"111"}"#, #"{"int":"15"}"#, #"{"int":"60"}"#])
        #expect(program.evaluate(["record": .map(CELMap(["score": .int(1), "country": .string("PL")])), "bonus": .int(2)]).typed == #"{"int":"5"}"#)
    }

    @Test func aRecordLaidOutOtherwiseFallsBackToTheFieldName() throws {
        let other = CELRecordSchema(fieldNames: ["country", "score"])
        let record = CELValue.map(CELMap(schema: other, values: [.string("DE"), .int(12)]))
        #expect(try run("record.score * 2", record, layout: schema).typed == #"{"int":"24"}"#)
        let plain = CELValue.map(CELMap(["score": .int(5)]))
        #expect(try run("record.score", plain, layout: schema).typed == #"{"int":"5"}"#)
    }

    @Test func anAbsentFieldIsNotPresentAndSelectingItFails() throws {
        let record = CELValue.map(CELMap(schema: schema, values: [.string("a@x.io"), nil, nil]))
        #expect(try run("has(record.score)", record, layout: schema).typed == #"{"bool":false}"#)
        #expect(try run("has(record.email)", record, layout: schema).typed == #"{"bool":true}"#)
        guard case .error(let error) = try run("record.score", record, layout: schema) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message == "no such key: 'score'")
        #expect(try run("record.score", record).isError)
    }

    @Test func iterationSkipsAbsentFieldsAndFunctionsSeeAMap() {
        let record = CELValue.map(CELMap(schema: schema, values: [.string("a@x.io"), nil, .string("PL")]))
        #expect(evaluate("r.map(k, k)", ["r": record]).rendered == #"["email", "country"]"#)
        #expect(evaluate("size(r)", ["r": record]).typed == #"{"int":"2"}"#)
        #expect(evaluate("r.exists(k, k == 'score')", ["r": record]).typed == #"{"bool":false}"#)
    }

    @Test func insertingIntoARecordMakesAnOrdinaryMap() throws {
        var map = CELMap(schema: schema, values: [.string("a@x.io"), nil, nil])
        try map.insert(.string("extra"), .int(1))
        #expect(map.schema == nil)
        #expect(map.keys.map(\.typed) == [#"{"string":"email"}"#, #"{"string":"extra"}"#])
    }

    @Test func aRecordHandedOutKeepsItsValuesWhileItsBuilderGoesOn() {
        var builder = CELRecordBuilder(schema: schema)
        builder[0] = .string("a@x.io")
        let first = builder.record()
        builder[1] = .int(1)
        builder[0] = .string("b@x.io")
        let second = builder.record()
        builder[2] = .string("PL")
        #expect(CELValue.map(first).rendered == #"{"email": "a@x.io"}"#)
        #expect(CELValue.map(second).rendered == #"{"email": "b@x.io", "score": 1}"#)
        #expect(CELValue.map(builder.record()).rendered == #"{"email": "b@x.io", "score": 1, "country": "PL"}"#)
    }

    @Test func layingARecordOutAgainLeavesTheRecordsAlreadyMadeOnTheirLayout() {
        let other = CELRecordSchema(fieldNames: schema.fieldNames)
        var builder = CELRecordBuilder(schema: schema)
        builder[0] = .string("a@x.io")
        let onSchema = builder.record()
        let onOther = builder.record(laidOutOn: other)
        #expect(onSchema.isRecord(laidOutOn: schema))
        #expect(onOther.isRecord(laidOutOn: other))
        #expect(!onOther.isRecord(laidOutOn: schema))
        #expect(CELValue.map(onOther).rendered == #"{"email": "a@x.io"}"#)
    }

    @Test func aRecordStartedFromAnotherHasItsValuesThenAbsentFields() {
        let longer = CELRecordSchema(fieldNames: schema.fieldNames + ["score_band"])
        let source = CELMap(schema: schema, values: [.string("a@x.io"), nil, .string("PL")])
        var builder = CELRecordBuilder(schema: longer, startingWith: source.recordValues!)
        #expect(builder.count == 4)
        #expect(builder[3] == nil)
        builder[3] = .string("hot")
        #expect(CELValue.map(builder.record()).rendered == #"{"email": "a@x.io", "country": "PL", "score_band": "hot"}"#)
        #expect(CELValue.map(source).rendered == #"{"email": "a@x.io", "country": "PL"}"#)
        #expect(Array(source.recordValues!).map { $0?.rendered } == ["a@x.io", nil, "PL"])
    }

    @Test func aRecordFreesTheValuesItHolds() {
        // A record nested in another is freed with it, and so is a record several hold until the
        // last lets it go.
        weak var inner: RecordStorage?
        do {
            var nested = CELRecordBuilder(schema: schema)
            nested[0] = .string("a@x.io")
            let nestedRecord = nested.record()
            inner = nestedRecord.recordValues?.storage
            var outer = CELRecordBuilder(schema: schema)
            outer[2] = .map(nestedRecord)
            let copy = outer.record()
            outer[1] = .int(2)
            #expect(inner != nil)
            #expect(copy.count == 1)
        }
        #expect(inner == nil)
    }
}
