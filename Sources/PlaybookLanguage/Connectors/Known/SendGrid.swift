extension KnownConnectors {
    /// Twilio SendGrid v3 `mail/send`, the transactional e-mail connector.
    static let sendGrid = ConnectorDescriptor(
        name: "sendgrid",
        title: "SendGrid",
        summary: "Transactional e-mail through Twilio SendGrid, for alerts and reports by e-mail.",
        capabilities: [.notify],
        authSchemes: [
            AuthScheme(
                name: "bearer",
                summary: "API key (`SG.…`) with Mail Send permission, sent as `Authorization: Bearer`.",
                requiredFields: ["api_key"]
            ),
        ],
        options: [
            .init("from", .string, required: true, "Verified sender address, e.g. `reports@example.com`."),
            .init("from_name", .string, "Display name of the sender."),
            .init("reply_to", .string, "Reply-to address."),
        ],
        // Per-endpoint limits are unpublished and mail/send is exempt from the 600/min default;
        // the `X-RateLimit-*` headers steer the runtime instead.
        resources: [mail],
        notifyNeedsSubject: true,
        notifyNeedsRecipient: true
    )

    private static let mail = ResourceDescriptor(
        name: "mail",
        summary: "One e-mail per recipient (`POST /v3/mail/send`, answered 202); a digest batches recipients as personalizations. `message:` becomes the text body.",
        readable: false,
        fields: [
            .init("to", .string, "Recipient address."),
            .init("to_name", .string, "Recipient display name."),
            .init("cc", .list(.string), "Copy recipients."),
            .init("bcc", .list(.string), "Blind-copy recipients."),
            .init("subject", .string, "Subject line."),
            .init("text", .string, "Plain-text body (`content` of type `text/plain`)."),
            .init("html", .string, "HTML body (`content` of type `text/html`)."),
            .init("template_id", .string, "Dynamic template id (`d-…`); replaces subject and body."),
            .init("template_data", .map(.dyn), "`dynamic_template_data` for the template."),
        ],
        // At most 1,000 personalizations, and 1,000 to + cc + bcc addresses, per request.
        maxBatchSize: 1_000,
        notifies: true
    )
}
