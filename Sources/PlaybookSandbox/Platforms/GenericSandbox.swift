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
/// prefix too. A refresh-token or client-credentials grant with its fields gets a token; anything
/// else gets the OAuth error `invalid_grant`.
enum SandboxTokenEndpoint {
    static let paths: [[String]] = [["token"], ["oauth", "v2", "accessToken"], ["services", "oauth2", "token"]]

    static func answers(_ request: SandboxRequest) -> Bool {
        request.method == .post && paths.contains(request.segments)
    }

    static func reply(to request: SandboxRequest, platform: String, ids: inout SandboxTokenCounter) -> SandboxReply {
        let form = request.formFields
        let grant = form["grant_type"] ?? ""
        let complete = switch grant {
        case "refresh_token": !(form["refresh_token"] ?? "").isEmpty && !(form["client_id"] ?? "").isEmpty
        case "client_credentials": !(form["client_id"] ?? "").isEmpty && !(form["client_secret"] ?? "").isEmpty
        default: false
        }
        guard complete else {
            return .json(400, ["error": "invalid_grant", "error_description": "a refresh_token or client_credentials grant with its fields is needed"])
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

/// How many tokens the sandbox has issued, for unique tokens.
struct SandboxTokenCounter: Sendable {
    var issued = 0
}
