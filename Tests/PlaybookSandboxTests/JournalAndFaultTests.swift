import AsyncHTTPClient
import Diagnostics
import Foundation
import PlaybookSandbox
import Testing

@Suite struct JournalTests {
    @Test func writesAndMessagesAreJournaledAndServedAsJSONLines() async throws {
        try await withSandbox { server, origin in
            _ = try await send(.POST, origin + "/slack/services/T1/B1/abc", json: #"{"text":"one"}"#)
            _ = try await send(
                .POST, origin + "/webhook/crm/events",
                headers: [("webhook-id", "msg_1"), ("webhook-timestamp", "1614265330"), ("webhook-signature", "v1,abc")],
                json: #"{"event":"lead"}"#)
            _ = try await send(.GET, origin + "/hubspot/crm/v3/objects/contacts?limit=1", headers: bearer)
            _ = try await send(
                .POST, origin + "/hubspot/crm/v3/objects/contacts/batch/upsert",
                headers: bearer + [("Idempotency-Key", "run-1-batch-0")],
                json: #"{"inputs":[{"idProperty":"email","id":"j@example.com","properties":{"firstname":"J"}}]}"#)

            let entries = server.journal.entries()
            #expect(entries.map(\.platform) == ["slack", "webhook", "hubspot"])
            #expect(entries.map(\.operation) == ["post", "deliver", "upsert"])
            #expect(entries[1].resource == "/crm/events")
            #expect(entries[1].headers.first { $0.0 == "webhook-signature" }?.1 == "v1,abc")
            #expect(entries[2].idempotencyKey == "run-1-batch-0")
            #expect(entries[2].status == 200)
            #expect(entries[2].body["inputs"]?.arrayValue?.count == 1)

            let served = try await send(.GET, origin + "/_sandbox/journal")
            let lines = served.text.split(separator: "\n").map { JSONValue.parse(Data($0.utf8)) }
            #expect(lines.count == 3)
            #expect(lines[0]?["body"]?["text"]?.stringValue == "one")
            #expect(lines[0]?["applied"]?.boolValue == true)
            let later = try await send(.GET, origin + "/_sandbox/journal?since=2")
            #expect(later.text.split(separator: "\n").count == 1)
            #expect(JSONValue.parse(Data(later.text.utf8.dropLast()))?["sequence"]?.intValue == 3)
        }
    }

    @Test func journalWritesWholeNumbersWithoutAFraction() async throws {
        try await withSandbox { _, origin in
            _ = try await send(.POST, origin + "/webhook/crm/events", json: #"{"score":100.0,"count":7,"ratio":0.25}"#)
            let served = try await send(.GET, origin + "/_sandbox/journal")
            #expect(served.text.contains(#""body":{"score":100,"count":7,"ratio":0.25}"#))
        }
    }

    @Test func credentialsNeverReachTheJournal() async throws {
        try await withSandbox { server, origin in
            _ = try await send(
                .POST, origin + "/sendgrid/v3/mail/send", headers: [("Authorization", "Bearer SG.secret-value")],
                json: SendGridSandboxTests.mail)
            #expect(server.journal.entries().count == 1)
            #expect(!server.journal.jsonLines().contains("secret-value"))
        }
    }

    @Test func healthAndUnknownPrefixes() async throws {
        try await withSandbox { server, origin in
            let health = try await send(.GET, origin + "/_sandbox/health")
            #expect(health.json?["status"]?.stringValue == "ok")
            #expect(health.json?["platforms"]?.arrayValue?.contains("hubspot") == true)
            // A platform the sandbox does not imitate (a connector of the user's own) takes writes and reads nothing.
            let unknown = try await send(.GET, origin + "/acme_crm/v2/contacts")
            #expect(unknown.status == 200)
            let written = try await send(.POST, origin + "/acme_crm/v2/contacts", json: #"{"email":"a@example.com"}"#)
            #expect(written.status == 200)
            #expect(server.journal.entries().last?.platform == "acme_crm")
            let wrong = try await send(.GET, origin + "/no%20where/x")
            #expect(wrong.status == 404)
            #expect(wrong.json?["message"]?.stringValue?.contains("/hubspot") == true)
        }
    }
}

@Suite struct FaultTests {
    @Test(arguments: [
        ("429=0.1,500=0.05,timeout=0.02,reset=0.02,malformed=0.01,latency=20ms", nil),
        ("", nil),
        ("429=2", "faults item 1 `429=2`: the rate must be a number from 0 to 1, such as 0.05"),
        ("418=0.1", "faults item 1 `418=0.1`: unknown fault `418`; expected 429, 500, 502, 503, 504, timeout, reset, lost, malformed or latency"),
        ("500=0.1,latency=fast", "faults item 2 `latency=fast`: latency must be a duration such as 20ms or 1s"),
        ("429", "faults item 1 `429`: expected NAME=VALUE, for example 429=0.1 or latency=20ms"),
        ("429=0.6,500=0.6", "faults: the rates add up to 1.2, more than 1"),
        ("reset=0.1,reset=0.2", "faults item 2 `reset=0.2`: `reset` is given twice"),
    ] as [(String, String?)])
    func faultSpecsParseOrSayWhatIsWrong(text: String, expected: String?) {
        do {
            _ = try FaultSpec.parse(text)
            #expect(expected == nil)
        } catch {
            #expect(error.message == expected)
        }
    }

    @Test func faultsFollowFromTheSeedAlone() throws {
        let spec = try FaultSpec.parse("429=0.2,500=0.1,reset=0.1")
        let first = (0..<200).map { spec.fault(forRequest: $0, seed: 42) }
        let again = (0..<200).map { spec.fault(forRequest: $0, seed: 42) }
        let other = (0..<200).map { spec.fault(forRequest: $0, seed: 43) }
        #expect(first == again)
        #expect(first != other)
        let rateLimited = first.filter { $0 == .rateLimited }.count
        #expect(rateLimited > 20 && rateLimited < 60)
    }

    /// The statuses of `count` sequential requests, 0 where the connection closed unanswered.
    static func statuses(origin: String, count: Int) async -> [Int] {
        var statuses: [Int] = []
        for _ in 0..<count {
            let answer = try? await send(.GET, origin + "/hubspot/crm/v3/objects/contacts?limit=2", headers: bearer)
            statuses.append(answer?.status ?? 0)
        }
        return statuses
    }

    @Test func sameSeedGivesTheSameFaultsOverHTTP() async throws {
        let spec = try FaultSpec.parse("429=0.2,500=0.2,reset=0.1")
        let first = try await withSandbox(seed: 5, faults: spec) { _, origin in await Self.statuses(origin: origin, count: 30) }
        let second = try await withSandbox(seed: 5, faults: spec) { _, origin in await Self.statuses(origin: origin, count: 30) }
        #expect(first == second)
        #expect(first.contains(429) && first.contains(500) && first.contains(0) && first.contains(200))
    }

    @Test func faultedWritesAreNotApplied() async throws {
        var sizes = smallSizes()
        sizes.hubSpotContacts = 0
        let spec = try FaultSpec.parse("500=0.3,reset=0.15,malformed=0.15,429=0.1")
        try await withSandbox(seed: 3, faults: spec, sizes: sizes) { server, origin in
            var applied: Set<String> = []
            for index in 0..<30 {
                let email = "w\(index)@example.com"
                let answer = try? await send(
                    .POST, origin + "/hubspot/crm/v3/objects/contacts/batch/create", headers: bearer,
                    json: #"{"inputs":[{"properties":{"email":"\#(email)"}}]}"#)
                if answer?.status == 201, answer?.json != nil { applied.insert(email) }
            }
            #expect(!applied.isEmpty && applied.count < 30)
            // Read everything back, repeating each page until it is answered whole.
            var stored: Set<String> = []
            var after = "0"
            while true {
                var page: JSONValue?
                while page == nil {
                    let answer = try? await send(
                        .GET, origin + "/hubspot/crm/v3/objects/contacts?limit=100&after=\(after)&properties=email", headers: bearer)
                    if answer?.status == 200 { page = answer?.json }
                }
                stored.formUnion(page?["results"]?.arrayValue?.compactMap { $0["properties"]?["email"]?.stringValue } ?? [])
                guard let next = page?["paging"]?["next"]?["after"]?.stringValue else { break }
                after = next
            }
            #expect(stored == applied)
            let journal = server.journal.entries()
            #expect(journal.count == 30)
            #expect(journal.filter { $0.fault == nil && $0.status == 201 }.count == applied.count)
        }
    }

    @Test func malformedAnswersAreCutShort() async throws {
        try await withSandbox(faults: try FaultSpec.parse("malformed=1")) { _, origin in
            let answer = try await send(.GET, origin + "/hubspot/crm/v3/objects/contacts?limit=5", headers: bearer)
            #expect(answer.status == 200)
            #expect(!answer.body.isEmpty)
            #expect(answer.json == nil)
        }
    }

    @Test func heldRequestsTimeOutAndStopReleasesThem() async throws {
        let server = SandboxServer(sizes: smallSizes(), referenceDate: referenceDate, timeoutHold: .seconds(300))
        let origin = try await server.start(port: 0, seed: 1, faults: try FaultSpec.parse("timeout=1")).absoluteString
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: HTTPClientError.self) {
            _ = try await send(.GET, origin + "/hubspot/crm/v3/objects/contacts", headers: bearer, timeout: .milliseconds(500))
        }
        #expect(clock.now - started < .seconds(5))
        let background = Task { try? await send(.GET, origin + "/slack/services/T/B/x", json: #"{"text":"x"}"#, timeout: .seconds(120)) }
        try await Task.sleep(for: .milliseconds(200))
        let stopping = clock.now
        await server.stop()
        #expect(clock.now - stopping < .seconds(10))
        #expect(await background.value == nil)
    }

    @Test func latencyDelaysEveryAnswer() async throws {
        try await withSandbox(faults: try FaultSpec.parse("latency=300ms")) { _, origin in
            let clock = ContinuousClock()
            let started = clock.now
            let answer = try await send(.GET, origin + "/hubspot/crm/v3/objects/deals?limit=1", headers: bearer)
            #expect(answer.status == 200)
            #expect(clock.now - started >= .milliseconds(300))
        }
    }
}
