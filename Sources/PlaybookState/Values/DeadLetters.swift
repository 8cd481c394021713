import Foundation

/// A record a step set aside, about to be stored.
public struct NewDeadLetter: Sendable, Equatable {
    /// The step that set it aside.
    public var step: String
    /// The record as JSON (input that never became a record: a JSON string of that input).
    public var record: String
    /// Why, such as "no such key: 'email'".
    public var reason: String
    /// Where in the playbook the reason comes from (`path:line:column`), when an expression caused it.
    public var location: String?

    public init(step: String, record: String, reason: String, location: String? = nil) {
        self.step = step
        self.record = record
        self.reason = reason
        self.location = location
    }
}

/// A stored dead letter.
public struct DeadLetter: Sendable, Equatable {
    /// Its number in the state file, to mark it retried.
    public var id: Int64
    /// The run that set it aside, and the step.
    public var runID: String
    public var step: String
    /// The record as JSON, why it was set aside, and where that comes from.
    public var record: String
    public var reason: String
    public var location: String?
    /// When it was set aside.
    public var addedAt: Date
    /// The run that sent it through the step again (`playbook dead-letters RUN --retry`), and when.
    public var retriedBy: String?
    public var retriedAt: Date?
}
