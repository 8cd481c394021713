import Diagnostics

/// Checks triggers as a whole: webhook verification and secrets, and paths used twice.
struct TriggerChecks {
    let playbook: Playbook

    func run(into bag: inout DiagnosticBag) {
        var paths: [String: SourceRange] = [:]
        for trigger in playbook.triggers {
            if case .schedule(let schedule) = trigger.kind,
               let warning = schedule.cron.value.eitherDayWarning(timeZone: schedule.timeZone?.value.description ?? "UTC",
                                                                  at: schedule.cron.range) {
                bag.append(warning)
            }
            guard case .webhook(let webhook) = trigger.kind else { continue }
            if let first = paths[webhook.path.value] {
                bag.error(
                    LanguageDiagnosticCode.duplicateWebhookPath, .duplicateWebhookPath(webhook.path.value), at: webhook.path.range,
                    notes: [DiagnosticNote(LanguageMessage.webhookPathFirstUsedNote, at: first)]
                )
            } else {
                paths[webhook.path.value] = webhook.path.range
            }
            switch webhook.verify.value {
            case .none:
                bag.warning(LanguageDiagnosticCode.unverifiedWebhook, .unverifiedWebhook(webhook.path.value), at: webhook.verify.range)
            case .hmacSHA256:
                if webhook.signingSecret == nil {
                    reportMissingSecret(webhook, into: &bag)
                }
                if webhook.signatureHeader == nil {
                    bag.error(LanguageDiagnosticCode.missingSigningSecret, .signatureHeaderRequired, at: webhook.verify.range)
                }
            case .meta:
                if webhook.signingSecret == nil { reportMissingSecret(webhook, into: &bag) }
                if webhook.verifyToken == nil {
                    bag.error(LanguageDiagnosticCode.missingSigningSecret, .verifyTokenRequired, at: webhook.verify.range)
                }
            default:
                if webhook.signingSecret == nil { reportMissingSecret(webhook, into: &bag) }
            }
            if let token = webhook.verifyToken, webhook.verify.value != .meta {
                bag.error(LanguageDiagnosticCode.fieldNotForScheme, .verifyTokenOutsideMeta(webhook.verify.value), at: token.range)
            }
        }
    }

    private func reportMissingSecret(_ webhook: Webhook, into bag: inout DiagnosticBag) {
        bag.error(LanguageDiagnosticCode.missingSigningSecret, .signingSecretRequired(webhook.verify.value), at: webhook.verify.range)
    }
}
