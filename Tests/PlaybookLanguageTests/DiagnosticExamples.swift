import CEL
import Diagnostics
import PlaybookLanguage
import YAML

/// One failing example per diagnostic code, with the problem marked «like this» and how to fix it.
///
/// The per-code tests validate each example and expect the code at the marked range; the catalogue in
/// `docs/diagnostics.md` is generated from the same table.
struct DiagnosticExample: Sendable, CustomTestStringConvertible {
    let code: DiagnosticCode
    let source: String
    let fix: String
    /// For input problems that cannot be written as text (encodings, NUL bytes).
    var bytes: [UInt8]?
    /// Whether the source is a connector spec file rather than a playbook.
    var isConnectorSpec = false
    /// For a further example of a code that already has one: the mistake it shows, in a few words.
    var situation: String?
    /// For problems between files: an earlier playbook of the same folder, with its path.
    var earlierFile: (path: String, text: String)?

    init(_ code: DiagnosticCode, _ source: String, fix: String, bytes: [UInt8]? = nil) {
        self.code = code
        self.source = source
        self.fix = fix
        self.bytes = bytes
    }

    /// An example of a problem between this playbook and an earlier file of its folder.
    static func afterFile(_ code: DiagnosticCode, earlier: (path: String, text: String), _ source: String, fix: String) -> DiagnosticExample {
        var example = DiagnosticExample(code, source, fix: fix)
        example.earlierFile = earlier
        return example
    }

    /// An example of a problem in a connector spec file.
    static func spec(_ code: DiagnosticCode, _ source: String, fix: String) -> DiagnosticExample {
        var example = DiagnosticExample(code, source, fix: fix)
        example.isConnectorSpec = true
        return example
    }

    /// A further example of `code`, showing another mistake it covers.
    static func also(_ situation: String, _ code: DiagnosticCode, _ source: String, fix: String) -> DiagnosticExample {
        var example = DiagnosticExample(code, source, fix: fix)
        example.situation = situation
        return example
    }

    /// The example's file: a playbook, or a connector spec.
    var file: SourceFile {
        if let bytes { return SourceFile(path: "playbook.yaml", bytes: bytes) }
        let marked = MarkedSource(source)
        return isConnectorSpec ? SourceFile(path: "acme-crm.yaml", text: marked.text) : marked.file
    }

    /// What `playbook validate` reports for the example's file (for a spec, what loading it reports).
    var diagnostics: [Diagnostic] {
        if isConnectorSpec { return ConnectorSpecLoader().load(file).diagnostics }
        let result = PlaybookValidator().validate(file)
        guard let earlierFile else { return result.diagnostics }
        let earlier = PlaybookValidator().validate(SourceFile(path: earlierFile.path, text: earlierFile.text))
        let clashes = FolderClaims.clashes(in: [
            (path: earlierFile.path, claims: earlier.playbook.map { PlaybookClaims($0) }),
            (path: file.path, claims: result.playbook.map { PlaybookClaims($0) }),
        ])
        return FileDiagnostics(file: file, diagnostics: result.diagnostics + clashes.compactMap { $0?.diagnostic }).sorted().diagnostics
    }

    var testDescription: String { code.rawValue }
}

import Testing

enum DiagnosticExamples {
    /// The smallest playbook the examples vary: a HubSpot read and write-back.
    static let header = """
        version: 1
        name: example
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }

        """

