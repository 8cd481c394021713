/// Declarations of the connectors shipped with Playbook, one file per platform under `Known/`.
enum KnownConnectors {
    /// Every built-in connector, in the order the reference documents them.
    static let all: [ConnectorDescriptor] = [
        hubspot, mailchimp, salesforce,
        googleAds, metaAds, linkedInAds, ga4,
        slack, sendGrid,
        http, webhook, file,
    ]
}
