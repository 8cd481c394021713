import Diagnostics

/// The kind of value a key of a connector spec holds.
indirect enum SpecShape: Sendable {
    case text
    /// One of a fixed set of words.
    case choice([String])
    case integer
    case boolean
    case list(SpecShape)
    case object(SpecObject)
    /// A mapping with free keys (header names, field names) and values of one shape.
    case dictionary(SpecShape)
    /// A mapping with exactly one key naming the variant (`header: …`, `oauth2: …`), or, for the
    /// variants listed in `bare`, just the variant's name.
    case variant([(name: String, shape: SpecShape)], bare: [String])
    /// Any YAML value, read as JSON (a body template).
    case anything
    /// A list of record fields, each of which may have fields of its own (a `record`).
    case fields
}

/// A mapping with known keys.
struct SpecObject: Sendable {
    /// How diagnostics name it, e.g. `a resource`.
    let title: String
    let keys: [SpecKey]

    init(_ title: String, _ keys: [SpecKey]) {
        self.title = title
        self.keys = keys
    }

    var keyNames: [String] { keys.map(\.name) }

    func key(_ name: String) -> SpecKey? { keys.first { $0.name == name } }
}

/// One key of a mapping: its name, the value it holds, whether it must be there, what it means.
struct SpecKey: Sendable {
    let name: String
    let shape: SpecShape
    let required: Bool
    let summary: String

    init(_ name: String, _ shape: SpecShape, required: Bool = false, _ summary: String) {
        self.name = name
        self.shape = shape
        self.required = required
        self.summary = summary
    }
}

/// The connector spec format, as key tables: the loader checks files against them and
/// `playbook schema --connector` prints them as a JSON Schema.
enum ConnectorSpecFormat {
    static let syncModes = SyncMode.allCases.map(\.rawValue)
    static let capabilities = ConnectorCapability.allCases.map(\.rawValue)
    static let methods = ["GET", "POST", "PATCH", "PUT", "DELETE"]
    static let paginationStyles = ["none", "token", "next_url", "offset"]
    static let fieldFormats = ["plain", "epoch_ms", "epoch_seconds", "date", "micros", "pairs"]

    // MARK: Catalogue

    /// A field of a record type; a `record` has its own `fields`.
    static let field: SpecObject = SpecObject("a field", [
        SpecKey("name", .text, required: true, "The snake_case name used in expressions, e.g. `first_name`."),
        SpecKey("type", .text, required: true, "The type, written as in playbooks: `string`, `int`, `list(string)`, `map(string, dyn)`, `record`, …"),
        SpecKey("summary", .text, "What it holds and the platform's own name for it."),
        SpecKey("read_only", .boolean, "Whether the platform sets it itself (ids, creation times, statistics): a `sync` cannot write it, and leaves it out of a record written without `fields:`."),
        SpecKey("may_be_absent", .boolean, "Whether the platform leaves the field out of a record that has no value for it, or sends null (an unset HubSpot property): reading it without `has()` or a default fails a step whose `on_record_error` is `fail`, and the validator warns."),
        SpecKey("custom", .boolean, "Whether this map holds the platform's custom fields by their API names (HubSpot `properties`, Salesforce `custom_fields`): a `sync` writes custom fields through it, and a field name the resource does not have is pointed to it."),
        SpecKey("fields", .fields, "The fields of a `record`."),
    ])

    static let option = SpecObject("an option", [
        SpecKey("name", .text, required: true, "The key as written in the playbook."),
        SpecKey("type", .text, required: true, "The type the value must have, written as in playbooks."),
        SpecKey("required", .boolean, "Whether leaving it out is an error."),
        SpecKey("default", .text, "The value used when it is left out, as YAML text."),
        SpecKey("lookup_field", .text, "For a parameter that names the one record read: the field of that record holding the same value, when it is named differently (a playbook test's lookup matches fixture records on it)."),
        SpecKey("summary", .text, required: true, "One line on what it means, with an example value."),
        SpecKey("values", .list(.text), "The values the platform documents (for a list, of each element): another value is an error that names the closest one."),
        SpecKey("value_prefixes", .list(.text), "Starts of values accepted besides `values`, such as GA4's `customEvent:`."),
        SpecKey("pattern", .text, "The form a value written in a playbook must have, as a regular expression matching the whole value, e.g. `[0-9]{10}` for a Google Ads customer id."),
        SpecKey("pattern_help", .text, "The form in words for a marketer, with an example and where to find the value; shown when a value does not have it."),
        SpecKey("record_fields", .text, "For a list of names, such as GA4's `metrics`: the records' fields are the names given, in snake_case, of this type where the resource's `fields` do not declare them."),
        SpecKey("fields", .fields, "The fields of a `record`."),
    ])

