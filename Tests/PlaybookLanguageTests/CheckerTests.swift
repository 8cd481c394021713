import CEL
import Diagnostics
import PlaybookLanguage
import Testing
import YAML

/// Behaviour of the checks that need more than one example: several edges, fix-its, scalar styles.
struct CheckerTests {
    static let header = DiagnosticExamples.header

    /// A playbook whose segment step `engaged` has `field` (a line such as `where: …`), after the
    /// given `params:` section, if any.
    static func segmenting(_ field: String, params: String = "") -> String {
        header + params + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              engaged:
                segment:
                  from: contacts
                  \(field)
              copy:
                sync: { from: engaged, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """
    }

    @Test func matchOnIsCheckedAgainstTheWrittenFields() {
        let source = Self.header + """
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
                  fields: { email: record.email.lowerAscii(), first_name: record.?first_name.orValue("") }
            """
        #expect(validate(source).diagnostics.isEmpty)
        let wrong = source.replacingOccurrences(of: "fields: { email: record.email.lowerAscii(), ", with: "fields: { ")
        let diagnostics = validate(wrong).diagnostics
        #expect(diagnostics.map(\.code) == [LanguageDiagnosticCode.unknownRecordField])
        #expect(diagnostics.first?.message == "cannot match on 'email': no such field in the written fields")
    }

    @Test func deliveryIsForMessagesSentOncePerKey() throws {
        let source = Self.header.replacingOccurrences(of: "connections:\n", with: "connections:\n  chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK_URL } } }\n") + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              hello:
                notify: { from: contacts, connection: chat, message: "Hello {{ record.email }}", once_per: record.email, delivery: at_least_once }
            """
        #expect(validate(source).diagnostics.isEmpty)
        let withoutKey = validate(source.replacingOccurrences(of: "once_per: record.email, ", with: ""))
        let diagnostic = try #require(withoutKey.diagnostics.first)
        #expect(withoutKey.diagnostics.count == 1)
        #expect(diagnostic.code == LanguageDiagnosticCode.missingNotifyField)
        #expect(diagnostic.message.hasPrefix("'delivery' needs 'once_per'"))
        let misspelt = validate(source.replacingOccurrences(of: "at_least_once", with: "at_least_twice"))
        #expect(misspelt.diagnostics.count == 1)
        #expect(misspelt.diagnostics.first?.message.contains("at_most_once") == true, "\(misspelt.diagnostics)")
    }

    @Test func aTitleHeadsADigestAndSeesNoRecord() throws {
        let source = Self.header.replacingOccurrences(of: "connections:\n", with: "connections:\n  chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK_URL } } }\n") + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              digest:
                notify: { from: contacts, connection: chat, mode: digest, title: "Contacts on {{ now.getDate() }}", message: "{{ record.email }}" }
            """
        #expect(validate(source).diagnostics.isEmpty)
        let perRecord = validate(source.replacingOccurrences(of: "mode: digest, ", with: ""))
        #expect(perRecord.diagnostics.map(\.code) == [LanguageDiagnosticCode.missingNotifyField])
        #expect(perRecord.diagnostics.first?.message.hasPrefix("'title' is the first line of a digest") == true)
        let misspeltMode = validate(source.replacingOccurrences(of: "mode: digest", with: "mode: digst"))
        #expect(misspeltMode.diagnostics.map(\.code) == [LanguageDiagnosticCode.invalidChoice], "\(misspeltMode.diagnostics)")
        let readsRecord = validate(source.replacingOccurrences(of: "now.getDate()", with: "record.email"))
        #expect(readsRecord.diagnostics.count == 1, "\(readsRecord.diagnostics)")
    }

    @Test func aCycleIsReportedOnceWithEveryEdge() {
        let result = validate(Self.header + """
            steps:
              a:
                transform: { from: c }
              b:
                transform: { from: a }
              c:
                transform: { from: b }
              copy:
                sync: { from: c, connection: crm, resource: contacts, mode: insert }
            """)
        let cycles = result.diagnostics.filter { $0.code == LanguageDiagnosticCode.cycle }
        #expect(cycles.count == 1)
        #expect(cycles.first?.message == "steps depend on each other in a cycle: a → b → c → a")
        #expect(cycles.first?.notes.count == 3)
        #expect(cycles.first?.notes.allSatisfy { $0.range != nil } == true)
        #expect(result.plan == nil)
    }

    @Test func yesInABooleanFieldSuggestsTrue() throws {
        let result = validate(Self.header + """
            triggers:
              - manual: yes
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        let diagnostic = try #require(result.diagnostics.first { $0.code == LanguageDiagnosticCode.notABoolean })
        #expect(diagnostic.fixIts.first?.edits.first?.replacement == "true")
        #expect(diagnostic.help?.hasPrefix("write true") == true)
    }

    @Test func noAndOnStayTextInTextFields() {
        let result = validate(Self.header + """
            labels: { country: NO, shift: on, code: 0777 }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.playbook?.labels.map(\.value) == ["NO", "on", "0777"])
    }

    @Test(arguments: [
        ("where: \"{{ record.page_views > 10 }}\"", 11),
        ("where: '{{ record.page_views > 10 }}'", 11),
        ("where: >-\n          x ||\n          {{ record.page_views > 10 }}", 13),
    ])
    func bracesInAnExpressionAreLocatedInEveryScalarStyle(field: String, line: Int) throws {
        let source = Self.segmenting(field)
        let file = SourceFile(path: "p.yaml", text: source)
        let result = PlaybookValidator().validate(file)
        let diagnostic = try #require(result.diagnostics.first { $0.code == LanguageDiagnosticCode.bracesInExpression })
        #expect(file.text(in: diagnostic.range) == "{{")
        #expect(file.location(of: diagnostic.range.start).line == line)
    }

    /// Braces inside a quoted string are text; the expression around them is still type-checked.
    @Test(arguments: [
        ("'record.email.contains(\"{{\")'", [DiagnosticCode]()),
        ("'record.emial.contains(\"{{\")'", [CELDiagnosticCode.unknownField]),
    ])
    func bracesInsideAStringLiteralAreText(condition: String, codes: [DiagnosticCode]) {
        let result = validate(Self.segmenting("where: \(condition)"))
        #expect(result.diagnostics.map(\.code) == codes)
    }

    /// A param named only in message text or inside a string literal is still unused; `params["x"]` reads it.
    @Test(arguments: [
        ("message: 'Raise params.min_score if this is noisy: {{ record.email }}'", true),
        ("message: '{{ \"params.min_score\" }} {{ record.email }}'", true),
        ("message: 'Over {{ params.min_score }}: {{ record.email }}'", false),
        ("message: 'Over {{ params[\"min_score\"] }}: {{ record.email }}'", false),
    ])
    func onlyCodeReadsAParam(message: String, unused: Bool) {
        let result = validate(Self.header + """
              sales: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
            params:
              min_score: { type: int, default: 80 }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              tell:
                notify:
                  from: contacts
                  connection: sales
                  \(message)
            """)
        #expect(result.diagnostics.contains { $0.code == LanguageDiagnosticCode.unusedParam } == unused, "\(result.diagnostics)")
        #expect(!result.hasErrors, "\(result.diagnostics)")
    }

    /// Every expression can read `steps`; a typo in it gets a located message with a suggestion.
    @Test(arguments: [
        ("where: steps.contacts.records_out > 0", [DiagnosticCode](), ""),
        ("where: steps.contcts.records_out > 0", [CELDiagnosticCode.unknownField], "did you mean 'contacts'?"),
        ("where: step.contacts.records_out > 0", [CELDiagnosticCode.unknownVariable], "did you mean 'steps'?"),
        ("where: steps.contacts.stauts == \"ok\"", [CELDiagnosticCode.unknownField], "did you mean 'status'?"),
    ])
    func expressionsReadStepsOnlyWhenTheyNeedTo(condition: String, codes: [DiagnosticCode], help: String) {
        let result = validate(Self.segmenting(condition))
        #expect(result.diagnostics.map(\.code) == codes, "\(result.diagnostics)")
        if !help.isEmpty { #expect(result.diagnostics.first?.help?.contains(help) == true, "\(result.diagnostics)") }
    }

    /// Which params are read comes from the checker's record of the names each expression resolves:
    /// a param read only by the last step counts, and one read nowhere is reported.
    @Test(arguments: [
        ("params.max_score", [String]()),
        ("params.other", ["max_score"]),
    ])
    func paramsReadByTheLastStepCount(lastCondition: String, unread: [String]) {
        let result = validate(Self.header + """
            params:
              min_score: { type: int, default: 80 }
              max_score: { type: int, default: 100 }
              other: { type: int, default: 1 }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              warm:
                segment:
                  from: contacts
                  segments: { hot: record.email != "" && params.min_score > 0 && params.other > 0 }
              cold:
                segment:
                  from: warm.hot
                  segments: { hot: \(lastCondition) > 0 }
                  otherwise: rest
            """)
        let unreadNames = result.diagnostics.filter { $0.code == LanguageDiagnosticCode.unusedParam }.map(\.message)
        #expect(unreadNames == unread.map { "parameter '\($0)' is never read" }, "\(result.diagnostics)")
    }

    /// A param read by an expression that has another mistake still counts as read; when an
    /// expression cannot be parsed, which params it reads is not known, so none is reported unread.
    @Test(arguments: [
        ("record.scroe > params.min_score", [CELDiagnosticCode.unknownField]),
        ("record.score > > params.min_score", [CELDiagnosticCode.syntaxError]),
        ("has(params.min_score)", []),
    ])
    func paramsReadByExpressionsWithMistakes(condition: String, codes: [DiagnosticCode]) {
        let result = validate(Self.header + """
            params:
              min_score: { type: int, default: 80 }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              hot:
                segment: { from: contacts, where: \(condition) }
              copy:
                sync: { from: hot, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        #expect(Set(result.diagnostics.map(\.code)) == Set(codes), "\(result.diagnostics)")
    }

    /// A key given twice is reported once, and the rest of the playbook is read with its first value.
    @Test func aRepeatedKeyKeepsItsFirstValue() throws {
        let result = validate(Self.header + """
            params:
              min_score: { type: int, default: 80 }
              min_score: { type: string, default: high }
              region: { type: string, default: EU }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              hot:
                segment: { from: contacts, where: "record.page_views > params.min_score && params.region == 'EU'" }
              copy:
                sync: { from: hot, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        #expect(result.diagnostics.map(\.code) == [YAMLDiagnosticCode.duplicateKey])
        let params = try #require(result.playbook?.params)
        #expect(params.map(\.name.value) == ["min_score", "region"])
        #expect(params.first?.type == .int)
    }

    @Test func aLiteralTokenGetsASecretReferenceFixIt() throws {
        let result = validate("""
            version: 1
            name: example
            connections:
              crm: { connector: hubspot, auth: { token: pat-na1-5d0c2f } }
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        let diagnostic = try #require(result.diagnostics.first { $0.code == LanguageDiagnosticCode.literalCredential })
        #expect(diagnostic.fixIts.first?.edits.first?.replacement == "{ secret: TOKEN }")
        #expect(!diagnostic.message.contains("pat-na1"), "a diagnostic must not repeat the credential")
    }

    @Test func everyProblemInAFileIsReportedAtOnce() {
        let result = validate("""
            version: 1
            name: Bad Name
            connections:
              crm: { connector: hubspt, auth: { token: { secret: HUBSPOT_TOKEN } } }
            defaults:
              timeout: 5min
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts, max_pages: many }
              copy:
                sync: { from: contcts, connection: crm, resource: contacts, mode: upsetr }
            """)
        let codes = Set(result.diagnostics.map(\.code.rawValue))
        #expect(codes.isSuperset(of: ["PB0213", "PB0403", "PB0207", "PB0217", "PB0214"]))
        #expect(result.diagnostics.count >= 5)
    }

    @Test func planResolvesRetryFromDefaultsAndSteps() throws {
        let result = validate(Self.header + """
            defaults:
              retry: { max_attempts: 3, initial_delay: 2s }
              timeout: 10s
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts, retry: { jitter: none } }
              copy:
                sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email, timeout: 1m }
            """)
        let plan = try #require(result.plan)
        #expect(plan.steps.map(\.id) == ["contacts", "copy"])
        #expect(plan.steps[0].retry.maxAttempts == 3)
        #expect(plan.steps[0].retry.initialDelay == .seconds(2))
        #expect(plan.steps[0].retry.jitter == .none)
        #expect(plan.steps[1].retry.jitter == .full)
        #expect(plan.steps[0].timeout == .seconds(10))
        #expect(plan.steps[1].timeout == .seconds(60))
        #expect(plan.connections.first?.rateLimit?.description == "100/10s")
    }
}

/// A misspelt record field, param or function is reported at its exact place in the file, whatever
/// the YAML scalar style, with a suggestion.
struct ExpressionPositionTests {
    static let styles: [(name: String, field: String)] = [
        ("plain", "where: TYPO"),
        ("single-quoted", "where: 'record.email != ''x'' && TYPO'"),
        ("double-quoted", "where: \"record.email != \\\"\\u00e9\\\" && TYPO\""),
        ("literal", "where: |\n          record.page_views > 0 &&\n          TYPO"),
        ("folded", "where: >-\n          record.page_views > 0 &&\n          TYPO"),
    ]

    static let typos: [(expression: String, misspelt: String, suggestion: String)] = [
        ("record.page_veiws > params.min_score", "page_veiws", "did you mean 'page_views'?"),
        ("record.page_views > params.min_scroe", "min_scroe", "did you mean 'min_score'?"),
        ("record.email.lowerAsci() != record.email", "lowerAsci", "did you mean 'lowerAscii'?"),
    ]

    static var cases: [(String, Int)] {
        styles.indices.flatMap { style in typos.indices.map { (styles[style].name, $0) } }
    }

    @Test(arguments: cases)
    func typoIsLocatedInEveryScalarStyle(style: String, typo: Int) throws {
        let field = Self.styles.first { $0.name == style }!.field.replacingOccurrences(of: "TYPO", with: Self.typos[typo].expression)
        let source = CheckerTests.segmenting(field, params: "params:\n  min_score: { type: int, default: 10 }\n")
        let file = SourceFile(path: "p.yaml", text: source)
        let result = PlaybookValidator().validate(file)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.map { summary($0, in: file) })")
        let diagnostic = try #require(errors.first)
        #expect(file.text(in: diagnostic.range) == Self.typos[typo].misspelt, "\(summary(diagnostic, in: file))")
        #expect(diagnostic.help == Self.typos[typo].suggestion)
        // The caret's line is the line of the file that holds the typo.
        let line = file.location(of: diagnostic.range.start).line
        #expect(file.lineText(line).contains(Self.typos[typo].misspelt))
    }
}

struct DeclaredFieldsTests {
    @Test func declaredFieldsTypeRecordsOfFilesAndGenericHTTP() {
        let source = """
            version: 1
            name: declared
            connections:
              api: { connector: http, options: { base_url: "https://api.example.com" } }
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
            steps:
              leads:
                fetch: { connection: api, resource: leads, fields: { email: string, score: int } }
              hot:
                segment: { from: leads, where: record.scroe > 10 }
              copy:
                sync: { from: hot, connection: crm, resource: contacts, mode: upsert, match_on: email }
            """
        let result = validate(source)
        #expect(result.diagnostics.map(\.code.rawValue) == ["PB0301"], "\(result.diagnostics.map(\.message))")
        #expect(result.diagnostics.first?.help == "did you mean 'score'?")
        let open = validate(source.replacingOccurrences(of: ", fields: { email: string, score: int }", with: ""))
        #expect(open.diagnostics.isEmpty, "undeclared fields are checked when the playbook runs")
    }
}

/// One mistake, one diagnostic.
struct FollowOnTests {
    @Test(arguments: [
        ("select: [email, lastname]", "transform", "PB0413"),
        ("match_on: emial", "sync", "PB0412"),
    ])
    func aMistakeIsReportedOnce(field: String, kind: String, code: String) {
        let step = kind == "transform"
            ? "  slim:\n    transform: { from: contacts, \(field) }\n  copy:\n    sync: { from: slim, connection: crm, resource: contacts, mode: upsert, match_on: email }"
            : "  copy:\n    sync: { from: contacts, connection: crm, resource: contacts, mode: update, \(field) }"
        let result = validate(DiagnosticExamples.header + "steps:\n  contacts:\n    fetch: { connection: crm, resource: contacts }\n" + step + "\n")
        #expect(result.diagnostics.map(\.code.rawValue) == [code], "\(result.diagnostics.map(\.message))")
    }

    @Test func aStepNamingItselfIsOneError() {
        let result = validate(DiagnosticExamples.header + """
            steps:
              x:
                transform: { from: x, set: { a: "1" } }
              copy:
                sync: { from: x, connection: crm, resource: contacts, mode: insert }
            """)
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.message) == ["step 'x' depends on itself"])
    }
}

/// Steps that receive the same record type share the work of checking their expressions, yet each
/// message still names the records of its own step.
struct RecordNamingTests {
    @Test func eachMessageNamesItsOwnStepsRecords() {
        let result = validate(DiagnosticExamples.header + """
            steps:
              contacts:
                fetch: { connection: crm, resource: contacts }
              leads:
                fetch: { connection: crm, resource: contacts }
              hot:
                segment: { from: contacts, where: record.scroe > 10 }
              warm:
                segment: { from: leads, where: record.page_views > 1 }
              tell:
                notify: { from: leads, connection: crm, message: "{{ record.emial }}" }
              copy:
                sync: { from: [hot, warm], connection: crm, resource: contacts, mode: upsert, match_on: email }
            """)
        let messages = result.diagnostics.filter { $0.code.rawValue == "PB0301" }.map(\.message)
        #expect(messages == [
            "unknown field 'scroe' on the records from 'contacts'",
            "unknown field 'emial' on the records from 'leads'",
        ], "\(result.diagnostics.map(\.message))")
    }
}

struct ParallelValidationTests {
    /// Files of very different sizes, validated on several workers, come back in the order given and
    /// with the same diagnostics as one at a time.
    @Test func resultsKeepTheOrderOfTheFiles() async {
        let files = (0..<40).map { index in
            let steps = (0..<(index % 7 == 0 ? 60 : 2)).map { "  s\($0):\n    fetch: { connection: crm, resource: contacts }\n" }.joined()
            let broken = index % 5 == 0 ? "  bad:\n    fetch: { connection: nowhere, resource: contacts }\n" : ""
            // Each file has its own name: files validated together may not share one (PB0423).
            let header = DiagnosticExamples.header.replacing("name: example", with: "name: p\(index)")
            return SourceFile(path: "p\(index).yaml", text: header + "steps:\n" + steps + broken)
        }
        let validator = PlaybookValidator()
        let one = files.map { validator.validate($0).diagnostics }
        let many = await validator.diagnostics(of: files, concurrency: 4)
        #expect(many.map(\.file.path) == files.map(\.path))
        #expect(many.map(\.diagnostics) == one)
        #expect(one.contains { $0.contains { $0.code == LanguageDiagnosticCode.unknownConnection } })
    }
}
