import Diagnostics
import PlaybookLanguage
import Testing

/// A field a platform leaves out of records without a value (a HubSpot contact's `job_title`) fails
/// a step that fails on a bad record when it is read without a guard; the checker warns where it is read.
struct AbsentFieldTests {
    private static func playbook(_ steps: String) -> String {
        """
        version: 1
        name: example
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } } }
          chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
          files: { connector: file, options: { directory: out } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts }
        \(steps)
        """
    }

    private func absentFieldWarnings(_ steps: String) -> [String] {
        let text = Self.playbook(steps)
        let file = SourceFile(path: "playbook.yaml", text: text)
        return validate(text).diagnostics.filter { $0.code == LanguageDiagnosticCode.fieldMayBeAbsent }.map { summary($0, in: file) }
    }

    @Test func aReadWithoutAGuardIsWarnedWhereTheFieldIsRead() throws {
        let text = Self.playbook("""
              directors:
                segment: { from: contacts, where: 'record.job_title.contains("Director")' }
              save:
                sync: { from: directors, connection: files, resource: directors.jsonl, mode: insert }
            """)
        let warnings = validate(text).diagnostics.filter { $0.code == LanguageDiagnosticCode.fieldMayBeAbsent }
        let warning = try #require(warnings.first)
        #expect(warnings.count == 1)
        #expect(warning.severity == .warning)
        let file = SourceFile(path: "playbook.yaml", text: text)
        #expect(summary(warning, in: file).hasPrefix(
            "11:40 PB0807 'job_title' may be absent: HubSpot CRM leaves it out of contacts that have no value for it"))
        #expect(warning.help?.contains(#"record.?job_title.orValue("")"#) == true)
        #expect(warning.help?.contains("on_record_error: skip") == true)
    }

    @Test(arguments: [
        ("a has() test in a condition", #"'has(record.job_title) && record.job_title.contains("Director")'"#),
        ("a has() test choosing a default", #"'(has(record.job_title) ? record.job_title : "").contains("Director")'"#),
        ("an in test", #"'"job_title" in record && record.job_title.contains("Director")'"#),
        ("an optional field with a default", #"'record.?job_title.orValue("").contains("Director")'"#),
        ("an optional index with a default", #"'record[?"job_title"].orValue("").contains("Director")'"#),
        ("a field the platform always sends", #"'record.email.endsWith("@example.com")'"#),
    ])
    func aGuardedReadOrAFieldAlwaysThereIsNotWarned(_ situation: String, _ condition: String) {
        let warnings = absentFieldWarnings("""
              directors:
                segment: { from: contacts, where: \(condition) }
              save:
                sync: { from: directors, connection: files, resource: directors.jsonl, mode: insert }
            """)
        #expect(warnings == [], "\(situation)")
    }

    @Test func aStepThatSkipsBadRecordsIsNotWarned() {
        let warnings = absentFieldWarnings("""
              directors:
                segment: { from: contacts, where: 'record.job_title.contains("Director")', on_record_error: skip }
              save:
                sync: { from: directors, connection: files, resource: directors.jsonl, mode: insert }
            """)
        #expect(warnings == [])
    }

    @Test func aTemplateReadingTheFieldIsWarned() {
        let warnings = absentFieldWarnings("""
              tell:
                notify: { from: contacts, connection: chat, message: "{{ record.email }} works at {{ record.company }}" }
            """)
        #expect(warnings.map { $0.prefix(24) } == ["11:90 PB0807 'company' m"])
    }

    @Test func aFieldSetEarlierInTheTransformIsThere() {
        let warnings = absentFieldWarnings("""
              titled:
                transform:
                  from: contacts
                  set:
                    job_title: record.?job_title.orValue("none")
                    shouting: record.job_title.upperAscii()
              save:
                sync: { from: titled, connection: files, resource: titled.jsonl, mode: insert }
            """)
        #expect(warnings == [])
    }

    @Test func aRenamedFieldMayStillBeAbsentAndADroppedOneIsGone() {
        let warnings = absentFieldWarnings("""
              renamed:
                transform: { from: contacts, rename: { job_title: title } }
              shouted:
                transform: { from: renamed, set: { loud: record.title.upperAscii() } }
              save:
                sync: { from: shouted, connection: files, resource: shouted.jsonl, mode: insert }
            """)
        #expect(warnings.map { String($0.prefix(22)) } == ["13:46 PB0807 'title' m"])
    }

    @Test func recordsOfAFileHaveNoFieldsThatMayBeAbsent() {
        let text = """
            version: 1
            name: example
            connections:
              files: { connector: file, options: { directory: out } }
            steps:
              people:
                fetch: { connection: files, resource: people.jsonl, fields: { job_title: string } }
              directors:
                segment: { from: people, where: 'record.job_title.contains("Director")' }
              save:
                sync: { from: directors, connection: files, resource: directors.jsonl, mode: insert }
            """
        #expect(validate(text).diagnostics.filter { $0.code == LanguageDiagnosticCode.fieldMayBeAbsent }.isEmpty)
    }

    @Test func theSpecMarksUnsetPropertiesButNotTheIdsAndTimesThePlatformSets() throws {
        let contacts = try #require(ConnectorCatalog.builtIn["hubspot"]?.resource(named: "contacts"))
        #expect(contacts.mayBeAbsentFields.contains("job_title"))
        #expect(!contacts.mayBeAbsentFields.contains("id"))
        #expect(!contacts.mayBeAbsentFields.contains("updated_at"))
    }
}
