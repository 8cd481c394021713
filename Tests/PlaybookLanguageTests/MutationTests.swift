import Diagnostics
import Foundation
import PlaybookLanguage
import Testing

/// Bad input never crashes or hangs the validator: every example playbook is mutated many times
/// (bytes deleted, duplicated, replaced, lines swapped) and each mutant must validate to diagnostics
/// that point inside the file. `PLAYBOOK_MUTATION_COUNT` raises the count for a longer run.
struct MutationTests {
    static let playbooksDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("playbooks")

    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
    }

    static let alphabet = Array(" \n\t:-{}[]\"'#&*!|>@%`,.?0123456789abcxyzNOyes\u{00e9}\u{0000}".utf8)

    static func mutate(_ bytes: [UInt8], with generator: inout Generator) -> [UInt8] {
        var bytes = bytes
        for _ in 0...generator.below(3) {
            guard !bytes.isEmpty else { break }
            let position = generator.below(bytes.count)
            switch generator.below(5) {
            case 0: bytes.remove(at: position)
            case 1: bytes.insert(alphabet[generator.below(alphabet.count)], at: position)
            case 2: bytes[position] = alphabet[generator.below(alphabet.count)]
            case 3:
                let length = min(bytes.count - position, 1 + generator.below(40))
                bytes.insert(contentsOf: bytes[position..<(position + length)], at: position)
            default:
                let length = min(bytes.count - position, 1 + generator.below(80))
                bytes.removeSubrange(position..<(position + length))
            }
        }
        return bytes
    }

    @Test func mutatedPlaybooksGetLocatedDiagnosticsNeverACrash() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.playbooksDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
        #expect(!files.isEmpty)
        let count = Int(ProcessInfo.processInfo.environment["PLAYBOOK_MUTATION_COUNT"] ?? "") ?? 1_500
        var generator = Generator(state: 2026_11_29)
        let validator = PlaybookValidator()
        let problemsOnly = PlaybookValidator(keepsCheckedExpressions: false)
        var rejected = 0
        for index in 0..<count {
            let original = Array(try Data(contentsOf: files[index % files.count]))
            let mutant = Self.mutate(original, with: &generator)
            let file = SourceFile(path: "mutant-\(index).yaml", bytes: mutant)
            let result = validator.validate(file)
            for diagnostic in result.diagnostics {
                #expect(diagnostic.range.start >= 0 && diagnostic.range.end <= mutant.count, "mutant \(index): \(diagnostic.code) out of range")
                #expect(!diagnostic.message.isEmpty)
                for note in diagnostic.notes { if let range = note.range { #expect(range.end <= mutant.count) } }
            }
            if result.hasErrors { rejected += 1 } else { #expect(result.plan != nil, "a mutant without errors must compile") }
            // Validating for the problems alone, without keeping checked expressions, finds the same ones.
            #expect(problemsOnly.validate(file).diagnostics == result.diagnostics, "mutant \(index)")
            // Rendering must cope with whatever was found, too.
            _ = TextRenderer().render(DiagnosticReport(files: [result.fileDiagnostics], catalogue: PlaybookDiagnostics.catalogue))
        }
        print("mutation run: \(count) mutants of \(files.count) playbooks, \(rejected) rejected with located diagnostics")
        #expect(rejected > count / 4)
    }
}
