/// A request that arrived at a webhook trigger's path, as its sender signed it.
public struct InboundWebhookRequest: Sendable {
    /// The HTTP method, such as `POST` or `GET`.
    public var method: String
    /// The full URI the sender called, such as `https://example.com/hooks/x?a=1`: the server's
    /// public address with the request's path and query. HubSpot v3 signs it.
    public var uri: String
    /// The query's items, percent-decoded, in order. Meta's subscription check is a GET with
    /// `hub.mode`, `hub.verify_token` and `hub.challenge` here.
    public var query: [(name: String, value: String)]
    /// The headers as received; names are compared without regard to case.
    public var headers: [(name: String, value: String)]
    /// The raw body, exactly as received: signatures cover these bytes.
    public var body: [UInt8]

    /// A request with the given parts.
    public init(method: String, uri: String, query: [(name: String, value: String)] = [],
                headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name` (in any case), or nil.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// The value of the first query item called exactly `name`, or nil.
    public func queryItem(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}

extension String {
    /// Equality of ASCII letters without regard to case, as header names are compared.
    fileprivate func caseInsensitiveEquals(_ other: String) -> Bool {
        let lhs = utf8, rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { Self.lowered($0) == Self.lowered($1) }
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
