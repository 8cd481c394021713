import Foundation
import Metrics
import PlaybookRuntime
import Prometheus
import Synchronization

/// The server's metrics, in Prometheus' text format at `/metrics`.
///
/// Counters and histograms go through swift-metrics, so that what the runtime counts (calls by
/// connector and status, retries, rate-limit waits) lands in the same registry. The metrics system
/// of a process is set once: the first server of a process sets it, and every server of the
/// process shows the same registry.
public enum ServerMetrics {
    /// The registry `/metrics` shows.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let seconds: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                   .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
                                   .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3600)]
        factory.defaultDurationHistogramBuckets = seconds
        factory.defaultValueHistogramBuckets = seconds.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Makes sure the metrics system reports to ``registry``.
    public static func start() { _ = registry }

    /// The registry's text, as Prometheus scrapes it.
    public static func exposition() -> [UInt8] { registry.emitToBuffer() }

    // MARK: What the server counts

    static func runFinished(playbook: String, trigger: String, status: String, duration: Duration) {
        Counter(label: "playbook_runs_total", dimensions: [("playbook", playbook), ("trigger", trigger), ("status", status)]).increment()
        Metrics.Timer(label: "playbook_run_duration_seconds", dimensions: [("playbook", playbook)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(duration.nanoseconds)
    }

    static func runNotStarted(playbook: String, reason: String) {
        Counter(label: "playbook_runs_not_started_total", dimensions: [("playbook", playbook), ("reason", reason)]).increment()
    }

    static func step(playbook: String, step: String, kind: String, duration: Duration?, recordsIn: Int, recordsOut: Int, recordsSkipped: Int) {
        if let duration {
            Metrics.Timer(label: "playbook_step_duration_seconds", dimensions: [("playbook", playbook), ("step", step)], preferredDisplayUnit: .seconds)
                .recordNanoseconds(duration.nanoseconds)
        }
        let records = [("in", recordsIn), ("out", recordsOut), ("skipped", recordsSkipped)]
        for (direction, count) in records where count > 0 {
            Counter(label: "playbook_step_records_total", dimensions: [("playbook", playbook), ("step", step), ("direction", direction)])
                .increment(by: count)
        }
    }

    static func webhookRequest(path: String, outcome: String) {
        Counter(label: "playbook_webhook_requests_total", dimensions: [("path", path), ("outcome", outcome)]).increment()
    }

    static func queueDepth(waiting: Int, running: Int) {
        Gauge(label: "playbook_queue_depth").record(waiting)
        Gauge(label: "playbook_runs_in_progress").record(running)
    }

    static func scheduleLateness(playbook: String, lateness: Duration) {
        Metrics.Timer(label: "playbook_schedule_lateness_seconds", dimensions: [("playbook", playbook)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(max(0, lateness.nanoseconds))
    }

    static func scheduleSkipped(playbook: String) {
        Counter(label: "playbook_schedule_fires_skipped_total", dimensions: [("playbook", playbook)]).increment()
    }
}
