import Diagnostics

// How a connector talks to its platform over HTTP: the part of a connector spec that the runtime's
// mechanisms (auth, pagination, rate limits, retries, batching) interpret. Everything here is data;
// adding a platform adds a spec file, not code.
//
// Strings marked "template" may hold placeholders in braces, filled when a call is made:
// - `{options.NAME}` a connection option, `{params.NAME}` a step parameter, `{auth.FIELD}` a secret
//   of the connection's auth (only in base URLs, headers, query items and auth; the runtime redacts
//   it everywhere else);
// - `{page.size}`, `{page.token}`, `{page.offset}` the page being read, `{job.id}` an async job;
// - in write requests, `{items}` the batch's items, and in an item template `{record}` the record in
//   the platform's shape (its fields at their `field_paths`), `{record.PATH}` one value of it,
//   `{match.name}` the platform's name of the `match_on` field and `{match.value}` its value;
// - in notify requests, `{message.text}`, `{message.subject}`, `{message.to}`, `{message.channel}`,
//   `{message.id}` (unique per message, the same on each retry) and `{message.timestamp}` (RFC 3339).
// A JSON template (a body) is JSON whose strings are templates: a string that is exactly one
// placeholder is replaced by the value itself (a list stays a list, a number a number); a placeholder
// inside other text is written as text.

/// The HTTP side of a connector.
public struct ConnectorHTTP: Hashable, Sendable {
    /// Where the platform's API lives (template), e.g. `https://api.hubapi.com` or
    /// `https://{options.data_center}.api.mailchimp.com/3.0`. A connection's `options.base_url`
    /// replaces its scheme, host and port and keeps its path.
    public var baseURL: String
    /// Headers sent on every call (templates), such as LinkedIn's `LinkedIn-Version`.
    public var headers: [HTTPHeaderTemplate]
    /// How each auth scheme of the connector is sent, by the scheme's name.
    public var auth: [String: HTTPAuth]
    /// The rate-limit signals the platform sends; the runtime slows down and waits by them.
    public var rateLimitSignals: [RateLimitSignal]
    /// How an answer says the call failed and whether to try again.
    public var errors: HTTPErrorRules

    /// A description.
    public init(
        baseURL: String,
        headers: [HTTPHeaderTemplate] = [],
        auth: [String: HTTPAuth] = [:],
        rateLimitSignals: [RateLimitSignal] = [.retryAfter(unit: .seconds)],
        errors: HTTPErrorRules = HTTPErrorRules()
    ) {
        self.baseURL = baseURL
        self.headers = headers
        self.auth = auth
        self.rateLimitSignals = rateLimitSignals
        self.errors = errors
    }
}

/// A header and its value (template).
public struct HTTPHeaderTemplate: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// How one auth scheme puts its credential on a call.
public enum HTTPAuth: Hashable, Sendable {
    /// A header, e.g. `Authorization: Bearer {auth.token}` or `X-Api-Key: {auth.api_key}`.
    case header(HTTPHeaderTemplate)
    /// A query item, e.g. `access_token={auth.access_token}`.
    case query(name: String, value: String)
    /// HTTP basic auth from a user and a password (templates).
    case basic(user: String, password: String)
    /// The whole address is the secret (template), as a Slack incoming webhook's URL is: calls go
    /// to it instead of the base URL.
    case url(String)
    /// An OAuth 2 flow gets an access token, cached until shortly before it expires and fetched
    /// again once after a 401; the token is then sent as `send` says, with `{token}` the token.
    case oauth2(OAuth2Flow)
}

/// An OAuth 2 token request.
public struct OAuth2Flow: Hashable, Sendable {
    public enum Grant: String, Hashable, Sendable {
        case clientCredentials = "client_credentials"
        case refreshToken = "refresh_token"
        /// A JWT signed with a service account's private key (RFC 7523), as Google's service
        /// accounts sign in.
        case jwtBearer = "jwt_bearer"
    }

    /// The grant used.
    public var grant: Grant
    /// The token endpoint (template; a connection's `base_url` moves it too when it is on the
    /// platform's host). A service account key's own `token_uri` takes its place.
    public var tokenURL: String
    /// The scopes asked for, separated by spaces; nil to ask for none.
    public var scope: String?
    /// For `jwtBearer`: the auth field that holds the service account's JSON key.
    public var keyField: String?
    /// Where the access token goes on each call, `{token}` standing for it.
    public var send: HTTPHeaderTemplate

