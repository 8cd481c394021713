import CEL
import Foundation

/// How values are written into CSV cells: strings as they are, quoted when they hold the
/// delimiter, a quote, a line end or spaces at either end (quotes doubled); numbers, bools,
/// timestamps, durations and bytes as in JSON but without quotes; null as an empty cell; lists
/// and maps as JSON text.
enum CSVCells {
    /// Appends the cell of `value`; refuses values that have no text (NaN, infinities, types, errors).
    static func append(_ value: CELValue, delimiter: UInt8, into output: inout [UInt8]) throws(JSONText.UnwritableValue) {
        switch value {
        case .null: break
        case .string(let text): appendText(text, delimiter: delimiter, into: &output)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .uint(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number):
            guard number.isFinite else { throw JSONText.UnwritableValue(reason: "the double \(value.rendered) cannot be written") }
            output.append(contentsOf: JSONText.doubleText(number).utf8)
        case .timestamp(let timestamp): output.append(contentsOf: timestamp.rfc3339.utf8)
        case .duration(let duration): output.append(contentsOf: duration.text.utf8)
        case .bytes(let bytes): output.append(contentsOf: Data(bytes).base64EncodedString().utf8)
        case .list, .map:
            var json: [UInt8] = []
            try JSONText.encode(value, into: &json, strict: true)
            appendText(String(decoding: json, as: UTF8.self), delimiter: delimiter, into: &output)
        case .optional(let inner):
            if let inner { try append(inner, delimiter: delimiter, into: &output) }
        case .type(let type):
            throw JSONText.UnwritableValue(reason: "a type (\(type.runtimeName)) is not data and cannot be written")
        case .error(let error):
            throw JSONText.UnwritableValue(reason: "an error value cannot be written: \(error.message)")
        }
    }

    /// Appends text as a cell, quoted when reading it back would otherwise change it.
    static func appendText(_ text: String, delimiter: UInt8, into output: inout [UInt8]) {
        let utf8 = text.utf8
        let needsQuotes = utf8.first == 0x20 || utf8.last == 0x20
            || utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            output.append(contentsOf: utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            output.append(byte)
            if byte == UInt8(ascii: "\"") { output.append(byte) }
        }
        output.append(UInt8(ascii: "\""))
    }
}
