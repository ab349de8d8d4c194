// A reader for the YAML subset Kubernetes users write: block mappings and sequences, flow
// sequences and mappings, plain / single- / double-quoted scalars with escapes, comments,
// `---` documents and `|` / `>` block scalars with chomping and indentation indicators.
// Anchors, aliases, tags, explicit `?` keys and directives other than `%YAML` are rejected
// with a message saying so.

private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")
private let newline = UInt8(ascii: "\n")
private let hash = UInt8(ascii: "#")
private let colon = UInt8(ascii: ":")
private let dash = UInt8(ascii: "-")
private let comma = UInt8(ascii: ",")
private let singleQuote = UInt8(ascii: "'")
private let doubleQuote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")
private let openBracket = UInt8(ascii: "[")
private let closeBracket = UInt8(ascii: "]")
private let openBrace = UInt8(ascii: "{")
private let closeBrace = UInt8(ascii: "}")

/// Parses YAML text into documents (internal; use ``ManifestParser``).
struct YAMLParser {
  private let bytes: [UInt8]
  private var pos = 0
  /// Block and flow collections open around the current position; bounded by
  /// ``maximumDepth`` so a hostile document cannot exhaust the stack.
  private var depth = 0
  /// The deepest nesting accepted: the JSON reader's limit (``JSONScanner/maximumDepth``).
  static let maximumDepth = JSONScanner.maximumDepth
  private var line = 1
  private var lineStart = 0

  /// Creates a parser; CRLF line ends and a leading byte-order mark are accepted.
  init(bytes input: [UInt8]) {
    var cleaned: [UInt8] = []
    cleaned.reserveCapacity(input.count)
    var index = 0
    if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { index = 3 }
    while index < input.count {
      let byte = input[index]
      if byte == UInt8(ascii: "\r") && index + 1 < input.count && input[index + 1] == newline {
        index += 1
        continue
      }
      cleaned.append(byte)
      index += 1
    }
    bytes = cleaned
  }

  // MARK: Positions and errors

  private var column: Int { pos - lineStart }

  private func byte(at offset: Int) -> UInt8? {
    offset < bytes.count ? bytes[offset] : nil
  }

  private var current: UInt8? { byte(at: pos) }

  private func error(_ message: String) -> ManifestError {
    ManifestError(line: line, column: column + 1, message: message)
  }

  private func isBlank(_ byte: UInt8?) -> Bool {
    byte == nil || byte == space || byte == tab || byte == newline
  }

  /// Moves past a newline at `pos`, updating the line counters.
  private mutating func consumeNewline() {
    pos += 1
    line += 1
    lineStart = pos
  }

  private mutating func skipInlineSpaces() {
    while let byte = current, byte == space || byte == tab { pos += 1 }
  }

  /// Whether only spaces and possibly a comment remain on the current line.
  private mutating func atLineEndOrComment() -> Bool {
    skipInlineSpaces()
    guard let byte = current else { return true }
    return byte == newline || byte == hash
  }

  /// Whether `pos` is at the start of a `---` or `...` line.
  private func isDocumentMarker(at offset: Int) -> Bool {
    guard offset + 3 <= bytes.count else { return false }
    guard offset == 0 || bytes[offset - 1] == newline else { return false }
    let first = bytes[offset]
    guard first == dash || first == UInt8(ascii: ".") else { return false }
    guard byte(at: offset + 1) == first, byte(at: offset + 2) == first else { return false }
    return isBlank(byte(at: offset + 3))
  }

  /// Whether the document has ended (end of input or a `---` / `...` marker line).
  private var atEnd: Bool {
    pos >= bytes.count || (column == 0 && isDocumentMarker(at: pos))
  }

