/// `formatNumber(x, decimals)`, a Playbook addition: a number as people read it in a report, with
/// thousands separated by commas and a fixed count of decimals, such as `1,234.50`.
///
/// Rounding works on the number's shortest decimal form, half away from zero, so 2.675 becomes
/// 2.68 as written, where `"%.2f"` rounds the binary double below it to 2.67.
extension FunctionLibrary {
    mutating func registerNumberFormatting() {
        global("formatNumber", binary: NumberFormatting.formatNumber)
    }
}

enum NumberFormatting {
    /// The most decimals asked for: beyond that, doubles hold no more digits anyway.
    static let maximumDecimals: Int64 = 15

    static func formatNumber(_ value: CELValue, _ decimals: CELValue) -> CELValue {
        guard case .int(let places) = decimals else { return CELValue.noOverload("formatNumber", value, decimals) }
        guard (0...maximumDecimals).contains(places) else {
            return .fail("formatNumber: decimals must be from 0 to \(maximumDecimals), got \(places)")
        }
        let text: String
        switch value {
        case .int(let number): text = String(number)
        case .uint(let number): text = String(number)
        case .double(let number):
            guard number.isFinite else { return .fail("formatNumber: \(number) is not a number that can be written out") }
            text = "\(number)"
        default: return CELValue.noOverload("formatNumber", value, decimals)
        }
        return .string(grouped(DecimalDigits(text), places: Int(places)))
    }

    /// `digits` rounded to `places` decimals, with commas between thousands.
    private static func grouped(_ number: DecimalDigits, places: Int) -> String {
        var digits = number.digits
        var pointIndex = number.pointIndex
        // Pad so that the point has a digit before it and `places` digits after it.
        if pointIndex <= 0 {
            digits = Array(repeating: 0, count: 1 - pointIndex) + digits
            pointIndex = 1
        }
        if digits.count < pointIndex + places + 1 {
            digits += Array(repeating: 0, count: pointIndex + places + 1 - digits.count)
        }
        // Round half away from zero at the first digit dropped.
        var kept = Array(digits[..<(pointIndex + places)])
        if digits[pointIndex + places] >= 5 {
            var index = kept.count - 1
            while index >= 0 {
                if kept[index] == 9 { kept[index] = 0; index -= 1 } else { kept[index] += 1; break }
            }
            if index < 0 { kept.insert(1, at: 0); pointIndex += 1 }
        }
        let significant = kept[..<pointIndex].drop { $0 == 0 }
        let whole = significant.isEmpty ? [0] : Array(significant)
        var out = ""
        for (offset, digit) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { out += "," }
            out += String(digit)
        }
        if places > 0 { out += "." + kept[pointIndex...].map(String.init).joined() }
        let isZero = kept.allSatisfy { $0 == 0 }
        return number.negative && !isZero ? "-" + out : out
    }
}

/// A number's decimal digits, read from its shortest text (`123.45`, `1e-05`, `-2.5e+20`): the value
/// is 0.d₁d₂… × 10^pointIndex.
private struct DecimalDigits {
    var negative = false
    var digits: [UInt8] = []
    var pointIndex = 0

    init(_ text: String) {
        var mantissa = Substring(text)
        var exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(mantissa[mantissa.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
            mantissa = mantissa[..<e]
        }
        if mantissa.hasPrefix("-") { negative = true; mantissa = mantissa.dropFirst() }
        var beforePoint = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." { seenPoint = true; continue }
            guard let digit = character.wholeNumberValue else { continue }
            digits.append(UInt8(digit))
            if !seenPoint { beforePoint += 1 }
        }
        pointIndex = beforePoint + exponent
    }
}
