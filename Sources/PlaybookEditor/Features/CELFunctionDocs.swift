/// The functions and macros of the expression language, as completion and hover describe them;
/// the same facts as docs/expressions.md, one line each.
struct CELFunctionDoc: Sendable {
    enum Call: Sendable {
        /// Called on a value: `text.trim()`.
        case member
        /// Called by name: `size(list)`, `math.abs(x)`.
        case global
        /// Both ways.
        case either
    }

    var name: String
    var call: Call
    var signature: String
    var summary: String
    /// A macro is expanded by the parser (`has`, `exists`, …) rather than called.
    var isMacro = false

    init(_ name: String, _ call: Call, _ signature: String, _ summary: String, macro: Bool = false) {
        self.name = name
        self.call = call
        self.signature = signature
        self.summary = summary
        self.isMacro = macro
    }

    var markdown: String {
        "```\n\(signature)\n```\n\(summary)" + (isMacro ? "\n\n(a macro: its arguments are not evaluated first)" : "")
    }

    static let all: [CELFunctionDoc] = [
        // Text
        CELFunctionDoc("size", .either, "size(value) -> int, value.size() -> int", "The number of characters of text, bytes of bytes, elements of a list or entries of a map."),
        CELFunctionDoc("contains", .member, "text.contains(part) -> bool", "Whether the text contains `part`."),
        CELFunctionDoc("startsWith", .member, "text.startsWith(prefix) -> bool", "Whether the text starts with `prefix`."),
        CELFunctionDoc("endsWith", .member, "text.endsWith(suffix) -> bool", "Whether the text ends with `suffix`, such as `record.email.endsWith(\"@example.com\")`."),
        CELFunctionDoc("matches", .either, "text.matches(pattern) -> bool", "Whether an RE2 regular expression matches anywhere in the text; anchor it with `^…$` for the whole text."),
        CELFunctionDoc("lowerAscii", .member, "text.lowerAscii() -> string", "The text with letters A–Z in lower case."),
        CELFunctionDoc("upperAscii", .member, "text.upperAscii() -> string", "The text with letters a–z in upper case."),
        CELFunctionDoc("trim", .member, "text.trim() -> string", "The text without white space at either end."),
        CELFunctionDoc("replace", .member, "text.replace(old, new[, count]) -> string", "The text with `old` replaced by `new`, everywhere or at most `count` times."),
        CELFunctionDoc("split", .member, "text.split(separator[, count]) -> list(string)", "The parts of the text between separators."),
        CELFunctionDoc("join", .member, "list.join([separator]) -> string", "The texts of a list joined into one, with `separator` between them."),
        CELFunctionDoc("substring", .member, "text.substring(start[, end]) -> string", "The characters from `start` up to `end` (counted from 0)."),
        CELFunctionDoc("charAt", .member, "text.charAt(position) -> string", "The character at `position` (counted from 0)."),
        CELFunctionDoc("indexOf", .member, "text.indexOf(part[, from]) -> int", "Where `part` first occurs, or -1."),
        CELFunctionDoc("lastIndexOf", .member, "text.lastIndexOf(part[, from]) -> int", "Where `part` last occurs, or -1."),
        CELFunctionDoc("reverse", .member, "text.reverse() -> string", "The characters in reverse order."),
        CELFunctionDoc("format", .member, "pattern.format(list) -> string", "Text with `%s %d %f %e %x %X %o %b %%` filled from the list, such as `\"%.2f\".format([total])`."),
        CELFunctionDoc("strings.quote", .global, "strings.quote(text) -> string", "The text as a quoted string literal."),
        CELFunctionDoc("formatNumber", .global, "formatNumber(number, decimals) -> string", "The number with commas between thousands and that many decimals, as money is written: `formatNumber(1234.5, 2)` is `1,234.50`."),
        CELFunctionDoc("flatten", .member, "list.flatten([depth]) -> list", "Lists inside the list opened into it, one level deep or `depth` levels: `[[1, 2], [3]].flatten()` is `[1, 2, 3]`."),
        // Conversions
        CELFunctionDoc("int", .global, "int(value) -> int", "A whole number from a number, text, timestamp (seconds) or duration; a fraction is cut off."),
        CELFunctionDoc("uint", .global, "uint(value) -> uint", "An unsigned whole number from a number or text."),
        CELFunctionDoc("double", .global, "double(value) -> double", "A number with a fraction from a number or text."),
        CELFunctionDoc("string", .global, "string(value) -> string", "The value as text."),
        CELFunctionDoc("bytes", .global, "bytes(text) -> bytes", "The UTF-8 bytes of a text."),
        CELFunctionDoc("bool", .global, "bool(text) -> bool", "`true` or `false` from text such as \"true\"."),
        CELFunctionDoc("dyn", .global, "dyn(value) -> dyn", "The value with its type checked only when the playbook runs."),
        CELFunctionDoc("type", .global, "type(value) -> type", "The type of a value."),
        CELFunctionDoc("timestamp", .global, "timestamp(text) -> timestamp", "A point in time from RFC 3339 text such as \"2024-05-01T12:00:00Z\", or from seconds since 1970."),
        CELFunctionDoc("duration", .global, "duration(text) -> duration", "A length of time such as \"90m\" or \"1h30m\" (no `d` unit: a week is \"168h\")."),
        // Time
        CELFunctionDoc("getFullYear", .member, "time.getFullYear([zone]) -> int", "The year, in UTC or the given time zone."),
        CELFunctionDoc("getMonth", .member, "time.getMonth([zone]) -> int", "The month, from 0 (January) to 11."),
        CELFunctionDoc("getDate", .member, "time.getDate([zone]) -> int", "The day of the month, from 1."),
        CELFunctionDoc("getDayOfMonth", .member, "time.getDayOfMonth([zone]) -> int", "The day of the month, from 0."),
        CELFunctionDoc("getDayOfWeek", .member, "time.getDayOfWeek([zone]) -> int", "The day of the week, 0 for Sunday."),
        CELFunctionDoc("getDayOfYear", .member, "time.getDayOfYear([zone]) -> int", "The day of the year, from 0."),
        CELFunctionDoc("getHours", .member, "time.getHours([zone]) -> int", "The hour of a timestamp, or the whole hours of a duration."),
        CELFunctionDoc("getMinutes", .member, "time.getMinutes([zone]) -> int", "The minute of a timestamp, or the whole minutes of a duration."),
        CELFunctionDoc("getSeconds", .member, "time.getSeconds([zone]) -> int", "The second of a timestamp, or the whole seconds of a duration."),
        CELFunctionDoc("getMilliseconds", .member, "time.getMilliseconds([zone]) -> int", "The milliseconds of a timestamp or duration."),
        // Numbers
        CELFunctionDoc("math.greatest", .global, "math.greatest(a, b, …) -> number", "The largest of its arguments, or of a list."),
        CELFunctionDoc("math.least", .global, "math.least(a, b, …) -> number", "The smallest of its arguments, or of a list."),
        CELFunctionDoc("math.ceil", .global, "math.ceil(double) -> double", "Rounded up."),
        CELFunctionDoc("math.floor", .global, "math.floor(double) -> double", "Rounded down."),
        CELFunctionDoc("math.round", .global, "math.round(double) -> double", "Rounded to the nearest whole number, halves away from zero."),
        CELFunctionDoc("math.trunc", .global, "math.trunc(double) -> double", "The fraction cut off."),
        CELFunctionDoc("math.abs", .global, "math.abs(number) -> number", "The value without its sign."),
        CELFunctionDoc("math.sign", .global, "math.sign(number) -> number", "-1, 0 or 1."),
        CELFunctionDoc("math.sqrt", .global, "math.sqrt(number) -> double", "The square root."),
        CELFunctionDoc("math.sum", .global, "math.sum(list) -> number", "The sum of a list of numbers of one kind; 0 for an empty list."),
        CELFunctionDoc("math.isNaN", .global, "math.isNaN(double) -> bool", "Whether the value is not a number."),
        CELFunctionDoc("math.isInf", .global, "math.isInf(double) -> bool", "Whether the value is infinite."),
        CELFunctionDoc("math.isFinite", .global, "math.isFinite(double) -> bool", "Whether the value is neither infinite nor not a number."),
        CELFunctionDoc("math.bitAnd", .global, "math.bitAnd(a, b) -> int", "Bitwise and."),
        CELFunctionDoc("math.bitOr", .global, "math.bitOr(a, b) -> int", "Bitwise or."),
        CELFunctionDoc("math.bitXor", .global, "math.bitXor(a, b) -> int", "Bitwise exclusive or."),
        CELFunctionDoc("math.bitNot", .global, "math.bitNot(a) -> int", "Bitwise not."),
        CELFunctionDoc("math.bitShiftLeft", .global, "math.bitShiftLeft(a, bits) -> int", "The bits shifted left."),
        CELFunctionDoc("math.bitShiftRight", .global, "math.bitShiftRight(a, bits) -> int", "The bits shifted right."),
        // Encoding
        CELFunctionDoc("base64.encode", .global, "base64.encode(bytes) -> string", "Bytes as base64 text."),
        CELFunctionDoc("base64.decode", .global, "base64.decode(text) -> bytes", "Base64 text as bytes."),
        // Optional values
        CELFunctionDoc("optional.of", .global, "optional.of(value) -> optional", "An optional holding the value."),
        CELFunctionDoc("optional.ofNonZeroValue", .global, "optional.ofNonZeroValue(value) -> optional", "Empty for 0, \"\", [], {}, false and null; else holding the value."),
        CELFunctionDoc("optional.none", .global, "optional.none() -> optional", "An empty optional."),
        CELFunctionDoc("hasValue", .member, "optional.hasValue() -> bool", "Whether the optional holds a value."),
        CELFunctionDoc("value", .member, "optional.value() -> value", "The value an optional holds (an error when empty)."),
        CELFunctionDoc("orValue", .member, "optional.orValue(fallback) -> value", "The value an optional holds, or `fallback`."),
        CELFunctionDoc("or", .member, "optional.or(other) -> optional", "This optional when it holds a value, else `other`."),
        // Macros
        CELFunctionDoc("has", .global, "has(record.field) -> bool", "Whether the field is present, so a missing field can be handled instead of failing the record.", macro: true),
        CELFunctionDoc("all", .member, "list.all(x, condition) -> bool", "Whether every element satisfies the condition.", macro: true),
        CELFunctionDoc("exists", .member, "list.exists(x, condition) -> bool", "Whether any element satisfies the condition.", macro: true),
        CELFunctionDoc("exists_one", .member, "list.exists_one(x, condition) -> bool", "Whether exactly one element satisfies the condition.", macro: true),
        CELFunctionDoc("existsOne", .member, "list.existsOne(x, condition) -> bool", "Whether exactly one element satisfies the condition.", macro: true),
        CELFunctionDoc("map", .member, "list.map(x, [condition,] expression) -> list", "Each element transformed (optionally only those satisfying the condition).", macro: true),
        CELFunctionDoc("filter", .member, "list.filter(x, condition) -> list", "The elements satisfying the condition.", macro: true),
        CELFunctionDoc("transformList", .member, "list.transformList(index, value, expression) -> list", "Each element transformed, with its index.", macro: true),
        CELFunctionDoc("transformMap", .member, "map.transformMap(key, value, expression) -> map", "Each entry's value transformed, with its key.", macro: true),
        CELFunctionDoc("optMap", .member, "optional.optMap(v, expression) -> optional", "The held value transformed; empty stays empty.", macro: true),
        CELFunctionDoc("optFlatMap", .member, "optional.optFlatMap(v, expression) -> optional", "The held value transformed into another optional; empty stays empty.", macro: true),
        CELFunctionDoc("cel.bind", .global, "cel.bind(name, value, expression)", "Names a value once and uses it in the expression.", macro: true),
    ]

    private static let byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    static func named(_ name: String) -> CELFunctionDoc? { byName[name] }
}
