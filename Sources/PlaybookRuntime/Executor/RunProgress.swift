import PlaybookLanguage
import Synchronization

/// Live counts of a running run, for a progress display: read from another task while steps
/// update them a batch at a time.
public final class RunProgress: Sendable {
    /// One step's counts so far.
    public struct StepCounts: Sendable {
        /// The step's id.
        public var id: StepID
        /// Whether it is running, finished, or not started.
        public var state: State
        /// Records received, passed on and set aside so far.
        public var recordsIn = 0
        public var recordsOut = 0
        public var recordsSkipped = 0

        /// Where a step is.
        public enum State: Sendable { case waiting, running, finished(StepStatus) }
    }

    private let counts: Mutex<[StepCounts]>
    private let positions: [StepID: Int]

    init(steps: [StepID]) {
        counts = Mutex(steps.map { StepCounts(id: $0, state: .waiting) })
        var positions: [StepID: Int] = [:]
        for (index, id) in steps.enumerated() { positions[id] = index }
        self.positions = positions
    }

    /// Every step's counts, in plan order.
    public var snapshot: [StepCounts] { counts.withLock { $0 } }

    func update(_ step: StepID, _ change: (inout StepCounts) -> Void) {
        guard let position = positions[step] else { return }
        counts.withLock { change(&$0[position]) }
    }
}
