extension KnownConnectors {
    /// Outgoing webhooks: each notification is a JSON POST, signed like Standard Webhooks when a
    /// signing secret is given.
    static let webhook = ConnectorDescriptor(
        name: "webhook",
        title: "Outgoing webhook",
        summary: "POSTs a JSON event per notification to a URL, optionally signed (Standard Webhooks).",
        capabilities: [.notify],
        authSchemes: [
            AuthScheme(
                name: "public_url",
                summary: "The URL is in `options.url`; `signing_secret` (`whsec_…`) adds `webhook-id`, `webhook-timestamp` and `webhook-signature`.",
                requiredFields: [],
                optionalFields: ["signing_secret"],
                requiredOptions: ["url"]
            ),
            // Many receivers (Zapier, Make, chat tools) put a token in the URL; then it is a secret.
            AuthScheme(
                name: "secret_url",
                summary: "The URL carries a token, so it is given as a secret instead of `options.url`.",
                requiredFields: ["url"],
                optionalFields: ["signing_secret"]
            ),
        ],
        options: [
            .init("url", .string, "Receiver URL when it holds no secret, e.g. `https://hooks.example.com/playbook`."),
            .init("headers", .map(.string), "Extra headers on every request."),
            .init("event_type", .string, "`type` of each event.", default: "playbook.notification"),
        ],
        resources: [events]
    )

    private static let events = ResourceDescriptor(
        name: "events",
        summary: "One JSON body per notification: `{id, type, timestamp, message, data}`; the id doubles as the receiver's idempotency key.",
        readable: false,
        fields: [
            .init("id", .string, "Event id, also sent as `webhook-id`; stable across retries."),
            .init("type", .string, "Event type, from `event_type`."),
            .init("timestamp", .timestamp, "When the event was created."),
            .init("message", .string, "The rendered `message:`."),
            .init("data", .dyn, "The record (or, for a digest, the list of records)."),
        ],
        maxBatchSize: 1,
        notifies: true
    )
}
