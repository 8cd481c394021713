import Foundation
import PlaybookServer
import Testing

/// The server loads a folder by the rule `playbook validate` checks it with: a later file may not
/// take the name or a webhook path of an earlier one.
struct PlaybookCatalogTests {
    private static func playbook(name: String, path: String) -> String {
        """
        version: 1
        name: \(name)
        triggers:
          - webhook: { path: \(path), verify: hubspot-v3, signing_secret: { secret: HUBSPOT_APP_SECRET } }
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
        steps:
          submissions:
            fetch: { webhook: \(path), fields: { email: string } }
          copy:
            sync: { from: submissions, connection: crm, resource: contacts, mode: upsert, match_on: email }
        """
    }

    @Test func aSecondPlaybookWithTheNameOrAWebhookPathOfAnEarlierFileIsRejected() async throws {
        try await withFolder([
            "a.yaml": Self.playbook(name: "forms", path: "/hooks/forms"),
            "b.yaml": Self.playbook(name: "forms", path: "/hooks/other"),
            "c.yaml": Self.playbook(name: "other-forms", path: "/hooks/forms"),
            "d.yaml": Self.playbook(name: "events", path: "/hooks/events"),
        ]) { folder in
            let catalog = PlaybookCatalog.load(folder: folder)
            #expect(catalog.playbooks.map(\.name) == ["forms", "events"])
            let problems = catalog.rejected.map(\.problems)
            #expect(problems.count == 2)
            #expect(problems.first?.hasSuffix("b.yaml: the name 'forms' is already the name of \(folder)/a.yaml; each playbook in a folder needs its own name: runs, state and `playbook runs` are kept by name") == true, "\(problems)")
            #expect(problems.last?.hasSuffix("c.yaml: the webhook path '/hooks/forms' is already used by \(folder)/a.yaml; give each webhook in a folder its own path: one path can start only one playbook") == true, "\(problems)")
        }
    }
}
