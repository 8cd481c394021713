import Diagnostics
import Foundation

/// A validated IANA time zone name such as `Europe/Warsaw` or `America/Argentina/Buenos_Aires`.
///
/// Region names are required because only they carry daylight-saving rules. `UTC`, `Etc/UTC` and
/// `GMT` are accepted for schedules that should ignore DST. Abbreviations (`CET`, `PST`, `EST`) and
/// fixed offsets (`+02:00`, `UTC+2`, `Etc/GMT-2`) are rejected: they stay on one offset all year, which
/// is rarely what a marketer means; the error suggests a region where one is obvious.
public struct TimeZoneName: Hashable, Sendable, CustomStringConvertible {
    /// The name as it should be written (and as it was, since only exact names are accepted).
    public let identifier: String
    /// The Foundation time zone for schedule calculations.
    public let timeZone: TimeZone

    public var description: String { identifier }

    /// The names accepted besides region names.
    public static let universalNames: Set<String> = ["UTC", "Etc/UTC", "GMT"]

    private static let known = Set(TimeZone.knownTimeZoneIdentifiers)

    /// Region names for common abbreviations, where one region is the obvious choice.
    private static let abbreviations: [String: String] = [
        "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
        "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
        "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
        "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
        "AKST": "America/Anchorage", "AKDT": "America/Anchorage", "HST": "Pacific/Honolulu",
        "BST": "Europe/London", "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
        "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
        "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
    ]
    /// Abbreviations shared by many countries: the help names a few regions instead of one.
    private static let sharedAbbreviations: [String: String] = [
        "CET": "Europe/Berlin, Europe/Paris or Europe/Warsaw", "CEST": "Europe/Berlin, Europe/Paris or Europe/Warsaw",
        "EET": "Europe/Athens, Europe/Helsinki or Europe/Kyiv", "EEST": "Europe/Athens, Europe/Helsinki or Europe/Kyiv",
        "IST": "Asia/Kolkata, Europe/Dublin or Asia/Jerusalem",
    ]

    /// Validates `text`; errors carry a range covering the name and, where certain, a replacement.
    public static func parse(_ text: String) -> LiteralParseResult<TimeZoneName> {
        let whole = SourceRange(start: 0, end: text.utf8.count)
        if text.isEmpty {
            return .failure([LiteralError(.timeZoneEmpty, at: whole)])
        }
        // Older link names (`US/Eastern`) resolve without being listed; the identifier check keeps it case-exact.
        let isRegion = text.utf8.contains(UInt8(ascii: "/")) && !text.hasPrefix("Etc/")
            && (known.contains(text) || TimeZone(identifier: text)?.identifier == text)
        if universalNames.contains(text) || isRegion, let zone = TimeZone(identifier: text) {
            return .success(TimeZoneName(identifier: text, timeZone: zone))
        }
        return .failure([problem(text, at: whole)])
    }

    private static func problem(_ text: String, at range: SourceRange) -> LiteralError {
        let upper = text.uppercased()
        if let exact = (known.union(universalNames)).first(where: { $0.uppercased() == upper }), !exact.hasPrefix("Etc/GMT") || exact == "Etc/UTC" {
            return LiteralError(.timeZoneCase(text, exact: exact), at: range, replacement: exact)
        }
        if let region = abbreviations[upper] {
            return LiteralError(.timeZoneAbbreviation(text, region: region), at: range, replacement: region)
        }
        if let regions = sharedAbbreviations[upper] {
            return LiteralError(.timeZoneSharedAbbreviation(text, regions: regions), at: range)
        }
        if isFixedOffset(upper) {
            return LiteralError(.timeZoneFixedOffset(text), at: range)
        }
        let regions = known.filter { $0.contains("/") && !$0.hasPrefix("Etc/") }
        // A bare city: `Warsaw`, `new_york`.
        if let city = regions.filter({ $0.split(separator: "/").last.map { $0.uppercased() == upper } ?? false }).min() {
            return LiteralError(.timeZoneCity(text, region: city), at: range, replacement: city)
        }
        if !text.contains("/"), text.count <= 5, text == upper, text.allSatisfy({ $0.isLetter }) {
            return LiteralError(.timeZoneUnknownAbbreviation(text), at: range)
        }
        let suggestion = Suggestions.closest(to: text, in: regions)
        return LiteralError(.timeZoneUnknown(text, suggestion: suggestion), at: range, replacement: suggestion)
    }

    /// `+02:00`, `UTC+2`, `GMT-05:00`, `Etc/GMT-2`.
    private static func isFixedOffset(_ upper: String) -> Bool {
        var rest = Substring(upper)
        for prefix in ["ETC/GMT", "ETC/UTC", "UTC", "GMT"] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            break
        }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return false }
        let digits = rest.dropFirst()
        return !digits.isEmpty && digits.allSatisfy { $0.isNumber || $0 == ":" }
    }
}
