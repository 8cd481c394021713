import Diagnostics

/// Checks triggers as a whole: webhook verification and secrets, and paths used twice.
struct TriggerChecks {
    let playbook: Playbook

    func run(into bag: inout DiagnosticBag) {
        var paths: [String: SourceRange] = [:]
        for trigger in playbook.triggers {
            guard case .webhook(let webhook) = trigger.kind else { continue }
            if let first = paths[webhook.path.value] {
                bag.error(
                    LanguageDiagnosticCode.duplicateWebhookPath,
                    "two webhook triggers use the path '\(webhook.path.value)'",
                    at: webhook.path.range,
                    notes: [DiagnosticNote("first used here", at: first)],
                    help: "give each webhook its own path"
                )
            } else {
                paths[webhook.path.value] = webhook.path.range
            }
            switch webhook.verify.value {
            case .none:
                bag.warning(
                    LanguageDiagnosticCode.unverifiedWebhook,
                    "webhook '\(webhook.path.value)' accepts unsigned requests",
                    at: webhook.verify.range,
                    help: "anyone who learns the URL can start this playbook; use the sender's signature scheme with a signing_secret"
                )
            case .hmacSHA256:
                if webhook.signingSecret == nil {
                    reportMissingSecret(webhook, into: &bag)
                }
                if webhook.signatureHeader == nil {
                    bag.error(
                        LanguageDiagnosticCode.missingSigningSecret,
                        "hmac-sha256 verification needs 'signature_header' (the header that carries the signature)",
                        at: webhook.verify.range,
                        help: "add e.g. signature_header: X-Signature"
                    )
                }
            default:
                if webhook.signingSecret == nil { reportMissingSecret(webhook, into: &bag) }
            }
        }
    }

    private func reportMissingSecret(_ webhook: Webhook, into bag: inout DiagnosticBag) {
        bag.error(
            LanguageDiagnosticCode.missingSigningSecret,
            "\(webhook.verify.value.rawValue) verification needs a 'signing_secret'",
            at: webhook.verify.range,
            help: "add signing_secret: { secret: NAME } with the secret the sender signs requests with"
        )
    }
}
