import Diagnostics
import Foundation
import Synchronization

/// SendGrid v3 `mail/send`: bearer key, validation errors in SendGrid's `errors` list, 202 with an
/// `X-Message-Id` on success, and `X-RateLimit-*` headers (reset as epoch seconds) on every answer.
final class SendGridSandbox: SandboxPlatform {
    let name = "sendgrid"
    let examplePath = "v3/mail/send"
    private let limiter: Mutex<RollingWindow>
    private let ids: SandboxIDs
    static let maximumPersonalizations = 1_000
    static let maximumRecipients = 1_000
    static let helpBase = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message."

    init(options: SandboxOptions) {
        limiter = Mutex(RollingWindow(limit: options.limits.sendGridPerMinute, window: 60))
        ids = SandboxIDs(seed: options.seed, stream: 0x5347)
    }

    private func isMailSend(_ request: SandboxRequest) -> Bool {
        request.segments.count == 3 && request.segments[0].hasPrefix("v") && request.segments[1...] == ["mail", "send"]
    }

    func write(of request: SandboxRequest) -> WriteDescription? {
        request.method == .post && isMailSend(request) ? WriteDescription(resource: "mail/send", operation: "send") : nil
    }

    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply {
        guard request.bearerToken != nil else {
            return .json(401, ["errors": [["field": nil, "message": "authorization required"]]])
        }
        guard isMailSend(request) else {
            return .json(404, ["errors": [["field": nil, "message": "resource not found"]]])
        }
        guard request.method == .post else {
            return .json(405, ["errors": [["field": nil, "message": "method not allowed"]]])
        }
        let decision = limiter.withLock { $0.admit(at: moment.now) }
        let headers = rateHeaders(decision)
        guard decision.allowed else { return withHeaders(tooMany(), headers) }
        let problems = validate(request.json)
        guard problems.isEmpty else {
            return withHeaders(
                .json(
                    400,
                    ["errors": .array(problems.map { ["message": .string($0.message), "field": .optional($0.field), "help": .string(Self.helpBase + ($0.field ?? "body"))] })]),
                headers)
        }
        return withHeaders(SandboxReply(status: 202).adding("X-Message-Id", ids.token(22)), headers)
    }

    private func validate(_ body: JSONValue?) -> [(message: String, field: String?)] {
        guard let body, body.objectValue != nil else {
            return [("Bad Request", nil)]
        }
        var problems: [(message: String, field: String?)] = []
        let personalizations = body["personalizations"]?.arrayValue ?? []
        if personalizations.isEmpty {
            problems.append(("The personalizations field is required and must have at least one personalization.", "personalizations"))
        } else if personalizations.count > Self.maximumPersonalizations {
            problems.append(("The personalizations field cannot have more than \(Self.maximumPersonalizations) personalizations.", "personalizations"))
        }
        var recipients = 0
        for (index, personalization) in personalizations.enumerated() {
            let to = personalization["to"]?.arrayValue ?? []
            if to.isEmpty {
                problems.append(("The to array is required for all personalization objects, and must have at least one email object with a valid email address.", "personalizations.\(index).to"))
            }
            for list in ["to", "cc", "bcc"] {
                for (position, address) in (personalization[list]?.arrayValue ?? []).enumerated() {
                    recipients += 1
                    if !HubSpotSandbox.isValidEmail(address["email"]?.stringValue ?? "") {
                        problems.append(("Does not contain a valid address.", "personalizations.\(index).\(list).\(position).email"))
                    }
                }
            }
        }
        if recipients > Self.maximumRecipients {
            problems.append(("The total number of recipients must be no more than \(Self.maximumRecipients).", "personalizations"))
        }
        if !HubSpotSandbox.isValidEmail(body["from"]?["email"]?.stringValue ?? "") {
            problems.append(("The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.", "from.email"))
        }
        let hasTemplate = body["template_id"]?.stringValue.map { !$0.isEmpty } ?? false
        let subject = body["subject"]?.stringValue ?? ""
        let personalSubjects = !personalizations.isEmpty && personalizations.allSatisfy { ($0["subject"]?.stringValue ?? "").isEmpty == false }
        if !hasTemplate, subject.isEmpty, !personalSubjects {
            problems.append(("The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.", "subject"))
        }
        let content = body["content"]?.arrayValue ?? []
        if !hasTemplate {
            if content.isEmpty {
                problems.append(("Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.", "content"))
            }
            for (index, block) in content.enumerated() where (block["value"]?.stringValue ?? "").isEmpty {
                problems.append(("The content value must be a string at least one character in length.", "content.\(index).value"))
            }
        }
        return problems
    }

    private func rateHeaders(_ decision: RollingWindow.Decision) -> [(String, String)] {
        [
            ("X-RateLimit-Limit", String(limiter.withLock { $0.limit })), ("X-RateLimit-Remaining", String(decision.remaining)),
            ("X-RateLimit-Reset", String(Int(decision.resetAt.timeIntervalSince1970.rounded(.up)))),
        ]
    }

    private func withHeaders(_ reply: SandboxReply, _ headers: [(String, String)]) -> SandboxReply {
        headers.reduce(reply) { $0.adding($1.0, $1.1) }
    }

    private func tooMany() -> SandboxReply {
        .json(429, ["errors": [["field": nil, "message": "too many requests"]]])
    }

    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply {
        switch fault {
        case .rateLimited:
            return withHeaders(
                tooMany(),
                [
                    ("X-RateLimit-Limit", String(limiter.withLock { $0.limit })), ("X-RateLimit-Remaining", "0"),
                    ("X-RateLimit-Reset", String(Int(now.timeIntervalSince1970) + 1)),
                ])
        case .serverError(let status): return .json(status, ["errors": [["field": nil, "message": "internal server error"]]])
        default: return .json(500, ["errors": [["field": nil, "message": "internal server error"]]])
        }
    }
}
