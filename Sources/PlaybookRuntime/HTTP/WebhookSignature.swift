import Crypto
import Foundation

/// Signatures of the Standard Webhooks specification, for outgoing webhooks.
enum StandardWebhookSignature {
    /// The `webhook-signature` value for a message: `v1,` and the base64 HMAC-SHA256 of
    /// `id.timestamp.body`, keyed with the secret (its `whsec_` prefix dropped, base64-decoded).
    /// Nil when the secret is not base64.
    static func sign(secret: String, id: String, timestamp: Int64, body: [UInt8]) -> String? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else { return nil }
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }
}

/// A signing secret that is not what Standard Webhooks expects.
struct UnusableSigningSecret: Error, CustomStringConvertible {
    var connection: String
    var description: String {
        "\(connection): the signing secret is not a Standard Webhooks secret (whsec_ followed by base64)"
    }
}
