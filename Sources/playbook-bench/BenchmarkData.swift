import CEL
import Foundation

/// Writes the generated JSON Lines files the run benchmark reads, deterministically from a seed.
///
/// Lines are built as bytes in one buffer that is written out every megabyte: generating a
/// million contacts must take a small part of the time the tools take to read them.
enum BenchmarkData {
    static let countries = ["PL", "DE", "FR", "GB", "US", "ES", "IT", "NL", "SE", "CZ", "AT", "BE", "PT", "IE", "DK"]
    static let firstNames = [
        "Ann", "Adam", "Maria", "Piotr", "Julia", "Tomasz", "Ewa", "Jan", "Olivia", "Noah", "Emma", "Liam",
        "Sophie", "Lukas", "Mia", "Felix", "Chloe", "Hugo", "Lea", "Louis", "Amelia", "Oliver", "Isla", "George",
        "Lucia", "Mateo", "Sofia", "Leo", "Giulia", "Marco", "Sara", "Luca", "Eva", "Daan", "Fenna", "Sem",
        "Elsa", "Erik", "Alice", "Oskar", "Tereza", "Jakub", "Anna", "Tobias", "Laura", "Simon", "Ines", "Tiago",
        "Aoife", "Sean", "Freja", "Mads", "Hannah", "Jonas", "Clara", "Paul", "Nina", "David", "Zoe", "Max",
        "Ida", "Karl", "Vera", "Ivan",
    ]
    static let lastNames = [
        "Smith", "Nowak", "Kowalski", "Muller", "Schmidt", "Martin", "Bernard", "Jones", "Taylor", "Garcia",
        "Lopez", "Rossi", "Russo", "DeJong", "Jansen", "Andersson", "Johansson", "Novak", "Svoboda", "Gruber",
        "Huber", "Peeters", "Janssens", "Silva", "Santos", "Murphy", "Kelly", "Nielsen", "Hansen", "Wisniewski",
        "Wojcik", "Kaminski", "Lewandowski", "Weber", "Wagner", "Becker", "Dubois", "Durand", "Leroy", "Moreau",
        "Brown", "Wilson", "Davies", "Evans", "Fernandez", "Gonzalez", "Bianchi", "Romano", "Bakker", "Visser",
        "Karlsson", "Nilsson", "Dvorak", "Cerny", "Pichler", "Steiner", "Claes", "Maes", "Ferreira", "Costa",
        "Byrne", "Walsh", "Larsen", "Pedersen",
    ]
    static let domains = ["example.com", "mail.example.org", "acme.io", "contoso.net", "initech.co", "globex.eu"]
    static let tags = ["newsletter", "b2b", "vip", "trial", "webinar", "partner", "churn-risk", "ebook"]
    static let kinds = ["view", "click", "signup", "purchase"]
    static let plans = ["free", "team", "business", "enterprise"]

    /// 2025-01-01T00:00:00Z in seconds since 1970: generated timestamps fall in the year after it.
    static let firstSecond = 1_735_689_600

