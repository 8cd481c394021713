import Foundation

/// A receiver for outgoing webhooks: any POST under `/webhook/` is accepted and journaled with its
/// delivery headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
final class WebhookSandbox: SandboxPlatform {
    let name = "webhook"
    let examplePath = "any/path"

    func write(of request: SandboxRequest) -> WriteDescription? {
        guard request.method == .post || request.method == .put else { return nil }
        return WriteDescription(resource: "/" + request.segments.joined(separator: "/"), operation: "deliver")
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        guard request.method == .post || request.method == .put else {
            return .json(405, ["error": "method_not_allowed", "message": "the webhook receiver accepts POST and PUT"])
        }
        return .json(200, ["received": true])
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited: return .json(429, ["error": "too_many_requests"]).adding("Retry-After", "1")
        case .serverError(let status): return .json(status, ["error": "internal_error"])
        default: return .json(500, ["error": "internal_error"])
        }
    }
}
