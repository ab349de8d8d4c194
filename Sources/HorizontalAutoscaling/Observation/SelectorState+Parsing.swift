extension SelectorState {
  /// Classifies a `scale.status.selector` string as upstream's `validateAndParseSelector`
  /// would: empty is ``missing``, text that `labels.Parse` rejects is ``invalid``, anything
  /// else ``valid`` (ambiguity needs the other HPAs and is the caller's to report).
  ///
  /// The accepted grammar is the label-selector string syntax: comma-separated requirements
  /// `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (v1,v2)`,
  /// `key notin (v1,v2)`, `key>n`, `key<n`, with optional spaces between tokens.
  ///
  /// - Parameter selectorString: The serialized selector.
  public init(selectorString: String) {
    let text = Array(selectorString.utf8)
    if text.allSatisfy({ $0 == UInt8(ascii: " ") }) {
      self = .missing
      return
    }
    self = Self.parses(text) ? .valid : .invalid
  }

  private static func isKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
      UInt8(ascii: "."),
      UInt8(ascii: "/"):
      true
    default: false
    }
  }

  private static func parses(_ text: [UInt8]) -> Bool {
    var index = 0
    func skipSpaces() {
      while index < text.count && text[index] == UInt8(ascii: " ") { index += 1 }
    }
    func word() -> [UInt8] {
      let start = index
      while index < text.count && isKeyByte(text[index]) { index += 1 }
      return Array(text[start..<index])
    }
    func peek(_ byte: Character) -> Bool {
      index < text.count && text[index] == UInt8(ascii: byte.unicodeScalars.first ?? " ")
    }
    while true {
      skipSpaces()
      var negated = false
      if peek("!") {
        negated = true
        index += 1
        skipSpaces()
      }
      if word().isEmpty { return false }
      skipSpaces()
      if !negated {
        if peek("=") || peek("!") {
          if peek("!") {
            index += 1
            guard peek("=") else { return false }
          }
          index += 1
          if peek("=") { index += 1 }
          skipSpaces()
          _ = word()
          skipSpaces()
        } else if peek(">") || peek("<") {
          index += 1
          skipSpaces()
          if word().isEmpty { return false }
          skipSpaces()
        } else if index < text.count && !peek(",") {
          let op = word()
          guard op == Array("in".utf8) || op == Array("notin".utf8) else { return false }
          skipSpaces()
          guard peek("(") else { return false }
          index += 1
          while true {
            skipSpaces()
            _ = word()
            skipSpaces()
            if peek(",") {
              index += 1
              continue
            }
            guard peek(")") else { return false }
            index += 1
            break
          }
          skipSpaces()
        }
      }
      if index == text.count { return true }
      guard peek(",") else { return false }
      index += 1
    }
  }
}