    /// Writes `count` contacts to `path` and returns the bytes written.
    ///
    /// Each contact is a person drawn at random from `count` people, so about 37 % of the lines
    /// repeat a person seen before: the same e-mail address once trimmed and lower-cased, written with
    /// other spaces and capitals (the dedupe job keeps the first line of each).
    static func writeContacts(count: Int, to path: String, seed: UInt64) throws -> Int {
        var random = SplitMix64(seed: seed)
        var out = try LineWriter(path: path)
        let first = firstNames.map { Array($0.utf8) }
        let last = lastNames.map { Array($0.utf8) }
        let domain = domains.map { Array($0.utf8) }
        let tag = tags.map { Array($0.utf8) }
        let country = countries.map { Array($0.utf8) }
        for id in 0..<count {
            let person = random.below(count)
            let firstName = first[person % first.count]
            let lastName = last[(person / first.count) % last.count]
            let number = person / (first.count * last.count)
            let personDomain = domain[Int((UInt64(person) &* 0x9E37_79B9_7F4A_7C15) >> 40) % domain.count]
            let style = random.next()

            out.append(#"{"id":"#)
            out.append(id)
            out.append(#","email":""#)
            out.append(spaces: Int(style & 3) % 3)
            out.append(cased(firstName, capitalised: style & 4 != 0, upper: style & 8 != 0))
            out.append(".")
            out.append(cased(lastName, capitalised: style & 16 != 0, upper: false))
            out.append(number)
            out.append("@")
            out.append(cased(personDomain, capitalised: style & 32 != 0, upper: style & 64 != 0))
            out.append(spaces: Int((style >> 7) & 3) % 3)
            out.append(#"","first_name":""#)
            out.append(firstName)
            out.append(#"","last_name":""#)
            out.append(lastName)
            out.append(#"","country":""#)
            out.append(country[random.below(country.count)])
            out.append(#"","page_views":"#)
            out.append(random.below(101))
            out.append(#","opened_last_email":"#)
            out.append(random.below(100) < 35 ? "true" : "false")
            out.append(#","tags":["#)
            let tagCount = random.below(4)
            let firstTag = random.below(tag.count)
            for index in 0..<tagCount {
                if index > 0 { out.append(",") }
                out.append("\"")
                out.append(tag[(firstTag + index) % tag.count])
                out.append("\"")
            }
            out.append(#"],"revenue":"#)
            out.append(cents: random.below(500_000))
            out.append(#","updated_at":""#)
            out.append(timestamp: firstSecond + random.below(365 * 86_400))
            out.append("\"}\n")
            try out.flushIfFull()
        }
        return try out.close()
    }

    /// Writes `count` events of accounts `0..<accountCount + accountCount / 10` (so about one in eleven
    /// has no account), spread over 1,000 campaigns.
    static func writeEvents(count: Int, accountCount: Int, to path: String, seed: UInt64) throws -> Int {
        var random = SplitMix64(seed: seed)
        var out = try LineWriter(path: path)
        let kind = kinds.map { Array($0.utf8) }
        for id in 0..<count {
            out.append(#"{"id":"#)
            out.append(id)
            out.append(#","account_id":"#)
            out.append(random.below(accountCount + accountCount / 10))
            out.append(#","campaign":"cmp-"#)
            out.append(digits: random.below(1000), width: 4)
            out.append(#"","kind":""#)
            out.append(kind[random.below(kind.count)])
            out.append(#"","quantity":"#)
            out.append(random.number(1...20))
            out.append(#","amount":"#)
            out.append(cents: random.below(100_000))
            out.append(#","at":""#)
            out.append(timestamp: firstSecond + random.below(365 * 86_400))
            out.append("\"}\n")
            try out.flushIfFull()
        }
        return try out.close()
    }

    /// Writes accounts `0..<count`.
    static func writeAccounts(count: Int, to path: String, seed: UInt64) throws -> Int {
        var random = SplitMix64(seed: seed)
        var out = try LineWriter(path: path)
        let plan = plans.map { Array($0.utf8) }
        let country = countries.map { Array($0.utf8) }
        for id in 0..<count {
            out.append(#"{"id":"#)
            out.append(id)
            out.append(#","name":"Account "#)
            out.append(id)
            out.append(#"","plan":""#)
            out.append(plan[random.below(plan.count)])
            out.append(#"","country":""#)
            out.append(country[random.below(country.count)])
            out.append(#"","seats":"#)
            out.append(random.number(1...500))
            out.append("}\n")
            try out.flushIfFull()
        }
        return try out.close()
    }

    /// `word` with its first letter capitalised, or all of it upper-case (ASCII letters only).
    private static func cased(_ word: [UInt8], capitalised: Bool, upper: Bool) -> [UInt8] {
        guard capitalised || upper else { return word.map(lower) }
        return word.enumerated().map { index, byte in
            upper || index == 0 ? (byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte) : lower(byte)
        }
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
}

/// Builds lines in a byte buffer and writes it to a file every megabyte. (The buffer is kept small:
/// the benchmark's own peak memory is the floor of the figures of the children it starts.)
struct LineWriter {
    private var buffer: [UInt8] = []
    private let handle: FileHandle
    private var written = 0

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity((1 << 20) + 1024)
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    mutating func append(spaces count: Int) {
        for _ in 0..<count { buffer.append(0x20) }
    }

    /// A non-negative integer in decimal.
    mutating func append(_ value: Int) {
        append(digits: value, width: 1)
    }

    /// A non-negative integer in decimal, padded with zeros to `width` digits.
    mutating func append(digits value: Int, width: Int) {
        let start = buffer.count
        var rest = value
        repeat {
            buffer.append(UInt8(0x30 + rest % 10))
            rest /= 10
        } while rest > 0 || buffer.count - start < width
        buffer[start...].reverse()
    }

    /// An amount in cents as a decimal number with two places, such as `1234.05`.
    mutating func append(cents: Int) {
        append(cents / 100)
        buffer.append(0x2E)
        append(digits: cents % 100, width: 2)
    }

    /// Seconds since 1970 as RFC 3339 text in UTC, such as `2025-03-14T09:26:53Z`.
    mutating func append(timestamp seconds: Int) {
        let (year, month, day) = CivilCalendar.date(fromDays: Int64(seconds / 86_400))
        let second = seconds % 86_400
        append(digits: Int(year), width: 4)
        buffer.append(0x2D)
        append(digits: Int(month), width: 2)
        buffer.append(0x2D)
        append(digits: Int(day), width: 2)
        buffer.append(0x54)
        append(digits: second / 3600, width: 2)
        buffer.append(0x3A)
        append(digits: second / 60 % 60, width: 2)
        buffer.append(0x3A)
        append(digits: second % 60, width: 2)
        buffer.append(0x5A)
    }

    mutating func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes what is left, closes the file and returns the bytes written in all.
    mutating func close() throws -> Int {
        try flush()
        try handle.close()
        return written
    }

    private mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
