import Diagnostics
import Foundation
import Testing
@testable import PlaybookLanguage

private func load(_ text: String, path: String = "acme-crm.yaml") -> ConnectorSpecLoadResult {
    ConnectorSpecLoader().load(SourceFile(path: path, text: text))
}

private let minimalSpec = """
    name: acme_crm
    title: Acme CRM
    summary: Contacts in Acme CRM.
    capabilities: [read, write]
    options:
      - { name: region, type: string, required: true, summary: "Data region, e.g. `eu`." }
    auth:
      - { name: bearer, summary: An API token., fields: [token] }
    resources:
      - name: contacts
        summary: People in the CRM.
        sync_modes: [upsert]
        match_fields: [email]
        batch_limit: 50
        fields:
          - { name: email, type: string, summary: E-mail. }
          - { name: first_name, type: string }
          - { name: tags, type: list(string) }
          - { name: updated_at, type: timestamp }
        cursor_fields: [updated_at]
        http:
          field_paths: { first_name: profile.firstName, updated_at: updatedAt }
          field_formats: { updated_at: epoch_ms }
          read:
            request: { method: GET, path: /v1/contacts, query: { limit: "{page.size}" } }
            records: data
            pagination: { style: token, next: meta.next, send_as: { query: cursor } }
            default_page_size: 100
          writes:
            upsert:
              request: { method: POST, path: /v1/contacts/batch, body: { contacts: "{items}" } }
              refusals:
                listed: { errors: errors, key: email, reason: message }
    http:
      base_url: "https://{options.region}.api.acme.example"
      auth:
        bearer:
          header: { Authorization: "Bearer {auth.token}" }
      rate_limit_signals:
        - retry_after: seconds
        - bare_429
    """

@Suite struct ConnectorSpecTests {
    // MARK: built-ins

    @Test(arguments: BuiltInConnectorSpecs.load())
    func everyBuiltInSpecLoadsWithoutDiagnostics(_ result: ConnectorSpecLoadResult) {
        let problems = result.diagnostics.map { summary($0, in: result.file) }
        #expect(result.diagnostics.isEmpty, "\(result.file.path):\n\(problems.joined(separator: "\n"))")
        #expect(result.connector != nil)
    }

    @Test func builtInCatalogueIsTheEmbeddedSpecs() {
        #expect(ConnectorCatalog.builtIn.names == BuiltInConnectorSpecs.files.map { ($0.path as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "") })
    }

    @Test func platformConnectorsDescribeTheirHTTPAndLocalOnesDoNot() throws {
        for connector in ConnectorCatalog.builtIn.connectors {
            let local = ["http", "file"].contains(connector.name)
            #expect((connector.http == nil) == local, "\(connector.name)")
            guard let http = connector.http else { continue }
            for scheme in connector.authSchemes {
                // A GA4 service account signs a JWT for its token, a grant `OAuth2Flow` does not model yet.
                #expect(http.auth[scheme.name] != nil || (connector.name, scheme.name) == ("ga4", "service_account"), "\(connector.name) does not say how '\(scheme.name)' is sent")
            }
        }
    }

    @Test func hubSpotMapsFieldsToPropertiesAndReadsEpochMilliseconds() throws {
        let hubspot = try #require(ConnectorCatalog.builtIn["hubspot"])
        let contacts = try #require(hubspot.resource(named: "contacts")?.http)
        #expect(contacts.fieldPaths["first_name"] == "properties.firstname")
        #expect(contacts.read?.pagination == .token(next: "paging.next.after", sendAs: .query("after")))
        #expect(contacts.writes[.upsert]?.request.path == "/crm/v3/objects/contacts/batch/upsert")
        let submissions = try #require(hubspot.resource(named: "form_submissions")?.http)
        #expect(submissions.fieldFormats["submitted_at"] == .epochMilliseconds)
        #expect(hubspot.http?.rateLimitSignals == [.retryAfter(unit: .milliseconds)])
    }

    @Test func hubSpotLooksUpAContactByEmailThroughSearch() throws {
        let lookup = try #require(ConnectorCatalog.builtIn["hubspot"]?.resource(named: "contact_by_email"))
        #expect(lookup.parameters.first { $0.name == "email" }?.required == true)
        let request = try #require(lookup.http?.read?.request)
        #expect(request.method == "POST" && request.path == "/crm/v3/objects/contacts/search")
        let filter = JSONValue.object([("propertyName", .string("email")), ("operator", .string("EQ")), ("value", .string("{params.email}"))])
        guard case .object(let members)? = request.body, case .array(let groups)? = members.first(where: { $0.0 == "filterGroups" })?.1 else {
            Issue.record("no filterGroups in \(String(describing: request.body))")
            return
        }
        #expect(groups == [.object([("filters", .array([filter]))])])
    }

