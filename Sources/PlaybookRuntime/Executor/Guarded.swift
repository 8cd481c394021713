import Synchronization

/// A value shared between tasks (and signal handlers), behind a lock.
public final class Guarded<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    /// A guarded value.
    public init(_ value: Value) { mutex = Mutex(value) }

    /// Reads or changes the value under the lock.
    public func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }

    /// The value, read or replaced under the lock.
    public var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }

    /// Stores what `make` makes, making it under the lock, so that a reader never sees the moment
    /// between the two.
    public func store<Made>(_ make: () -> Made) -> Made where Value == Made? {
        mutex.withLock { stored in
            let made = make()
            stored = made
            return made
        }
    }
}
