import Diagnostics
import Foundation
import PlaybookLanguage

/// A starter playbook `playbook init` writes: one of the example jobs in `playbooks/`, embedded in
/// the binary, with its test file and the sample files it reads.
struct StarterTemplate: Sendable {
    /// A file of the template: where it goes, relative to the folder it is written into, and its bytes.
    struct File: Sendable {
        var path: String
        var bytes: [UInt8]
    }

    /// The template's name, which is also the playbook file's name without `.yaml`.
    let name: String
    let playbook: [UInt8]
    let test: [UInt8]?
    /// Sample data and connector specs the playbook reads, at the paths it reads them from.
    let extras: [File]
    /// The sample webhook payload to run it with, when a webhook starts it.
    let samplePayload: String?

    var playbookPath: String { name + ".yaml" }
    var testPath: String { "tests/\(name).test.yaml" }

    /// Every file the template writes, the playbook first.
    var files: [File] {
        [File(path: playbookPath, bytes: playbook)]
            + (test.map { [File(path: testPath, bytes: $0)] } ?? [])
            + extras
    }

    /// The playbook's `description:`, for the list of templates.
    var summary: String {
        let result = PlaybookValidator(checksExpressions: false, keepsCheckedExpressions: false)
            .validate(SourceFile(path: playbookPath, bytes: playbook))
        let text = result.playbook?.description ?? ""
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}

extension StarterTemplate {
    private static let tradeShowLeads = File(path: "data/trade-show-leads.csv", bytes: PackageResources.trade_show_leads_csv)

    /// The templates, by name; the same files as the examples in `playbooks/`.
    static let all: [StarterTemplate] = [
        StarterTemplate(name: "ad-leads-to-crm", playbook: PackageResources.ad_leads_to_crm_yaml,
                        test: PackageResources.ad_leads_to_crm_test_yaml, extras: [], samplePayload: nil),
        StarterTemplate(name: "budget-rebalancing", playbook: PackageResources.budget_rebalancing_yaml,
                        test: PackageResources.budget_rebalancing_test_yaml, extras: [], samplePayload: nil),
        StarterTemplate(name: "form-to-mailing-list", playbook: PackageResources.form_to_mailing_list_yaml,
                        test: PackageResources.form_to_mailing_list_test_yaml,
                        extras: [File(path: "data/newsletter-form.json", bytes: PackageResources.newsletter_form_json)],
                        samplePayload: "data/newsletter-form.json"),
        StarterTemplate(name: "hot-lead-alerts", playbook: PackageResources.hot_lead_alerts_yaml,
                        test: PackageResources.hot_lead_alerts_test_yaml, extras: [], samplePayload: nil),
        StarterTemplate(name: "lead-scoring", playbook: PackageResources.lead_scoring_yaml,
                        test: PackageResources.lead_scoring_test_yaml, extras: [], samplePayload: nil),
        StarterTemplate(name: "tier-segmentation", playbook: PackageResources.tier_segmentation_yaml,
                        test: PackageResources.tier_segmentation_test_yaml, extras: [], samplePayload: nil),
        StarterTemplate(name: "trade-show-import", playbook: PackageResources.trade_show_import_yaml,
                        test: PackageResources.trade_show_import_test_yaml, extras: [tradeShowLeads], samplePayload: nil),
        StarterTemplate(name: "trade-show-to-acme", playbook: PackageResources.trade_show_to_acme_yaml,
                        test: PackageResources.trade_show_to_acme_test_yaml,
                        extras: [File(path: "connectors/acme-crm.yaml", bytes: PackageResources.acme_crm_yaml), tradeShowLeads],
                        samplePayload: nil),
        StarterTemplate(name: "weekly-campaign-report", playbook: PackageResources.weekly_campaign_report_yaml,
                        test: PackageResources.weekly_campaign_report_test_yaml, extras: [], samplePayload: nil),
        StarterTemplate(name: "welcome-email", playbook: PackageResources.welcome_email_yaml,
                        test: PackageResources.welcome_email_test_yaml,
                        extras: [File(path: "data/product-event.json", bytes: PackageResources.product_event_json)],
                        samplePayload: "data/product-event.json"),
    ]

    static func named(_ name: String) -> StarterTemplate? { all.first { $0.name == name } }
}
