import Foundation

/// A made-up person, the raw material of every platform's contacts, leads and members.
struct SeedPerson: Sendable {
    let firstName: String
    let lastName: String
    /// As a person typed it: a few have stray spaces or capitals.
    let email: String
    let company: String
    let jobTitle: String
    let country: String
    let phone: String
    let lifecycleStage: String
    let leadStatus: String
    let pageViews: Int
    let emailsOpened: Int
    let leadScore: Int
    let createdAt: Date
    let lastModified: Date
}

/// The seeded data all platforms start from: the same seed gives the same data, laid out in the weeks
/// before the reference date.
struct SeedData: Sendable {
    let reference: Date
    let seed: UInt64
    let hubSpotContacts: [SeedPerson]
    let salesforceLeads: [SeedPerson]
    let salesforceContacts: [SeedPerson]
    let mailchimpMembers: [SeedPerson]
    let metaLeads: [SeedPerson]

    init(options: SandboxOptions) {
        reference = options.resolvedReferenceDate
        seed = options.seed
        let sizes = options.sizes
        hubSpotContacts = Self.people(count: sizes.hubSpotContacts, seed: seed, stream: 1, reference: reference)
        salesforceLeads = Self.people(count: sizes.salesforceLeads, seed: seed, stream: 2, reference: reference)
        salesforceContacts = Self.people(count: sizes.salesforceContacts, seed: seed, stream: 3, reference: reference)
        mailchimpMembers = Self.people(count: sizes.mailchimpMembers, seed: seed, stream: 4, reference: reference)
        metaLeads = Self.people(count: sizes.metaLeads, seed: seed, stream: 5, reference: reference)
    }

    /// A generator for one kind of data, so adding a kind never shifts another's values.
    func generator(stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed ^ (stream &* 0xA076_1D64_78BD_642F))
    }

    static let firstNames = [
        "Anna", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Maya", "Nikhil",
        "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoë", "Liam", "Emma",
        "Noah", "Sofia", "Lucas", "Amara", "Mateo", "Freya", "Kai", "Aisha",
    ]
    static let lastNames = [
        "Schmidt", "Okafor", "Dubois", "Tanaka", "Rossi", "García", "Nowak", "Johansson", "Kim", "Silva", "Müller", "Patel",
        "Cohen", "Andersen", "Moreau", "Kowalski", "Novak", "Haddad", "Fischer", "Larsen", "Costa", "Ivanova", "Brown",
        "Nguyen", "Smith", "O'Brien", "Van Dijk", "Yilmaz", "Mensah", "Fernández",
    ]
    static let companies = [
        "Acme Analytics", "Brightpath", "Cobalt Labs", "Dune Logistics", "Evergreen Foods", "Fjord Systems", "Granite Bank",
        "Harbor Health", "Iris Media", "Juniper Retail", "Kestrel Energy", "Lumen Apparel", "Meridian Travel", "Nimbus Cloud",
        "Orchid Beauty", "Pioneer Tools", "Quartz Insurance", "Redwood Studios", "Summit Sports", "Tidal Robotics",
    ]
    static let jobTitles = [
        "Marketing Manager", "Head of Growth", "CMO", "Sales Director", "Product Manager", "CEO", "Data Analyst",
        "Demand Generation Lead", "Customer Success Manager", "Software Engineer", "Operations Director", "VP Marketing",
        "Content Strategist", "Founder", "Procurement Officer",
    ]
    static let countries = ["US", "DE", "FR", "GB", "NL", "ES", "IT", "SE", "PL", "JP", "BR", "CA", "IN", "AU", "NG"]
    static let lifecycleStages = [
        "subscriber", "lead", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist",
    ]
    static let leadStatuses = ["New", "Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]
    static let domains = ["example.com", "example.org", "example.net", "mail.example.com", "example.co.uk"]

    /// `count` people; about one in twelve e-mails has capitals and one in twenty surrounding spaces.
    static func people(count: Int, seed: UInt64, stream: UInt64, reference: Date) -> [SeedPerson] {
        var random = SeededGenerator(seed: seed ^ (stream &* 0xA076_1D64_78BD_642F))
        let weeks: TimeInterval = 6 * 7 * 86_400
        return (0..<max(0, count)).map { index in
            let first = firstNames.randomElement(using: &random)!
            let last = lastNames.randomElement(using: &random)!
            let company = companies.randomElement(using: &random)!
            let local = (asciiFolded(first) + "." + asciiFolded(last)).lowercased()
            var email = "\(local)\(index)@\(domains.randomElement(using: &random)!)"
            let quirk = Int.random(in: 0..<60, using: &random)
            if quirk < 5 { email = email.prefix(1).uppercased() + email.dropFirst().replacingOccurrences(of: "@example", with: "@Example") }
            if quirk >= 5, quirk < 8 { email = " \(email) " }
            let modifiedAgo = TimeInterval.random(in: 0..<weeks, using: &random)
            let createdAgo = modifiedAgo + TimeInterval.random(in: 0..<(30 * 86_400), using: &random)
            return SeedPerson(
                firstName: first, lastName: last, email: email, company: company,
                jobTitle: jobTitles.randomElement(using: &random)!, country: countries.randomElement(using: &random)!,
                phone: "+1555" + String(Int.random(in: 0..<10_000_000, using: &random)).leftPadded(7),
                lifecycleStage: lifecycleStages.randomElement(using: &random)!,
                leadStatus: leadStatuses.randomElement(using: &random)!,
                pageViews: Int.random(in: 0..<120, using: &random), emailsOpened: Int.random(in: 0..<40, using: &random),
                leadScore: Int.random(in: 0...100, using: &random),
                createdAt: wholeSeconds(reference.addingTimeInterval(-createdAgo)),
                lastModified: wholeSeconds(reference.addingTimeInterval(-modifiedAgo)))
        }
    }

    private static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The name as an e-mail's local part can hold it: accents dropped, only ASCII letters kept.
    private static func asciiFolded(_ text: String) -> String {
        let replacements: [Character: String] = ["é": "e", "ë": "e", "ü": "u", "ö": "o", "ç": "c", "á": "a", "í": "i", "ñ": "n", "ø": "o"]
        return String(text.flatMap { character -> String in
            if let plain = replacements[character] { return plain }
            return character.isASCII && character.isLetter ? String(character) : ""
        })
    }
}
