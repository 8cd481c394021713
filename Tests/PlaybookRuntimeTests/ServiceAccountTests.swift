import _CryptoExtras
import CEL
import Diagnostics
import Foundation
import Hummingbird
@testable import PlaybookLanguage
@testable import PlaybookRuntime
import Synchronization
import Testing

/// A service account made for these tests: its RSA key and the JSON key file Google would give.
private enum TestAccount {
    static let email = "reports@acme-analytics.iam.gserviceaccount.com"
    static let keyID = "4f1c9e2d7a"
    static let privateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let pem = privateKey.pkcs8PEMRepresentation
    /// The key file, on one line as a secrets file holds it.
    static let keyJSON = keyFile(["client_email": email, "private_key_id": keyID, "private_key": pem])

    static func keyFile(_ members: [String: String]) -> String {
        var object: [String: String] = ["type": "service_account", "project_id": "acme-analytics", "client_id": "1049"]
        for (name, value) in members { object[name] = value }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The lines of the private key's body, each of which must stay inside the run.
    static var pemLines: [String] {
        pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count > 16 }
    }
}

/// Text that stands for what a key holds, searched for in what the run shows.
private let canary = "CANARY7fQ2xW9"

private struct Secrets: SecretSource {
    var values: [String: String]
    func value(of name: SecretName) -> String? { values[name.rawValue] }
}

/// A JWT bearer assertion as the token endpoint reads it, decoded independently of the code that
/// writes it.
private struct ReceivedAssertion: Sendable {
    var header: [String: String]
    var claims: [String: String]
    var issuedAt: Int
    var expires: Int
    var signatureIsValid: Bool

    init?(_ assertion: String, verifiedWith key: _RSA.Signing.PublicKey) {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let headerData = Self.base64URL(parts[0]), let claimsData = Self.base64URL(parts[1]),
              let signature = Self.base64URL(parts[2]),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              let claims = try? JSONSerialization.jsonObject(with: claimsData) as? [String: Any] else { return nil }
        self.header = header.compactMapValues { $0 as? String }
        self.claims = claims.compactMapValues { $0 as? String }
        issuedAt = (claims["iat"] as? Int) ?? -1
        expires = (claims["exp"] as? Int) ?? -1
        signatureIsValid = key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature),
                                                for: Data((parts[0] + "." + parts[1]).utf8), padding: .insecurePKCS1v1_5)
    }

    private static func base64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

/// What the token endpoint of these tests saw.
private final class TokenEndpoint: Sendable {
    let forms = Mutex<[[String: String]]>([])
    let assertions = Mutex<[ReceivedAssertion]>([])
    let dataCalls = Mutex<[String]>([])

    static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    /// Takes a token request: records its form and its assertion as verified with the account's public key.
    func take(_ request: Request) async throws -> [String: String] {
        let form = Self.form(String(buffer: try await request.body.collect(upTo: 100_000)))
        forms.withLock { $0.append(form) }
        if let assertion = form["assertion"], let read = ReceivedAssertion(assertion, verifiedWith: TestAccount.privateKey.publicKey) {
            assertions.withLock { $0.append(read) }
        }
        return form
    }
}

private func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

private let quickRetries = RemoteCalls(
    retry: RetryPolicy(maxAttempts: 2, backoff: .constant, initialDelay: .milliseconds(10), multiplier: 1, maxDelay: .milliseconds(10), jitter: .none, maxElapsed: .seconds(30)),
    timeout: .seconds(10)
)

private func playbook(base: String) -> String {
    """
    version: 1
    name: ga4-service-account
    connections:
      analytics:
        connector: ga4
        auth: { service_account_key: { secret: GA4_KEY } }
        options: { property_id: "123456789", base_url: "\(base)" }
    steps:
      traffic:
        fetch: { connection: analytics, resource: report, params: { dimensions: [date, sessionSource], metrics: [sessions, engagementRate], limit: 2 } }
    """
}

/// Runs the GA4 playbook against `base` with `secrets`; returns the summary and the records read.
private func runReport(base: String, secrets: any SecretSource) async throws -> (summary: RunSummary, records: [Record]) {
    let plan = try #require(Runtime.plan(playbook(base: base)))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-ga4-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let records = Mutex<[Record]>([])
    let connectors = StandardConnectors(secrets: secrets)
    let options = RunOptions(baseDirectory: folder.path, outputObserver: { step, _, batch in
        if step == StepID("traffic") { records.withLock { $0 += batch } }
    })
    let summary = await Executor(plan: plan, options: options, connectors: connectors).run()
    await connectors.shutdown()
    return (summary, records.withLock { $0 })
}

