import CYAML
import Diagnostics

/// Reads a YAML file into a tree of nodes with source ranges, reporting every problem as a diagnostic.
///
/// Scalars stay text: nothing is typed by YAML 1.1 rules here, so `NO`, `on` or `0777` reach the
/// decoder exactly as written, together with their style.
public struct YAMLLoader: Sendable {
    /// Limits and policies. The defaults are the ones playbooks are read with.
    public struct Options: Sendable {
        /// Largest file accepted, in bytes.
        public var maxBytes = 4 * 1024 * 1024
        /// Deepest nesting of mappings and lists. Reading stops at the limit, because libyaml slows down
        /// quadratically on deeply nested flow collections.
        public var maxDepth = 64
        /// Most nodes in one file.
        public var maxNodes = 1_000_000
        /// Keep `&anchor` and `*alias` (unexpanded) instead of reporting them.
        public var allowAliases = false
        /// Keep every document of a stream instead of reporting the second one.
        public var allowMultipleDocuments = false
        /// Keep tags outside YAML's core schema instead of reporting them.
        public var allowCustomTags = false
        /// Keep mappings and lists used as keys instead of reporting them.
        public var allowComplexKeys = false
        /// Report a key that a mapping already has.
        public var rejectDuplicateKeys = true

        /// The options playbooks are read with: strict, with the default limits.
        public init() {}

        /// Everything YAML allows is kept; only syntax errors and resource limits are reported.
        public static var permissive: Options {
            var options = Options()
            options.allowAliases = true
            options.allowMultipleDocuments = true
            options.allowCustomTags = true
            options.allowComplexKeys = true
            options.rejectDuplicateKeys = false
            return options
        }
    }

    /// What a load produced: the documents read (complete only when there is no error that stopped
    /// reading) and the diagnostics.
    public struct Result: Sendable {
        /// The documents read, in file order.
        public var documents: [YAMLDocument]
        /// Every problem found, in the order found.
        public var diagnostics: [Diagnostic]
        /// True when reading stopped early (syntax error, limit): the documents are then incomplete.
        public var stoppedEarly: Bool

        /// The single document's root, when reading completed.
        public var root: YAMLNode? { stoppedEarly ? nil : documents.first?.root }
    }

    /// What the loader accepts and its limits.
    public var options: Options

    /// A loader with the given options; the default is strict, as for playbooks.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads a file: checks its bytes (size, encoding, NUL bytes), then reads it with libyaml into nodes.
    public func load(_ file: SourceFile) -> Result {
        let input = InputCheck.check(file.bytes, maxBytes: options.maxBytes)
        if !input.problems.isEmpty {
            return Result(documents: [], diagnostics: input.problems, stoppedEarly: true)
        }
        var reader = EventReader(file: file, options: options, isPlainASCII: input.isPlainASCII)
        return reader.read()
    }
}
