// A strict JSON (RFC 8259) reader over bytes that tracks lines and columns. `JSONScanner`
// offers the primitives (strings, numbers, punctuation); `parseValue()` builds a
// ``ManifestNode`` tree, and the Prometheus reader walks the structure without building one.

/// A position-tracking JSON scanner (internal).
struct JSONScanner: ~Copyable {
  let bytes: UnsafeBufferPointer<UInt8>
  var pos = 0
  var line = 1
  var lineStart = 0

  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
  }

  var column: Int { pos - lineStart + 1 }

  func error(_ message: String) -> ManifestError {
    ManifestError(line: line, column: column, message: message)
  }

  var atEnd: Bool { pos >= bytes.count }

  mutating func skipWhitespace() {
    while pos < bytes.count {
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
    let start = pos
    // Fast path: no escapes.
    while pos < bytes.count {
      let byte = bytes[pos]
      if byte == UInt8(ascii: "\"") {
        let text = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        pos += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw error("control character in a string; escape it") }
      pos += 1
    }
    var text = Array(bytes[start..<pos])
    while true {
      guard pos < bytes.count else {
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
      guard pos < bytes.count else {
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
          guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"),
            bytes[pos + 1] == UInt8(ascii: "u")
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
      guard pos < bytes.count else {
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

  /// Reads a number (validated against the JSON grammar) and returns its byte range.
  mutating func parseNumberRange() throws(ManifestError) -> Range<Int> {
    skipWhitespace()
    let start = pos
    func digit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    if pos < bytes.count && bytes[pos] == UInt8(ascii: "-") { pos += 1 }
    guard pos < bytes.count, digit(bytes[pos]) else { throw error("expected a number") }
    if bytes[pos] == UInt8(ascii: "0") {
      pos += 1
    } else {
      while pos < bytes.count && digit(bytes[pos]) { pos += 1 }
    }
    if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
      pos += 1
      guard pos < bytes.count, digit(bytes[pos]) else {
        throw error("expected a digit after the decimal point")
      }
      while pos < bytes.count && digit(bytes[pos]) { pos += 1 }
    }
    if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
      pos += 1
      if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) {
        pos += 1
      }
      guard pos < bytes.count, digit(bytes[pos]) else { throw error("expected an exponent") }
      while pos < bytes.count && digit(bytes[pos]) { pos += 1 }
    }
    return start..<pos
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
      let utf8 = Array(word.utf8)
      if pos + utf8.count <= bytes.count
        && Array(bytes[pos..<(pos + utf8.count)]) == utf8
      {
        pos += utf8.count
        return word
      }
    }
    if pos >= bytes.count {
      throw error("unexpected end of input (the JSON is truncated): expected a value")
    }
    throw error("expected a JSON value, found \"\(Character(Unicode.Scalar(bytes[pos])))\"")
  }

  /// Parses any value into a node tree.
  mutating func parseValue(depth: Int = 0) throws(ManifestError) -> ManifestNode {
    guard depth < 512 else { throw error("JSON nested more than 512 levels deep") }
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

  /// Skips any value without building it (for fields a reader ignores).
  mutating func skipValue(depth: Int = 0) throws(ManifestError) {
    _ = try parseValue(depth: depth)
  }
}