/// Google Analytics 4 through a service account: the connection signs a JWT with the account's key
/// and trades it for an access token at the token endpoint, which these tests play over loopback.
@Suite struct ServiceAccountTests {
    @Test func aGA4ReadSignsInWithAJWTTheTokenEndpointVerifies() async throws {
        let endpoint = TokenEndpoint()
        let (summary, records, base) = try await withLoopbackServer({ router in
            router.post("/token") { request, _ -> Response in
                let form = try await endpoint.take(request)
                guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" else { return json(#"{"error":"unsupported_grant_type"}"#, status: .badRequest) }
                return json(#"{"access_token":"ya29.sa-token-1","expires_in":3599,"token_type":"Bearer"}"#)
            }
            router.on("**", method: .post) { request, _ -> Response in
                let body = String(buffer: try await request.body.collect(upTo: 100_000))
                endpoint.dataCalls.withLock { $0.append("\(request.uri.path) \(request.headers[.authorization] ?? "")") }
                return json(body.contains("\"offset\":2") ? PlatformAnswers.ga4ReportPage2 : PlatformAnswers.ga4ReportPage1)
            }
        }) { base in
            let (summary, records) = try await runReport(base: base, secrets: Secrets(values: ["GA4_KEY": TestAccount.keyJSON]))
            return (summary, records, base)
        }
        #expect(summary.status == .succeeded, "\(summary.steps.map { ($0.id, $0.error) })")
        #expect(records.count == 3)
        #expect(records.first?["session_source"].map { JSONText.string($0) } == #""google""#)

        // One token, for both pages of the report.
        let forms = endpoint.forms.withLock { $0 }
        #expect(forms.count == 1)
        #expect(Set(forms.first?.keys.map { $0 } ?? []) == ["grant_type", "assertion"])
        #expect(endpoint.dataCalls.withLock { $0 } == Array(repeating: "/v1beta/properties/123456789:runReport Bearer ya29.sa-token-1", count: 2))

        let assertion = try #require(endpoint.assertions.withLock { $0.first })
        #expect(assertion.signatureIsValid)
        #expect(assertion.header == ["alg": "RS256", "typ": "JWT", "kid": TestAccount.keyID])
        #expect(assertion.claims == ["iss": TestAccount.email, "scope": "https://www.googleapis.com/auth/analytics.readonly", "aud": base + "/token"])
        #expect(assertion.expires - assertion.issuedAt == 3600)
        #expect(abs(Double(assertion.issuedAt) - Date().timeIntervalSince1970) < 120)

        // What the run reports holds nothing of the key.
        for output in [SummaryRendering.text(summary), SummaryRendering.json(summary)] {
            #expect(output.contains("traffic"))
            for line in TestAccount.pemLines { #expect(!output.contains(line)) }
        }
    }

    @Test func theTokenIsReusedAndFetchedAgainAfterA401() async throws {
        let endpoint = TokenEndpoint()
        let ga4 = try #require(ConnectorCatalog.builtIn["ga4"])
        let http = try #require(ga4.http)
        try await withLoopbackServer({ router in
            router.post("/token") { request, _ -> Response in
                _ = try await endpoint.take(request)
                let number = endpoint.forms.withLock { $0.count }
                return json(#"{"access_token":"sa-token-\#(number)","expires_in":3600,"token_type":"Bearer"}"#)
            }
            router.on("**", method: .post) { request, _ -> Response in
                let header = request.headers[.authorization] ?? ""
                let seen = endpoint.dataCalls.withLock { $0.append(header); return $0.count }
                // The first token is revoked after its first use.
                if header == "Bearer sa-token-1", seen > 1 {
                    return json(#"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}"#, status: .unauthorized)
                }
                return json(PlatformAnswers.ga4ReportPage2)
            }
        }) { base in
            let planned = PlanConnection(
                name: ConnectionName("analytics"), connector: ga4, rateLimit: nil, concurrency: nil,
                auth: [(field: "service_account_key", secret: SecretName("GA4_KEY"))],
                options: [(name: "property_id", value: Located(JSONValue.string("123456789"), at: SourceRange(start: 0, end: 0))),
                          (name: "base_url", value: Located(JSONValue.string(base), at: SourceRange(start: 0, end: 0)))],
                range: SourceRange(start: 0, end: 0))
            try await withTransport { transport in
                let connection = try HTTPConnection(connection: planned, http: http, secrets: Secrets(values: ["GA4_KEY": TestAccount.keyJSON]),
                                                    transport: transport)
                let request = HTTPRequestTemplate(method: "POST", path: "/properties/{options.property_id}:runReport", body: .object([]))
                for _ in 0..<3 {
                    _ = try await connection.call(request, values: TemplateValues(), calls: quickRetries)
                }
            }
        }
        #expect(endpoint.forms.withLock { $0.count } == 2)
        #expect(endpoint.dataCalls.withLock { $0 } == ["Bearer sa-token-1", "Bearer sa-token-1", "Bearer sa-token-2", "Bearer sa-token-2"])
        // The second token was asked for with a JWT of its own, as valid as the first.
        #expect(endpoint.assertions.withLock { $0.map(\.signatureIsValid) } == [true, true])
    }

    /// A token endpoint that repeats the request in its error: the JWT it was sent is masked, and
    /// nothing of the key is shown.
    @Test func theSignedJWTIsMaskedWhereAnAnswerRepeatsIt() async throws {
        let endpoint = TokenEndpoint()
        let summary = try await withLoopbackServer({ router in
            router.post("/token") { request, _ -> Response in
                let form = try await endpoint.take(request)
                let echoed = form["assertion"] ?? ""
                return json(#"{"error":{"code":400,"message":"invalid_grant: cannot use \#(echoed)","status":"INVALID_ARGUMENT"}}"#, status: .badRequest)
            }
        }) { base in
            try await runReport(base: base, secrets: Secrets(values: ["GA4_KEY": TestAccount.keyJSON])).summary
        }
        #expect(summary.status == .failed)
        let sent = try #require(endpoint.forms.withLock { $0.first?["assertion"] })
        let signature = try #require(sent.split(separator: ".").last.map(String.init))
        for output in [SummaryRendering.text(summary), SummaryRendering.json(summary)] {
            #expect(output.contains("invalid_grant: cannot use \(SecretRedactor.mask)"), "\(output)")
            #expect(!output.contains(sent))
            #expect(!output.contains(signature))
            for line in TestAccount.pemLines { #expect(!output.contains(line)) }
        }
    }

    @Test(arguments: [
        ("-----BEGIN PRIVATE KEY----- \(canary)", "it is not JSON"),
        (TestAccount.keyFile(["private_key": TestAccount.pem]), "it has no client_email"),
        (TestAccount.keyFile(["client_email": TestAccount.email, "private_key_id": canary]), "it has no private_key"),
        (TestAccount.keyFile(["client_email": TestAccount.email, "private_key": "-----BEGIN PRIVATE KEY-----\n\(canary)\n-----END PRIVATE KEY-----\n"]),
         "its private_key is not an RSA private key in PEM form"),
    ])
    func anUnusableKeyIsAClearErrorThatShowsNothingOfIt(key: String, problem: String) throws {
        let ga4 = try #require(ConnectorCatalog.builtIn["ga4"])
        let planned = PlanConnection(
            name: ConnectionName("analytics"), connector: ga4, rateLimit: nil, concurrency: nil,
            auth: [(field: "service_account_key", secret: SecretName("GA4_KEY"))],
            options: [(name: "property_id", value: Located(JSONValue.string("123456789"), at: SourceRange(start: 0, end: 0)))],
            range: SourceRange(start: 0, end: 0))
        let error = #expect(throws: UnusableServiceAccountKey.self) {
            _ = try HTTPConnection(connection: planned, http: try #require(ga4.http), secrets: Secrets(values: ["GA4_KEY": key]),
                                   transport: AsyncHTTPTransport())
        }
        let text = String(describing: try #require(error))
        #expect(text.hasPrefix("the secret GA4_KEY (the 'service_account_key' of the connection 'analytics') is not a usable service account key: \(problem);"))
        #expect(!text.contains(canary))
        for line in TestAccount.pemLines { #expect(!text.contains(line)) }
    }

    @Test func theSandboxGivesAServiceAccountKeyItsOwnAccountCanSignWith() throws {
        let standIn = try #require(SandboxSecrets().value(of: SecretName("GA4_KEY"), as: .serviceAccountKey))
        let key = try ServiceAccountKey(json: standIn)
        let assertion = try key.assertion(scope: "s", audience: "http://127.0.0.1/ga4/token", issuedAt: Date())
        #expect(assertion.split(separator: ".").count == 3)
        // The same key for every connection of the process; a text secret stays a plain stand-in.
        #expect(SandboxSecrets().value(of: SecretName("OTHER"), as: .serviceAccountKey) == standIn)
        #expect(SandboxSecrets().value(of: SecretName("GA4_KEY"), as: .text) == "sandbox-ga4_key")
    }
}
