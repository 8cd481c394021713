/// How serious a diagnostic is.
public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A stable diagnostic code such as `PB0201`. Codes are never reused for a different problem.
public struct DiagnosticCode: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A secondary message attached to a diagnostic, optionally pointing elsewhere in the same file.
public struct DiagnosticNote: Hashable, Sendable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange? = nil) {
        self.message = message
        self.range = range
    }
}

/// A suggested edit that fixes the problem.
public struct FixIt: Hashable, Sendable {
    /// One replacement of a byte range with new text.
    public struct Edit: Hashable, Sendable {
        public var range: SourceRange
        public var replacement: String

        public init(range: SourceRange, replacement: String) {
            self.range = range
            self.replacement = replacement
        }
    }

    public var message: String
    public var edits: [Edit]

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
    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var notes: [DiagnosticNote]
    public var help: String?
    public var fixIts: [FixIt]

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

    public static func error(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIts: [FixIt] = []
    ) -> Diagnostic {
        Diagnostic(code, .error, message, at: range, notes: notes, help: help, fixIts: fixIts)
    }

    public static func warning(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIts: [FixIt] = []
    ) -> Diagnostic {
        Diagnostic(code, .warning, message, at: range, notes: notes, help: help, fixIts: fixIts)
    }
}

/// The diagnostics found in one file, with the file they point into.
public struct FileDiagnostics: Sendable {
    public var file: SourceFile
    public var diagnostics: [Diagnostic]

    public init(file: SourceFile, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
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
