// A strict JSON (RFC 8259) reader over bytes that tracks lines and columns. `JSONScanner`
// offers the primitives (strings, numbers, punctuation); `parseValue()` builds a
// ``ManifestNode`` tree, and the Prometheus reader walks the structure without building one.
//
// The scanner reads either bytes already in memory (one window, never refilled) or a stream
// pulled in chunks: when a primitive runs off the end of the window it calls `refill()`, which
// slides the unread bytes (and the start of the token being read, `mark`) to the front of the
// scanner's own buffer and reads the next chunk behind them. Every position the scanner keeps
// (`pos`, `lineStart`, `mark`) moves with the slide, so a token, number or escape split
// across two chunks reads exactly as in one buffer, and lines and columns are unchanged. The
// buffer holds one chunk plus the longest single token (string or number) met so far.

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Fills a buffer from its start with the next bytes of a streamed input: the number of bytes
/// written (0 at the end of the input), or the reason the input cannot be read (internal).
typealias JSONInputReader = (UnsafeMutableRawBufferPointer) -> Result<Int, TraceError>

/// A position-tracking JSON scanner (internal).
struct JSONScanner: ~Copyable {
  /// The window of input in memory: all of it for bytes, the current chunk (after the kept
  /// tail of the previous one) for a stream. Indices into it are valid until the next refill.
  private(set) var bytes: UnsafeBufferPointer<UInt8>
  var pos = 0
  var line = 1
  /// Index (in the window) of the current line's first byte; negative once that byte has
  /// slid out of the window.
  var lineStart = 0
  /// Start of the token being read, or -1: a refill keeps the window from here on.
  private var mark = -1
  /// The scanner's own buffer when streaming (nil for bytes in memory).
  private var storage: UnsafeMutableRawBufferPointer?
  private let reader: JSONInputReader?
  private let chunkSize: Int
  /// Set once the reader has said the input ended (or failed): no more refills.
  private var ended: Bool
  /// Why the streamed input could not be read, if it could not (the scanner then sees the
  /// end of the input; the caller reports this instead of the truncation that follows).
  private(set) var readFailure: TraceError?