    static let authScheme = SpecObject("an auth scheme", [
        SpecKey("name", .text, required: true, "The scheme's name, e.g. `bearer`; `http.auth` says how it is sent."),
        SpecKey("summary", .text, required: true, "What the credential is and where a marketer finds it."),
        SpecKey("fields", .list(.text), required: true, "Secret fields that must all be given under `auth:`."),
        SpecKey("optional_fields", .list(.text), "Secret fields that may also be given."),
        SpecKey("required_options", .list(.text), "Options that become required with this scheme."),
    ])

    static func resource(_ title: String) -> SpecObject {
        SpecObject(title, [
            SpecKey("name", .text, required: true, "The name used in `resource:`."),
            SpecKey("summary", .text, required: true, "What the records are and which API call reads or writes them."),
            SpecKey("readable", .boolean, "Whether `fetch` can read it (default true)."),
            SpecKey("sync_modes", .list(.choice(syncModes)), "The `sync` modes it accepts."),
            SpecKey("notifies", .boolean, "Whether `notify` steps deliver through it."),
            SpecKey("batch_limit", .integer, "The most records the platform accepts in one write call."),
            SpecKey("cursor_fields", .list(.text), "Fields that can serve as an incremental cursor."),
            SpecKey("match_fields", .list(.text), "Fields that identify a record for `match_on`."),
            SpecKey("fields", .fields, required: true, "The fields of each record, in documented order."),
            SpecKey("parameters", .list(.object(option)), "Parameters a `fetch` passes under `params:`."),
            SpecKey("sync_parameters", .list(.object(option)), "Settings a `sync` gives under `params:`."),
            SpecKey("http", .object(resourceHTTP), "How the resource is read and written over HTTP."),
        ])
    }

    /// The whole file.
    static let connector = SpecObject("the connector spec", [
        SpecKey("name", .text, required: true, "The name used in `connector:`, e.g. `hubspot`."),
        SpecKey("title", .text, required: true, "The product name, e.g. `HubSpot CRM`."),
        SpecKey("summary", .text, required: true, "One line on what the connector is for."),
        SpecKey("capabilities", .list(.choice(capabilities)), required: true, "What steps may use it for: `read`, `write`, `notify`."),
        SpecKey("default_rate_limit", .text, "The platform's documented limit, written like `rate_limit:` (`100/10s`)."),
        SpecKey("max_concurrency", .integer, "The most concurrent requests the platform allows."),
        SpecKey("notify_needs_subject", .boolean, "Whether a `notify` step must give `subject:` (e-mail)."),
        SpecKey("notify_needs_recipient", .boolean, "Whether a `notify` step must give `to:`."),
        SpecKey("auth", .list(.object(authScheme)), required: true, "The accepted ways to authenticate; `[]` when none is needed."),
        SpecKey("options", .list(.object(option)), "Non-secret settings given under `options:`."),
        SpecKey("accepts_any_resource", .boolean, "Whether resources are named freely in the playbook (implied by `generic_resource`)."),
        SpecKey("generic_resource", .object(resource("the generic resource")), "What every freely named resource supports."),
        SpecKey("resources", .list(.object(resource("a resource"))), "The named resources."),
        SpecKey("http", .object(connectorHTTP), "How the connector talks to its platform over HTTP."),
    ])

    // MARK: HTTP

    static let templates: SpecShape = .dictionary(.text)

    static let request = SpecObject("a request", [
        SpecKey("method", .choice(methods), required: true, "`GET`, `POST`, `PATCH`, `PUT` or `DELETE`."),
        SpecKey("path", .text, required: true, "The path after the base URL, or a whole URL (template)."),
        SpecKey("query", templates, "Query items in order (templates); an item that fills to nothing is left out."),
        SpecKey("headers", templates, "Extra headers of this request (templates)."),
        SpecKey("body", .anything, "The JSON body; its strings are templates."),
        SpecKey("form", .boolean, "Send the body's top-level members as a form instead of JSON."),
    ])

    static let placement: SpecShape = .variant([("query", .text), ("body", .text)], bare: [])

