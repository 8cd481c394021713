/// How many terminal cells a scalar takes, so carets line up under wide and combining characters.
///
/// An approximation of East Asian Width without a table: combining marks and format characters take
/// no cell, CJK ideographs, Hangul, full-width forms and emoji take two, everything else one.
enum TerminalWidth {
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if properties.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, // Hangul Jamo leading consonants
             0x2E80...0x303E, 0x3041...0x33FF, // CJK radicals, punctuation, kana
             0x3400...0x4DBF, 0x4E00...0x9FFF, // CJK ideographs
             0xA000...0xA4CF, 0xAC00...0xD7A3, // Yi, Hangul syllables
             0xF900...0xFAFF, 0xFE30...0xFE4F, // compatibility ideographs and forms
             0xFF00...0xFF60, 0xFFE0...0xFFE6, // full-width forms
             0x20000...0x3FFFD: // supplementary ideographs
            return 2
        default:
            return 1
        }
    }
}
