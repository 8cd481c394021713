import Diagnostics
import Foundation
import PlaybookRuntime

/// A write or message the sandbox journaled: a line of `GET /_sandbox/journal`.
struct JournalLine: Sendable {
    var sequence: Int
    var platform: String
    var resource: String
    var operation: String
    var status: Int
    /// Whether the write took effect (a 2xx answer, with no fault or a `lost` one).
    var applied: Bool
    /// The fault injected in place of the answer, as the sandbox names it (`500`, `reset`, `lost`, …).
    var fault: String?
    var body: JSONValue

    init?(_ json: JSONValue) {
        guard case .int(let sequence)? = json["sequence"], case .string(let platform)? = json["platform"],
              case .string(let resource)? = json["resource"], case .string(let operation)? = json["operation"],
              case .int(let status)? = json["status"], case .bool(let applied)? = json["applied"]
        else { return nil }
        self.sequence = Int(sequence)
        self.platform = platform
        self.resource = resource
        self.operation = operation
        self.status = Int(status)
        self.applied = applied
        if case .string(let fault)? = json["fault"] { self.fault = fault } else { fault = nil }
        body = json["body"] ?? .null
    }
}

/// A subscribed member of the sandbox's Mailchimp audience, as the harness's playbook reads it.
struct AudienceMember: Sendable {
    /// The subscriber hash: the record's `id`, which the incremental cursor keeps at its value.
    var id: String
    /// Trimmed and lower-cased, as the playbook writes it to HubSpot and keys its messages.
    var email: String
    var vip: Bool
    var firstName: String
    /// `last_changed` in milliseconds since 1970.
    var changedAt: Int64
}

/// What the harness asks of a running `playbook sandbox` over HTTP: its journal, the audience it
/// serves, and changes to members. Platform calls meet the sandbox's injected faults like any other
/// client's, so each is tried again until it gets a whole answer.
struct SandboxClient: Sendable {
    let origin: String
    static let listID = "a1b2c3d4e5"
    private static let attempts = 40

    struct Unanswered: Error, CustomStringConvertible {
        var description: String
    }

    /// Whether the sandbox answers its health check.
    func isHealthy() async -> Bool {
        guard let (status, body) = try? await request("GET", "/_sandbox/health") else { return false }
        return status == 200 && body.contains("\"ok\"")
    }

    /// The journal's lines after `since`.
    func journal(since: Int) async throws -> [JournalLine] {
        let (status, body) = try await request("GET", "/_sandbox/journal?since=\(since)")
        guard status == 200 else { throw Unanswered(description: "the journal answered \(status)") }
        return try body.split(separator: "\n").map { line in
            guard let entry = JournalLine(try JSONValue(parsing: String(line))) else {
                throw Unanswered(description: "a journal line is not an entry: \(line.prefix(200))")
            }
            return entry
        }
    }

    /// Every subscribed member of the audience.
    func subscribedMembers() async throws -> [AudienceMember] {
        var members: [AudienceMember] = []
        while true {
            let page = try await platformJSON("GET", "/mailchimp/3.0/lists/\(Self.listID)/members?status=subscribed&count=1000&offset=\(members.count)")
            guard case .array(let items)? = page["members"], case .int(let total)? = page["total_items"] else {
                throw Unanswered(description: "the members page has no members or total_items")
            }
            for item in items {
                guard case .string(let id)? = item["id"], case .string(let email)? = item["email_address"],
                      case .string(let changed)? = item["last_changed"], let changedAt = Timestamps.milliseconds(changed)
                else { throw Unanswered(description: "a member lacks id, email_address or last_changed: \(item.text.prefix(200))") }
                let firstName = item["merge_fields"]?["FNAME"].flatMap { if case .string(let name) = $0 { name } else { nil } } ?? ""
                members.append(AudienceMember(id: id, email: Self.normalized(email), vip: item["vip"] == .bool(true),
                                              firstName: firstName, changedAt: changedAt))
            }
            if items.isEmpty || members.count >= Int(total) { return members }
        }
    }