  /// A scanner over bytes in memory (a UTF-8 byte order mark is skipped).
  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    reader = nil
    chunkSize = 0
    ended = true
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
  }

  /// A scanner over a stream read `chunkSize` bytes at a time by `reader` (at least 1).
  init(chunkSize: Int, reader: @escaping JSONInputReader) {
    self.chunkSize = Swift.max(1, chunkSize)
    self.reader = reader
    ended = false
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: self.chunkSize, alignment: 1)
    storage = buffer
    bytes = UnsafeBufferPointer(start: nil, count: 0)
    if has(3), bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
  }

  deinit { storage?.deallocate() }

  /// Makes the next chunk available behind the unread bytes; false at the end of the input.
  @inline(never)
  private mutating func refill() -> Bool {
    guard !ended, let reader, var buffer = storage else { return false }
    let keep = mark >= 0 ? Swift.min(mark, pos) : pos
    let kept = bytes.count - keep
    if kept + chunkSize > buffer.count {
      let grown = UnsafeMutableRawBufferPointer.allocate(
        byteCount: Swift.max(buffer.count * 2, kept + chunkSize), alignment: 1)
      if kept > 0 {
        grown.copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[keep...])))
      }
      buffer.deallocate()
      buffer = grown
      storage = grown
    } else if kept > 0 && keep > 0, let target = buffer.baseAddress,
      let source = bytes.baseAddress
    {
      memmove(target, source + keep, kept)  // the regions may overlap
    }
    pos -= keep
    lineStart -= keep
    if mark >= 0 { mark -= keep }
    let free = UnsafeMutableRawBufferPointer(rebasing: buffer[kept...])
    var added = 0
    switch reader(free) {
    case .success(let count): added = Swift.max(0, Swift.min(count, free.count))
    case .failure(let failure): readFailure = failure
    }
    if added == 0 { ended = true }
    let typed = buffer.bindMemory(to: UInt8.self)
    bytes = UnsafeBufferPointer(rebasing: typed[0..<(kept + added)])
    return added > 0
  }

  /// Whether `count` bytes from `pos` are in the window (refilling as needed).
  private mutating func has(_ count: Int) -> Bool {
    while bytes.count - pos < count {
      if !refill() { return false }
    }
    return true
  }

  var column: Int { pos - lineStart + 1 }

  func error(_ message: String) -> ManifestError {
    ManifestError(line: line, column: column, message: message)
  }

  mutating func skipWhitespace() {
    while pos < bytes.count || refill() {
      let byte = bytes[pos]
      if byte == UInt8(ascii: "\n") {
        pos += 1
        line += 1
        lineStart = pos
      } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
        || byte == UInt8(ascii: "\r")
      {
        pos += 1
      } else {
        return
      }
    }
  }

  /// The next non-whitespace byte, without consuming it; `nil` at the end.
  mutating func peek() -> UInt8? {
    skipWhitespace()
    return pos < bytes.count ? bytes[pos] : nil
  }

  /// Consumes `byte` (after whitespace) or throws naming what was expected.
  mutating func expect(_ byte: UInt8, _ what: String) throws(ManifestError) {
    guard let next = peek() else {
      throw error("unexpected end of input (the JSON is truncated): expected \(what)")
    }
    guard next == byte else {
      throw error("expected \(what), found \"\(Character(Unicode.Scalar(next)))\"")
    }
    pos += 1
  }

  /// Consumes `byte` if it is next (after whitespace).
  mutating func consume(_ byte: UInt8) -> Bool {
    if peek() == byte {
      pos += 1
      return true
    }
    return false
  }

  /// Reads a string (the opening quote must be next, after whitespace).
  mutating func parseString() throws(ManifestError) -> String {
    try expect(UInt8(ascii: "\""), "a string")
    mark = pos
    defer { mark = -1 }
    // Fast path: no escapes.
    while pos < bytes.count || refill() {
      let byte = bytes[pos]
      if byte == UInt8(ascii: "\"") {
        let text = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[mark..<pos]), as: UTF8.self)
        pos += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw error("control character in a string; escape it") }
      pos += 1
    }
    var text = Array(bytes[mark..<pos])
    mark = -1
    while true {
      guard pos < bytes.count || refill() else {
        throw error("unexpected end of input inside a string (the JSON is truncated)")
      }
      let byte = bytes[pos]
      if byte == UInt8(ascii: "\"") {
        pos += 1
        return String(decoding: text, as: UTF8.self)
      }
      if byte < 0x20 { throw error("control character in a string; escape it") }
      if byte != UInt8(ascii: "\\") {
        text.append(byte)
        pos += 1
        continue
      }
      pos += 1
      guard pos < bytes.count || refill() else {
        throw error("unexpected end of input inside a string (the JSON is truncated)")
      }
      let code = bytes[pos]
      pos += 1
      switch code {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(code)
      case UInt8(ascii: "b"): text.append(8)
      case UInt8(ascii: "f"): text.append(12)
      case UInt8(ascii: "n"): text.append(10)
      case UInt8(ascii: "r"): text.append(13)
      case UInt8(ascii: "t"): text.append(9)
      case UInt8(ascii: "u"):
        var value = try hex4()
        if (0xD800..<0xDC00).contains(value) {
          guard has(2), bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u")
          else { throw error("unpaired UTF-16 surrogate in \\u escape") }
          pos += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else {
            throw error("unpaired UTF-16 surrogate in \\u escape")
          }
          value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else {
          throw error("\\u escape is not a valid Unicode scalar")
        }
        text += Array(String(scalar).utf8)
      default:
        pos -= 1
        throw error("unknown escape \\\(Character(Unicode.Scalar(code))) in a string")
      }
    }
  }

  private mutating func hex4() throws(ManifestError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard pos < bytes.count || refill() else {
        throw error("unexpected end of input in a \\u escape (the JSON is truncated)")
      }
      let byte = bytes[pos]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw error("expected four hexadecimal digits after \\u")
      }
      value = value * 16 + digit
      pos += 1
    }
    return value
  }

  /// Reads a number (validated against the JSON grammar) and returns its byte range in
  /// ``bytes`` (valid until the scanner reads on).
  mutating func parseNumberRange() throws(ManifestError) -> Range<Int> {
    skipWhitespace()
    mark = pos
    defer { mark = -1 }
    func digit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    if (pos < bytes.count || refill()) && bytes[pos] == UInt8(ascii: "-") { pos += 1 }
    guard pos < bytes.count || refill(), digit(bytes[pos]) else {
      throw error("expected a number")
    }
    if bytes[pos] == UInt8(ascii: "0") {
      pos += 1
    } else {
      while (pos < bytes.count || refill()) && digit(bytes[pos]) { pos += 1 }
    }
    if (pos < bytes.count || refill()) && bytes[pos] == UInt8(ascii: ".") {
      pos += 1
      guard pos < bytes.count || refill(), digit(bytes[pos]) else {
        throw error("expected a digit after the decimal point")
      }
      while (pos < bytes.count || refill()) && digit(bytes[pos]) { pos += 1 }
    }
    if (pos < bytes.count || refill())
      && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E"))
    {
      pos += 1
      if (pos < bytes.count || refill())
        && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-"))
      {
        pos += 1
      }
      guard pos < bytes.count || refill(), digit(bytes[pos]) else {
        throw error("expected an exponent")
      }
      while (pos < bytes.count || refill()) && digit(bytes[pos]) { pos += 1 }
    }
    return mark..<pos
  }

  /// Reads a number's text (validated against the JSON grammar).
  mutating func parseNumberText() throws(ManifestError) -> String {
    let range = try parseNumberRange()
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  /// Consumes a literal word (`true`, `false`, `null`).
  mutating func parseWord() throws(ManifestError) -> String {
    skipWhitespace()
    for word in ["true", "false", "null"] {
      let utf8 = word.utf8
      if has(utf8.count) && bytes[pos..<(pos + utf8.count)].elementsEqual(utf8) {
        pos += utf8.count
        return word
      }
    }
    if !(pos < bytes.count || refill()) {
      throw error("unexpected end of input (the JSON is truncated): expected a value")
    }
    throw error("expected a JSON value, found \"\(Character(Unicode.Scalar(bytes[pos])))\"")
  }

  /// The deepest nesting of arrays and objects accepted. Kubernetes objects nest a few dozen
  /// levels at most; the bound keeps the recursive descent well inside the smallest thread
  /// stacks a caller may parse on (a debug build under AddressSanitizer overflowed a
  /// concurrency thread's stack at 512 levels).
  static let maximumDepth = 128

  /// Parses any value into a node tree.
  mutating func parseValue(depth: Int = 0) throws(ManifestError) -> ManifestNode {
    guard depth < Self.maximumDepth else {
      throw error("JSON nested more than \(Self.maximumDepth) levels deep")
    }
    guard let next = peek() else {
      throw error("unexpected end of input (the JSON is truncated): expected a value")
    }
    let startLine = line
    let startColumn = column
    switch next {
    case UInt8(ascii: "{"):
      pos += 1
      var entries: [ManifestNode.Entry] = []
      if consume(UInt8(ascii: "}")) {
        return ManifestNode(.mapping(entries), line: startLine, column: startColumn)
      }
      while true {
        let keyLine = line
        let keyColumn = column
        let key = try parseString()
        if entries.contains(where: { $0.key == key }) {
          throw ManifestError(line: keyLine, column: keyColumn, message: "duplicate key \"\(key)\"")
        }
        try expect(UInt8(ascii: ":"), "\":\" after an object key")
        entries.append(ManifestNode.Entry(key: key, value: try parseValue(depth: depth + 1)))
        if consume(UInt8(ascii: ",")) { continue }
        try expect(UInt8(ascii: "}"), "\",\" or \"}\" in an object")
        break
      }
      return ManifestNode(.mapping(entries), line: startLine, column: startColumn)
    case UInt8(ascii: "["):
      pos += 1
      var items: [ManifestNode] = []
      if consume(UInt8(ascii: "]")) {
        return ManifestNode(.sequence(items), line: startLine, column: startColumn)
      }
      while true {
        items.append(try parseValue(depth: depth + 1))
        if consume(UInt8(ascii: ",")) { continue }
        try expect(UInt8(ascii: "]"), "\",\" or \"]\" in an array")
        break
      }
      return ManifestNode(.sequence(items), line: startLine, column: startColumn)
    case UInt8(ascii: "\""):
      return ManifestNode(
        .scalar(try parseString(), .doubleQuoted), line: startLine, column: startColumn)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return ManifestNode(
        .scalar(try parseNumberText(), .plain), line: startLine,
        column: startColumn)
    default:
      return ManifestNode(.scalar(try parseWord(), .plain), line: startLine, column: startColumn)
    }
  }

  /// Skips any value without building it (for fields a reader ignores): the same checks and
  /// errors as ``parseValue(depth:)``, holding only the keys of the objects being skipped.
  mutating func skipValue(depth: Int = 0) throws(ManifestError) {
    guard depth < Self.maximumDepth else {
      throw error("JSON nested more than \(Self.maximumDepth) levels deep")
    }
    guard let next = peek() else {
      throw error("unexpected end of input (the JSON is truncated): expected a value")
    }
    switch next {
    case UInt8(ascii: "{"):
      pos += 1
      if consume(UInt8(ascii: "}")) { return }
      var keys: Set<String> = []
      while true {
        let keyLine = line
        let keyColumn = column
        let key = try parseString()
        if !keys.insert(key).inserted {
          throw ManifestError(line: keyLine, column: keyColumn, message: "duplicate key \"\(key)\"")
        }
        try expect(UInt8(ascii: ":"), "\":\" after an object key")
        try skipValue(depth: depth + 1)
        if consume(UInt8(ascii: ",")) { continue }
        try expect(UInt8(ascii: "}"), "\",\" or \"}\" in an object")
        return
      }
    case UInt8(ascii: "["):
      pos += 1
      if consume(UInt8(ascii: "]")) { return }
      while true {
        try skipValue(depth: depth + 1)
        if consume(UInt8(ascii: ",")) { continue }
        try expect(UInt8(ascii: "]"), "\",\" or \"]\" in an array")
        return
      }
    case UInt8(ascii: "\""):
      _ = try parseString()
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      _ = try parseNumberRange()
    default:
      _ = try parseWord()
    }
  }
}
