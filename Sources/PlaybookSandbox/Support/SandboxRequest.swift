import Diagnostics
import Foundation

/// One request as a platform sees it: the path after the platform's prefix, split into segments.
struct SandboxRequest: Sendable {
    enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", other }

    let method: Method
    /// Path segments after the platform prefix, percent-decoded (`["crm", "v3", "objects", "contacts"]`).
    let segments: [String]
    /// Query parameters, percent-decoded; the first value wins when a name repeats.
    let query: [String: String]
    /// Header values by lower-cased name.
    let headers: [String: String]
    let body: Data
    /// Where the sandbox answers, with the platform's prefix (`http://127.0.0.1:8790/hubspot`), for next-page links.
    let baseURL: String

    init(method: Method, segments: [String], query: [String: String], headers: [String: String], body: Data, baseURL: String) {
        self.method = method
        self.segments = segments
        self.query = query
        self.headers = headers
        self.body = body
        self.baseURL = baseURL
    }

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as JSON, or nil when it is empty or not JSON.
    var json: JSONValue? { body.isEmpty ? nil : JSONValue.parse(body) }

    /// The token of an `Authorization: Bearer …` header, when it is present and not empty.
    var bearerToken: String? {
        guard let value = header("authorization"), value.lowercased().hasPrefix("bearer ") else { return nil }
        let token = value.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The password of an `Authorization: Basic …` header, when it is present and not empty.
    var basicPassword: String? {
        guard let value = header("authorization"), value.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(value.dropFirst("basic ".count)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        let password = text[text.index(after: colon)...]
        return password.isEmpty ? nil : String(password)
    }

    /// Form fields of an `application/x-www-form-urlencoded` body.
    var formFields: [String: String] { Self.decodeQuery(String(decoding: body, as: UTF8.self)) }

    /// Decodes `a=1&b=x%20y` (with `+` as a space) into a dictionary; the first value of a name wins.
    static func decodeQuery(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeComponent(String(parts[0]))
            let value = parts.count > 1 ? decodeComponent(String(parts[1])) : ""
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    static func decodeComponent(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// A comma-separated list parameter (`properties=email,firstname`), trimmed, empties dropped.
func commaList(_ text: String?) -> [String] {
    (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
