import CEL
import Diagnostics
import Foundation
import Hummingbird
import Logging
@testable import PlaybookLanguage
@testable import PlaybookRuntime
import Synchronization
import Testing

private let quietLogger: Logger = {
    var logger = Logger(label: "loopback-test-server")
    logger.logLevel = .critical
    return logger
}()

/// A server on a free loopback port, for the length of `body`.
func withLoopbackServer<Result: Sendable>(
    _ build: (Router<BasicRequestContext>) -> Void,
    _ body: @Sendable (_ base: String) async throws -> Result
) async throws -> Result {
    let router = Router()
    build(router)
    let port = Mutex<Int?>(nil)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
        logger: quietLogger
    )
    let server = Task { try await app.runService(gracefulShutdownSignals: []) }
    defer { server.cancel() }
    var waited = 0
    while port.withLock({ $0 }) == nil {
        try await Task.sleep(for: .milliseconds(10))
        waited += 1
        if waited > 500 { throw ConnectorUnavailable("the test server did not start") }
    }
    return try await body("http://127.0.0.1:\(port.withLock { $0! })")
}

/// A transport closed once `body` is over.
func withTransport<Result: Sendable>(_ body: (AsyncHTTPTransport) async throws -> Result) async throws -> Result {
    let transport = AsyncHTTPTransport()
    do {
        let result = try await body(transport)
        await transport.shutdown()
        return result
    } catch {
        await transport.shutdown()
        throw error
    }
}

/// A connector made for these tests: items under `properties`, numbers as text, as HubSpot writes them.
private func testConnector(_ http: ConnectorHTTP, read: HTTPRead? = nil, writes: [SyncMode: HTTPWrite] = [:]) -> ConnectorDescriptor {
    let resource = ResourceDescriptor(
        name: "items", summary: "Test items.", syncModes: Array(writes.keys),
        fields: [.init("id", .string), .init("name", .string), .init("score", .int), .init("changed_at", .timestamp)],
        matchFields: ["id"], maxBatchSize: 2,
        http: ResourceHTTP(fieldPaths: ["name": "properties.name", "score": "properties.score", "changed_at": "properties.changed"],
                           fieldFormats: ["changed_at": .epochMilliseconds], read: read, writes: writes)
    )
    return ConnectorDescriptor(name: "testcrm", title: "Test CRM", summary: "For tests.", capabilities: [.read, .write],
                               authSchemes: [AuthScheme(name: "bearer", summary: "Token.", requiredFields: ["token"]),
                                             AuthScheme(name: "oauth", summary: "OAuth.", requiredFields: ["client_id", "client_secret", "refresh_token"])],
                               resources: [resource], http: http)
}

private func connection(_ connector: ConnectorDescriptor, base: String, auth: [(String, String)] = [("token", "TEST_TOKEN")]) -> PlanConnection {
    PlanConnection(name: ConnectionName("crm"), connector: connector, rateLimit: nil, concurrency: nil,
                   auth: auth.map { (field: $0.0, secret: SecretName($0.1)) },
                   options: [(name: "base_url", value: Located(JSONValue.string(base), at: SourceRange(start: 0, end: 0)))],
                   range: SourceRange(start: 0, end: 0))
}

private let quickRetries = RemoteCalls(
    retry: RetryPolicy(maxAttempts: 3, backoff: .constant, initialDelay: .milliseconds(10), multiplier: 1, maxDelay: .milliseconds(10), jitter: .none, maxElapsed: .seconds(30)),
    timeout: .seconds(10)
)

private let bearer = ConnectorHTTP(baseURL: "https://crm.example.com/api", auth: ["bearer": .header(HTTPHeaderTemplate("Authorization", "Bearer {auth.token}"))])

private func readAll(_ source: some RecordSource) async throws -> [Record] {
    var records: [Record] = []
    while let page = try await source.nextPage() { records += page.records }
    return records
}

private func items(_ range: Range<Int>) -> [[String: Any]] {
    range.map { ["id": "\($0)", "properties": ["name": "Item \($0)", "score": "\($0 * 10)", "changed": 1_767_225_600_000 + $0]] }
}

