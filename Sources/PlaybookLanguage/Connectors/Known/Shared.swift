/// Pieces several connector declarations share, so the same credential reads the same everywhere.
extension AuthScheme {
    /// The OAuth 2 refresh-token grant: the runtime trades the refresh token for short-lived access
    /// tokens and refreshes on expiry or 401, so a playbook never holds an access token that expires.
    static func oauth2RefreshToken(
        _ summary: String,
        extraRequired: [String] = [],
        clientSecretRequired: Bool = true
    ) -> AuthScheme {
        AuthScheme(
            name: "oauth2_refresh_token",
            summary: summary,
            requiredFields: extraRequired + ["client_id"] + (clientSecretRequired ? ["client_secret"] : []) + ["refresh_token"],
            optionalFields: clientSecretRequired ? [] : ["client_secret"]
        )
    }
}

extension ValueType.Field {
    /// When the platform created the record.
    static func createdAt(_ platformName: String) -> Self {
        .init("created_at", .timestamp, "When the record was created (`\(platformName)`).")
    }

    /// When the platform last changed the record; the usual incremental cursor.
    static func updatedAt(_ platformName: String) -> Self {
        .init("updated_at", .timestamp, "When the record last changed (`\(platformName)`).")
    }
}
