/// Finds the first CSV row (RFC 4180) in a run of bytes: quoted values may hold the delimiter,
/// doubled quotes and line ends (CR, LF, CRLF); rows end with LF, CRLF or CR.
enum CSVRowScanner {
    /// What the bytes start with.
    enum Scan {
        /// A row of `length` bytes (with its line end) spanning `lineBreaks` line ends.
        case row([String], length: Int, lineBreaks: Int)
        /// An empty line of `length` bytes.
        case blank(length: Int)
        /// A row that cannot be read, skipped up to the end of the line where the problem is.
        case invalid(LineProblem, length: Int, lineBreaks: Int)
        /// The row may go on past the bytes given.
        case needMore
        /// No bytes are left, at the end of the file.
        case end
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    /// The first row of `bytes`; `isAtEnd` says whether the file ends after them.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, isAtEnd: Bool, delimiter: UInt8) -> Scan {
        let count = bytes.count
        guard count > 0 else { return isAtEnd ? .end : .needMore }
        if bytes[0] == lineFeed { return .blank(length: 1) }
        if bytes[0] == carriageReturn {
            if count == 1 && !isAtEnd { return .needMore }
            return .blank(length: count > 1 && bytes[1] == lineFeed ? 2 : 1)
        }
        var cells: [String] = []
        var position = 0
        var lineBreaks = 0
        while true {
            let cell: String
            if position < count, bytes[position] == quote {
                let contentStart = position + 1
                var index = contentStart
                var hasDoubledQuotes = false
                var isASCII = true
                var isClosed = false
                while index < count {
                    let byte = bytes[index]
                    if byte == quote {
                        if index + 1 < count, bytes[index + 1] == quote {
                            hasDoubledQuotes = true
                            index += 2
                            continue
                        }
                        if index + 1 == count && !isAtEnd { return .needMore }
                        isClosed = true
                        break
                    }
                    if byte == lineFeed {
                        lineBreaks += 1
                    } else if byte == carriageReturn {
                        if index + 1 == count && !isAtEnd { return .needMore }
                        if index + 1 == count || bytes[index + 1] != lineFeed { lineBreaks += 1 }
                    } else if byte >= 0x80 {
                        isASCII = false
                    }
                    index += 1
                }
                guard isClosed else { return isAtEnd ? .invalid(.unterminatedQuote, length: count, lineBreaks: lineBreaks) : .needMore }
                let content = UnsafeBufferPointer(rebasing: bytes[contentStart..<index])
                do {
                    cell = try text(of: content, unescapingQuotes: hasDoubledQuotes, isASCII: isASCII, at: contentStart)
                } catch {
                    return skipLine(bytes, from: index, problem: error, lineBreaks: lineBreaks, isAtEnd: isAtEnd)
                }
                position = index + 1
                if position < count, bytes[position] != delimiter, bytes[position] != lineFeed, bytes[position] != carriageReturn {
                    return skipLine(bytes, from: position, problem: .textAfterQuote(at: position), lineBreaks: lineBreaks, isAtEnd: isAtEnd)
                }
            } else {
                let cellStart = position
                var isASCII = true
                while position < count {
                    let byte = bytes[position]
                    if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                    if byte == quote {
                        return skipLine(bytes, from: position, problem: .strayQuote(at: position), lineBreaks: lineBreaks, isAtEnd: isAtEnd)
                    }
                    if byte >= 0x80 { isASCII = false }
                    position += 1
                }
                if position == count && !isAtEnd { return .needMore }
                do {
                    cell = try text(of: UnsafeBufferPointer(rebasing: bytes[cellStart..<position]), unescapingQuotes: false, isASCII: isASCII, at: cellStart)
                } catch {
                    return skipLine(bytes, from: position, problem: error, lineBreaks: lineBreaks, isAtEnd: isAtEnd)
                }
            }
            cells.append(cell)
            guard position < count else { return .row(cells, length: count, lineBreaks: lineBreaks) }
            let byte = bytes[position]
            if byte == delimiter {
                position += 1
                continue
            }
            if byte == lineFeed { return .row(cells, length: position + 1, lineBreaks: lineBreaks + 1) }
            if position + 1 == count && !isAtEnd { return .needMore }
            let length = position + 1 < count && bytes[position + 1] == lineFeed ? position + 2 : position + 1
            return .row(cells, length: length, lineBreaks: lineBreaks + 1)
        }
    }

    /// An invalid row running to the end of the line holding `start`.
    private static func skipLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, problem: LineProblem, lineBreaks: Int, isAtEnd: Bool) -> Scan {
        var index = start
        while index < bytes.count {
            if bytes[index] == lineFeed { return .invalid(problem, length: index + 1, lineBreaks: lineBreaks + 1) }
            if bytes[index] == carriageReturn {
                if index + 1 == bytes.count && !isAtEnd { return .needMore }
                let length = index + 1 < bytes.count && bytes[index + 1] == lineFeed ? index + 2 : index + 1
                return .invalid(problem, length: length, lineBreaks: lineBreaks + 1)
            }
            index += 1
        }
        return isAtEnd ? .invalid(problem, length: bytes.count, lineBreaks: lineBreaks) : .needMore
    }

    /// A value's text; `""` inside quotes becomes `"`.
    private static func text(of bytes: UnsafeBufferPointer<UInt8>, unescapingQuotes: Bool, isASCII: Bool, at offset: Int) throws(LineProblem) -> String {
        guard unescapingQuotes else { return try JSONParser.text(bytes, isASCII: isASCII, at: offset) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            unescaped.append(bytes[index])
            index += bytes[index] == quote ? 2 : 1
        }
        return try unescaped.withUnsafeBufferPointer { (buffer) throws(LineProblem) in
            try JSONParser.text(buffer, isASCII: isASCII, at: offset)
        }
    }

    /// The number of line ends in `bytes` (LF, CRLF, and CR alone).
    static func lineBreaks(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var breaks = 0
        for index in bytes.indices {
            if bytes[index] == lineFeed || (bytes[index] == carriageReturn && (index + 1 == bytes.count || bytes[index + 1] != lineFeed)) { breaks += 1 }
        }
        return breaks
    }
}
