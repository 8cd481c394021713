import Foundation
import Testing
@testable import PlaybookState

@Suite struct BenchmarkHookTests {
    @Test func theBenchmarkClaimsAndSendsEveryKeyAndCleansUp() async throws {
        try await withTemporaryFolder { folder in
            let figures = try await StateStoreBenchmark.run(directory: folder, keys: 500, keysPerTransaction: 128, batches: 20)
            #expect(figures.keysSent == 500)
            #expect(figures.claimNanosecondsPerKey > 0)
            #expect(figures.markSentNanosecondsPerKey > 0)
            #expect(figures.intendNanosecondsPerBatch > 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
    }
}
