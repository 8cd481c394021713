extension KnownConnectors {
    /// Generic JSON over HTTP: the runtime's auth, pagination and rate-limit mechanisms configured in
    /// the playbook instead of a connector spec.
    static let http = ConnectorDescriptor(
        name: "http",
        title: "Generic HTTP",
        summary: "Any JSON HTTP API: resources are paths under `base_url`, records are untyped.",
        capabilities: [.read, .write],
        authSchemes: [
            AuthScheme(name: "none", summary: "No credentials (leave `auth:` out).", requiredFields: []),
            AuthScheme(name: "bearer", summary: "Sent as `Authorization: Bearer <token>`.", requiredFields: ["token"]),
            AuthScheme(name: "api_key", summary: "Sent in the header named by `api_key_header`.", requiredFields: ["api_key"]),
            AuthScheme(name: "basic", summary: "HTTP Basic.", requiredFields: ["username", "password"]),
            AuthScheme(
                name: "oauth2_client_credentials",
                summary: "OAuth 2 client-credentials grant against `token_url`; the token is cached until it expires.",
                requiredFields: ["client_id", "client_secret"],
                requiredOptions: ["token_url"]
            ),
        ],
        options: [
            .init("base_url", .string, required: true, "Prefix of every request, e.g. `https://api.example.com/v2`."),
            .init("headers", .map(.string), "Extra headers on every request (never credentials: those go under `auth:`)."),
            .init("api_key_header", .string, "Header that carries `api_key`.", default: "X-API-Key"),
            .init("token_url", .string, "Token endpoint for `oauth2_client_credentials`."),
            .init("scopes", .list(.string), "Scopes requested with `oauth2_client_credentials`."),
        ],
        genericResource: ResourceDescriptor(
            name: "<path>",
            summary: "Any name; the request goes to `base_url` + `path` (default: `/` + the resource name). Insert is POST, update PATCH, upsert PUT, one record per call.",
            syncModes: [.insert, .update, .upsert],
            fields: [],
            parameters: [
                .init("path", .string, "Path under `base_url`, e.g. `/leads`."),
                .init("query", .map(.string), "Query parameters of the first request."),
                .init("records_path", .string, "Where the records are in the response, e.g. `data.items`; empty for a top-level array."),
                .init("pagination", .string, "`none`, `cursor`, `next_url` or `offset`.", default: "none"),
                .init("cursor_param", .string, "Query parameter that carries the next cursor (`cursor` pagination)."),
                .init("next_cursor_path", .string, "Where the next cursor is in the response; absent or empty ends the loop."),
                .init("next_url_path", .string, "Where the next page's URL is in the response (`next_url` pagination)."),
                .init("page_size", .int, "Records per page sent as `limit_param`."),
                .init("limit_param", .string, "Query parameter for the page size.", default: "limit"),
                .init("offset_param", .string, "Query parameter for the offset (`offset` pagination).", default: "offset"),
                .init("max_pages", .int, "Stop after this many pages.", default: "1000"),
            ]
        )
    )
}
