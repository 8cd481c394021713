import Diagnostics
import Foundation

/// A platform the sandbox does not imitate, such as one a user described in a connector spec of
/// their own: every write is accepted and journaled, every read finds nothing. So a run against the
/// sandbox never calls the real platform, and the summary still shows what it would have written.
final class GenericSandbox: SandboxPlatform {
    let name: String
    let examplePath = "any/path"

    init(name: String) { self.name = name }

    func write(of request: SandboxRequest) -> WriteDescription? {
        guard request.method != .get else { return nil }
        return WriteDescription(resource: "/" + request.segments.joined(separator: "/"), operation: request.method.rawValue.lowercased())
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        .json(200, [:])
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited: return .json(429, ["error": "too_many_requests"]).adding("Retry-After", "1")
        case .serverError(let status): return .json(status, ["error": "internal_error"])
        default: return .json(500, ["error": "internal_error"])
        }
    }
}

/// OAuth 2 token endpoints that live on another host than the platform's API (Google's
/// `oauth2.googleapis.com/token`, LinkedIn's `www.linkedin.com/oauth/v2/accessToken`, Salesforce's
/// login host): a connection pointed at the sandbox sends its token requests under the platform's
/// prefix too. A refresh-token or client-credentials grant with its fields, or a JWT bearer grant
/// whose assertion reads as Google's service accounts write it, gets a token; anything else gets
/// the OAuth error `invalid_grant`.
enum SandboxTokenEndpoint {
    static let paths: [[String]] = [["token"], ["oauth", "v2", "accessToken"], ["services", "oauth2", "token"]]

    static func answers(_ request: SandboxRequest) -> Bool {
        request.method == .post && paths.contains(request.segments)
    }

    static let jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"

    static func reply(to request: SandboxRequest, platform: String, ids: inout SandboxTokenCounter, now: Date) -> SandboxReply {
        let form = request.formFields
        let grant = form["grant_type"] ?? ""
        let refusal: String? = switch grant {
        case "refresh_token":
            !(form["refresh_token"] ?? "").isEmpty && !(form["client_id"] ?? "").isEmpty ? nil : "a refresh_token grant needs refresh_token and client_id"
        case "client_credentials":
            !(form["client_id"] ?? "").isEmpty && !(form["client_secret"] ?? "").isEmpty ? nil : "a client_credentials grant needs client_id and client_secret"
        case jwtBearerGrant:
            assertionProblem(form["assertion"] ?? "", now: now)
        default:
            "a refresh_token, client_credentials or JWT bearer grant with its fields is needed"
        }
        if let refusal {
            return .json(400, ["error": "invalid_grant", "error_description": .string(refusal)])
        }
        ids.issued += 1
        var answer: [(String, JSONValue)] = [
            ("access_token", .string("sandbox-\(platform)-token-\(ids.issued)")),
            ("token_type", "Bearer"),
            ("expires_in", 3600),
        ]
        if platform == "salesforce" {
            // Salesforce names the org's host in its token answer.
            answer.append(("instance_url", .string(request.baseURL)))
            answer.append(("issued_at", .string(String(Int(Date().timeIntervalSince1970 * 1000)))))
        }
        return .json(200, .object(answer))
    }
}

extension SandboxTokenEndpoint {
    /// What is wrong with a JWT bearer assertion, as Google's token endpoint would refuse it, or nil
    /// when it reads well: three base64url parts, an RS256 header, and claims with an issuer, an
    /// audience and an expiry still ahead. The signature is not checked: the sandbox takes any
    /// credential.
    static func assertionProblem(_ assertion: String, now: Date) -> String? {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return "Invalid JWT: the assertion is not three base64url parts joined by dots" }
        guard let header = decodedPart(parts[0]), let claims = decodedPart(parts[1]), decodedBytes(parts[2]) != nil else {
            return "Invalid JWT: the header, claims or signature is not base64url JSON"
        }
        guard header["alg"]?.stringValue == "RS256" else { return "Invalid JWT: the header's alg is not RS256" }
        for claim in ["iss", "aud"] where (claims[claim]?.stringValue ?? "").isEmpty {
            return "Invalid JWT: the claims have no \(claim)"
        }
        guard let expiry = claims["exp"]?.intValue else { return "Invalid JWT: the claims have no exp" }
        guard Double(expiry) > now.timeIntervalSince1970 else {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."
        }
        return nil
    }

    private static func decodedPart(_ part: Substring) -> JSONValue? {
        guard let bytes = decodedBytes(part), let text = String(data: bytes, encoding: .utf8),
              let json = try? JSONValue(parsing: text), json.objectValue != nil else { return nil }
        return json
    }

    private static func decodedBytes(_ part: Substring) -> Data? {
        guard part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// How many tokens the sandbox has issued, for unique tokens.
struct SandboxTokenCounter: Sendable {
    var issued = 0
}
