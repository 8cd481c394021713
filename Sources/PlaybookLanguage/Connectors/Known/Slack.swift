extension KnownConnectors {
    /// Slack messages, through an incoming webhook or `chat.postMessage`.
    static let slack = ConnectorDescriptor(
        name: "slack",
        title: "Slack",
        summary: "Messages to a Slack channel, for alerts and run digests.",
        capabilities: [.notify],
        authSchemes: [
            AuthScheme(
                name: "incoming_webhook",
                summary: "Incoming webhook URL (`https://hooks.slack.com/services/…`); the URL itself is the secret and fixes the channel.",
                requiredFields: ["webhook_url"]
            ),
            AuthScheme(
                name: "bearer",
                summary: "Bot token (`xoxb-…`) of an app with `chat:write`, used with `chat.postMessage`.",
                requiredFields: ["bot_token"],
                requiredOptions: ["channel"]
            ),
        ],
        options: [
            .init("channel", .string, "Channel id (`C0123ABCD`) or `#name` to post to with a bot token."),
        ],
        // Incoming webhooks and chat.postMessage both allow about one message per second (per channel).
        defaultRateLimit: "1/1s",
        resources: [messages]
    )

    private static let messages = ResourceDescriptor(
        name: "messages",
        summary: "One message per call; `message:` becomes `text`.",
        readable: false,
        fields: [
            .init("text", .string, "Message text in Slack mrkdwn; also the notification fallback when `blocks` are given."),
            .init("blocks", .list(.dyn), "Block Kit blocks."),
            .init("channel", .string, "Overrides the connection's `channel` (bot token only)."),
            .init("thread_ts", .string, "Replies in the thread of this message `ts` (bot token only)."),
        ],
        maxBatchSize: 1,
        notifies: true
    )
}
