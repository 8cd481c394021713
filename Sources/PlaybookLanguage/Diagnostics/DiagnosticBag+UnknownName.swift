import Diagnostics

extension DiagnosticBag {
    /// Reports a name that is not one of `candidates`. When one is close, the help asks "did you mean"
    /// it and a fix-it writes it (through `replacement`, e.g. to keep a `.segment` suffix); otherwise
    /// `otherwise` is the help. Every "unknown …" diagnostic of the checker is worded here.
    mutating func unknownName(
        _ code: DiagnosticCode,
        _ message: String,
        name: String,
        at range: SourceRange,
        candidates: [String],
        replacement: (String) -> String = { $0 },
        otherwise: String
    ) {
        let suggestion = Suggestions.closest(to: name, in: candidates)
        error(
            code,
            message,
            at: range,
            help: suggestion.map { "did you mean '\($0)'?" } ?? otherwise,
            fixIts: suggestion.map { [FixIt.replace(range, with: replacement($0), "use '\($0)'")] } ?? []
        )
    }
}