    public init(
        grant: Grant, tokenURL: String, scope: String? = nil, keyField: String? = nil,
        send: HTTPHeaderTemplate = HTTPHeaderTemplate("Authorization", "Bearer {token}")
    ) {
        self.grant = grant
        self.tokenURL = tokenURL
        self.scope = scope
        self.keyField = keyField
        self.send = send
    }
}

/// A unit of time a header is written in.
public enum TimeUnit: String, Hashable, Sendable {
    case seconds
    case milliseconds
}

/// How a platform tells a client to slow down: the six kinds the marketing platforms use.
public enum RateLimitSignal: Hashable, Sendable {
    /// A 429 (or 503) with `Retry-After`, in seconds (Slack) or milliseconds (HubSpot).
    case retryAfter(unit: TimeUnit)
    /// `X-RateLimit-Limit`, `-Remaining` and `-Reset` headers (SendGrid: reset as epoch seconds).
    case rateLimitHeaders(limit: String, remaining: String, reset: String, resetIsEpoch: Bool)
    /// Google's `RESOURCE_EXHAUSTED` error with a `retryDelay` (such as `"12s"`) in its details.
    case googleRetryDelay
    /// Usage percentages in JSON headers and error codes in the body instead of a 429 (Meta's
    /// `X-Business-Use-Case-Usage`, `X-App-Usage`; codes 4, 17, 613, 80000–80014).
    case usageHeaders(headers: [String], errorCodes: [Int])
    /// A usage counter header (`Sforce-Limit-Info: api-usage=18/5000`) and an error code with a
    /// 403 when the allowance is spent (`REQUEST_LIMIT_EXCEEDED`).
    case usageCounter(header: String, errorCode: String)
    /// A bare 429: back off by the retry policy.
    case bare429
}

/// How a platform's answers say what went wrong.
public struct HTTPErrorRules: Hashable, Sendable {
    /// Paths in an error body to the platform's message, tried in order (`error.message`,
    /// `message`, `errors.0.message`, `0.message`).
    public var messagePaths: [String]
    /// Paths to the platform's error code, tried in order (`error.code`, `errorCode`, `0.errorCode`).
    public var codePaths: [String]
    /// For platforms that answer 200 to a failed call (Slack's `{"ok": false}`): the path of the
    /// flag that is true on success.
    public var successFlag: String?

    public init(
        messagePaths: [String] = ["error.message", "message", "errors.0.message", "0.message", "detail", "error"],
        codePaths: [String] = ["error.status", "error.code", "errorCode", "0.errorCode", "code", "status"],
        successFlag: String? = nil
    ) {
        self.messagePaths = messagePaths
        self.codePaths = codePaths
        self.successFlag = successFlag
    }
}

/// One HTTP request of a resource (templates throughout).
public struct HTTPRequestTemplate: Hashable, Sendable {
    /// `GET`, `POST`, `PATCH`, `PUT` or `DELETE`.
    public var method: String
    /// The path after the base URL, or a whole URL.
    public var path: String
    /// Query items, in order; an item whose value is empty after filling is left out.
    public var query: [HTTPHeaderTemplate]
    /// Extra headers of this request.
    public var headers: [HTTPHeaderTemplate]
    /// The JSON body (a JSON template), if any.
    public var body: JSONValue?
    /// Send `body`'s top-level members as a form (`application/x-www-form-urlencoded`) instead.
    public var form: Bool

    public init(method: String, path: String, query: [HTTPHeaderTemplate] = [], headers: [HTTPHeaderTemplate] = [], body: JSONValue? = nil, form: Bool = false) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.form = form
    }
}

/// Where a page's position is sent on the next call.
public enum HTTPPlacement: Hashable, Sendable {
    /// As a query item of this name.
    case query(String)
    /// As a member of the JSON body (a dotted path).
    case body(String)
}

/// How a resource's pages follow one another, and how the last one is known.
public enum HTTPPagination: Hashable, Sendable {
    /// One call returns everything (a report, Google Ads `searchStream`).
    case none
    /// An opaque token from the answer (`next`, a path) sent back on the next call; the last page
    /// has none, or an empty one.
    case token(next: String, sendAs: HTTPPlacement)
    /// The answer gives the next page's address (`next`, a path), followed as given; the last page
    /// has none, or `done` (a path) is true.
    case nextURL(next: String, done: String?)
    /// Offset and size against a total (`total`, a path) or, without a total, until a short page.
    case offset(offset: HTTPPlacement, size: HTTPPlacement, total: String?)
}