  /// Skips blank and comment lines from the start of a line, leaving `pos` at the first
  /// non-space byte of the next content line (or at a document marker or the end).
  private mutating func skipToContent() throws(ManifestError) {
    while pos < bytes.count {
      if column == 0 && isDocumentMarker(at: pos) { return }
      var probe = pos
      while probe < bytes.count && bytes[probe] == space { probe += 1 }
      let byte = byte(at: probe)
      if byte == tab {
        // A tab before content is only allowed on a line that is otherwise blank.
        var rest = probe
        while rest < bytes.count && (bytes[rest] == space || bytes[rest] == tab) { rest += 1 }
        if rest < bytes.count && bytes[rest] != newline && bytes[rest] != hash {
          pos = probe
          throw error("tabs are not allowed for indentation; indent with spaces")
        }
        probe = rest
      }
      guard let next = self.byte(at: probe) else {
        pos = probe
        return
      }
      if next == newline {
        pos = probe
        consumeNewline()
      } else if next == hash {
        pos = probe
        while let byte = current, byte != newline { pos += 1 }
        if current == newline { consumeNewline() }
      } else {
        pos = probe
        return
      }
    }
  }

  /// Requires the rest of the line to be blank or a comment, then moves to the next content line.
  private mutating func finishLine() throws(ManifestError) {
    skipInlineSpaces()
    if let byte = current, byte != newline {
      if byte == hash {
        while let byte = current, byte != newline { pos += 1 }
      } else {
        throw error("expected the end of the line, found \"\(restOfLine())\"")
      }
    }
    if current == newline { consumeNewline() }
    try skipToContent()
  }

  private func restOfLine() -> String {
    var end = pos
    while end < bytes.count && bytes[end] != newline { end += 1 }
    return String(decoding: bytes[pos..<end], as: UTF8.self)
  }

  // MARK: Documents

  /// Parses every document; empty documents are counted but not returned.
  mutating func parseDocuments() throws(ManifestError) -> [ManifestDocument] {
    var documents: [ManifestDocument] = []
    var index = 0
    try skipToContent()
    while pos < bytes.count {
      // Directives before a document.
      if column == 0 && current == UInt8(ascii: "%") {
        guard restOfLine().hasPrefix("%YAML") else {
          throw error("directives other than %YAML are not supported (tags are not)")
        }
        while let byte = current, byte != newline { pos += 1 }
        try finishLine()
        continue
      }
      if isDocumentMarker(at: pos) && current == UInt8(ascii: ".") {
        pos += 3
        try finishLine()
        continue
      }
      index += 1
      let documentIndex = index
      do throws(ManifestError) {
        var root: ManifestNode?
        if isDocumentMarker(at: pos) {
          pos += 3
          if !atLineEndOrComment() {
            root = try parseInlineValue(parentIndent: -1)
          } else {
            try finishLine()
          }
        }
        if root == nil && !atEnd {
          root = try parseBlockNode(parentIndent: -1)
        }
        if !atEnd {
          throw error("unexpected content after the end of the document's root node")
        }
        if let root { documents.append(ManifestDocument(index: documentIndex, root: root)) }
      } catch {
        var located = error
        located.document = documentIndex
        throw located
      }
    }
    return documents
  }

  // MARK: Block structure

  private var isSequenceEntryStart: Bool {
    current == dash && isBlank(byte(at: pos + 1))
  }

  /// Parses the node starting at the current content position (column > `parentIndent`).
  private mutating func parseBlockNode(parentIndent: Int) throws(ManifestError) -> ManifestNode {
    try enterNesting()
    defer { depth -= 1 }
    if isSequenceEntryStart { return try parseBlockSequence(indent: column) }
    if try looksLikeMappingKey() { return try parseBlockMapping(indent: column) }
    return try parseInlineValue(parentIndent: parentIndent)
  }

