import CYAML
import Diagnostics
import Foundation
import PlaybookLanguage
import YAML

/// Validates a generated corpus and compares the time with libyaml scanning the same bytes alone.
enum ValidateBenchmark {
    static func run(arguments: [String]) async {
        let fileCount = Int(value(of: "--files", in: arguments) ?? "") ?? 1000
        let stepCount = Int(value(of: "--steps", in: arguments) ?? "") ?? 60
        let rounds = Int(value(of: "--rounds", in: arguments) ?? "") ?? 5

        var generator = CorpusGenerator(seed: 2026)
        let files = (0..<fileCount).map { index in
            SourceFile(path: "generated-\(index).yaml", bytes: Array(generator.playbook(index: index, stepCount: stepCount).utf8))
        }
        let totalBytes = files.reduce(0) { $0 + $1.bytes.count }
        let validator = PlaybookValidator(keepsCheckedExpressions: false)

        // The corpus must be clean, or the benchmark would measure error reporting.
        let problems = files.flatMap { validator.validate($0).diagnostics }
        guard problems.isEmpty else {
            let first = problems[0]
            print("the generated corpus has \(problems.count) diagnostics; first: \(first.code) \(first.message)")
            return
        }

        var scanTimes: [Double] = []
        var validateTimes: [Double] = []
        var eventCount = 0
        for _ in 0..<rounds {
            let scanStart = ContinuousClock.now
            eventCount = files.reduce(0) { $0 + scanEvents($1.bytes) }
            scanTimes.append(seconds(since: scanStart))

            let validateStart = ContinuousClock.now
            var diagnostics = 0
            for file in files { diagnostics += validator.validate(file).diagnostics.count }
            validateTimes.append(seconds(since: validateStart))
            precondition(diagnostics == 0)
        }
        // Where the time goes: loading alone, loading and decoding, everything.
        var loadTimes: [Double] = []
        var decodeTimes: [Double] = []
        for _ in 0..<rounds {
            let loadStart = ContinuousClock.now
            for file in files { precondition(YAMLLoader().load(file).root != nil) }
            loadTimes.append(seconds(since: loadStart))
            let decodeStart = ContinuousClock.now
            for file in files { _ = PlaybookDecoder().decode(YAMLLoader().load(file).root!, in: file) }
            decodeTimes.append(seconds(since: decodeStart) - loadTimes.last!)
        }
        // The same without type-checking expressions: the cost of reading and the structural checks.
        let structural = PlaybookValidator(checksExpressions: false)
        var structuralTimes: [Double] = []
        var structuralParallelTimes: [Double] = []
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            for file in files {
                let found = structural.validate(file).diagnostics
                if let first = found.first {
                    print("without expressions, the generated corpus has \(found.count) diagnostics in \(file.path); first: \(first.code) \(first.message)")
                    return
                }
            }
            structuralTimes.append(seconds(since: start))
            let parallelStart = ContinuousClock.now
            _ = await structural.diagnostics(of: files)
            structuralParallelTimes.append(seconds(since: parallelStart))
        }
        var parallelTimes: [Double] = []
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            let results = await validator.diagnostics(of: files)
            parallelTimes.append(seconds(since: start))
            precondition(results.allSatisfy { $0.diagnostics.isEmpty })
        }
        let parallel = median(parallelTimes)
        let scan = median(scanTimes)
        let validate = median(validateTimes)
        let megabytes = Double(totalBytes) / 1_048_576
        print("corpus: \(fileCount) playbooks of \(stepCount) steps, \(String(format: "%.1f", megabytes)) MiB, \(eventCount) YAML events")
        print(String(format: "libyaml scan alone: %.3f s  %8.0f files/s  %6.1f MiB/s", scan, Double(fileCount) / scan, megabytes / scan))
        print(String(format: "playbook validate:  %.3f s  %8.0f files/s  %6.1f MiB/s", validate, Double(fileCount) / validate, megabytes / validate))
        print(String(format: "validate / scan:    %.2fx (median of %d rounds, one core)", validate / scan, rounds))
        print(String(format: "playbook validate on %d cores: %.3f s  %8.0f files/s  %6.1f MiB/s  (%.2fx the one-core scan)",
                     cores, parallel, Double(fileCount) / parallel, megabytes / parallel, parallel / scan))
        print(String(format: "without expression type-checking: %.3f s one core (%.2fx scan), %.3f s on %d cores (%.2fx scan)",
                     median(structuralTimes), median(structuralTimes) / scan, median(structuralParallelTimes), cores, median(structuralParallelTimes) / scan))
        print(String(format: "  of which: load %.3f s (%.2fx scan), decode %.3f s, check %.3f s",
                     median(loadTimes), median(loadTimes) / scan, median(decodeTimes), validate - median(loadTimes) - median(decodeTimes)))
        print("peak memory: \(peakMemoryMegabytes()) MiB (resident high-water mark, corpus included)")
        print(runtimeLinking())
    }

    /// Loads the corpus repeatedly and nothing else, for profiling the loader alone.
    static func profileLoad(arguments: [String]) {
        var generator = CorpusGenerator(seed: 2026)
        let files = (0..<300).map { SourceFile(path: "g\($0).yaml", bytes: Array(generator.playbook(index: $0, stepCount: 60).utf8)) }
        let start = ContinuousClock.now
        for _ in 0..<10 { for file in files { precondition(YAMLLoader().load(file).root != nil) } }
        let load = seconds(since: start)
        let scanStart = ContinuousClock.now
        for _ in 0..<10 { for file in files { _ = scanEvents(file.bytes) } }
        print(String(format: "load %.3f s, scan %.3f s, ratio %.2f", load, seconds(since: scanStart), load / seconds(since: scanStart)))
    }

    /// Runs one phase of validation over the corpus repeatedly and nothing else, for a profiler:
    /// `scan` (libyaml alone), `load`, `decode` (load and decode), `structural` (validation without
    /// expression typing) or `full`.
    static func profilePhase(arguments: [String]) {
        let phase = arguments.first ?? "full"
        let rounds = Int(value(of: "--rounds", in: arguments) ?? "") ?? 10
        var generator = CorpusGenerator(seed: 2026)
        let files = (0..<300).map { SourceFile(path: "g\($0).yaml", bytes: Array(generator.playbook(index: $0, stepCount: 60).utf8)) }
        let structural = PlaybookValidator(checksExpressions: false)
        let full = PlaybookValidator(keepsCheckedExpressions: false)
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            for file in files {
                switch phase {
                case "scan": precondition(scanEvents(file.bytes) > 0)
                case "load": precondition(YAMLLoader().load(file).root != nil)
                case "decode": precondition(PlaybookDecoder().decode(YAMLLoader().load(file).root!, in: file).0 != nil)
                case "structural": precondition(structural.validate(file).diagnostics.isEmpty)
                default: precondition(full.validate(file).diagnostics.isEmpty)
                }
            }
        }
        let elapsed = seconds(since: start)
        print(String(format: "%@: %.1f µs per file (%d files × %d rounds)", phase, elapsed * 1e6 / Double(files.count * rounds), files.count, rounds))
    }

    /// Runs libyaml's parser over the bytes and counts events, building nothing: the floor for any loader.
    static func scanEvents(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return 0 }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            var count = 0
            while yaml_parser_parse(&parser, &event) == 1 {
                count += 1
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                if done { break }
            }
            return count
        }
    }

    /// How the Swift runtime was linked: the figures of a build that loads it from shared libraries
    /// are several per cent slower than those of the binary as shipped.
    static func runtimeLinking() -> String {
        // The memory map lists the runtime's shared library when the program loads it. (A proc file
        // reports no size, so it is read to its end rather than by its length.)
        let data = FileHandle(forReadingAtPath: "/proc/self/maps").flatMap { try? $0.readToEnd() } ?? Data()
        guard !data.isEmpty else { return "Swift runtime: could not tell how it is linked" }
        return String(decoding: data, as: UTF8.self).contains("libswiftCore.so")
            ? "Swift runtime: shared libraries (the shipped binary links it in: build with --static-swift-stdlib)"
            : "Swift runtime: linked into the binary, as shipped"
    }

    static func peakMemoryMegabytes() -> Int {
        ChildProcess.ownPeakResidentBytes().map { $0 / 1_048_576 } ?? -1
    }

    private static func value(of option: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
