/// One job of the run benchmark: a playbook, the generated files it reads and the file it writes.
/// `Benchmarks/run_peers.py` does the same job in plain Python and in DuckDB, under the same name.
struct RunJob {
    var name: String
    var summary: String
    /// The generated files the job reads, relative to the benchmark's folder.
    var inputs: [String]
    /// The file the job's sync appends to.
    var output: String
    /// The field that tells output records apart, to compare the tools' outputs by.
    var key: String
    var playbook: String

    var playbookFile: String { "\(name)-job.yaml" }

    static let all = [contacts, join, aggregate, dedupe]

    private static let contactFields =
        "{ id: int, email: string, first_name: string, last_name: string, country: string, page_views: int, "
        + "opened_last_email: bool, tags: list, revenue: double, updated_at: timestamp }"

    static let contacts = RunJob(
        name: "contacts",
        summary: "read contacts, trim and lower-case the e-mail, score, keep hot ones in four countries, write",
        inputs: ["contacts.jsonl"],
        output: "hot.jsonl",
        key: "id",
        playbook: """
            version: 1
            name: bench-contacts
            connections:
              files: { connector: file }
            steps:
              contacts:
                fetch:
                  file: contacts.jsonl
                  fields: \(contactFields)
              scored:
                transform:
                  from: contacts
                  set:
                    email: record.email.trim().lowerAscii()
                    score: "record.page_views * 2 + (record.opened_last_email ? 10 : 0)"
              hot:
                segment: { from: scored, where: 'record.score >= 80 && record.country in ["PL", "DE", "FR", "GB"]' }
              save:
                sync: { from: hot, connection: files, resource: hot.jsonl, mode: insert, match_on: id }

            """
    )

    static let join = RunJob(
        name: "join",
        summary: "attach each event's account (inner join of N events with N/10 accounts), write",
        inputs: ["events.jsonl", "accounts.jsonl"],
        output: "joined.jsonl",
        key: "id",
        playbook: """
            version: 1
            name: bench-join
            connections:
              files: { connector: file }
            steps:
              events:
                fetch:
                  file: events.jsonl
                  fields: { id: int, account_id: int, campaign: string, kind: string, quantity: int, amount: double, at: timestamp }
              accounts:
                fetch:
                  file: accounts.jsonl
                  fields: { id: int, name: string, plan: string, country: string, seats: int }
              joined:
                transform:
                  from: events
                  join: { with: accounts, left_on: account_id, right_on: id, as: account, type: inner }
              save:
                sync: { from: joined, connection: files, resource: joined.jsonl, mode: insert, match_on: id }

            """
    )

    static let aggregate = RunJob(
        name: "aggregate",
        summary: "group N events into 1,000 campaigns: counts, sums, average, min and max, write",
        inputs: ["events.jsonl"],
        output: "campaigns.jsonl",
        key: "campaign",
        playbook: """
            version: 1
            name: bench-aggregate
            connections:
              files: { connector: file }
            steps:
              events:
                fetch:
                  file: events.jsonl
                  fields: { id: int, account_id: int, campaign: string, kind: string, quantity: int, amount: double, at: timestamp }
              per_campaign:
                transform:
                  from: events
                  aggregate:
                    group_by: [campaign]
                    compute:
                      events: { count: true }
                      purchases: { count: record.kind == "purchase" }
                      quantity: { sum: record.quantity }
                      avg_quantity: { avg: record.quantity }
                      smallest: { min: record.amount }
                      largest: { max: record.amount }
              save:
                sync: { from: per_campaign, connection: files, resource: campaigns.jsonl, mode: insert, match_on: campaign }

            """
    )

    static let dedupe = RunJob(
        name: "dedupe",
        summary: "trim and lower-case the e-mail of N contacts, keep the first contact of each address, write",
        inputs: ["contacts.jsonl"],
        output: "unique.jsonl",
        key: "id",
        playbook: """
            version: 1
            name: bench-dedupe
            connections:
              files: { connector: file }
            steps:
              contacts:
                fetch:
                  file: contacts.jsonl
                  fields: \(contactFields)
              unique:
                transform:
                  from: contacts
                  set:
                    email: record.email.trim().lowerAscii()
                  dedupe: { by: record.email }
              save:
                sync: { from: unique, connection: files, resource: unique.jsonl, mode: insert, match_on: id }

            """
    )
}