    static let all: [DiagnosticExample] = [
        DiagnosticExample(YAMLDiagnosticCode.fileTooLarge, "(a file over 4 MiB)", fix: "Split the work into several playbooks.",
                          bytes: Array(repeating: UInt8(ascii: "#"), count: 4 * 1024 * 1024 + 1)),
        DiagnosticExample(YAMLDiagnosticCode.invalidUTF8, "(a file saved as Latin-1: `name: café` with é as the single byte 0xE9)", fix: "Re-save the file as UTF-8.",
                          bytes: Array("version: 1\nname: caf".utf8) + [0xE9] + Array("\n".utf8)),

        DiagnosticExample(YAMLDiagnosticCode.nulByte, "(a file with a NUL byte after `version: 1`)", fix: "Remove the NUL byte; check that the file is the playbook you meant.",
                          bytes: Array("version: 1".utf8) + [0] + Array("\n".utf8)),
        DiagnosticExample(YAMLDiagnosticCode.unsupportedEncoding, "(a UTF-16 file)", fix: "Re-save the file as UTF-8.",
                          bytes: [0xFF, 0xFE] + Array("v".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
        DiagnosticExample(YAMLDiagnosticCode.emptyDocument, "«»# nothing but a comment\n", fix: "Start the playbook with `version: 1` and `name:`."),
        DiagnosticExample(YAMLDiagnosticCode.syntaxError, """
            version: 1
            name: nightly
            triggers:
              - schedule: «*/5 * * * *»
            """, fix: "Quote the cron text: `schedule: \"*/5 * * * *\"`."),
        .also("a tab in the indentation", YAMLDiagnosticCode.syntaxError, """
            version: 1
            name: nightly
            steps:
              contacts:
            «\t»fetch: { connection: crm, resource: contacts }
            """, fix: "Indent with spaces: replace the tab with spaces (most editors can insert spaces when Tab is pressed)."),
        .also("a key indented less than the keys above it", YAMLDiagnosticCode.syntaxError, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                 «resource»: contacts
                  mode: upsert
                  match_on: email
            """, fix: "Indent `resource:` with as many spaces as `from:` and `connection:` above it."),
        .also("a template that is not quoted", YAMLDiagnosticCode.syntaxError, header + """
              chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              tell:
                notify:
                  from: contacts
                  connection: chat
                  message: «{{ record.email }} signed up»
            """, fix: "Quote the whole value: `message: \"{{ record.email }} signed up\"`."),
        DiagnosticExample(YAMLDiagnosticCode.duplicateKey, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              «"contacts"»:
                fetch: { connection: crm, resource: companies }
            """, fix: "Give each step its own id."),
        DiagnosticExample(YAMLDiagnosticCode.unsupportedTag, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              inactive:
                segment: { from: contacts, where: «!record.archived» }
            """, fix: "Quote the expression: `where: \"!record.archived\"`."),
        DiagnosticExample(YAMLDiagnosticCode.aliasNotAllowed, header + """
            defaults:
              retry: «&standard» { max_attempts: 3 }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
            """, fix: "Write values out in full; use `defaults:` for settings shared by every step."),
        DiagnosticExample(YAMLDiagnosticCode.multipleDocuments, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
            «---»
            version: 1
            """, fix: "Put each playbook in its own file."),
        DiagnosticExample(YAMLDiagnosticCode.nestingTooDeep, "version: 1\nname: deep\nlabels: " + String(repeating: "[", count: 63) + "«[»" + String(repeating: "]", count: 64) + "\n",
                          fix: "Check the brackets; no playbook nests values 64 levels deep."),
        DiagnosticExample(YAMLDiagnosticCode.complexKey, header + """
            labels:
              ? «[team, owner]»
              : growth
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use text keys: `team: growth`."),

        DiagnosticExample(YAMLDiagnosticCode.tooManyNodes, "(a list of more than 1,000,000 values)", fix: "Check the file; no playbook holds a million values.",
                          bytes: Array(("version: 1\nname: huge\nlabels: [" + String(repeating: "0,", count: 1_000_001) + "]\n").utf8)),

        DiagnosticExample(LanguageDiagnosticCode.unknownField, header + """
            steps:
              contacts:
                fetch: { connection: crm, «resourse»: contacts }
            """, fix: "Rename the field to `resource`."),
        .also("a schedule outside triggers", LanguageDiagnosticCode.unknownField, header + """
            «schedule»: "0 9 * * MON"
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Move it into the list of triggers: `triggers: [{ schedule: \"0 9 * * MON\" }]`."),
        .also("a field indented too little at the end of its block", LanguageDiagnosticCode.unknownField, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: upsert
                  match_on: email
                «batch_size»: 50
            """, fix: "Indent `batch_size:` by two more spaces, under `sync:` with the other settings of the sync. YAML reads a key at the column of `sync:` as a field of the step itself."),
        DiagnosticExample(LanguageDiagnosticCode.missingField, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              update_crm:
                «sync»: { from: contacts, connection: crm, resource: contacts, match_on: email }
            """, fix: "Add `mode: upsert` (or insert, update, add_to_list, tag)."),
        DiagnosticExample(LanguageDiagnosticCode.wrongType, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              slim:
                transform: { from: contacts, drop: «email» }
            """, fix: "Write a list: `drop: [email]`."),
        DiagnosticExample(LanguageDiagnosticCode.conflictingFields, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              hot:
                segment:
                  from: contacts
                  where: record.page_views > 10
                  «segments»: { warm: record.page_views > 3 }
            """, fix: "Keep either `where` (a filter) or `segments` (named routes)."),
        DiagnosticExample(LanguageDiagnosticCode.exactlyOneRequired, header + """
            steps:
              «contacts»:
                description: every contact
            """, fix: "Give the step one kind: `fetch: { connection: crm, resource: contacts }`."),
        DiagnosticExample(LanguageDiagnosticCode.notABoolean, """
            version: 1
            name: example
            triggers:
              - manual: «yes»
            steps:
              contacts:
                fetch: { file: contacts.jsonl }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            """, fix: "Write `manual: true`."),
        DiagnosticExample(LanguageDiagnosticCode.invalidDuration, header + """
            defaults:
              timeout: «30»
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Give the unit: `timeout: 30s`."),
        DiagnosticExample(LanguageDiagnosticCode.invalidRateLimit, """
            version: 1
            name: example
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } }, rate_limit: «100 per 10s» }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `rate_limit: 100/10s`."),
        DiagnosticExample(LanguageDiagnosticCode.bracesInExpression, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: "«{{» record.page_views > 10 }}" }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Drop the braces: `where: record.page_views > 10`."),
        DiagnosticExample(LanguageDiagnosticCode.literalCredential, """
            version: 1
            name: example
            connections:
              crm: { connector: hubspot, auth: { token: «pat-na1-5d0c2f» } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `token: { secret: HUBSPOT_TOKEN }`: the playbook names the secret, and the token itself is kept out of the file."),
        DiagnosticExample(LanguageDiagnosticCode.misplacedSecret, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              tagged:
                transform: { from: contacts, set: { api_key: «{ secret: HUBSPOT_TOKEN }» } }
              copy:
                sync: { from: tagged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Secrets belong only in `auth` and `signing_secret`; remove it from the record."),
        DiagnosticExample(LanguageDiagnosticCode.unsupportedVersion, """
            version: «2»
            name: example
            """, fix: "Write `version: 1`, or upgrade Playbook."),
        DiagnosticExample(LanguageDiagnosticCode.invalidName, header + """
            steps:
              «new-contacts»:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: new-contacts, where: "record.page_views > 10" }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use letters, digits and `_`: `new_contacts`, here and where the step is named (`from: new_contacts`)."),
        DiagnosticExample(LanguageDiagnosticCode.invalidChoice, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: «upsetr», match_on: email }
            """, fix: "Write `mode: upsert`."),
        DiagnosticExample(LanguageDiagnosticCode.outOfRange, header + """
            defaults:
              retry: { max_attempts: «0» }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use at least 1 (1 means no retries)."),
        DiagnosticExample(LanguageDiagnosticCode.missingValue, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: upsert
                  «match_on»:
            """, fix: "Give the field a value (`match_on: email`) or remove it."),
        DiagnosticExample(LanguageDiagnosticCode.notANumber, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts, max_pages: «"50"» }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Remove the quotes: `max_pages: 50`."),
        DiagnosticExample(LanguageDiagnosticCode.unquotedTemplate, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: «{{ record.page_views > 10 }}» }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Drop the braces: the field is already an expression."),
        DiagnosticExample(LanguageDiagnosticCode.invalidDefault, header + """
            params:
              min_views: { type: int, default: «ten» }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: record.page_views >= params.min_views }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write a whole number: `default: 10`."),

        DiagnosticExample(LanguageDiagnosticCode.unknownStep, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: «contcts», connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Name an existing step: `from: contacts`."),
        DiagnosticExample(LanguageDiagnosticCode.unknownConnection, header + """
            steps:
              contacts:
                fetch: { connection: «hubspot», resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use the connection's name from `connections:` (`crm`), not the connector's."),
        DiagnosticExample(LanguageDiagnosticCode.unknownConnector, """
            version: 1
            name: example
            connections:
              crm: { connector: «hubspt», auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `connector: hubspot`; `playbook connectors` lists them all."),
        DiagnosticExample(LanguageDiagnosticCode.unknownResource, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: «contact» }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `resource: contacts`."),
        DiagnosticExample(LanguageDiagnosticCode.cycle, header + """
            steps:
              scored:
                transform: { from: contacts, set: { score: record.page_views * 2 } }
              contacts:
                transform: { from: «scored» }
              copy:
                sync: { from: scored, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Break the cycle: let the first step read from a fetch."),
        DiagnosticExample(LanguageDiagnosticCode.unusedOutput, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              «companies»:
                fetch: { connection: crm, resource: companies }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Read the records in a later step's `from:`, or remove the step."),
        DiagnosticExample(LanguageDiagnosticCode.unusedConnection, header + """
              «slack»: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use the connection in a step or alert, or remove it."),
        DiagnosticExample(LanguageDiagnosticCode.unusedParam, header + """
            params:
              «min_score»: { type: int, default: 80 }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Read it as `params.min_score`, or remove it."),
        DiagnosticExample(LanguageDiagnosticCode.unknownSegment, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              tiers:
                segment:
                  from: contacts
                  segments: { hot: record.page_views > 20, warm: record.page_views > 5 }
              copy:
                sync: { from: «tiers.cold», connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Name a defined segment (`tiers.hot`, `tiers.warm`), or add `otherwise: cold`."),
        DiagnosticExample(LanguageDiagnosticCode.unsupportedOperation, header + """
              chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: «chat», resource: messages, mode: insert }
            """, fix: "Send messages with a notify step."),
        DiagnosticExample(LanguageDiagnosticCode.unsupportedSyncMode, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: «tag», tags: [vip], match_on: email }
            """, fix: "Use a mode the resource supports (the help lists them)."),
        DiagnosticExample(LanguageDiagnosticCode.matchOnRequired, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: «upsert» }
            """, fix: "Add `match_on: email`."),
        DiagnosticExample(LanguageDiagnosticCode.unknownRecordField, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              slim:
                transform: { from: contacts, select: [email, «frist_name»] }
              copy:
                sync: { from: slim, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Name an existing field: `first_name`."),
        DiagnosticExample(LanguageDiagnosticCode.authMismatch, """
            version: 1
            name: example
            connections:
              crm: { connector: hubspot, auth: { «api_token»: { secret: HUBSPOT_TOKEN } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use the connector's credential field: `token`."),
        DiagnosticExample(LanguageDiagnosticCode.unknownOption, """
            version: 1
            name: example
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } }, options: { «portal»: 123 } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Remove the option; `playbook connectors hubspot` lists the options."),
        DiagnosticExample(LanguageDiagnosticCode.batchTooLarge, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email, batch_size: «500» }
            """, fix: "HubSpot takes at most 100 records per call: `batch_size: 100`."),
        DiagnosticExample(LanguageDiagnosticCode.invalidCursor, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts, incremental: { cursor: «email» } }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use a field that only grows: `cursor: updated_at`."),
        DiagnosticExample(LanguageDiagnosticCode.unknownWebhook, header + """
            triggers:
              - webhook: { path: /hooks/forms, verify: standard-webhooks, signing_secret: { secret: FORMS_SECRET } }
            steps:
              submissions:
                fetch: { webhook: «/hooks/form» }
              copy:
                sync: { from: submissions, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use the trigger's path: `webhook: /hooks/forms`."),
        DiagnosticExample(LanguageDiagnosticCode.duplicateName, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              tiers:
                segment:
                  from: contacts
                  segments: { hot: record.page_views > 20 }
                  otherwise: «hot»
              copy:
                sync: { from: tiers.hot, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Name the rest differently: `otherwise: rest`."),
        DiagnosticExample(LanguageDiagnosticCode.missingOption, """
            version: 1
            name: example
            connections:
              «ads»: { connector: google_ads, auth: { developer_token: { secret: GADS_DEV_TOKEN }, client_id: { secret: GADS_CLIENT_ID }, client_secret: { secret: GADS_CLIENT_SECRET }, refresh_token: { secret: GADS_REFRESH_TOKEN } } }
              chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
            steps:
              campaigns:
                fetch: { connection: ads, resource: campaigns }
              report:
                notify: { from: campaigns, connection: chat, mode: digest, message: "{{ record.name }}" }
            """, fix: "Add `options: { customer_id: \"1234567890\" }`."),
        DiagnosticExample(LanguageDiagnosticCode.noSteps, """
            version: 1
            name: example
            «steps»: {}
            """, fix: "Add at least one step."),
        DiagnosticExample(LanguageDiagnosticCode.missingNotifyField, header + """
              mail: { connector: sendgrid, auth: { api_key: { secret: SENDGRID_API_KEY } }, options: { from: news@example.com } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              welcome:
                notify: { from: contacts, connection: «mail», to: "{{ record.email }}", message: "Welcome!" }
            """, fix: "Add `subject: \"Welcome to Example\"`."),
        DiagnosticExample(LanguageDiagnosticCode.incrementalWriteBack, header + """
            steps:
              changed:
                fetch: { connection: crm, resource: contacts, incremental: { cursor: updated_at } }
              qualify:
                sync:
                  from: changed
                  connection: crm
                  resource: «contacts»
                  mode: update
                  match_on: email
                  fields: { email: record.email, lifecycle_stage: '"marketingqualifiedlead"' }
            """, fix: "Write only contacts that are not qualified yet: add `todo: { segment: { from: changed, where: 'record.lifecycle_stage != \"marketingqualifiedlead\"' } }` and sync `from: todo`. A contact written once then no longer passes the filter when it is read again."),
        DiagnosticExample(LanguageDiagnosticCode.fieldMayBeAbsent, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              directors:
                segment:
                  from: contacts
                  where: «record.job_title».contains("Director")
              qualify:
                sync: { from: directors, connection: crm, resource: contacts, mode: update, match_on: email, fields: { email: record.email, lead_status: '"OPEN"' } }
            """, fix: "Test for the field first: `where: has(record.job_title) && record.job_title.contains(\"Director\")`, or read it with a default: `record.?job_title.orValue(\"\").contains(\"Director\")`. A contact without a job title then simply does not match."),
        DiagnosticExample(LanguageDiagnosticCode.invalidCron, header + """
            triggers:
              - schedule: "0 «24» * * *"
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Hours run from 0 to 23: `\"0 0 * * *\"`."),
        DiagnosticExample(LanguageDiagnosticCode.unknownTimeZone, header + """
            triggers:
              - schedule: "0 9 * * MON-FRI"
                timezone: «Europe/Warsw»
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `timezone: Europe/Warsaw`."),
        DiagnosticExample(LanguageDiagnosticCode.missingSigningSecret, header + """
            triggers:
              - webhook: { path: /hooks/forms, verify: «stripe» }
            steps:
              submissions:
                fetch: { webhook: /hooks/forms, fields: { email: string } }
              copy:
                sync: { from: submissions, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Add `signing_secret: { secret: STRIPE_WEBHOOK_SECRET }`."),
        DiagnosticExample(LanguageDiagnosticCode.unverifiedWebhook, header + """
            triggers:
              - webhook: { path: /hooks/forms, verify: «none» }
            steps:
              submissions:
                fetch: { webhook: /hooks/forms, fields: { email: string } }
              copy:
                sync: { from: submissions, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Verify the sender's signature with its scheme and a `signing_secret`."),
        DiagnosticExample(LanguageDiagnosticCode.duplicateWebhookPath, header + """
            triggers:
              - webhook: { path: /hooks/forms, verify: hubspot-v3, signing_secret: { secret: HUBSPOT_APP_SECRET } }
              - webhook: { path: «/hooks/forms», verify: standard-webhooks, signing_secret: { secret: FORMS_SECRET } }
            steps:
              submissions:
                fetch: { webhook: /hooks/forms, fields: { email: string } }
              copy:
                sync: { from: submissions, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Give each webhook its own path."),
        DiagnosticExample.afterFile(LanguageDiagnosticCode.claimedByAnotherFile, earlier: (path: "form-to-crm.yaml", text: """
            version: 1
            name: form-to-crm
            triggers:
              - webhook: { path: /hooks/forms, verify: hubspot-v3, signing_secret: { secret: HUBSPOT_APP_SECRET } }
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              submissions:
                fetch: { webhook: /hooks/forms, fields: { email: string } }
              copy:
                sync: { from: submissions, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """), """
            version: 1
            name: «form-to-crm»
            triggers:
              - webhook: { path: /hooks/forms, verify: hubspot-v3, signing_secret: { secret: HUBSPOT_APP_SECRET } }
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              submissions:
                fetch: { webhook: /hooks/forms, fields: { email: string, country: string } }
              copy:
                sync: { from: submissions, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Give the copy its own name and webhook path, such as `name: event-form-to-crm` and `path: /hooks/event-forms` (the fetch's `webhook:` too)."),
        DiagnosticExample(LanguageDiagnosticCode.eitherDayField, header + """
            triggers:
              - schedule: «"0 9 1-7 * MON"»
                timezone: Europe/Warsaw
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "For the first Monday, schedule `\"0 9 1-7 * *\"` and add `if: now.getDayOfWeek(\"Europe/Warsaw\") == 1` to the first step."),
        DiagnosticExample(LanguageDiagnosticCode.fieldNotForScheme, header + """
            triggers:
              - webhook:
                  path: /hooks/payments
                  verify: stripe
                  signing_secret: { secret: STRIPE_WEBHOOK_SECRET }
                  verify_token: { secret: «STRIPE_VERIFY_TOKEN» }
            steps:
              payments:
                fetch: { webhook: /hooks/payments, fields: { email: string } }
              copy:
                sync: { from: payments, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Remove `verify_token`: Stripe proves a request with its signature alone. Only `verify: meta` uses a verify token."),
        DiagnosticExample(LanguageDiagnosticCode.unknownPlatformField, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: upsert
                  match_on: email
                  fields:
                    email: record.email
                    «emial»: record.email
            """, fix: "Name a field of the resource: `email`."),
        .also("a custom field written as a field of its own", LanguageDiagnosticCode.unknownPlatformField, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: upsert
                  match_on: email
                  fields:
                    email: record.email
                    «lead_score_custom»: string(record.page_views)
            """, fix: "Write the custom property inside `properties`: `properties: '{\"lead_score_custom\": string(record.page_views)}'`."),
        DiagnosticExample(LanguageDiagnosticCode.unknownParameterValue, """
            version: 1
            name: example
            connections:
              analytics: { connector: ga4, options: { property_id: "312345678" }, auth: { service_account_key: { secret: GA4_KEY } } }
              exports: { connector: file, options: { directory: out } }
            steps:
              traffic:
                fetch: { connection: analytics, resource: report, params: { dimensions: [date], metrics: «[sesions]» } }
              save:
                sync: { from: traffic, connection: exports, resource: traffic.jsonl, mode: insert }
            """, fix: "Write GA4's API name: `sessions`. The names are in docs/connectors.md (GA4, `report`); custom ones are written `customEvent:NAME`."),
        DiagnosticExample(LanguageDiagnosticCode.invalidParameterForm, """
            version: 1
            name: example
            connections:
              analytics: { connector: ga4, options: { property_id: «"G-4XK2P9QR7M"» }, auth: { service_account_key: { secret: GA4_KEY } } }
              exports: { connector: file, options: { directory: out } }
            steps:
              traffic:
                fetch: { connection: analytics, resource: report, params: { dimensions: [date], metrics: [sessions] } }
              save:
                sync: { from: traffic, connection: exports, resource: traffic.jsonl, mode: insert }
            """, fix: "Give the numeric property id from GA4's Admin → Property details, e.g. `property_id: \"312345678\"`."),
        .also("a Google Ads customer id written with dashes", LanguageDiagnosticCode.invalidParameterForm, """
            version: 1
            name: example
            connections:
              ads:
                connector: google_ads
                options: { customer_id: «"123-456-7890"» }
                auth: { developer_token: { secret: D }, client_id: { secret: C }, client_secret: { secret: S }, refresh_token: { secret: R } }
              exports: { connector: file, options: { directory: out } }
            steps:
              campaigns:
                fetch: { connection: ads, resource: campaign_performance }
              save:
                sync: { from: campaigns, connection: exports, resource: campaigns.jsonl, mode: insert }
            """, fix: "Drop the dashes: `customer_id: \"1234567890\"`."),
        .also("a date preset Meta does not document", LanguageDiagnosticCode.unknownParameterValue, """
            version: 1
            name: example
            connections:
              meta: { connector: meta_ads, options: { ad_account_id: act_1234567890 }, auth: { access_token: { secret: META_TOKEN } } }
              exports: { connector: file, options: { directory: out } }
            steps:
              spend:
                fetch: { connection: meta, resource: campaign_insights, params: { date_preset: «last_7_days» } }
              save:
                sync: { from: spend, connection: exports, resource: spend.jsonl, mode: insert }
            """, fix: "Write Meta's name of the range: `last_7d`."),
        DiagnosticExample(LanguageDiagnosticCode.fieldsOnPlatformFetch, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts, «fields»: { email: string, score: int } }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Remove `fields:`: HubSpot contacts have the fields `playbook connectors hubspot` lists. A custom property is read with `params: { properties: [score] }` and is `record.properties.score`."),
        DiagnosticExample(LanguageDiagnosticCode.readOnlyField, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: upsert
                  match_on: email
                  fields:
                    email: record.email
                    «page_views»: record.page_views + 1
            """, fix: "Remove `page_views`: HubSpot counts page views itself. Keep a number of your own in a custom property inside `properties`."),
        DiagnosticExample(LanguageDiagnosticCode.fieldTypeMismatch, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: upsert
                  match_on: email
                  fields:
                    email: record.email
                    hubspot_score: «record.original_source»
            """, fix: "Write a whole number, converting text with `int(…)`: `hubspot_score: int(record.properties.score)`."),

        DiagnosticExample(CELDiagnosticCode.unknownField, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: record.«scroe» > 10 }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use a field the records have: `record.score` does not exist on HubSpot contacts; `record.page_views` does."),
        .also("a GA4 dimension the report does not request", CELDiagnosticCode.unknownField, """
            version: 1
            name: example
            connections:
              analytics: { connector: ga4, options: { property_id: "312345678" }, auth: { service_account_key: { secret: GA4_KEY } } }
              exports: { connector: file, options: { directory: out } }
            steps:
              traffic:
                fetch: { connection: analytics, resource: report, params: { dimensions: [date], metrics: [sessions] } }
              german:
                segment: { from: traffic, where: 'record.«country» == "Germany"' }
              save:
                sync: { from: german, connection: exports, resource: traffic.jsonl, mode: insert }
            """, fix: "Request it: `dimensions: [date, country]`. A GA4 report's rows hold only the dimensions and metrics the fetch asks for."),
        DiagnosticExample(CELDiagnosticCode.unknownVariable, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: «recrod».page_views > 10 }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `record`."),
        .also("a parameter written without params.", CELDiagnosticCode.unknownVariable, header + """
            params:
              min_views: { type: int, default: 10 }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: record.page_views > «min_views» }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `params.min_views`."),
        DiagnosticExample(CELDiagnosticCode.unknownFunction, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: "record.email.«lowercase»() == 'a@example.com'" }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `lowerAscii()`; docs/expressions.md lists every function."),
        DiagnosticExample(CELDiagnosticCode.noMatchingOverload, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: "«record.page_views * 1.5» > 10.0" }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Convert one side: `double(record.page_views) * 1.5 > 10.0`."),
        DiagnosticExample(CELDiagnosticCode.nonBoolCondition, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: «record.email» }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Compare the value: `record.email != \"\"`."),
        DiagnosticExample(CELDiagnosticCode.noFields, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: record.page_views.«value» > 10 }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Read the number directly: `record.page_views > 10`."),
        DiagnosticExample(CELDiagnosticCode.syntaxError, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: "record.page_views >«»" }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Complete the comparison: `record.page_views > 10`."),
        .also("'and' or 'or' written as a word", CELDiagnosticCode.syntaxError, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: "record.page_views > 10 «and» record.page_views < 100" }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Write `&&` for and, `||` for or: `record.page_views > 10 && record.page_views < 100`."),
        .also("text where an expression is expected", CELDiagnosticCode.syntaxError, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync:
                  from: contacts
                  connection: crm
                  resource: contacts
                  mode: upsert
                  match_on: email
                  fields:
                    email: record.email
                    company: "Google «Ads»"
            """, fix: "Give the text its own quotes inside the YAML value: `company: '\"Google Ads\"'`."),
        DiagnosticExample(CELDiagnosticCode.messageConstruction, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                transform: { from: contacts, set: { lead: "«Lead{score: 1}»" } }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use a map literal: `{\"score\": 1}`."),
        DiagnosticExample(CELDiagnosticCode.reservedWord, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                transform: { from: contacts, set: { flag: "«while»" } }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Quote a field named like a reserved word with backticks: ``record.`while` ``."),
        DiagnosticExample(CELDiagnosticCode.invalidLiteral, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                transform: { from: contacts, set: { big: «99999999999999999999» } }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Use a number that fits in 64 bits, a uint (`u` suffix) or a double."),
        DiagnosticExample(CELDiagnosticCode.invalidMacro, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                transform: { from: contacts, set: { vip: "record.properties.exists(«p.name», true)" } }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Name a variable: `record.properties.exists(p, p == \"vip\")`."),
        DiagnosticExample(CELDiagnosticCode.invalidRegularExpression, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              work_emails:
                segment: { from: contacts, where: 'record.email.matches(«"@(?!gmail\\\\.com$)"»)' }
              copy:
                sync: { from: work_emails, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Negate a second match instead of looking ahead: `!record.email.matches(\"@gmail\\\\.com$\")`."),
        DiagnosticExample(CELDiagnosticCode.resultTypeMismatch, header + """
            triggers:
              - webhook: { path: /hooks/forms, verify: standard-webhooks, signing_secret: { secret: FORMS_SECRET } }
            steps:
              submissions:
                fetch: { webhook: /hooks/forms, records: «trigger.kind», fields: { email: string } }
              copy:
                sync: { from: submissions, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Select the list that holds the records: `records: trigger.payload.submissions`."),
        DiagnosticExample(CELDiagnosticCode.limitExceeded, header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment: { from: contacts, where: \"\(String(repeating: "(", count: 100))«(»\(String(repeating: "(", count: 20))true\(String(repeating: ")", count: 121))\" }
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """, fix: "Split the expression: set intermediate fields in a transform step."),
        DiagnosticExample(CELDiagnosticCode.unterminatedInterpolation, header + """
              chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              tell:
                notify: { from: contacts, connection: chat, message: "New lead «{{» record.email" }
            """, fix: "Close the interpolation: `{{ record.email }}`."),
        DiagnosticExample(CELDiagnosticCode.emptyInterpolation, header + """
              chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              tell:
                notify: { from: contacts, connection: chat, message: "New lead «{{ }}»" }
            """, fix: "Put an expression inside: `{{ record.email }}`, or remove the braces."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.unknownKey, specHeader + """
              - name: contacts
                summary: People in the CRM.
                «batch_limt»: 50
                fields:
                  - { name: email, type: string }
            """, fix: "Use the key the help names: `batch_limit`."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.wrongKind, specHeader + """
              - name: contacts
                summary: People in the CRM.
                batch_limit: «fifty»
                fields:
                  - { name: email, type: string }
            """, fix: "Write a whole number: `batch_limit: 50`."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.missingKey, specHeader + """
              - name: contacts
                summary: People in the CRM.
                fields:
                  - { name: email, type: string }
                http:
                  read:
                    «request»: { method: GET }
                    records: data
            """, fix: "Give the request its `path`: `request: { method: GET, path: /contacts }`."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.unknownType, specHeader + """
              - name: contacts
                summary: People in the CRM.
                fields:
                  - { name: email, type: «strng» }
            """, fix: "Use one of the playbook types: `type: string`."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.unknownReference, specHeader + """
              - name: contacts
                summary: People in the CRM.
                cursor_fields: [«updated»]
                fields:
                  - { name: email, type: string }
                  - { name: updated_at, type: timestamp }
            """, fix: "Name a declared field: `cursor_fields: [updated_at]`."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.unknownValue, specHeader + """
              - name: contacts
                summary: People in the CRM.
                sync_modes: [«upsrt»]
                fields:
                  - { name: email, type: string }
            """, fix: "Use a sync mode Playbook has: `upsert`, `insert`, `update`, `add_to_list` or `tag`."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.unknownPlaceholder, specHeader + """
              - name: contacts
                summary: People in the CRM.
                fields:
                  - { name: email, type: string }
            http:
              base_url: https://«{optons.region}».api.acme.example
            """, fix: "Spell the placeholder as the help says: `{options.region}`."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.incompletePagination, specHeader + """
              - name: contacts
                summary: People in the CRM.
                fields:
                  - { name: email, type: string }
                http:
                  read:
                    request: { method: GET, path: /contacts }
                    records: data
                    pagination: { style: «token», next: paging.next }
            """, fix: "Say where the token goes on the next call: `send_as: { query: after }`."),
        DiagnosticExample.spec(ConnectorSpecDiagnosticCode.duplicateName, specHeader + """
              - name: contacts
                summary: People in the CRM.
                fields:
                  - { name: email, type: string }
                  - { name: «email», type: string }
            """, fix: "Remove or rename the second field."),
        DiagnosticExample(ConnectorSpecDiagnosticCode.specNotFound, """
            version: 1
            name: example
            connections:
              crm: { connector: «./connectors/no-such-crm.yaml» }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
            """, fix: "Correct the path, relative to the playbook's folder, or create the spec file there."),
    ]

    /// The smallest connector spec the spec examples vary: a CRM with one resource.
    static let specHeader = """
        name: acme_crm
        title: Acme CRM
        summary: Contacts in Acme CRM.
        capabilities: [read]
        options:
          - { name: region, type: string, summary: "Data region, e.g. `eu`." }
        auth:
          - { name: bearer, summary: An API token., fields: [token] }
        resources:

        """
}