    static let pagination = SpecObject("a pagination", [
        SpecKey("style", .choice(paginationStyles), required: true, "`none`, `token`, `next_url` or `offset`."),
        SpecKey("next", .text, "Path in the answer to the next token (`token`) or the next page's URL (`next_url`)."),
        SpecKey("send_as", placement, "Where the token goes on the next call: `{query: NAME}` or `{body: PATH}`."),
        SpecKey("done", .text, "Path to a flag that is true on the last page (`next_url`)."),
        SpecKey("offset", placement, "Where the offset is sent (`offset`)."),
        SpecKey("size", placement, "Where the page size is sent (`offset`)."),
        SpecKey("total", .text, "Path to the total number of records (`offset`); without it, a short page ends."),
    ])

    static let asyncJob = SpecObject("an async job", [
        SpecKey("start", .object(request), required: true, "The call that starts the job."),
        SpecKey("job_id", .text, required: true, "Path in the start answer to the job's id."),
        SpecKey("poll", .object(request), required: true, "The call that asks how the job is going (`{job.id}` in it)."),
        SpecKey("status", .text, required: true, "Path in the poll answer to the job's status."),
        SpecKey("completed", .list(.text), required: true, "Status values that mean the job finished."),
        SpecKey("failed", .list(.text), "Status values that mean it failed."),
    ])

    static let read = SpecObject("a read", [
        SpecKey("request", .object(request), required: true, "The request of a page."),
        SpecKey("records", .text, required: true, "Path to the list of records; `\"\"` when the answer is the list."),
        SpecKey("pagination", .object(pagination), "How pages follow one another (default `style: none`)."),
        SpecKey("short_page_is_last", .boolean, "Whether a page shorter than asked for is the last."),
        SpecKey("default_page_size", .integer, "The page size used when the step gives none."),
        SpecKey("max_page_size", .integer, "The most the platform allows per page."),
        SpecKey("async_job", .object(asyncJob), "A report job to start and wait for before reading."),
        SpecKey("last_page_without", .text, "Path that only pages with a next page have (Meta's `paging.next`): a page without it is the last, whatever else it holds."),
        SpecKey("columns", .object(SpecObject("columns", [
            SpecKey("headers", .list(.text), required: true, "Paths in the answer to the lists of column headers, in order."),
            SpecKey("values", .list(.text), required: true, "Paths in each row to its lists of values, in the same order."),
            SpecKey("name", .text, "The member of a header that holds the column's name (default `name`)."),
            SpecKey("value", .text, "The member of a value that holds it (default `value`)."),
        ])), "Rows given as lists of values with the column names in headers (GA4): each column becomes a field named in snake_case."),
    ])

    static let refusals: SpecShape = .variant([
        ("per_record", .object(SpecObject("per-record refusals", [
            SpecKey("results", .text, required: true, "Path to the list of results, one per record in order; `\"\"` for the answer itself."),
            SpecKey("success", .text, required: true, "Path in each result to the success flag."),
            SpecKey("reason", .text, required: true, "Path in each result to the message."),
        ]))),
        ("listed", .object(SpecObject("listed refusals", [
            SpecKey("errors", .text, required: true, "Path to the list of errors."),
            SpecKey("key", .text, required: true, "Path in each error to the refused record's `match_on` value."),
            SpecKey("reason", .text, required: true, "Path in each error to the message."),
        ]))),
    ], bare: [])

    static let write = SpecObject("a write", [
        SpecKey("start", .object(SpecObject("a write's start", [
            SpecKey("request", .object(request), required: true, "The call made first."),
            SpecKey("keep", .dictionary(.text), required: true, "Values of its answer to keep, by name: path in the answer (`job: resourceName`), used as `{started.NAME}`."),
        ])), "A call made before each batch, whose answer the batch's calls use (Google Ads creates a job to add people to)."),
        SpecKey("request", .object(request), required: true, "The call that writes a batch, or one record when the batch limit is 1."),
        SpecKey("finish", .object(request), "A call made after each batch was written (Google Ads runs the job)."),
        SpecKey("item", .anything, "The JSON template of one record in `{items}` (default `{record}`)."),
        SpecKey("refusals", refusals, "Where single refused records are in the answer."),
        SpecKey("signing", .object(SpecObject("signing", [
            SpecKey("standard_webhooks", .text, required: true, "The signing secret (template, such as `{auth.signing_secret}`); nothing is signed when it is empty."),
        ])), "How the request is signed for its receiver."),
    ])

