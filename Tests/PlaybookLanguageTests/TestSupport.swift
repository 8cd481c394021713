import Foundation

/// Parses an ISO 8601 timestamp with an explicit offset, so expectations read as wall-clock times.
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad timestamp in test: \(text)") }
    return date
}

func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone in test: \(identifier)") }
    return zone
}
