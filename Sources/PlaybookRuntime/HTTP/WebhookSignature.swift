import Crypto
import Foundation

/// Signatures of the Standard Webhooks specification: made for outgoing webhooks, checked for
/// incoming ones.
enum StandardWebhookSignature {
    /// The HMAC key of a secret: its `whsec_` prefix dropped, the rest base64-decoded. Nil when the
    /// secret is not base64.
    static func keyBytes(secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else { return nil }
        return Array(key)
    }

    /// The HMAC-SHA256 of `id.timestamp.body`, the bytes a `v1` signature carries in base64.
    /// `timestamp` is the header's text, signed as sent.
    static func mac(key: SymmetricKey, id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        var signed = Array("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        return Array(HMAC<SHA256>.authenticationCode(for: signed, using: key))
    }

    /// The `webhook-signature` value for a message: `v1,` and the base64 HMAC-SHA256 of
    /// `id.timestamp.body`, keyed with the secret (its `whsec_` prefix dropped, base64-decoded).
    /// Nil when the secret is not base64.
    static func sign(secret: String, id: String, timestamp: Int64, body: [UInt8]) -> String? {
        guard let key = keyBytes(secret: secret) else { return nil }
        return "v1," + Data(mac(key: SymmetricKey(data: key), id: id, timestamp: String(timestamp), body: body)).base64EncodedString()
    }
}

/// A signing secret that is not what Standard Webhooks expects.
struct UnusableSigningSecret: Error, CustomStringConvertible {
    var connection: String
    var description: String {
        "\(connection): the signing secret is not a Standard Webhooks secret (whsec_ followed by base64)"
    }
}
