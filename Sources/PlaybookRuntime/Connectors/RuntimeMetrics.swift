import CoreMetrics

/// What the runtime counts of its calls to the platforms, through swift-metrics: nothing is kept
/// unless a metrics backend is set up (`playbook serve` sets one up and shows it at `/metrics`).
enum RuntimeMetrics {
    /// A call that got an answer (`status` is its HTTP status), or none (`status` says why).
    static func call(connector: String, status: String) {
        Counter(label: "playbook_api_calls_total", dimensions: [("connector", connector), ("status", status)]).increment()
    }

    /// An attempt that failed and is tried again.
    static func retry(connector: String) {
        Counter(label: "playbook_api_retries_total", dimensions: [("connector", connector)]).increment()
    }

    /// A call held back by the connection's rate limit or its calls in flight.
    static func rateLimitWait(connector: String, wait: Duration) {
        Counter(label: "playbook_rate_limit_waits_total", dimensions: [("connector", connector)]).increment()
        CoreMetrics.Timer(label: "playbook_rate_limit_wait_seconds", dimensions: [("connector", connector)])
            .recordNanoseconds(wait.nanoseconds)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, as timers and clients take it.
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
