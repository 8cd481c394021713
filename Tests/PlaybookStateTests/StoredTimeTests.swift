import Foundation
import GRDB
import Testing
@testable import PlaybookState

@Suite struct StoredTimeTests {
    @Test func aTimeIsWrittenAsGRDBWritesADate() {
        var generator = SystemRandomNumberGenerator()
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.001), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 1_798_761_599.9996), Date(timeIntervalSince1970: 4_102_444_800),  // 2100-01-01
            Date(timeIntervalSince1970: 253_402_300_799.999),  // 9999-12-31
        ]
        for _ in 0..<50_000 {
            // 1900–2200, at any millisecond and between them.
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2_208_988_800 ... 7_258_118_400, using: &generator)))
        }
        for date in dates {
            #expect(StoredTime.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }
}
