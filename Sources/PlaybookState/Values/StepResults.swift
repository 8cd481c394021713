import Foundation

/// How one step of a run ended.
public struct StepResult: Sendable, Equatable {
    /// How a step ended.
    public enum Status: String, Sendable, CaseIterable {
        case succeeded, failed, skipped, cancelled
    }

    /// The step's id.
    public var step: String
    /// Its kind, such as `fetch` or `notify`.
    public var kind: String
    /// How it ended.
    public var status: Status
    /// Records received, passed on (written or announced, for sync and notify) and set aside.
    public var recordsIn: Int
    public var recordsOut: Int
    public var recordsSkipped: Int
    /// Remote calls made, retries included.
    public var calls: Int
    /// Why it failed or was cancelled.
    public var error: String?
    /// When it started and finished; nil for a step that never started.
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(
        step: String, kind: String, status: Status, recordsIn: Int = 0, recordsOut: Int = 0,
        recordsSkipped: Int = 0, calls: Int = 0, error: String? = nil, startedAt: Date? = nil, finishedAt: Date? = nil
    ) {
        self.step = step
        self.kind = kind
        self.status = status
        self.recordsIn = recordsIn
        self.recordsOut = recordsOut
        self.recordsSkipped = recordsSkipped
        self.calls = calls
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