    @Test func metaReadsOneLeadByIdWithItsFieldData() throws {
        let lead = try #require(ConnectorCatalog.builtIn["meta_ads"]?.resource(named: "lead"))
        #expect(lead.parameters.map(\.name) == ["leadgen_id"])
        #expect(lead.http?.read?.request.path == "/{params.leadgen_id}")
        #expect(lead.http?.read?.request.query.first { $0.name == "fields" }?.value.contains("field_data") == true)
        #expect(lead.field(named: "field_data") != nil)
    }

    @Test func slackSendsThroughTheWebhookURLOrChatPostMessage() throws {
        let slack = try #require(ConnectorCatalog.builtIn["slack"]?.http)
        #expect(slack.auth["incoming_webhook"] == .url("{auth.webhook_url}"))
        #expect(slack.auth["bearer"] == .header(HTTPHeaderTemplate("Authorization", "Bearer {auth.bot_token}")))
        #expect(slack.errors.successFlag == "ok")
        let send = try #require(ConnectorCatalog.builtIn["slack"]?.resource(named: "messages")?.http?.send)
        #expect(send.request.path == "/chat.postMessage")
    }

    @Test func ga4ServiceAccountsSignInWithAJWTBearerGrant() throws {
        let ga4 = try #require(ConnectorCatalog.builtIn["ga4"]?.http)
        #expect(ga4.auth["service_account"] == .oauth2(OAuth2Flow(
            grant: .jwtBearer, tokenURL: "https://oauth2.googleapis.com/token",
            scope: "https://www.googleapis.com/auth/analytics.readonly", keyField: "service_account_key")))
    }

    @Test func salesforceFollowsNextRecordsURLUntilDone() throws {
        let leads = try #require(ConnectorCatalog.builtIn["salesforce"]?.resource(named: "leads")?.http)
        #expect(leads.read?.pagination == .nextURL(next: "nextRecordsUrl", done: "done"))
        #expect(leads.fieldPaths["email"] == "Email")
        #expect(leads.writes[.upsert]?.refusals == .perRecord(results: "", success: "success", reason: "errors.0.message"))
    }

    // MARK: the loader

    @Test func aCompleteSpecLoadsIntoADescriptor() throws {
        let result = load(minimalSpec)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map { summary($0, in: result.file) })")
        let connector = try #require(result.connector)
        #expect(connector.name == "acme_crm")
        #expect(connector.options.first?.required == true)
        let contacts = try #require(connector.resource(named: "contacts"))
        #expect(contacts.field(named: "tags")?.type == .list(.string))
        #expect(contacts.maxBatchSize == 50)
        #expect(contacts.http?.fieldFormats["updated_at"] == .epochMilliseconds)
        #expect(contacts.http?.writes[.upsert]?.refusals == .listed(errors: "errors", key: "email", reason: "message"))
        #expect(connector.http?.baseURL == "https://{options.region}.api.acme.example")
        #expect(connector.http?.rateLimitSignals == [.retryAfter(unit: .seconds), .bare429])
    }

    @Test func typesAreReadAsInPlaybooks() {
        #expect(ValueTypeName.parse("map(string, list(int))") == .map(.list(.int)))
        #expect(ValueTypeName.parse("list(record)", record: .object([ValueType.Field("a", .string)])) == .list(.object([ValueType.Field("a", .string)])))
        #expect(ValueTypeName.parse("map(int, string)") == nil)
        #expect(ValueTypeName.parse("strin") == nil)
    }

    @Test(arguments: [
        ("batch_limit: 50", "batch_limt: 50", ConnectorSpecDiagnosticCode.unknownKey, "did you mean 'batch_limit'?"),
        ("{ style: token, next: meta.next, send_as: { query: cursor } }", "{ style: token, next: meta.next }", ConnectorSpecDiagnosticCode.incompletePagination, nil),
        ("\"https://{options.region}.api.acme.example\"", "\"https://{optons.region}.api.acme.example\"", ConnectorSpecDiagnosticCode.unknownPlaceholder, "did you mean '{options.region}'?"),
        ("\"Bearer {auth.token}\"", "\"Bearer {auth.tokn}\"", ConnectorSpecDiagnosticCode.unknownPlaceholder, "did you mean 'token'?"),
        ("\"https://{options.region}.api.acme.example\"", "\"https://{options.region|after_lst:-}.api.acme.example\"", ConnectorSpecDiagnosticCode.unknownPlaceholder, nil),
        ("\"https://{options.region}.api.acme.example\"", "\"https://{options.region|or:auth.tokn|after_last:-}.api.acme.example\"", ConnectorSpecDiagnosticCode.unknownPlaceholder, "did you mean 'token'?"),
        ("\"{page.size}\"", "\"{page.sise}\"", ConnectorSpecDiagnosticCode.unknownPlaceholder, "did you mean 'size'?"),
        ("\"{items}\"", "\"{params.limit}\"", ConnectorSpecDiagnosticCode.unknownPlaceholder, nil),
        ("first_name: profile.firstName", "firstname: profile.firstName", ConnectorSpecDiagnosticCode.unknownReference, "did you mean 'first_name'?"),
        ("    upsert:\n          request", "    update:\n          request", ConnectorSpecDiagnosticCode.unknownReference, nil),
        ("type: list(string)", "type: list(strng)", ConnectorSpecDiagnosticCode.unknownType, nil),
        ("batch_limit: 50", "batch_limit: lots", ConnectorSpecDiagnosticCode.wrongKind, nil),
        ("style: token", "style: cursor", ConnectorSpecDiagnosticCode.unknownValue, nil),
        ("title: Acme CRM\n", "", ConnectorSpecDiagnosticCode.missingKey, nil),
        ("header: { Authorization: \"Bearer {auth.token}\" }", "oauth2: { grant: jwt_bearer, token_url: \"https://login.acme.example/token\", key_field: tokn }",
         ConnectorSpecDiagnosticCode.unknownReference, "did you mean 'token'?"),
        ("header: { Authorization: \"Bearer {auth.token}\" }", "oauth2: { grant: jwt_bearer, token_url: \"https://login.acme.example/token\" }",
         ConnectorSpecDiagnosticCode.missingKey, nil),
    ] as [(String, String, DiagnosticCode, String?)])
    func aBrokenSpecReportsTheProblemWhereItIs(original: String, broken: String, code: DiagnosticCode, help: String?) throws {
        #expect(minimalSpec.contains(original))
        let result = load(minimalSpec.replacingOccurrences(of: original, with: broken))
        #expect(result.connector == nil)
        let found = try #require(result.diagnostics.first { $0.code == code }, "\(result.diagnostics.map { summary($0, in: result.file) })")
        if let help { #expect(found.help == help) }
        // Each problem is located on the line the change made, or on its owner for a missing key.
        if !broken.isEmpty {
            let line = result.file.location(of: found.range.start).line
            let changedLine = minimalSpec.replacingOccurrences(of: original, with: broken).components(separatedBy: "\n")
                .firstIndex { $0.contains(broken.components(separatedBy: "\n").first!) }.map { $0 + 1 }
            #expect(changedLine == line || broken.contains("\n"), "reported on line \(line), changed \(String(describing: changedLine))")
        }
    }

    @Test func aSpecCutOffAtAnyLineIsEitherWholeOrReportedNeverACrash() throws {
        let hubspot = try #require(BuiltInConnectorSpecs.files.first { $0.path.hasSuffix("/hubspot.yaml") })
        let lines = String(decoding: hubspot.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for count in stride(from: 0, to: lines.count, by: 5) {
            let result = load(lines.prefix(count).joined(separator: "\n"))
            #expect(result.connector != nil || result.hasErrors, "cut after \(count) lines: neither a connector nor an error")
            for diagnostic in result.diagnostics {
                #expect(diagnostic.range.end <= result.file.bytes.count)
            }
        }
    }

    @Test func aBuiltInConnectorSpecIsNotAPlaybookYetItsOwnFileNamesItsProblems() {
        let result = load("name: x\n", path: "connectors/x.yaml")
        let text = TextRenderer().render(DiagnosticReport(files: [result.fileDiagnostics], catalogue: PlaybookDiagnostics.catalogue))
        #expect(text.contains("connectors/x.yaml:1:1: error[PB0703]: the connector spec is missing 'title'"))
    }

    // MARK: schema

    @Test func schemaIsValidJSONListingEveryTopLevelKey() throws {
        let text = ConnectorSpecSchema.text()
        let parsed = try JSONValue(parsing: text)
        guard case .object(let members) = parsed, case .object(let properties)? = members.first(where: { $0.0 == "properties" })?.1 else {
            Issue.record("no properties")
            return
        }
        #expect(properties.map(\.0) == ConnectorSpecSchema.topLevelKeys)
        #expect(Set(ConnectorSpecSchema.topLevelKeys) == Set(["name", "title", "summary", "capabilities", "default_rate_limit", "max_concurrency",
            "notify_needs_subject", "notify_needs_recipient", "auth", "options", "accepts_any_resource", "generic_resource", "resources", "http"]))
    }

    @Test func checkedInSchemaIsTheGeneratedOne() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent("grammar/connector-spec.schema.json")
        if ProcessInfo.processInfo.environment["PLAYBOOK_RECORD_SNAPSHOTS"] == "1" {
            try ConnectorSpecSchema.text().write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == ConnectorSpecSchema.text(), "regenerate with: playbook schema --connector > grammar/connector-spec.schema.json")
    }

    @Test(arguments: BuiltInConnectorSpecs.files)
    func everyBuiltInHasTheKeysTheSchemaRequires(_ file: SourceFile) throws {
        let text = String(decoding: file.bytes, as: UTF8.self)
        for key in ConnectorSpecFormat.connector.keys where key.required {
            #expect(text.contains("\n\(key.name):"), "\(file.path) lacks \(key.name)")
        }
    }
}

extension ConnectorSpecLoadResult: CustomTestStringConvertible {
    public var testDescription: String { file.path }
}

extension SourceFile: CustomTestStringConvertible {
    public var testDescription: String { path }
}
