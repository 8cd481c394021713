import CEL
import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

/// Arbitrary bytes never crash the readers: every line becomes a record or an invalid line, with
/// line numbers that only grow.
@Suite struct FileReaderRobustnessTests {
    let folder = ScratchFolder()

    static let jsonLines = Array((#"{"id": 1, "name": "Ann \"A\" é", "tags": ["x", {"y": [1.5e3, null, true]}], "u": "\ud83d\ude00"}"# + "\r\n\n" + #"{"id": 2}"# + "\n").utf8)
    static let csv = Array("\u{FEFF}id,name,note\r\n1,\"Smith, A\",\"multi\nline \"\"q\"\"\"\n2,B,\r\n".utf8)

    func readEverything(_ bytes: [UInt8], format: FileFormat, fields: [(name: String, type: ValueType)]?, chunkSize: Int) {
        let path = folder.file("fuzz." + format.rawValue, bytes)
        do {
            let outcomes = try readAll(path, format: format, fields: fields, chunkSize: chunkSize, lineLimit: 200)
            var lastLine = 0
            for outcome in outcomes {
                let line: Int
                switch outcome {
                case .record(_, let number): line = number
                case .invalid(let number, let reason, let text):
                    line = number
                    #expect(!reason.isEmpty)
                    #expect(text.utf8.count <= 1030)
                }
                #expect(line > lastLine)
                lastLine = line
            }
        } catch {
            // Only CSV headers are errors of the whole file.
            #expect(format == .csv)
        }
    }

    @Test(arguments: [FileFormat.jsonl, .csv])
    func randomBytesAndMutationsOfValidFiles(format: FileFormat) {
        var generator = SystemRandomNumberGenerator()
        let valid = format == .jsonl ? Self.jsonLines : Self.csv
        let alphabet = Array("{}[]\",:\\\r\n 0123456789.eE-+tfnul;\u{FF}".utf8) + [0xC3, 0xA9, 0xED, 0xA0, 0x80]
        let fields: [(name: String, type: ValueType)] = [("id", .int), ("name", .string), ("tags", .list(.dyn)), ("note", .double)]
        for round in 0..<300 {
            var bytes = valid
            switch round % 3 {
            case 0:
                bytes = Array(valid.prefix(Int.random(in: 0...valid.count, using: &generator)))
            case 1:
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = alphabet.randomElement(using: &generator)!
                }
            default:
                bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            }
            readEverything(bytes, format: format, fields: round % 2 == 0 ? fields : nil, chunkSize: [1, 3, 16, 1 << 20][round % 4])
        }
    }
}