/// An asynchronous report: started, polled until done, then read.
public struct HTTPAsyncJob: Hashable, Sendable {
    /// The call that starts the job.
    public var start: HTTPRequestTemplate
    /// Path in the start call's answer to the job's id.
    public var jobID: String
    /// The call that asks how the job is going (`{job.id}` in it).
    public var poll: HTTPRequestTemplate
    /// Path in the poll answer to the job's status.
    public var status: String
    /// Status values that mean the job finished and can be read.
    public var completed: [String]
    /// Status values that mean it failed.
    public var failed: [String]

    public init(start: HTTPRequestTemplate, jobID: String, poll: HTTPRequestTemplate, status: String, completed: [String], failed: [String]) {
        self.start = start
        self.jobID = jobID
        self.poll = poll
        self.status = status
        self.completed = completed
        self.failed = failed
    }
}

/// How a resource is read.
public struct HTTPRead: Hashable, Sendable {
    /// The request of a page.
    public var request: HTTPRequestTemplate
    /// Path in the answer to the list of records (empty: the answer is the list). A path through a
    /// list (`chunks.*.results`) joins the lists it finds.
    public var records: String
    /// How pages follow one another.
    public var pagination: HTTPPagination
    /// Whether a page shorter than the size asked for is the last (false on Meta).
    public var shortPageIsLast: Bool
    /// The page size used when the step gives none, and the most the platform allows.
    public var defaultPageSize: Int?
    public var maxPageSize: Int?
    /// For reports: the job to start and wait for before `request` reads its result.
    public var asyncJob: HTTPAsyncJob?
    /// For answers that give column names once and rows as lists of values (GA4 reports).
    public var columns: HTTPColumns?
    /// A path that only pages followed by another have (Meta's `paging.next`): a page without it
    /// is the last, whatever cursors it holds.
    public var lastPageWithout: String?

    public init(
        request: HTTPRequestTemplate,
        records: String,
        pagination: HTTPPagination = .none,
        shortPageIsLast: Bool = false,
        defaultPageSize: Int? = nil,
        maxPageSize: Int? = nil,
        asyncJob: HTTPAsyncJob? = nil,
        columns: HTTPColumns? = nil,
        lastPageWithout: String? = nil
    ) {
        self.request = request
        self.records = records
        self.pagination = pagination
        self.shortPageIsLast = shortPageIsLast
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.asyncJob = asyncJob
        self.columns = columns
        self.lastPageWithout = lastPageWithout
    }
}

/// Rows given as lists of values, with the column names in headers of the answer: each row becomes
/// an item whose members are the columns' names in snake_case (`sessionSource` is
/// `session_source`, `customEvent:plan_type` is `custom_event_plan_type`).
public struct HTTPColumns: Hashable, Sendable {
    /// Paths in the answer to the lists of headers, in order (`dimensionHeaders`, `metricHeaders`).
    public var headers: [String]
    /// Paths in each row to its lists of values, in the same order (`dimensionValues`, `metricValues`).
    public var values: [String]
    /// The member of a header that holds the column's name.
    public var name: String
    /// The member of a value that holds it.
    public var value: String

    public init(headers: [String], values: [String], name: String = "name", value: String = "value") {
        self.headers = headers
        self.values = values
        self.name = name
        self.value = value
    }
}

/// How the records a platform refused in a batch are found in its answer.
public enum HTTPRefusals: Hashable, Sendable {
    /// One result per record, in the batch's order (`results` a path to the list, empty for the
    /// answer itself), with `success` a path in each result to a flag and `reason` to the message
    /// (Salesforce's sObject collections).
    case perRecord(results: String, success: String, reason: String)
    /// A list of errors (`errors` a path) naming the refused records by a value (`key`, a path in
    /// each error) that equals the record's `match_on` value, with `reason` a path to the message
    /// (HubSpot's batch `errors`, Mailchimp's `errors[].email_address`).
    case listed(errors: String, key: String, reason: String)
}

