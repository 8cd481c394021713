import Foundation

/// The encoders extension: `base64.encode(bytes)` and `base64.decode(string)`.
extension FunctionLibrary {
    mutating func registerEncoders() {
        global("base64.encode", unary: { value in
            guard case .bytes(let b) = value else { return CELValue.noOverload("base64.encode", value) }
            return .string(Data(b).base64EncodedString())
        })
        global("base64.decode", unary: { value in
            guard case .string(let s) = value else { return CELValue.noOverload("base64.decode", value) }
            // Accept input with or without padding, as cel-go does.
            var padded = s
            while padded.utf8.count % 4 != 0 { padded += "=" }
            guard let data = Data(base64Encoded: padded) else { return .fail("invalid base64 input") }
            return .bytes(Array(data))
        })
    }
}
