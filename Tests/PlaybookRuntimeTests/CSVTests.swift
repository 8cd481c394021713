import CEL
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

@Suite struct CSVTests {
    let folder = ScratchFolder()

    func read(
        _ text: String, csv: CSVOptions = CSVOptions(), fields: [(name: String, type: ValueType)]? = nil, chunkSize: Int = 1 << 20
    ) throws -> [String] {
        try readAll(folder.file("in.csv", text), format: .csv, csv: csv, fields: fields, chunkSize: chunkSize).map(\.summary)
    }

    @Test func theHeaderNamesTheColumnsAndEveryValueIsAString() throws {
        #expect(try read("email,score,vip\na@x.com,91,true\n") == [#"2: {"email":"a@x.com","score":"91","vip":"true"}"#])
    }

    @Test func quotedValuesHoldDelimitersQuotesAndLineEnds() throws {
        let text = "name,note\n\"Smith, Ann\",\"says \"\"hi\"\"\"\n\"multi\nline\",\"cr\rcrlf\r\nend\"\nlast,\"\"\n"
        let got = try read(text)
        #expect(got == [
            #"2: {"name":"Smith, Ann","note":"says \"hi\""}"#,
            #"3: {"name":"multi\nline","note":"cr\rcrlf\r\nend"}"#,
            #"7: {"name":"last","note":""}"#,
        ])
    }

    @Test func rowsEndWithLFOrCRLFAndAByteOrderMarkIsSkipped() throws {
        #expect(try read("\u{FEFF}a,b\r\n1,2\r\n3,4\n5,6") == [#"2: {"a":"1","b":"2"}"#, #"3: {"a":"3","b":"4"}"#, #"4: {"a":"5","b":"6"}"#])
    }

    @Test func aTrailingEmptyLineIsNotARecordAndBlankLinesAreSkipped() throws {
        #expect(try read("a\n1\n\n2\n\n") == [#"2: {"a":"1"}"#, #"4: {"a":"2"}"#])
    }

    @Test func anotherDelimiter() throws {
        #expect(try read("a;b\n\"1;2\";3,4\n", csv: CSVOptions(delimiter: UInt8(ascii: ";"))) == [#"2: {"a":"1;2","b":"3,4"}"#])
        #expect(try read("a\tb\n1\t2\n", csv: CSVOptions(delimiter: 0x09)) == [#"2: {"a":"1","b":"2"}"#])
    }

    @Test func withoutAHeaderColumnsAreNumbered() throws {
        #expect(try read("x,y\n1,2\n", csv: CSVOptions(header: false)) == [#"1: {"column_1":"x","column_2":"y"}"#, #"2: {"column_1":"1","column_2":"2"}"#])
    }

    @Test func withoutAHeaderDeclaredFieldsTakeTheColumnsInOrder() throws {
        let fields: [(name: String, type: ValueType)] = [("email", .string), ("score", .int)]
        #expect(try read("a@x.com,7,extra\n", csv: CSVOptions(header: false), fields: fields) == [#"1: {"email":"a@x.com","score":7}"#])
    }

    @Test(arguments: [
        ("a,b\n1,2,3\n4,5\n", ["2! 3 values but the header has 2 columns", #"3: {"a":"4","b":"5"}"#]),
        ("a,b\n1\n", ["2! 1 value but the header has 2 columns"]),
        ("a,b\n\"1,2\n", ["2! a quoted value is not closed before the end of the file"]),
        ("a,b\n1,x\"y\n3,4\n", ["2! a quote inside a value that does not start with one, at column 4", #"3: {"a":"3","b":"4"}"#]),
        ("a,b\n\"1\"x,2\n3,4\n", ["2! text after the closing quote of a value, at column 4", #"3: {"a":"3","b":"4"}"#]),
        ("a,b\n\"x\ny\"z,1\n3,4\n", ["2! text after the closing quote of a value, at column 6", #"4: {"a":"3","b":"4"}"#]),
    ])
    func brokenRowsAreInvalidAndReadingGoesOn(text: String, expected: [String]) throws {
        let got = try read(text)
        #expect(got == expected)
    }

    @Test func withoutAHeaderTheFirstRowSetsTheNumberOfColumns() throws {
        #expect(try read("1,2\n3\n", csv: CSVOptions(header: false)) == [#"1: {"column_1":"1","column_2":"2"}"#, "2! 1 value but the first row has 2"])
    }

    @Test func lineNumbersArePhysicalLinesWhereRowsStart() throws {
        let text = "a,b\n\"1\n2\n3\",x\r\n\"4\r5\",y\n6,z\n"
        #expect(try read(text).map { $0.prefix(2) } == ["2:", "5:", "7:"])
    }

    @Test func invalidUTF8MakesTheRowInvalid() throws {
        let bytes = Array("a,b\nx".utf8) + [0xFF] + Array(",2\n3,4\n".utf8)
        #expect(try readAll(folder.file("in.csv", bytes), format: .csv).map(\.summary) == ["2! invalid UTF-8 at column 2", #"3: {"a":"3","b":"4"}"#])
    }

    @Test(arguments: [
        ("a,,b\n", FileAccessError.Problem.emptyColumnName(position: 2)),
        ("a,b,a\n", .repeatedColumnName("a")),
        ("a,\"b\n", .unreadableHeader("a quoted value is not closed before the end of the file")),
    ])
    func anUnusableHeaderIsAnErrorOfTheFile(text: String, problem: FileAccessError.Problem) throws {
        let path = folder.file("in.csv", text)
        #expect {
            _ = try RecordFileReader(path: path, format: .csv, fields: nil, schema: nil)
        } throws: { error in
            (error as? FileAccessError)?.problem == problem
        }
    }

    @Test func rowsAcrossChunkBoundariesReadAsInOneChunk() throws {
        var text = "\u{FEFF}id,name,note\r\n"
        for index in 0..<150 {
            text += "\(index),\"Smith, \(index) é\",\"line\r\nbreak \"\"q\"\"\"" + (index % 2 == 0 ? "\r\n" : "\n")
            if index % 13 == 0 { text += "bad\"row,1,2\n\n" }
        }
        let whole = try read(text)
        #expect(whole.count == 150 + 12)
        for chunkSize in [1, 2, 3, 5, 64, 501] {
            #expect(try read(text, chunkSize: chunkSize) == whole, "chunk \(chunkSize)")
        }
    }
}