private func json(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    let data = try! JSONSerialization.data(withJSONObject: object)
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

private func shown(_ value: CELValue?) -> String? { value.map { JSONText.string($0) } }

private struct Secrets: SecretSource {
    var values: [String: String]
    func value(of name: SecretName) -> String? { values[name.rawValue] }
}

@Suite struct HTTPConnectorTests {
    @Test func readsEveryPageByTokenAndMapsFieldsByPath() async throws {
        let seenAuth = Mutex<[String]>([])
        let records = try await withLoopbackServer({ router in
            router.get("/base/api/items") { request, _ -> Response in
                seenAuth.withLock { $0.append(request.headers[.authorization] ?? "") }
                let after = Int(request.uri.queryParameters["after"].map(String.init) ?? "0") ?? 0
                var body: [String: Any] = ["results": items(after..<min(after + 3, 7))]
                if after + 3 < 7 { body["paging"] = ["next": ["after": "\(after + 3)"]] }
                return json(body)
            }
        }) { base in
            let read = HTTPRead(request: HTTPRequestTemplate(method: "GET", path: "/items", query: [HTTPHeaderTemplate("limit", "{page.size}")]),
                                records: "results", pagination: .token(next: "paging.next.after", sendAs: .query("after")), defaultPageSize: 3)
            let connector = testConnector(bearer, read: read)
            let http = try HTTPConnection(connection: connection(connector, base: base + "/base"), http: bearer,
                                          secrets: Secrets(values: ["TEST_TOKEN": "t0ken"]), transport: AsyncHTTPTransport())
            let fetch = FetchOperation(source: .connection(ConnectionName("crm"), resource: "items", descriptor: connector.resources[0]), params: [],
                                       incremental: nil, declaredFields: nil, pageSize: nil, maxPages: nil, maxRecords: nil)
            let source = HTTPRecordSource(connection: http, read: read, records: PlatformRecords(resource: connector.resources[0], http: connector.resources[0].http!, layout: nil),
                                          fetch: fetch, calls: quickRetries)
                        return try await readAll(source)
        }
        #expect(records.count == 7)
        #expect(records.map { shown($0["id"]) } == (0..<7).map { "\"\($0)\"" })
        #expect(shown(records[2]["name"]) == "\"Item 2\"")
        #expect(shown(records[2]["score"]) == "20")
        #expect(shown(records[1]["changed_at"]) == shown(.timestamp(CELTimestamp(nanos: Int128(1_767_225_600_001) * 1_000_000))))
        #expect(seenAuth.withLock { $0 } == Array(repeating: "Bearer t0ken", count: 3))
    }

    @Test func aRepeatedTokenStopsTheReadWithAnError() async throws {
        await #expect(throws: PaginationLoop.self) {
            try await withLoopbackServer({ router in
                router.get("/api/items") { _, _ -> Response in json(["results": items(0..<1), "paging": ["next": ["after": "same"]]]) }
            }) { base in
                let read = HTTPRead(request: HTTPRequestTemplate(method: "GET", path: "/items"), records: "results",
                                    pagination: .token(next: "paging.next.after", sendAs: .query("after")))
                let connector = testConnector(bearer, read: read)
                let http = try HTTPConnection(connection: connection(connector, base: base), http: bearer,
                                              secrets: Secrets(values: ["TEST_TOKEN": "x"]), transport: AsyncHTTPTransport())
                let fetch = FetchOperation(source: .connection(ConnectionName("crm"), resource: "items", descriptor: nil), params: [],
                                           incremental: nil, declaredFields: nil, pageSize: nil, maxPages: nil, maxRecords: nil)
                let source = HTTPRecordSource(connection: http, read: read, records: PlatformRecords(resource: connector.resources[0], http: connector.resources[0].http!, layout: nil),
                                              fetch: fetch, calls: quickRetries)
                                _ = try await readAll(source)
            }
        }
    }

    @Test func a429WithRetryAfterIsWaitedOutAndTriedAgain() async throws {
        let calls = Mutex(0)
        let answer = try await withLoopbackServer({ router in
            router.get("/api/items") { _, _ -> Response in
                let number = calls.withLock { $0 += 1; return $0 }
                if number == 1 { return json(["message": "slow down"], status: .tooManyRequests, headers: [.retryAfter: "1"]) }
                return json(["results": []])
            }
        }) { base in
            let connector = testConnector(bearer)
            let http = try HTTPConnection(connection: connection(connector, base: base), http: bearer,
                                          secrets: Secrets(values: ["TEST_TOKEN": "x"]), transport: AsyncHTTPTransport())
                        let started = ContinuousClock.now
            let (answer, _) = try await http.call(HTTPRequestTemplate(method: "GET", path: "/items"), values: TemplateValues(), calls: quickRetries)
            return (answer.status, ContinuousClock.now - started)
        }
        #expect(answer.0 == 200)
        #expect(calls.withLock { $0 } == 2)
        // The wait asked for is kept: more than the policy's 10 ms backoff.
        #expect(answer.1 >= .milliseconds(900))
    }

    @Test func aWaitLongerThanTheRetryBudgetFailsAtOnceSayingWhy() async throws {
        let error = await #expect(throws: RetryBudgetExceeded.self) {
            try await withLoopbackServer({ router in
                router.get("/api/items") { _, _ -> Response in json(["message": "daily limit"], status: .tooManyRequests, headers: [.retryAfter: "86400"]) }
            }) { base in
                let connector = testConnector(bearer)
                let http = try HTTPConnection(connection: connection(connector, base: base), http: bearer,
                                              secrets: Secrets(values: ["TEST_TOKEN": "x"]), transport: AsyncHTTPTransport())
                                _ = try await http.call(HTTPRequestTemplate(method: "GET", path: "/items"), values: TemplateValues(), calls: quickRetries)
            }
        }
        #expect(error?.description.contains("86400 s") == true)
        #expect(error?.description.contains("daily limit") == true)
    }

    @Test func refusedRecordsAreExactlyThoseThePlatformListed() async throws {
        let bodies = Mutex<[String]>([])
        let refused = try await withLoopbackServer({ router in
            router.post("/api/items/batch/update") { request, context -> Response in
                let body = try await request.body.collect(upTo: 1_000_000)
                bodies.withLock { $0.append(String(buffer: body)) }
                return json(["status": "COMPLETE", "results": [], "errors": [["message": "unknown id", "context": ["ids": ["b"]]]]], status: .init(code: 207))
            }
        }) { base in
            let write = HTTPWrite(request: HTTPRequestTemplate(method: "POST", path: "/items/batch/update", body: .object([("inputs", .string("{items}"))])),
                                  refusals: .listed(errors: "errors", key: "context.ids.0", reason: "message"))
            let connector = testConnector(bearer, writes: [.update: write])
            let http = try HTTPConnection(connection: connection(connector, base: base), http: bearer,
                                          secrets: Secrets(values: ["TEST_TOKEN": "x"]), transport: AsyncHTTPTransport())
                        let sync = SyncOperation(connection: ConnectionName("crm"), resource: "items", descriptor: connector.resources[0], mode: .update,
                                     matchOn: "id", fields: [], params: [], tags: [], batchSize: nil)
            let sink = HTTPRecordSink(connection: http, write: write, records: PlatformRecords(resource: connector.resources[0], http: connector.resources[0].http!, layout: nil),
                                      sync: sync, calls: quickRetries)
            let batch = ["a", "b", "c"].map { CELMap(["id": .string($0), "name": .string("N \($0)")]) }
            return try await sink.write(batch)
        }
        // The batch limit is 2: two calls, and the second also lists "b", which is not in it.
        #expect(bodies.withLock { $0.count } == 2)
        #expect(refused.map { $0.index } == [1])
        #expect(refused.first?.reason.contains("unknown id") == true)
        let first = try JSONValue(parsing: bodies.withLock { $0[0] })
        #expect(first["inputs"] == .array([
            .object([("id", .string("a")), ("properties", .object([("name", .string("N a"))]))]),
            .object([("id", .string("b")), ("properties", .object([("name", .string("N b"))]))]),
        ]) || first["inputs"].map { JSONPath.text(JSONPath.value(at: "1.id", in: $0)) == "b" } == true)
    }

    @Test func aMissingSecretNamesTheSecretAndTheConnection() throws {
        let connector = testConnector(bearer)
        #expect {
            _ = try HTTPConnection(connection: connection(connector, base: "http://127.0.0.1:9"), http: bearer,
                                   secrets: Secrets(values: [:]), transport: AsyncHTTPTransport())
        } throws: { error in
            let text = String(describing: error)
            return text.contains("TEST_TOKEN") && text.contains("'crm'")
        }
    }

    @Test func aSecretNeverAppearsInAnError() async throws {
        let canary = "canary-9f8e7d/+secret"
        let query = ConnectorHTTP(baseURL: "https://crm.example.com", auth: ["bearer": .query(name: "access_token", value: "{auth.token}")])
        let error = await #expect(throws: PlatformError.self) {
            try await withLoopbackServer({ router in
                router.get("/items") { request, _ -> Response in
                    // A hostile platform echoes the whole request back in its error.
                    json(["error": ["message": "bad request \(request.uri.description) \(request.uri.queryParameters["access_token"].map(String.init) ?? "")"]], status: .badRequest)
                }
            }) { base in
                let connector = testConnector(query)
                let http = try HTTPConnection(connection: connection(connector, base: base), http: query,
                                              secrets: Secrets(values: ["TEST_TOKEN": canary]), transport: AsyncHTTPTransport())
                                _ = try await http.call(HTTPRequestTemplate(method: "GET", path: "/items"), values: TemplateValues(), calls: quickRetries)
            }
        }
        let text = String(describing: error!)
        #expect(text.contains("bad request"))
        #expect(!text.contains(canary))
        #expect(!text.contains(canary.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
        #expect(text.contains(SecretRedactor.mask))
    }

    @Test func anOAuthTokenIsFetchedOnceAndAgainAfterA401() async throws {
        let tokenRequests = Mutex(0)
        let seen = Mutex<[String]>([])
        let oauth = ConnectorHTTP(baseURL: "https://crm.example.com", auth: ["oauth": .oauth2(OAuth2Flow(grant: .refreshToken, tokenURL: "/oauth/token"))])
        try await withLoopbackServer({ router in
            router.post("/oauth/token") { request, _ -> Response in
                let body = String(buffer: try await request.body.collect(upTo: 10_000))
                guard body.contains("grant_type=refresh_token"), body.contains("refresh_token=r1") else { return json(["error": "invalid_grant"], status: .badRequest) }
                let number = tokenRequests.withLock { $0 += 1; return $0 }
                return json(["access_token": "token-\(number)", "expires_in": 1800])
            }
            router.get("/items") { request, _ -> Response in
                let header = request.headers[.authorization] ?? ""
                seen.withLock { $0.append(header) }
                // The first token is revoked after its first use.
                if header == "Bearer token-1", seen.withLock({ $0.count }) > 1 { return json(["message": "expired"], status: .unauthorized) }
                return json(["results": []])
            }
        }) { base in
            let connector = testConnector(oauth)
            let http = try HTTPConnection(connection: connection(connector, base: base, auth: [("client_id", "ID"), ("client_secret", "SECRET"), ("refresh_token", "REFRESH")]),
                                          http: oauth, secrets: Secrets(values: ["ID": "c1", "SECRET": "s1", "REFRESH": "r1"]), transport: AsyncHTTPTransport())
                        for _ in 0..<3 {
                _ = try await http.call(HTTPRequestTemplate(method: "GET", path: "/items"), values: TemplateValues(), calls: quickRetries)
            }
        }
        #expect(tokenRequests.withLock { $0 } == 2)
        #expect(seen.withLock { $0 } == ["Bearer token-1", "Bearer token-1", "Bearer token-2", "Bearer token-2"])
    }
}

