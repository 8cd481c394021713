import Foundation

/// Counts requests over a rolling window, the way HubSpot, Slack and SendGrid meter them.
struct RollingWindow: Sendable {
    let limit: Int
    let window: TimeInterval
    private var admitted: [Date] = []

    init(limit: Int, window: TimeInterval) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// What the window says about one more request at `now`.
    struct Decision {
        let allowed: Bool
        /// Requests still allowed in the window after this one.
        let remaining: Int
        /// When the oldest counted request leaves the window.
        let resetAt: Date
        /// Seconds until a refused request may be sent again (at least 1).
        let retryAfterSeconds: Int
        let retryAfterMilliseconds: Int
    }

    mutating func admit(at now: Date) -> Decision {
        admitted.removeAll { now.timeIntervalSince($0) >= window }
        let allowed = admitted.count < limit
        if allowed { admitted.append(now) }
        let oldest = admitted.first ?? now
        let resetAt = oldest.addingTimeInterval(window)
        let wait = max(0, resetAt.timeIntervalSince(now))
        return Decision(
            allowed: allowed, remaining: max(0, limit - admitted.count), resetAt: resetAt,
            retryAfterSeconds: max(1, Int(wait.rounded(.up))), retryAfterMilliseconds: max(1, Int((wait * 1000).rounded(.up))))
    }
}
