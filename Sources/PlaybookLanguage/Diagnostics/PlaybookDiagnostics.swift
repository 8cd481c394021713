import CEL
import Diagnostics
import YAML

/// Every diagnostic code the front end can report, for renderers and the catalogue in the docs.
public enum PlaybookDiagnostics {
    public static let catalogue = DiagnosticCatalogue.merged([
        YAMLDiagnosticCode.catalogue,
        LanguageDiagnosticCode.catalogue,
        ConnectorSpecDiagnosticCode.catalogue,
        celDiagnosticCatalogue,
    ])
}
