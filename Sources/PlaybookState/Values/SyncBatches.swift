import Foundation

/// A batch a sync step is about to write.
public struct BatchIntent: Sendable, Equatable {
    /// The sync step.
    public var step: String
    /// The batch's number in the step's output, from 0: the same batch gets the same number when a
    /// resumed run reads the same records again.
    public var sequence: Int
    /// Records in the batch.
    public var recordCount: Int
    /// The key the platform deduplicates writes by; nil: the store derives one from the run, step and sequence.
    public var idempotencyKey: String?

    public init(step: String, sequence: Int, recordCount: Int, idempotencyKey: String? = nil) {
        self.step = step
        self.sequence = sequence
        self.recordCount = recordCount
        self.idempotencyKey = idempotencyKey
    }
}

/// Names a batch of a run.
public struct BatchReference: Sendable, Hashable {
    public var step: String
    public var sequence: Int

    public init(step: String, sequence: Int) {
        self.step = step
        self.sequence = sequence
    }
}

/// The answer to an intent to write a batch.
public enum BatchClaim: Sendable, Equatable {
    /// Write it with this idempotency key, then acknowledge it.
    case write(idempotencyKey: String)
    /// An earlier attempt of the run wrote it and the platform acknowledged it: skip it.
    case acknowledged(idempotencyKey: String)
    /// An earlier attempt meant to write it and stopped before the platform answered: write it
    /// again with the same key only where that is idempotent (upsert, update, or a platform that
    /// honours the key); otherwise report it as uncertain.
    case uncertain(idempotencyKey: String)
}

/// A batch as the store keeps it.
public struct SyncBatch: Sendable, Equatable {
    /// Where a batch stands.
    public enum State: String, Sendable, CaseIterable {
        case intended, acknowledged, uncertain
    }

    public var runID: String
    public var step: String
    public var sequence: Int
    public var idempotencyKey: String
    public var state: State
    public var recordCount: Int
    /// When it was recorded as intended, and as acknowledged.
    public var intendedAt: Date
    public var acknowledgedAt: Date?
}