@Suite struct PaginatorTests {
    private func page(_ members: [(String, JSONValue)]) -> JSONValue { .object(members) }

    @Test func offsetStopsAtTheTotal() throws {
        var paginator = Paginator(pagination: .offset(offset: .query("offset"), size: .query("count"), total: "total_items"), shortPageIsLast: false, pageSize: 10)
        try paginator.advance(answer: page([("total_items", .int(25))]), count: 10)
        #expect(!paginator.isFinished && paginator.offset == 10)
        try paginator.advance(answer: page([("total_items", .int(25))]), count: 10)
        try paginator.advance(answer: page([("total_items", .int(25))]), count: 5)
        #expect(paginator.isFinished)
    }

    @Test func nextURLStopsWhenDone() throws {
        var paginator = Paginator(pagination: .nextURL(next: "nextRecordsUrl", done: "done"), shortPageIsLast: false, pageSize: nil)
        try paginator.advance(answer: page([("done", .bool(false)), ("nextRecordsUrl", .string("/q/1"))]), count: 2)
        #expect(paginator.nextURL == "/q/1" && !paginator.isFinished)
        try paginator.advance(answer: page([("done", .bool(true))]), count: 2)
        #expect(paginator.isFinished)
    }

    @Test func aShortPageIsNotTheEndWhereThePlatformSaysSo() throws {
        var meta = Paginator(pagination: .token(next: "paging.cursors.after", sendAs: .query("after")), shortPageIsLast: false, pageSize: 25)
        try meta.advance(answer: .object([("paging", .object([("cursors", .object([("after", .string("c2"))]))]))]), count: 3)
        #expect(!meta.isFinished && meta.token == "c2")
        var linkedIn = Paginator(pagination: .offset(offset: .query("start"), size: .query("count"), total: nil), shortPageIsLast: true, pageSize: 10)
        try linkedIn.advance(answer: .object([]), count: 3)
        #expect(linkedIn.isFinished)
    }

