import Foundation

/// How far an incremental fetch has delivered.
public struct CursorPosition: Sendable, Equatable {
    /// The cursor's value as JSON (`"2026-03-01T08:00:00Z"`, `18422`): give equal values the same text.
    public var value: String
    /// The keys of the records delivered whose cursor value is exactly `value`. Where a platform's
    /// values repeat (timestamps to the second), the next read starts at `value` inclusively and
    /// drops these records.
    public var keysAtValue: Set<String>

    public init(value: String, keysAtValue: Set<String> = []) {
        self.value = value
        self.keysAtValue = keysAtValue
    }
}

/// A fetch step's cursor, to commit.
public struct CursorCommit: Sendable, Equatable {
    /// The fetch step.
    public var step: String
    /// How far it delivered.
    public var position: CursorPosition

    public init(step: String, position: CursorPosition) {
        self.step = step
        self.position = position
    }
}

/// A cursor as the store keeps it.
public struct StoredCursor: Sendable, Equatable {
    /// The committed position.
    public var position: CursorPosition
    /// The run that committed it, and when.
    public var runID: String
    public var committedAt: Date
}

/// What a fetch step of a run read before it stopped: its pages (each a JSON array of records), and
/// its checkpoint, where the platform's read stood after the last of them.
public struct StoredReadProgress: Sendable, Equatable {
    public var pages: [String]
    public var position: String

    public init(pages: [String], position: String) {
        self.pages = pages
        self.position = position
    }
}