    /// Gives a member a new first name, which changes its `last_changed`.
    func rename(_ member: AudienceMember, to firstName: String) async throws {
        let body = JSONValue.object([("merge_fields", .object([("FNAME", .string(firstName))]))]).text
        _ = try await platformJSON("PATCH", "/mailchimp/3.0/lists/\(Self.listID)/members/\(member.id)", body: body)
    }

    /// As the playbook's `trim().lowerAscii()` makes it.
    static func normalized(_ email: String) -> String {
        String(String.UnicodeScalarView(email.trimmingCharacters(in: .whitespaces).unicodeScalars.map { scalar in
            ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
        }))
    }

    /// A platform call, tried again after an injected fault (an error status, a dropped connection,
    /// a body cut short) until it gets a whole JSON answer.
    private func platformJSON(_ method: String, _ path: String, body: String? = nil) async throws -> JSONValue {
        var last = "no answer"
        for attempt in 0..<Self.attempts {
            if attempt > 0 { try await Task.sleep(for: .milliseconds(min(200, 10 * attempt))) }
            do {
                let (status, text) = try await request(method, path, body: body, authorized: true)
                guard (200..<300).contains(status) else {
                    last = "status \(status)"
                    continue
                }
                return try JSONValue(parsing: text)
            } catch {
                last = "\(error)"
            }
        }
        throw Unanswered(description: "\(method) \(path): \(last) after \(Self.attempts) attempts")
    }

    private func request(_ method: String, _ path: String, body: String? = nil, authorized: Bool = false) async throws -> (Int, String) {
        var headers: [(name: String, value: String)] = []
        if authorized { headers.append(("Authorization", "Basic " + Data("harness:stand-in-key".utf8).base64EncodedString())) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let answer = try await Self.transport.send(HTTPCall(method: method, url: origin + path, headers: headers, body: body.map { Array($0.utf8) }),
                                                   timeout: .seconds(10))
        return (answer.status, String(decoding: answer.body, as: UTF8.self))
    }

    /// The HTTP client of the harness's own calls, for the life of the process (the runtime's, so
    /// that the benchmarks build without Foundation's networking and link statically).
    private static let transport = AsyncHTTPTransport()
}

/// Times as the sandbox and the state file write them, compared in milliseconds.
enum Timestamps {
    /// `2026-12-06T09:15:02.114Z` (any number of fraction digits, or none; `Z` or an offset such as
    /// `+00:00`), also as a JSON string with its quotes, in milliseconds since 1970; nil when it is
    /// no such time.
    static func milliseconds(_ text: String) -> Int64? {
        var characters = Array(text.utf8)
        if characters.first == UInt8(ascii: "\""), characters.last == UInt8(ascii: "\""), characters.count >= 2 {
            characters = Array(characters.dropFirst().dropLast())
        }
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= characters.count else { return nil }
            var value: Int64 = 0
            for character in characters[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) else { return nil }
                value = value * 10 + Int64(character - UInt8(ascii: "0"))
            }
            return value
        }
        guard characters.count >= 20, characters[4] == UInt8(ascii: "-"), characters[7] == UInt8(ascii: "-"),
              characters[10] == UInt8(ascii: "T") || characters[10] == UInt8(ascii: " "),
              characters[13] == UInt8(ascii: ":"), characters[16] == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var position = 19
        var millis: Int64 = 0
        if position < characters.count, characters[position] == UInt8(ascii: ".") {
            position += 1
            var digits = 0
            while position < characters.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(characters[position]) {
                if digits < 3 { millis = millis * 10 + Int64(characters[position] - UInt8(ascii: "0")) }
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        var offsetMinutes: Int64 = 0
        guard position < characters.count else { return nil }
        if characters[position] == UInt8(ascii: "Z") {
            position += 1
        } else if characters[position] == UInt8(ascii: "+") || characters[position] == UInt8(ascii: "-") {
            let sign: Int64 = characters[position] == UInt8(ascii: "+") ? 1 : -1
            guard let hours = number(position + 1..<position + 3), position + 3 < characters.count,
                  characters[position + 3] == UInt8(ascii: ":"), let minutes = number(position + 4..<position + 6)
            else { return nil }
            offsetMinutes = sign * (hours * 60 + minutes)
            position += 6
        } else {
            return nil
        }
        guard position == characters.count else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1_000 + millis
    }
}