    @Test func anEmptyTokenEndsTheRead() throws {
        var paginator = Paginator(pagination: .token(next: "response_metadata.next_cursor", sendAs: .query("cursor")), shortPageIsLast: false, pageSize: nil)
        try paginator.advance(answer: .object([("response_metadata", .object([("next_cursor", .string(""))]))]), count: 5)
        #expect(paginator.isFinished)
    }
}

@Suite struct RateLimitSignalTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func retryAfterInMillisecondsAsHubSpotWritesIt() {
        let reading = AnswerReading(HTTPAnswer(status: 429, headers: [("Retry-After", "1500")]), json: nil, signals: [.retryAfter(unit: .milliseconds)], now: now)
        #expect(reading.rateLimited && reading.retryAfter == .milliseconds(1500))
    }

    @Test func sendGridResetIsAnEpochTime() {
        let signal = RateLimitSignal.rateLimitHeaders(limit: "X-RateLimit-Limit", remaining: "X-RateLimit-Remaining", reset: "X-RateLimit-Reset", resetIsEpoch: true)
        let answer = HTTPAnswer(status: 429, headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1800000030")])
        let reading = AnswerReading(answer, json: nil, signals: [signal], now: now)
        #expect(reading.rateLimited && reading.retryAfter == .seconds(30) && reading.remaining?.count == 0)
    }

    @Test func googleRetryDelayInTheErrorDetails() throws {
        let body = try JSONValue(parsing: #"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"errors":[{"details":{"quotaErrorDetails":{"retryDelay":"12s"}}}]}]}}"#)
        let reading = AnswerReading(HTTPAnswer(status: 429), json: body, signals: [.googleRetryDelay], now: now)
        #expect(reading.rateLimited && reading.retryAfter == .seconds(12))
    }

    @Test func metaSignalsByErrorCodeAndUsageHeaderWithoutA429() throws {
        let body = try JSONValue(parsing: #"{"error":{"message":"User request limit reached","code":17,"type":"OAuthException"}}"#)
        let usage = #"{"123":[{"type":"ads_management","call_count":100,"total_cputime":20,"total_time":20,"estimated_time_to_regain_access":2}]}"#
        let reading = AnswerReading(HTTPAnswer(status: 400, headers: [("X-Business-Use-Case-Usage", usage)]), json: body,
                                    signals: [.usageHeaders(headers: ["X-Business-Use-Case-Usage", "X-App-Usage"], errorCodes: [4, 17, 613])], now: now)
        #expect(reading.rateLimited && reading.retryAfter == .seconds(120) && reading.pause == .seconds(120))
    }

    @Test func salesforceCounterAndRequestLimitExceeded() throws {
        let body = try JSONValue(parsing: #"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#)
        let reading = AnswerReading(HTTPAnswer(status: 403, headers: [("Sforce-Limit-Info", "api-usage=5000/5000")]), json: body,
                                    signals: [.usageCounter(header: "Sforce-Limit-Info", errorCode: "REQUEST_LIMIT_EXCEEDED")], now: now)
        #expect(reading.rateLimited && reading.pause == .seconds(3600))
    }

    @Test func salesforceConcurrencyLimitIsBackedOffNotWaitedOutForAnHour() throws {
        let body = try JSONValue(parsing: #"[{"message":"ConcurrentPerOrgLongTxn Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#)
        let reading = AnswerReading(HTTPAnswer(status: 403, headers: [("Sforce-Limit-Info", "api-usage=18/5000")]), json: body,
                                    signals: [.usageCounter(header: "Sforce-Limit-Info", errorCode: "REQUEST_LIMIT_EXCEEDED")], now: now)
        #expect(reading.rateLimited && reading.retryAfter == nil && reading.pause == nil)
    }

    @Test func theBucketSpacesCallsAtTheSustainedRate() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(limit: RateLimit(count: 2, per: DurationLiteral(milliseconds: 1000)), now: start)
        #expect(bucket.take(now: start) == .zero)
        #expect(bucket.take(now: start) == .zero)
        #expect(bucket.take(now: start) == .milliseconds(500))
        #expect(bucket.take(now: start) == .seconds(1))
        #expect(bucket.take(now: start + .seconds(10)) == .zero)
    }
}

@Suite struct SecretSourceTests {
    @Test func aSecretsFileReadsNamesAndQuotedValuesAndSaysWhichLineIsWrong() throws {
        let file = try SecretsFile(path: "team.env", text: "# HubSpot\nHUBSPOT_TOKEN = pat-123\nSLACK_URL=\"https://hooks.slack.com/services/T/B/X\"\n\n")
        #expect(file.value(of: SecretName("HUBSPOT_TOKEN")) == "pat-123")
        #expect(file.value(of: SecretName("SLACK_URL")) == "https://hooks.slack.com/services/T/B/X")
        #expect(throws: SecretsFileError(path: "team.env", line: 2, problem: "is not NAME=value")) {
            _ = try SecretsFile(path: "team.env", text: "A=1\nsecret-without-name\n")
        }
    }

    @Test func theRedactorMasksPlainURLAndBase64Forms() {
        let redactor = SecretRedactor(values: ["p@ss word"])
        let text = "p@ss word, p%40ss%20word, \(Data("p@ss word".utf8).base64EncodedString())"
        #expect(redactor.redact(text) == "[secret], [secret], [secret]")
    }
}

@Suite struct HostileAnswerTests {
    private static let read = HTTPRead(request: HTTPRequestTemplate(method: "GET", path: "/items"), records: "results")
    private static let plain = ConnectorHTTP(baseURL: "https://crm.example.com", auth: ["bearer": .header(HTTPHeaderTemplate("Authorization", "Bearer {auth.token}"))])

    private func readError(maxAnswerBytes: Int = 32_000_000, _ build: (Router<BasicRequestContext>) -> Void) async -> any Error {
        do {
            return try await withLoopbackServer(build) { base -> any Error in
                let connector = testConnector(Self.plain, read: Self.read)
                let http = try HTTPConnection(connection: connection(connector, base: base), http: Self.plain,
                                              secrets: Secrets(values: ["TEST_TOKEN": "x"]), transport: AsyncHTTPTransport(maxAnswerBytes: maxAnswerBytes))
                let fetch = FetchOperation(source: .connection(ConnectionName("crm"), resource: "items", descriptor: nil), params: [],
                                           incremental: nil, declaredFields: nil, pageSize: nil, maxPages: nil, maxRecords: nil)
                let source = HTTPRecordSource(connection: http, read: Self.read, records: PlatformRecords(resource: connector.resources[0], http: connector.resources[0].http!, layout: nil),
                                              fetch: fetch, calls: quickRetries)
                do {
                    _ = try await readAll(source)
                    return ConnectorUnavailable("no error")
                } catch {
                    return error
                }
            }
        } catch {
            return error
        }
    }

    private static func body(_ text: String, type: String = "application/json") -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Test func aBodyThatIsNotJSONIsAClearError() async {
        let error = await readError { $0.get("/items") { _, _ in Self.body("<html>maintenance</html>", type: "text/html") } }
        #expect(error is UnreadableAnswer)
        #expect(String(describing: error).contains("GET http://127.0.0.1"))
    }

    @Test func aTruncatedBodyIsRetriedThenReported() async {
        let calls = Mutex(0)
        let error = await readError { $0.get("/items") { _, _ in calls.withLock { $0 += 1 }; return Self.body(#"{"results":[{"id":"1"},{"#) } }
        #expect(error is UnreadableAnswer)
        #expect(calls.withLock { $0 } == 3)
    }

    @Test func aBodyNestedTooDeeplyDoesNotCrash() async {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = await readError { $0.get("/items") { _, _ in Self.body(deep) } }
        #expect(error is UnreadableAnswer)
    }

    @Test func aRecordsListInTheWrongPlaceIsNamed() async {
        let error = await readError { $0.get("/items") { _, _ in Self.body(#"{"results":{"id":"1"}}"#) } }
        #expect(String(describing: error).contains("`results`"))
    }

    @Test func anAnswerLargerThanTheLimitIsRefused() async {
        let error = await readError(maxAnswerBytes: 10_000) { $0.get("/items") { _, _ in Self.body(#"{"results":[""# + String(repeating: "x", count: 50_000) + #""]}"#) } }
        #expect(String(describing: error).contains("larger than the limit"))
    }

    @Test func aServerThatStallsAfterItsHeadersTimesOut() async throws {
        let plain = Self.plain
        let stalled = try await withLoopbackServer({ router in
            router.get("/items") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: #"{"results":["#))
                    try await Task.sleep(for: .seconds(30))
                })
            }
        }) { base -> String in
            let connector = testConnector(plain)
            let http = try HTTPConnection(connection: connection(connector, base: base), http: plain,
                                          secrets: Secrets(values: ["TEST_TOKEN": "x"]), transport: AsyncHTTPTransport())
            let calls = RemoteCalls(retry: RetryPolicy(maxAttempts: 2, backoff: .constant, initialDelay: .milliseconds(10), multiplier: 1,
                                                       maxDelay: .milliseconds(10), jitter: .none, maxElapsed: .seconds(30)),
                                    timeout: .milliseconds(500))
            let started = ContinuousClock.now
            do {
                _ = try await http.call(HTTPRequestTemplate(method: "GET", path: "/items"), values: TemplateValues(), calls: calls)
                return "no error"
            } catch {
                #expect(ContinuousClock.now - started < .seconds(10))
                #expect(calls.count == 2)
                return String(describing: error)
            }
        }
        #expect(stalled.contains("timeout"))
    }

    @Test func aRedirectLoopIsAnErrorNotAHang() async {
        let error = await readError { router in
            router.get("/items") { _, _ in Response(status: .found, headers: [.location: "/elsewhere"]) }
            router.get("/elsewhere") { _, _ in Response(status: .found, headers: [.location: "/items"]) }
        }
        #expect(String(describing: error).contains("redirects"))
    }
}

@Suite struct WebhookSignatureTests {
    @Test func thePublishedStandardWebhooksVectorIsReproduced() {
        let signature = StandardWebhookSignature.sign(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                                      timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(signature != "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")
    }

    @Test func aSecretThatIsNotBase64CannotSign() {
        #expect(StandardWebhookSignature.sign(secret: "whsec_not base64!", id: "m", timestamp: 1, body: []) == nil)
    }
}
