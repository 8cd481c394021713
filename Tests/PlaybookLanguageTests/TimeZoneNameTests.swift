import PlaybookLanguage
import Testing

struct TimeZoneNameTests {
    @Test(arguments: ["Europe/Warsaw", "UTC", "Etc/UTC", "GMT", "America/Argentina/Buenos_Aires", "America/New_York", "Asia/Kolkata"])
    func regionAndUniversalNamesAreAccepted(name: String) throws {
        let parsed = try #require(TimeZoneName.parse(name).value)
        #expect(parsed.identifier == name)
    }

    @Test func acceptedNameCarriesItsRules() throws {
        let warsaw = try #require(TimeZoneName.parse("Europe/Warsaw").value)
        #expect(warsaw.timeZone.secondsFromGMT(for: instant("2026-07-01T12:00:00Z")) == 7200)
        #expect(warsaw.timeZone.secondsFromGMT(for: instant("2026-01-01T12:00:00Z")) == 3600)
    }

    /// (input, message fragment, replacement offered).
    @Test(arguments: [
        ("Europe/Warsw", "unknown time zone 'Europe/Warsw'", "Europe/Warsaw"),
        ("europe/warsaw", "time zone names are case-sensitive", "Europe/Warsaw"),
        ("utc", "time zone names are case-sensitive", "UTC"),
        ("America/New_york", "time zone names are case-sensitive", "America/New_York"),
        ("PST", "'PST' is an abbreviation", "America/Los_Angeles"),
        ("EST", "'EST' is an abbreviation", "America/New_York"),
        ("Warsaw", "'Warsaw' is a city", "Europe/Warsaw"),
        ("buenos_aires", "'buenos_aires' is a city", "America/Argentina/Buenos_Aires"),
    ])
    func misspelledNameSuggestsTheRightOne(name: String, message: String, replacement: String) throws {
        let error = try #require(TimeZoneName.parse(name).errors.first)
        #expect(error.message.hasPrefix(message), "got: \(error.message)")
        #expect(error.replacement == replacement)
        #expect(error.help?.hasSuffix("did you mean '\(replacement)'?") == true, "got: \(error.help ?? "nil")")
        #expect(error.range.start == 0 && error.range.end == name.utf8.count)
    }

    /// Names that get advice but no single obvious replacement.
    @Test(arguments: [
        ("CET", "'CET' is an abbreviation", "Europe/Warsaw"),
        ("IST", "'IST' is an abbreviation", "Asia/Kolkata"),
        ("XYZ", "'XYZ' is an abbreviation", "Europe/Warsaw"),
        ("UTC+2", "'UTC+2' is a fixed offset", "UTC"),
        ("+02:00", "'+02:00' is a fixed offset", "UTC"),
        ("Etc/GMT-2", "'Etc/GMT-2' is a fixed offset", "UTC"),
        ("", "the time zone is empty", "Europe/Warsaw"),
        ("Nowhere/Atlantis", "unknown time zone 'Nowhere/Atlantis'", "Europe/Warsaw"),
    ])
    func unusableNameExplainsWhatToWrite(name: String, message: String, helpMentions: String) throws {
        let error = try #require(TimeZoneName.parse(name).errors.first)
        #expect(error.message.hasPrefix(message), "got: \(error.message)")
        #expect(error.replacement == nil)
        #expect(error.help?.contains(helpMentions) == true, "got: \(error.help ?? "nil")")
    }
}
