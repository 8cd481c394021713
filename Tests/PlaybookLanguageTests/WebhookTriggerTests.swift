import Diagnostics
import Foundation
import PlaybookLanguage
import Testing

/// Webhook triggers: the `meta` scheme and its `verify_token`.
struct WebhookTriggerTests {
    /// A playbook whose one trigger is a webhook at `/hooks/leads` with the given fields.
    static func playbook(_ webhookFields: String) -> String {
        DiagnosticExamples.header + """
            triggers:
              - webhook:
                  path: /hooks/leads
            \(webhookFields.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            steps:
              leads:
                fetch: { webhook: /hooks/leads, fields: { email: string } }
              copy:
                sync: { from: leads, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """
    }

    @Test func metaWithASecretAndAVerifyTokenIsValid() throws {
        let result = validate(Self.playbook("""
            verify: meta
            signing_secret: { secret: META_APP_SECRET }
            verify_token: { secret: META_VERIFY_TOKEN }
            """))
        #expect(result.diagnostics.map { summary($0, in: result.file) } == [])
        let trigger = try #require(result.playbook?.triggers.first)
        guard case .webhook(let webhook) = trigger.kind else {
            Issue.record("not a webhook trigger")
            return
        }
        #expect(webhook.verify.value == .meta)
        #expect(webhook.signingSecret?.value == SecretName("META_APP_SECRET"))
        #expect(webhook.verifyToken?.value == SecretName("META_VERIFY_TOKEN"))
        #expect(result.file.text(in: webhook.verifyToken!.range) == "META_VERIFY_TOKEN")
    }

    @Test func metaWithoutAVerifyTokenIsAnErrorAtTheScheme() throws {
        let marked = MarkedSource(Self.playbook("""
            verify: «meta»
            signing_secret: { secret: META_APP_SECRET }
            """))
        let result = validate(marked.text)
        #expect(result.diagnostics.count == 1)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == LanguageDiagnosticCode.missingSigningSecret)
        #expect(diagnostic.range == marked.ranges.first)
        #expect(diagnostic.message == "meta verification needs a 'verify_token' (Meta sends it when it checks the address)")
        #expect(diagnostic.help?.contains("verify_token: { secret: NAME }") == true)
    }

    @Test func metaWithoutASigningSecretIsAnError() {
        let result = validate(Self.playbook("""
            verify: meta
            verify_token: { secret: META_VERIFY_TOKEN }
            """))
        #expect(result.diagnostics.map(\.code) == [LanguageDiagnosticCode.missingSigningSecret])
        #expect(result.diagnostics.first?.message == "meta verification needs a 'signing_secret'")
    }

    @Test(arguments: ["stripe", "standard-webhooks", "slack", "none"])
    func aVerifyTokenOnAnotherSchemeIsAnErrorAtTheToken(_ scheme: String) throws {
        let marked = MarkedSource(Self.playbook("""
            verify: \(scheme)
            signing_secret: { secret: APP_SECRET }
            verify_token: { secret: «STRAY_TOKEN» }
            """))
        let result = validate(marked.text)
        let stray = result.diagnostics.filter { $0.code == LanguageDiagnosticCode.fieldNotForScheme }
        #expect(stray.count == 1)
        #expect(stray.first?.range == marked.ranges.first)
        #expect(stray.first?.severity == .error)
        #expect(stray.first?.message == "'verify_token' is only used by verify: meta, and this webhook uses \(scheme)")
    }

    @Test func aVerifyTokenWrittenIntoThePlaybookIsRefused() throws {
        let marked = MarkedSource(Self.playbook("""
            verify: meta
            signing_secret: { secret: META_APP_SECRET }
            verify_token: «my-token-123»
            """))
        let result = validate(marked.text)
        let diagnostic = try #require(result.diagnostics.first { $0.code == LanguageDiagnosticCode.literalCredential })
        #expect(diagnostic.range == marked.ranges.first)
        #expect(diagnostic.fixIts.first?.edits.first?.replacement == "{ secret: VERIFY_TOKEN }")
    }

    @Test func metaIsOfferedForAMisspeltScheme() throws {
        let result = validate(Self.playbook("""
            verify: metta
            signing_secret: { secret: META_APP_SECRET }
            verify_token: { secret: META_VERIFY_TOKEN }
            """))
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == LanguageDiagnosticCode.invalidChoice)
        #expect("\(diagnostic.message) \(diagnostic.help ?? "")".contains("meta"))
    }

    /// The complete playbooks of `docs/webhooks.md`, one per sender, in the order written.
    static func webhooksPagePlaybooks() throws -> [String] {
        let page = try String(contentsOf: ExamplePlaybookTests.root.appendingPathComponent("docs/webhooks.md"), encoding: .utf8)
        return page.components(separatedBy: "```yaml\n").dropFirst().compactMap { block in
            let text = block.components(separatedBy: "```")[0]
            return text.hasPrefix("version: 1") ? text : nil
        }
    }

    @Test func everyPlaybookOfTheWebhooksPageIsValid() throws {
        let playbooks = try Self.webhooksPagePlaybooks()
        let schemes = playbooks.compactMap { text -> WebhookVerification? in
            let result = validate(text)
            #expect(result.diagnostics.map { summary($0, in: result.file) } == [], "\(text.prefix(80))")
            guard case .webhook(let webhook)? = result.playbook?.triggers.first?.kind else { return nil }
            return webhook.verify.value
        }
        // One example per scheme that checks a signature.
        #expect(Set(schemes) == Set(WebhookVerification.allCases.filter { $0 != .none }))
    }
}