  /// Whether the current line, from `pos`, holds `key:` followed by a blank.
  private mutating func looksLikeMappingKey() throws(ManifestError) -> Bool {
    guard let first = current else { return false }
    var probe = pos
    if first == singleQuote || first == doubleQuote {
      probe += 1
      while probe < bytes.count && bytes[probe] != newline {
        if bytes[probe] == backslash && first == doubleQuote {
          probe += 2
          continue
        }
        if bytes[probe] == first {
          if first == singleQuote && byte(at: probe + 1) == singleQuote {
            probe += 2
            continue
          }
          break
        }
        probe += 1
      }
      guard probe < bytes.count && bytes[probe] == first else { return false }
      probe += 1
      while let byte = byte(at: probe), byte == space || byte == tab { probe += 1 }
      return byte(at: probe) == colon && isBlank(byte(at: probe + 1))
    }
    switch first {
    case openBracket, openBrace, UInt8(ascii: "|"), UInt8(ascii: ">"), hash, UInt8(ascii: "&"),
      UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "%"), UInt8(ascii: "@"),
      UInt8(ascii: "`"):
      return false
    case UInt8(ascii: "?"):
      if isBlank(byte(at: pos + 1)) {
        throw error("explicit mapping keys (\"? \") are not supported")
      }
    default: break
    }
    while probe < bytes.count && bytes[probe] != newline {
      let byte = bytes[probe]
      if byte == colon && isBlank(self.byte(at: probe + 1)) { return true }
      if byte == hash && probe > pos && (bytes[probe - 1] == space || bytes[probe - 1] == tab) {
        return false
      }
      probe += 1
    }
    return false
  }

  private mutating func parseBlockMapping(indent: Int) throws(ManifestError) -> ManifestNode {
    let startLine = line
    let startColumn = column + 1
    var entries: [ManifestNode.Entry] = []
    while true {
      let keyColumn = column
      let key = try parseMappingKey()
      if entries.contains(where: { $0.key == key }) {
        pos = lineStart + keyColumn
        throw error("duplicate key \"\(key)\"")
      }
      let keyLine = line
      let valueColumn = column + 1
      let value: ManifestNode
      if atLineEndOrComment() {
        try finishLine()
        if !atEnd && column > indent {
          value = try parseBlockNode(parentIndent: indent)
        } else if !atEnd && column == indent && isSequenceEntryStart {
          value = try parseBlockSequence(indent: indent)
        } else {
          value = .null(line: keyLine, column: valueColumn)
        }
      } else {
        value = try parseInlineValue(parentIndent: indent)
      }
      entries.append(ManifestNode.Entry(key: key, value: value))
      if atEnd || column < indent { break }
      if column > indent {
        throw error("unexpected indentation: expected a key at column \(indent + 1)")
      }
      if isSequenceEntryStart {
        throw error("expected a key at column \(indent + 1), found a sequence entry \"- \"")
      }
      if !(try looksLikeMappingKey()) {
        throw error("expected \"key: value\", found \"\(restOfLine())\"")
      }
    }
    return ManifestNode(.mapping(entries), line: startLine, column: startColumn)
  }

  /// Parses a key up to and including its `:`.
  private mutating func parseMappingKey() throws(ManifestError) -> String {
    guard let first = current else { throw error("expected a key") }
    if first == singleQuote || first == doubleQuote {
      let (text, _) = try parseQuoted()
      skipInlineSpaces()
      guard current == colon else { throw error("expected \":\" after the key") }
      pos += 1
      return text
    }
    let start = pos
    while let byte = current, !(byte == colon && isBlank(self.byte(at: pos + 1))) {
      if byte == newline { throw error("expected \":\" after the key") }
      pos += 1
    }
    var end = pos
    while end > start && (bytes[end - 1] == space || bytes[end - 1] == tab) { end -= 1 }
    pos += 1
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  private mutating func parseBlockSequence(indent: Int) throws(ManifestError) -> ManifestNode {
    let startLine = line
    let startColumn = column + 1
    var items: [ManifestNode] = []
    while true {
      let itemLine = line
      let itemColumn = column + 2
      pos += 1
      if atLineEndOrComment() {
        try finishLine()
        if !atEnd && column > indent {
          items.append(try parseBlockNode(parentIndent: indent))
        } else {
          items.append(.null(line: itemLine, column: itemColumn))
        }
      } else {
        items.append(try parseBlockNode(parentIndent: indent))
      }
      if atEnd || column < indent { break }
      if column > indent {
        throw error("unexpected indentation: expected \"- \" at column \(indent + 1)")
      }
      if !isSequenceEntryStart { break }
    }
    return ManifestNode(.sequence(items), line: startLine, column: startColumn)
  }

  // MARK: Values on a line

  /// Parses a value that starts on the current line: a block scalar, a flow collection, a quoted
  /// or a plain scalar; leaves `pos` at the next content line.
  private mutating func parseInlineValue(parentIndent: Int) throws(ManifestError) -> ManifestNode {
    let startLine = line
    let startColumn = column + 1
    guard let first = current else { return .null(line: startLine, column: startColumn) }
    switch first {
    case UInt8(ascii: "&"):
      throw error("anchors (&name) are not supported; write the value out in full")
    case UInt8(ascii: "*"):
      throw error("aliases (*name) are not supported; write the value out in full")
    case UInt8(ascii: "!"):
      throw error("tags (!tag) are not supported; remove the tag")
    case UInt8(ascii: "|"), UInt8(ascii: ">"):
      return try parseBlockScalar(parentIndent: parentIndent)
    case openBracket, openBrace:
      let node = try parseFlowNode()
      try finishLine()
      return node
    case singleQuote, doubleQuote:
      let (text, style) = try parseQuoted()
      try finishLine()
      return ManifestNode(.scalar(text, style), line: startLine, column: startColumn)
    case UInt8(ascii: "@"), UInt8(ascii: "`"):
      throw error(
        "a plain value cannot start with \"\(Character(Unicode.Scalar(first)))\"; quote it")
    default:
      return try parsePlainBlockScalar(parentIndent: parentIndent)
    }
  }

  /// A plain scalar in block context, possibly continued on more-indented lines.
  private mutating func parsePlainBlockScalar(parentIndent: Int) throws(ManifestError)
    -> ManifestNode
  {
    let startLine = line
    let startColumn = column + 1
    var text = try plainLineSegment(continuation: false)
    while true {
      // Look ahead for a continuation line: more indented than the parent, not a comment.
      if current == newline { consumeNewline() }
      let save = (pos, line, lineStart)
      var blankLines = 0
      var continued = false
      while pos < bytes.count {
        if column == 0 && isDocumentMarker(at: pos) { break }
        skipInlineSpaces()
        guard let byte = current else { break }
        if byte == newline {
          blankLines += 1
          consumeNewline()
          continue
        }
        if byte != hash && column > parentIndent {
          continued = true
        }
        break
      }
      if !continued {
        (pos, line, lineStart) = save
        try skipToContent()
        break
      }
      let segment = try plainLineSegment(continuation: true)
      text += blankLines == 0 ? " " : String(repeating: "\n", count: blankLines)
      text += segment
    }
    return ManifestNode(.scalar(text, .plain), line: startLine, column: startColumn)
  }

  /// Reads a plain scalar's text to the end of the line or a comment, trimmed; leaves `pos` at
  /// the newline (or the end).
  private mutating func plainLineSegment(continuation: Bool) throws(ManifestError) -> String {
    let start = pos
    var end = pos
    while let byte = current, byte != newline {
      if byte == hash && pos > start && (bytes[pos - 1] == space || bytes[pos - 1] == tab) {
        break
      }
      if byte == colon && isBlank(self.byte(at: pos + 1)) {
        if continuation {
          pos = start
          throw error(
            "unexpected indentation: this line is indented under a value that is already "
              + "complete; align it with its sibling keys")
        }
        throw error(
          "a mapping cannot start on the same line as its parent key; move it to its own line"
        )
      }
      pos += 1
      if byte != space && byte != tab { end = pos }
    }
    while let byte = current, byte != newline { pos += 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  // MARK: Block scalars

  private enum Chomping { case clip, strip, keep }

  private mutating func parseBlockScalar(parentIndent: Int) throws(ManifestError) -> ManifestNode {
    let startLine = line
    let startColumn = column + 1
    let literal = current == UInt8(ascii: "|")
    pos += 1
    var chomping = Chomping.clip
    var explicitIndent: Int?
    for _ in 0..<2 {
      guard let byte = current else { break }
      if byte == dash {
        chomping = .strip
        pos += 1
      } else if byte == UInt8(ascii: "+") {
        chomping = .keep
        pos += 1
      } else if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") {
        explicitIndent = Int(byte - UInt8(ascii: "0"))
        pos += 1
      }
    }
    skipInlineSpaces()
    if let byte = current, byte != newline {
      guard byte == hash else {
        throw error("expected the end of the line after a block scalar indicator")
      }
      while let byte = current, byte != newline { pos += 1 }
    }
    if current == newline { consumeNewline() }

    // Find the content indentation.
    var blockIndent: Int
    if let explicitIndent {
      blockIndent = max(parentIndent, 0) + explicitIndent
    } else {
      var probe = pos
      blockIndent = 0
      scan: while probe < bytes.count {
        var spaces = 0
        while probe + spaces < bytes.count && bytes[probe + spaces] == space { spaces += 1 }
        let after = probe + spaces
        if after >= bytes.count { break scan }
        if bytes[after] == newline {
          probe = after + 1
          continue
        }
        blockIndent = spaces
        break scan
      }
      if blockIndent <= parentIndent { blockIndent = parentIndent + 1 }
    }

    // Collect content lines (indentation removed); blank lines become empty strings.
    var lines: [[UInt8]] = []
    while pos < bytes.count {
      if isDocumentMarker(at: pos) { break }
      var spaces = 0
      while pos + spaces < bytes.count && bytes[pos + spaces] == space { spaces += 1 }
      let after = pos + spaces
      if after >= bytes.count || bytes[after] == newline {
        lines.append(
          spaces > blockIndent ? Array(repeating: space, count: spaces - blockIndent) : [])
        pos = after
        if current == newline { consumeNewline() }
        continue
      }
      if spaces < blockIndent { break }
      var end = after
      while end < bytes.count && bytes[end] != newline { end += 1 }
      lines.append(Array(bytes[(pos + blockIndent)..<end]))
      pos = end
      if current == newline { consumeNewline() }
    }
    // Trailing blank lines are handled by chomping.
    var trailingBlank = 0
    while let last = lines.last, last.allSatisfy({ $0 == space }) {
      trailingBlank += 1
      lines.removeLast()
    }
    var text: [UInt8] = []
    if literal {
      for (index, content) in lines.enumerated() {
        if index > 0 { text.append(newline) }
        text += content
      }
    } else {
      var previousNormal = false
      var pendingBlank = 0
      var seenContent = false
      for content in lines {
        if content.isEmpty {
          pendingBlank += 1
          continue
        }
        let normal = content.first != space && content.first != tab
        if seenContent {
          if previousNormal && normal {
            if pendingBlank == 0 {
              text.append(space)
            } else {
              text += Array(repeating: newline, count: pendingBlank)
            }
          } else {
            text += Array(repeating: newline, count: pendingBlank + 1)
          }
        } else {
          text += Array(repeating: newline, count: pendingBlank)
        }
        text += content
        pendingBlank = 0
        previousNormal = normal
        seenContent = true
      }
    }
    let hasContent = !lines.isEmpty
    switch chomping {
    case .strip: break
    case .clip: if hasContent { text.append(newline) }
    case .keep:
      if hasContent { text.append(newline) }
      text += Array(repeating: newline, count: trailingBlank)
    }
    // Back at a line start: move to the next content line.
    try skipToContent()
    return ManifestNode(
      .scalar(String(decoding: text, as: UTF8.self), literal ? .literal : .folded),
      line: startLine, column: startColumn)
  }

  // MARK: Quoted scalars

  /// Parses a single- or double-quoted scalar (possibly over several lines).
  private mutating func parseQuoted() throws(ManifestError) -> (String, ManifestNode.ScalarStyle) {
    let quote = bytes[pos]
    let openLine = line
    let openColumn = column + 1
    pos += 1
    var text: [UInt8] = []
    while true {
      guard let byte = current else {
        throw ManifestError(
          line: openLine, column: openColumn,
          message: "unterminated quoted string (the closing \(quote == singleQuote ? "'" : "\"") "
            + "is missing)")
      }
      if byte == quote {
        if quote == singleQuote && self.byte(at: pos + 1) == singleQuote {
          text.append(singleQuote)
          pos += 2
          continue
        }
        pos += 1
        break
      }
      if byte == newline {
        // Line folding: trailing spaces dropped, one break becomes a space, more become breaks.
        while let last = text.last, last == space || last == tab { text.removeLast() }
        var breaks = 0
        while current == newline {
          consumeNewline()
          breaks += 1
          skipInlineSpaces()
        }
        if isDocumentMarker(at: lineStart) && column < 3 {
          throw error("a document marker cannot appear inside a quoted string")
        }
        if breaks == 1 {
          text.append(space)
        } else {
          text += Array(repeating: newline, count: breaks - 1)
        }
        continue
      }
      if byte == backslash && quote == doubleQuote {
        try parseEscape(into: &text)
        continue
      }
      text.append(byte)
      pos += 1
    }
    return (
      String(decoding: text, as: UTF8.self), quote == singleQuote ? .singleQuoted : .doubleQuoted
    )
  }

  private mutating func parseEscape(into text: inout [UInt8]) throws(ManifestError) {
    pos += 1
    guard let code = current else { throw error("unterminated escape sequence") }
    pos += 1
    func append(_ scalar: Unicode.Scalar) { text += Array(String(scalar).utf8) }
    switch code {
    case UInt8(ascii: "0"): text.append(0)
    case UInt8(ascii: "a"): text.append(7)
    case UInt8(ascii: "b"): text.append(8)
    case UInt8(ascii: "t"), tab: text.append(9)
    case UInt8(ascii: "n"): text.append(10)
    case UInt8(ascii: "v"): text.append(11)
    case UInt8(ascii: "f"): text.append(12)
    case UInt8(ascii: "r"): text.append(13)
    case UInt8(ascii: "e"): text.append(27)
    case space: text.append(space)
    case doubleQuote: text.append(doubleQuote)
    case UInt8(ascii: "/"): text.append(UInt8(ascii: "/"))
    case backslash: text.append(backslash)
    case UInt8(ascii: "N"): append("\u{85}")
    case UInt8(ascii: "_"): append("\u{A0}")
    case UInt8(ascii: "L"): append("\u{2028}")
    case UInt8(ascii: "P"): append("\u{2029}")
    case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
      let digits = code == UInt8(ascii: "x") ? 2 : (code == UInt8(ascii: "u") ? 4 : 8)
      var value: UInt32 = 0
      for _ in 0..<digits {
        guard let digit = current.flatMap(hexValue) else {
          throw error(
            "expected \(digits) hexadecimal digits after \\\(Character(Unicode.Scalar(code)))")
        }
        value = value * 16 + UInt32(digit)
        pos += 1
      }
      guard let scalar = Unicode.Scalar(value) else {
        throw error("\\\(Character(Unicode.Scalar(code))) escape is not a valid Unicode scalar")
      }
      append(scalar)
    case newline:
      // An escaped line break joins the lines without a space.
      pos -= 1
      consumeNewline()
      skipInlineSpaces()
    default:
      pos -= 1
      throw error("unknown escape \\\(Character(Unicode.Scalar(code))) in a double-quoted string")
    }
  }

  // MARK: Flow collections

  private mutating func skipFlowWhitespace() throws(ManifestError) {
    while let byte = current {
      if byte == space || byte == tab {
        pos += 1
      } else if byte == newline {
        consumeNewline()
        if isDocumentMarker(at: pos) {
          throw error("a document marker cannot appear inside a flow collection")
        }
      } else if byte == hash && (pos == 0 || isBlank(bytes[pos - 1])) {
        while let byte = current, byte != newline { pos += 1 }
      } else {
        return
      }
    }
  }

  /// Counts one more level of nesting, or fails past ``maximumDepth``.
  private mutating func enterNesting() throws(ManifestError) {
    guard depth < Self.maximumDepth else {
      throw error("YAML nested more than \(Self.maximumDepth) levels deep")
    }
    depth += 1
  }

  private mutating func parseFlowNode() throws(ManifestError) -> ManifestNode {
    try enterNesting()
    defer { depth -= 1 }
    try skipFlowWhitespace()
    let startLine = line
    let startColumn = column + 1
    guard let first = current else { throw error("unexpected end of input in a flow collection") }
    switch first {
    case openBracket:
      pos += 1
      var items: [ManifestNode] = []
      while true {
        try skipFlowWhitespace()
        guard let byte = current else {
          throw ManifestError(
            line: startLine, column: startColumn, message: "unterminated flow sequence (missing ])")
        }
        if byte == closeBracket {
          pos += 1
          break
        }
        items.append(try parseFlowNode())
        try skipFlowWhitespace()
        if current == comma {
          pos += 1
        } else if current == closeBracket {
          pos += 1
          break
        } else if current == nil {
          throw ManifestError(
            line: startLine, column: startColumn, message: "unterminated flow sequence (missing ])")
        } else {
          throw error("expected \",\" or \"]\" in a flow sequence")
        }
      }
      return ManifestNode(.sequence(items), line: startLine, column: startColumn)
    case openBrace:
      pos += 1
      var entries: [ManifestNode.Entry] = []
      while true {
        try skipFlowWhitespace()
        guard let byte = current else {
          throw ManifestError(
            line: startLine, column: startColumn, message: "unterminated flow mapping (missing })")
        }
        if byte == closeBrace {
          pos += 1
          break
        }
        let key = try parseFlowNode()
        guard let keyText = key.scalarText else {
          throw ManifestError(
            line: key.line, column: key.column, message: "a mapping key must be a scalar")
        }
        try skipFlowWhitespace()
        var value = ManifestNode.null(line: line, column: column + 1)
        if current == colon {
          pos += 1
          try skipFlowWhitespace()
          if current != comma && current != closeBrace {
            value = try parseFlowNode()
          }
        }
        if entries.contains(where: { $0.key == keyText }) {
          throw ManifestError(
            line: key.line, column: key.column, message: "duplicate key \"\(keyText)\"")
        }
        entries.append(ManifestNode.Entry(key: keyText, value: value))
        try skipFlowWhitespace()
        if current == comma {
          pos += 1
        } else if current == closeBrace {
          pos += 1
          break
        } else if current == nil {
          throw ManifestError(
            line: startLine, column: startColumn, message: "unterminated flow mapping (missing })")
        } else {
          throw error("expected \",\" or \"}\" in a flow mapping")
        }
      }
      return ManifestNode(.mapping(entries), line: startLine, column: startColumn)
    case singleQuote, doubleQuote:
      let (text, style) = try parseQuoted()
      return ManifestNode(.scalar(text, style), line: startLine, column: startColumn)
    case UInt8(ascii: "&"):
      throw error("anchors (&name) are not supported; write the value out in full")
    case UInt8(ascii: "*"):
      throw error("aliases (*name) are not supported; write the value out in full")
    case UInt8(ascii: "!"):
      throw error("tags (!tag) are not supported; remove the tag")
    default:
      // A plain scalar ends at , [ ] { } or ": " or " #" or the end of the line.
      let start = pos
      var end = pos
      while let byte = current {
        if byte == comma || byte == openBracket || byte == closeBracket || byte == openBrace
          || byte == closeBrace || byte == newline
        {
          break
        }
        if byte == colon {
          let next = self.byte(at: pos + 1)
          if isBlank(next) || next == comma || next == closeBracket || next == closeBrace { break }
        }
        if byte == hash && pos > start && isBlank(bytes[pos - 1]) { break }
        pos += 1
        if byte != space && byte != tab { end = pos }
      }
      return ManifestNode(
        .scalar(String(decoding: bytes[start..<end], as: UTF8.self), .plain), line: startLine,
        column: startColumn)
    }
  }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
  default: return nil
  }
}
