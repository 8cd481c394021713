import Diagnostics
import PlaybookLanguage
import Testing

/// A single mistake is reported once, where it was made, and not again by the checks that read
/// what it spoilt.
struct OneMistakeOneMessageTests {
    private static let header = """
        version: 1
        name: example
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }

        """

    private func report(_ text: String) -> [String] {
        let file = SourceFile(path: "playbook.yaml", text: text)
        return validate(text).diagnostics.map { summary($0, in: file) }
    }

    @Test func aHyphenInAStepIdIsReportedOnceWhereverTheStepIsNamed() {
        let messages = report(Self.header + """
            steps:
              engaged:
                segment: { from: get-contacts.active, where: "record.page_views > 10" }
              get-contacts:
                fetch: { connection: crm, resource: contacts }
              active:
                segment: { from: get-contacts, where: "record.page_views > 10" }
              copy:
                sync: { from: [engaged, active], connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        #expect(messages == ["8:3 PB0213 'get-contacts' is not a valid name here: expected a name (letters, digits and _)"])
    }

    @Test func aReferenceThatIsMalformedOnItsOwnIsStillReported() {
        let messages = report(Self.header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: con-tacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        #expect(messages.contains { $0.hasPrefix("9:19 PB0213 'con-tacts' is not valid here") }, "\(messages)")
    }

    @Test func anUnknownVerifySchemeIsReportedWithoutAnUnknownWebhook() {
        let messages = report("""
            version: 1
            name: form
            triggers:
              - webhook: { path: /hooks/form, verify: hmac-sha265, signing_secret: { secret: FORM_SECRET }, signature_header: X-Signature }
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              signup:
                fetch: { webhook: /hooks/form, fields: { email: string } }
              copy:
                sync: { from: signup, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        #expect(messages.count == 1, "\(messages)")
        #expect(messages.first?.hasPrefix("4:43 PB0214 'hmac-sha265' is not one of") == true, "\(messages)")
    }

    @Test func aFetchFromAWebhookNoTriggerHasIsStillReported() {
        let messages = report("""
            version: 1
            name: form
            triggers:
              - webhook: { path: /hooks/form, verify: hmac-sha265, signing_secret: { secret: FORM_SECRET }, signature_header: X-Signature }
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              signup:
                fetch: { webhook: /hooks/forms, fields: { email: string } }
              copy:
                sync: { from: signup, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        #expect(messages.contains { $0.contains("PB0418") }, "\(messages)")
    }
}