    static let resourceHTTP = SpecObject("a resource's http", [
        SpecKey("field_paths", .dictionary(.text), "Where each record field is in the platform's item, by field name (`first_name: properties.firstname`)."),
        SpecKey("field_formats", .dictionary(.choice(fieldFormats)), "Fields read in a particular way: `epoch_ms`, `epoch_seconds`, `date`, `micros` (millionths, read as whole units), `pairs` (a list of name and value objects, read as a map) or `plain`."),
        SpecKey("field_expressions", .dictionary(.text), "Fields computed from the platform's item (`item`) and the read's parameters (`params`) by an expression, by field name (`opened_last_email: 'item.properties.hs_email_last_open_date >= item.properties.hs_email_last_send_date'`)."),
        SpecKey("item_lookups", .dictionary(.object(SpecObject("an item lookup", [
            SpecKey("key", .text, required: true, "Path in each item to the value the call is made for, once per distinct value (`{key}` in the request)."),
            SpecKey("request", .object(request), required: true, "The call; its answer is `lookups.NAME` in `field_expressions`."),
        ]))), "Calls made once per distinct value of an item's member, whose answers the field expressions read as `lookups.NAME` (the form that names a LinkedIn lead's questions)."),
        SpecKey("read", .object(read), "How the resource is read."),
        SpecKey("writes", .dictionary(.object(write)), "How each sync mode writes it, by mode."),
        SpecKey("send", .object(write), "How a `notify` step sends one message."),
    ])

    static let auth: SpecShape = .variant([
        ("header", templates),
        ("query", templates),
        ("basic", .object(SpecObject("basic auth", [
            SpecKey("user", .text, required: true, "The user (template)."),
            SpecKey("password", .text, required: true, "The password (template)."),
        ]))),
        ("url", .text),
        ("oauth2", .object(SpecObject("an OAuth 2 flow", [
            SpecKey("grant", .choice(["client_credentials", "refresh_token", "jwt_bearer"]), required: true,
                    "`refresh_token`, `client_credentials`, or `jwt_bearer` (a JWT signed with a service account's key, as Google's service accounts sign in)."),
            SpecKey("token_url", .text, required: true, "The token endpoint (template); for `jwt_bearer`, a key's own `token_uri` takes its place."),
            SpecKey("scope", .text, "The scopes asked for, separated by spaces, e.g. `https://www.googleapis.com/auth/analytics.readonly`."),
            SpecKey("key_field", .text, "For `jwt_bearer` (and required there): the auth field that holds the service account's JSON key, e.g. `service_account_key`."),
            SpecKey("send", templates, "The header the token goes in, `{token}` standing for it (default `Authorization: Bearer {token}`)."),
        ]))),
    ], bare: [])

    static let rateLimitSignal: SpecShape = .variant([
        ("retry_after", .choice(["seconds", "milliseconds"])),
        ("rate_limit_headers", .object(SpecObject("rate-limit headers", [
            SpecKey("limit", .text, required: true, "The header with the allowance."),
            SpecKey("remaining", .text, required: true, "The header with what is left."),
            SpecKey("reset", .text, required: true, "The header with when it resets."),
            SpecKey("reset_is_epoch", .boolean, "Whether the reset is a time since 1970 rather than seconds from now."),
        ]))),
        ("google_retry_delay", .boolean),
        ("usage_headers", .object(SpecObject("usage headers", [
            SpecKey("headers", .list(.text), required: true, "Headers with JSON usage percentages."),
            SpecKey("error_codes", .list(.integer), required: true, "Error codes in the body that mean the limit was hit."),
        ]))),
        ("usage_counter", .object(SpecObject("a usage counter", [
            SpecKey("header", .text, required: true, "The header with `used/allowed`."),
            SpecKey("error_code", .text, required: true, "The error code sent when the allowance is spent."),
        ]))),
        ("bare_429", .boolean),
    ], bare: ["google_retry_delay", "bare_429"])

    static let connectorHTTP = SpecObject("the connector's http", [
        SpecKey("base_url", .text, required: true, "Where the platform's API lives (template)."),
        SpecKey("headers", templates, "Headers sent on every call (templates)."),
        SpecKey("auth", .dictionary(auth), "How each auth scheme is sent, by scheme name."),
        SpecKey("rate_limit_signals", .list(rateLimitSignal), "How the platform says to slow down (default `retry_after: seconds`)."),
        SpecKey("errors", .object(SpecObject("error rules", [
            SpecKey("message_paths", .list(.text), "Paths to the platform's message in an error body, tried in order."),
            SpecKey("code_paths", .list(.text), "Paths to the platform's error code, tried in order."),
            SpecKey("success_flag", .text, "For platforms that answer 200 to a failed call: the path of the flag that is true on success."),
        ])), "How an answer says what went wrong."),
    ])
}
