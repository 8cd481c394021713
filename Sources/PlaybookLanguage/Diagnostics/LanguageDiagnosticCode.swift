import Diagnostics

/// Codes of the problems the playbook decoder and checker report.
///
/// `PB02xx`: structure and values; `PB04xx`: references and the step graph; `PB05xx`: triggers;
/// `PB08xx`: what the platforms accept (the fields a sync writes, the parameters a fetch passes).
/// Codes are never reused: a retired code stays reserved.
public enum LanguageDiagnosticCode {
    public static let unknownField: DiagnosticCode = "PB0201"
    public static let missingField: DiagnosticCode = "PB0202"
    public static let wrongType: DiagnosticCode = "PB0203"
    public static let conflictingFields: DiagnosticCode = "PB0204"
    public static let exactlyOneRequired: DiagnosticCode = "PB0205"
    public static let notABoolean: DiagnosticCode = "PB0206"
    public static let invalidDuration: DiagnosticCode = "PB0207"
    public static let invalidRateLimit: DiagnosticCode = "PB0208"
    public static let bracesInExpression: DiagnosticCode = "PB0209"
    public static let literalCredential: DiagnosticCode = "PB0210"
    public static let misplacedSecret: DiagnosticCode = "PB0211"
    public static let unsupportedVersion: DiagnosticCode = "PB0212"
    public static let invalidName: DiagnosticCode = "PB0213"
    public static let invalidChoice: DiagnosticCode = "PB0214"
    public static let outOfRange: DiagnosticCode = "PB0215"
    public static let missingValue: DiagnosticCode = "PB0216"
    public static let notANumber: DiagnosticCode = "PB0217"
    public static let unquotedTemplate: DiagnosticCode = "PB0218"
    public static let invalidDefault: DiagnosticCode = "PB0219"

    public static let unknownStep: DiagnosticCode = "PB0401"
    public static let unknownConnection: DiagnosticCode = "PB0402"
    public static let unknownConnector: DiagnosticCode = "PB0403"
    public static let unknownResource: DiagnosticCode = "PB0404"
    public static let cycle: DiagnosticCode = "PB0405"
    public static let unusedOutput: DiagnosticCode = "PB0406"
    public static let unusedConnection: DiagnosticCode = "PB0407"
    public static let unusedParam: DiagnosticCode = "PB0408"
    public static let unknownSegment: DiagnosticCode = "PB0409"
    public static let unsupportedOperation: DiagnosticCode = "PB0410"
    public static let unsupportedSyncMode: DiagnosticCode = "PB0411"
    public static let matchOnRequired: DiagnosticCode = "PB0412"
    public static let unknownRecordField: DiagnosticCode = "PB0413"
    public static let authMismatch: DiagnosticCode = "PB0414"
    public static let unknownOption: DiagnosticCode = "PB0415"
    public static let batchTooLarge: DiagnosticCode = "PB0416"
    public static let invalidCursor: DiagnosticCode = "PB0417"
    public static let unknownWebhook: DiagnosticCode = "PB0418"
    public static let duplicateName: DiagnosticCode = "PB0419"
    public static let missingOption: DiagnosticCode = "PB0420"
    public static let noSteps: DiagnosticCode = "PB0421"
    public static let missingNotifyField: DiagnosticCode = "PB0422"
    public static let claimedByAnotherFile: DiagnosticCode = "PB0423"

    public static let invalidCron: DiagnosticCode = "PB0501"
    public static let unknownTimeZone: DiagnosticCode = "PB0502"
    public static let missingSigningSecret: DiagnosticCode = "PB0503"
    public static let unverifiedWebhook: DiagnosticCode = "PB0504"
    public static let duplicateWebhookPath: DiagnosticCode = "PB0505"
    public static let eitherDayField: DiagnosticCode = "PB0506"
    public static let fieldNotForScheme: DiagnosticCode = "PB0507"

    public static let unknownPlatformField: DiagnosticCode = "PB0801"
    public static let readOnlyField: DiagnosticCode = "PB0802"
    public static let fieldTypeMismatch: DiagnosticCode = "PB0803"
}