/// How an outgoing request is signed for its receiver.
public enum HTTPSigning: Hashable, Sendable {
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,` and
    /// the base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the secret after `whsec_`,
    /// base64-decoded). `secret` is a template; nothing is signed when it is empty. The id is
    /// `{message.id}`, stable across retries, so the receiver can drop a repeat.
    case standardWebhooks(secret: String)
}

/// One write request of a resource, for one sync mode.
public struct HTTPWrite: Hashable, Sendable {
    /// A call made before each batch; the values kept from its answer fill `{started.NAME}`.
    public var start: HTTPWriteStart?
    /// The call that writes a batch (or one record, when the batch limit is 1).
    public var request: HTTPRequestTemplate
    /// A call made after each batch was written.
    public var finish: HTTPRequestTemplate?
    /// The JSON template of one record in `{items}`; `{record}` when nil.
    public var item: JSONValue?
    /// Where refusals of single records are, when the platform accepts a batch in part.
    public var refusals: HTTPRefusals?
    /// How the request is signed, if it is.
    public var signing: HTTPSigning?

    public init(
        start: HTTPWriteStart? = nil, request: HTTPRequestTemplate, finish: HTTPRequestTemplate? = nil,
        item: JSONValue? = nil, refusals: HTTPRefusals? = nil, signing: HTTPSigning? = nil
    ) {
        self.start = start
        self.request = request
        self.finish = finish
        self.item = item
        self.refusals = refusals
        self.signing = signing
    }
}

/// The call before a batch's write, such as creating the job the batch is added to.
public struct HTTPWriteStart: Hashable, Sendable {
    public var request: HTTPRequestTemplate
    /// Values kept from the answer: name, and path in the answer.
    public var keep: [HTTPKeptValue]

    public init(request: HTTPRequestTemplate, keep: [HTTPKeptValue]) {
        self.request = request
        self.keep = keep
    }
}

/// A value kept from an answer, as `{started.NAME}`.
public struct HTTPKeptValue: Hashable, Sendable {
    public var name: String
    /// Where it is in the answer.
    public var path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// How the value of a platform's field becomes a record's.
public enum HTTPFieldFormat: String, Hashable, Sendable {
    /// As the field's type says, numbers and booleans also read from text (HubSpot sends every
    /// property as text).
    case plain
    /// A timestamp written as milliseconds since 1970.
    case epochMilliseconds = "epoch_ms"
    /// A timestamp written as seconds since 1970.
    case epochSeconds = "epoch_seconds"
    /// A timestamp written as a date (`2026-01-31`), read as midnight UTC.
    case date
    /// An amount in millionths (Google Ads `cost_micros`), read as a double in whole units.
    case micros
    /// A list of name and value pairs read as a map: each element's `action_type`, `name`, `key` or
    /// `type` is the key, its `value` (or the first of its `values`) the value (Meta's `actions`
    /// and a lead's `field_data`).
    case pairs
}

/// A call made once per distinct value at `key` in the items read, its answer kept for the field
/// expressions of every item with that value.
public struct HTTPItemLookup: Hashable, Sendable {
    /// The name the expressions use: `lookups.NAME`.
    public var name: String
    /// Path in the item to the value the call is made for (`{key}` in the request).
    public var key: String
    public var request: HTTPRequestTemplate

    public init(name: String, key: String, request: HTTPRequestTemplate) {
        self.name = name
        self.key = key
        self.request = request
    }
}

/// The HTTP side of one resource.
public struct ResourceHTTP: Hashable, Sendable {
    /// Where each record field is in the platform's item (a dotted path, such as
    /// `properties.firstname`), by the record field's name; a field not listed has the same name.
    public var fieldPaths: [String: String]
    /// Fields whose platform values need reading in a particular way.
    public var fieldFormats: [String: HTTPFieldFormat]
    /// Fields the platform does not send as such, computed from its item (`item`, a map) by a CEL
    /// expression: HubSpot's "opened the last e-mail" compares two dates it sends.
    public var fieldExpressions: [String: String]
    /// Answers read once per distinct value of an item's member and given to the field
    /// expressions as `lookups.NAME`: a LinkedIn lead's answers name their questions by id, and
    /// the form, read once, names the questions.
    public var itemLookups: [HTTPItemLookup]
    /// How the resource is read, if it can be.
    public var read: HTTPRead?
    /// How each sync mode writes it.
    public var writes: [SyncMode: HTTPWrite]
    /// How a notify step sends one message through it.
    public var send: HTTPWrite?

    public init(
        fieldPaths: [String: String] = [:],
        fieldFormats: [String: HTTPFieldFormat] = [:],
        fieldExpressions: [String: String] = [:],
        itemLookups: [HTTPItemLookup] = [],
        read: HTTPRead? = nil,
        writes: [SyncMode: HTTPWrite] = [:],
        send: HTTPWrite? = nil
    ) {
        self.fieldPaths = fieldPaths
        self.fieldFormats = fieldFormats
        self.fieldExpressions = fieldExpressions
        self.itemLookups = itemLookups
        self.read = read
        self.writes = writes
        self.send = send
    }
}
