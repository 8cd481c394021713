import _CryptoExtras
import Diagnostics
import Foundation
import PlaybookLanguage

/// A Google service account's JSON key, as Google Cloud downloads it: who the account is and the
/// RSA key it signs its token requests with. Read once, when the connection is made.
struct ServiceAccountKey: Sendable {
    /// The account's address (`client_email`), the JWT's issuer.
    let clientEmail: String
    /// Which of the account's keys this is (`private_key_id`), named in the JWT's header.
    let keyID: String?
    /// The token endpoint the key names (`token_uri`), used in place of the spec's.
    let tokenURI: String?
    /// The private key as the key file holds it, so that the connection can mask it.
    let privateKeyPEM: String
    private let signingKey: _RSA.Signing.PrivateKey

    /// Why a text is not a usable key; worded without anything the text holds.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case notJSON
        case missing(String)
        case unreadablePrivateKey

        var description: String {
            switch self {
            case .notJSON: "it is not JSON"
            case .missing(let member): "it has no \(member)"
            case .unreadablePrivateKey: "its private_key is not an RSA private key in PEM form"
            }
        }
    }

    init(json text: String) throws(Problem) {
        guard let json = try? JSONValue(parsing: text), case .object = json else { throw .notJSON }
        guard let email = JSONPath.text(json["client_email"]), !email.isEmpty else { throw .missing("client_email") }
        guard let pem = JSONPath.text(json["private_key"]), !pem.isEmpty else { throw .missing("private_key") }
        do {
            signingKey = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw .unreadablePrivateKey
        }
        clientEmail = email
        privateKeyPEM = pem
        keyID = JSONPath.text(json["private_key_id"]).flatMap { $0.isEmpty ? nil : $0 }
        tokenURI = JSONPath.text(json["token_uri"]).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The lifetime of an assertion: the most Google accepts.
    static let assertionLifetime: Int64 = 3600

    /// The assertion of a JWT bearer grant (RFC 7523) for `audience` (the token endpoint), signed
    /// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) as Google's service accounts sign theirs.
    func assertion(scope: String?, audience: String, issuedAt: Date) throws -> String {
        let issued = Int64(issuedAt.timeIntervalSince1970)
        var header: [(String, JSONValue)] = [("alg", .string("RS256")), ("typ", .string("JWT"))]
        if let keyID { header.append(("kid", .string(keyID))) }
        var claims: [(String, JSONValue)] = [("iss", .string(clientEmail))]
        if let scope { claims.append(("scope", .string(scope))) }
        claims += [("aud", .string(audience)), ("iat", .int(issued)), ("exp", .int(issued + Self.assertionLifetime))]
        let signed = Self.base64URL(Data(JSONValue.object(header).text.utf8)) + "." + Self.base64URL(Data(JSONValue.object(claims).text.utf8))
        let signature = try signingKey.signature(for: Data(signed.utf8), padding: .insecurePKCS1v1_5)
        return signed + "." + Self.base64URL(signature.rawRepresentation)
    }

    /// Base64 with the URL-safe alphabet and no padding, as JWTs are written.
    static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// A key of a made-up account with a fresh RSA key, for runs against the sandbox, which takes
    /// any signature: made once per process, when first needed.
    static let throwaway: String? = {
        guard let key = try? _RSA.Signing.PrivateKey(keySize: .bits2048) else { return nil }
        let json: JSONValue = .object([
            ("type", .string("service_account")),
            ("private_key_id", .string("sandbox")),
            ("private_key", .string(key.pkcs8PEMRepresentation)),
            ("client_email", .string("playbook@sandbox.iam.gserviceaccount.com")),
        ])
        return json.text
    }()
}

/// A secret that should hold a service account's JSON key and does not; says why, never what the
/// secret holds.
public struct UnusableServiceAccountKey: Error, CustomStringConvertible, Equatable {
    public var secret: SecretName
    public var connection: ConnectionName
    public var field: String
    /// Why, e.g. `it has no client_email`.
    public var problem: String

    public var description: String {
        "the secret \(secret) (the '\(field)' of the connection '\(connection)') is not a usable service account key: \(problem); "
            + "give it the whole text of the JSON key file Google Cloud downloads for the service account, not the file's path"
    }
}
