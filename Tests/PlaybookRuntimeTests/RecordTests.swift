import CEL
import Testing
@testable import PlaybookRuntime

@Suite struct RecordTests {
    @Test func aRecordLaidOutOnASchemaGivesItsValuesInSlotOrder() {
        let schema = CELRecordSchema(fieldNames: ["email", "score"])
        let record = Record(schema: schema, values: [.string("a@example.com"), nil])
        #expect(record.recordValues?.count == 2)
        #expect(record["email"]?.isEqual(to: .string("a@example.com")) == true)
        #expect(record["score"] == nil)
    }
}
