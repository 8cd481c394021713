import Diagnostics

/// The connector spec files shipped with Playbook, embedded in the binary from `Connectors/Specs/`.
public enum BuiltInConnectorSpecs {
    /// Every built-in spec by file name, in the order the reference documents them.
    public static let files: [SourceFile] = [
        ("hubspot", PackageResources.hubspot_yaml),
        ("mailchimp", PackageResources.mailchimp_yaml),
        ("salesforce", PackageResources.salesforce_yaml),
        ("google_ads", PackageResources.google_ads_yaml),
        ("meta_ads", PackageResources.meta_ads_yaml),
        ("linkedin_ads", PackageResources.linkedin_ads_yaml),
        ("ga4", PackageResources.ga4_yaml),
        ("slack", PackageResources.slack_yaml),
        ("sendgrid", PackageResources.sendgrid_yaml),
        ("http", PackageResources.http_yaml),
        ("webhook", PackageResources.webhook_yaml),
        ("file", PackageResources.file_yaml),
    ].map { SourceFile(path: "Connectors/Specs/\($0.0).yaml", bytes: $0.1) }

    /// Each built-in spec loaded; a test holds every one of them to zero diagnostics.
    public static func load() -> [ConnectorSpecLoadResult] {
        files.map(ConnectorSpecLoader().load)
    }

    /// The built-in connectors. A spec that fails to load is left out (a programming error, which
    /// the test of the built-ins reports) rather than stopping the tool.
    static let connectors: [ConnectorDescriptor] = load().compactMap(\.connector)
}
