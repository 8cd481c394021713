import Foundation
import PlaybookSandbox
import Testing

/// The sandbox's OAuth token endpoints take a JWT bearer grant as Google's does for service
/// accounts: any signature, but the assertion must read as one.
@Suite struct TokenEndpointTests {
    private static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static let now = Int(Date().timeIntervalSince1970)
    private static let header = #"{"alg":"RS256","typ":"JWT","kid":"k1"}"#
    private static let claims = #"{"iss":"reports@acme.iam.gserviceaccount.com","scope":"https://www.googleapis.com/auth/analytics.readonly","aud":"https://oauth2.googleapis.com/token","iat":\#(now),"exp":\#(now + 3600)}"#

    private static func assertion(header: String = header, claims: String = claims) -> String {
        base64URL(header) + "." + base64URL(claims) + ".c2lnbmF0dXJl"
    }

    private static func form(_ assertion: String) -> String {
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion
    }

    @Test func aWellFormedAssertionGetsATokenThatReadsAReport() async throws {
        try await withSandbox { _, origin in
            let answer = try await send(.POST, origin + "/ga4/token", form: Self.form(Self.assertion()))
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json?["token_type"]?.stringValue == "Bearer")
            #expect(answer.json?["expires_in"]?.intValue == 3600)
            let token = try #require(answer.json?["access_token"]?.stringValue)
            let report = try await send(
                .POST, origin + "/ga4/v1beta/properties/123456789:runReport", headers: [("Authorization", "Bearer \(token)")],
                json: #"{"dimensions":[{"name":"sessionSource"}],"metrics":[{"name":"sessions"}],"dateRanges":[{"startDate":"7daysAgo","endDate":"yesterday"}]}"#)
            #expect(report.status == 200, "\(report.text)")
            #expect(report.json?["rows"]?.arrayValue?.isEmpty == false)
        }
    }

    /// Assertions Google's token endpoint refuses, each with what is wrong with it.
    static let malformed: [(problem: String, assertion: String)] = {
        let signed = base64URL(header) + "." + base64URL(claims)
        let withoutIssuer: String = claims.replacingOccurrences(of: #""iss":"reports@acme.iam.gserviceaccount.com","#, with: "")
        let withoutAudience: String = claims.replacingOccurrences(of: #""aud":"https://oauth2.googleapis.com/token","#, with: "")
        let expired: String = claims.replacingOccurrences(of: "\(now + 3600)", with: "\(now - 60)")
        return [
            ("two parts", signed),
            ("not base64url", signed + ".c2ln!!"),
            ("claims not JSON", base64URL(header) + "." + base64URL("iss=me") + ".c2ln"),
            ("HS256", assertion(header: #"{"alg":"HS256","typ":"JWT"}"#)),
            ("no issuer", assertion(claims: withoutIssuer)),
            ("no audience", assertion(claims: withoutAudience)),
            ("expired", assertion(claims: expired)),
        ]
    }()

    @Test(arguments: malformed)
    func anAssertionThatDoesNotReadAsAJWTIsRefusedAsGoogleRefusesIt(problem: String, assertion: String) async throws {
        try await withSandbox { _, origin in
            let answer = try await send(.POST, origin + "/ga4/token", form: Self.form(assertion))
            #expect(answer.status == 400, "\(problem): \(answer.text)")
            #expect(answer.json?["error"]?.stringValue == "invalid_grant")
            #expect(answer.json?["error_description"]?.stringValue?.hasPrefix("Invalid JWT") == true)
            #expect(answer.json?["access_token"] == nil)
        }
    }
}
