/// How serious a diagnostic is.
public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
    /// The file cannot be used as it is.
    case error
    /// Worth fixing, but the file can still be used.
    case warning
    /// Extra information attached to another diagnostic.
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    /// Errors sort before warnings, and warnings before notes.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A stable diagnostic code such as `PB0201`. Codes are never reused for a different problem.
public struct DiagnosticCode: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The code as written, e.g. `PB0201`.
    public let rawValue: String

    /// A code from its text, e.g. `DiagnosticCode("PB0201")`.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// A code written as a literal: `let unknownField: DiagnosticCode = "PB0201"`.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The code as written.
    public var description: String { rawValue }

    /// Codes sort by their text, which is also their numeric order.
    public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A secondary message attached to a diagnostic, optionally pointing elsewhere in the same file.
public struct DiagnosticNote: Hashable, Sendable {
    /// What the note says.
    public var message: String
    /// Where it points, when it points somewhere in the file.
    public var range: SourceRange?

    /// A note with a message and, optionally, a place.
    public init(_ message: String, at range: SourceRange? = nil) {
        self.message = message
        self.range = range
    }
}

/// A suggested edit that fixes the problem.
public struct FixIt: Hashable, Sendable {
    /// One replacement of a byte range with new text.
    public struct Edit: Hashable, Sendable {
        /// The bytes replaced.
        public var range: SourceRange
        /// The text put in their place.
        public var replacement: String

        /// An edit replacing `range` with `replacement`.
        public init(range: SourceRange, replacement: String) {
            self.range = range
            self.replacement = replacement
        }
    }

    /// What the fix does, e.g. `use 'contacts'`.
    public var message: String
    /// The edits, applied together.
    public var edits: [Edit]

    /// A fix-it made of several edits.
    public init(_ message: String, edits: [Edit]) {
        self.message = message
        self.edits = edits
    }

    /// A fix-it that replaces one range.
    public static func replace(_ range: SourceRange, with text: String, _ message: String) -> FixIt {
        FixIt(message, edits: [Edit(range: range, replacement: text)])
    }
}

/// A problem found in a source file: a plain value, rendered only at the edge of the program.
public struct Diagnostic: Hashable, Sendable {
    /// The stable code, e.g. `PB0401`.
    public var code: DiagnosticCode
    /// How serious the problem is.
    public var severity: Severity
    /// What is wrong, in one line without a location.
    public var message: String
    /// The bytes the problem is about.
    public var range: SourceRange
    /// Further messages, possibly pointing elsewhere in the file.
    public var notes: [DiagnosticNote]
    /// How to fix it, when that can be said in a line.
    public var help: String?
    /// Edits that fix the problem, when the fix is certain.
    public var fixIts: [FixIt]

    /// A diagnostic with every part given.
    public init(
        _ code: DiagnosticCode,
        _ severity: Severity,
        _ message: String,
        at range: SourceRange,
        notes: [DiagnosticNote] = [],
        help: String? = nil,
        fixIts: [FixIt] = []
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
        self.help = help
        self.fixIts = fixIts
    }

    /// An error diagnostic.
    public static func error(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIts: [FixIt] = []
    ) -> Diagnostic {
        Diagnostic(code, .error, message, at: range, notes: notes, help: help, fixIts: fixIts)
    }

    /// A warning diagnostic.
    public static func warning(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIts: [FixIt] = []
    ) -> Diagnostic {
        Diagnostic(code, .warning, message, at: range, notes: notes, help: help, fixIts: fixIts)
    }
}

/// The diagnostics found in one file, with the file they point into.
public struct FileDiagnostics: Sendable {
    /// The file the diagnostics point into.
    public var file: SourceFile
    /// The diagnostics, in the order they were found unless `sorted()`.
    public var diagnostics: [Diagnostic]

    /// The diagnostics of one file.
    public init(file: SourceFile, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    /// How many of the diagnostics are errors.
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    /// How many of the diagnostics are warnings.
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// Diagnostics in reading order: by position, then severity, then code, so output is deterministic.
    public func sorted() -> FileDiagnostics {
        var copy = self
        copy.diagnostics.sort { lhs, rhs in
            if lhs.range.start != rhs.range.start { return lhs.range.start < rhs.range.start }
            if lhs.severity != rhs.severity { return lhs.severity < rhs.severity }
            if lhs.code != rhs.code { return lhs.code < rhs.code }
            if lhs.range.end != rhs.range.end { return lhs.range.end < rhs.range.end }
            return lhs.message < rhs.message
        }
        return copy
    }
}
