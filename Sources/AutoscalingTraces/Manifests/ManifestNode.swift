/// One node of a parsed YAML or JSON document — a scalar, a sequence or a mapping — with the
/// line and column where it starts, so decoders can point at the text that is wrong.
///
/// YAML and JSON parse into the same tree: a JSON string is a double-quoted scalar, a JSON
/// number, `true`, `false` or `null` a plain scalar.
public struct ManifestNode: Hashable, Sendable {
  /// How a scalar was written; decoders use it to tell `"80"` (a string) from `80` (a number).
  public enum ScalarStyle: Hashable, Sendable {
    /// Unquoted (`80`, `true`, `null`, `Deployment`).
    case plain
    /// `'single quoted'`.
    case singleQuoted
    /// `"double quoted"` (and every JSON string).
    case doubleQuoted
    /// A `|` literal block scalar.
    case literal
    /// A `>` folded block scalar.
    case folded
  }

  /// One `key: value` pair of a mapping.
  public struct Entry: Hashable, Sendable {
    /// The key text.
    public var key: String
    /// The value.
    public var value: ManifestNode

    /// Creates an entry.
    ///
    /// - Parameters:
    ///   - key: The key text.
    ///   - value: The value.
    public init(key: String, value: ManifestNode) {
      self.key = key
      self.value = value
    }
  }

  /// The content of a node.
  public indirect enum Value: Hashable, Sendable {
    /// A scalar's text (escapes resolved) and how it was written.
    case scalar(String, ScalarStyle)
    /// A sequence's items, in order.
    case sequence([ManifestNode])
    /// A mapping's entries, in document order (keys are unique).
    case mapping([Entry])
  }

  /// The content.
  public var value: Value
  /// The 1-based line where the node starts.
  public var line: Int
  /// The 1-based column where the node starts.
  public var column: Int

  /// Creates a node.
  ///
  /// - Parameters:
  ///   - value: The content.
  ///   - line: The 1-based line where it starts.
  ///   - column: The 1-based column where it starts.
  public init(_ value: Value, line: Int, column: Int) {
    self.value = value
    self.line = line
    self.column = column
  }

  /// A null node (an empty value, `null` or `~`) at a position.
  ///
  /// - Parameters:
  ///   - line: The 1-based line.
  ///   - column: The 1-based column.
  /// - Returns: A plain empty scalar.
  public static func null(line: Int, column: Int) -> ManifestNode {
    ManifestNode(.scalar("", .plain), line: line, column: column)
  }

  /// Whether the node is YAML/JSON null: an empty plain scalar, `null`, `Null`, `NULL` or `~`.
  public var isNull: Bool {
    guard case .scalar(let text, .plain) = value else { return false }
    return text.isEmpty || text == "null" || text == "Null" || text == "NULL" || text == "~"
  }

  /// The value of `key` when this node is a mapping that has it; `nil` otherwise.
  ///
  /// - Parameter key: A mapping key.
  public subscript(key: String) -> ManifestNode? {
    guard case .mapping(let entries) = value else { return nil }
    for entry in entries where entry.key == key { return entry.value }
    return nil
  }

  /// The scalar text, or `nil` for a sequence or mapping.
  public var scalarText: String? {
    if case .scalar(let text, _) = value { return text }
    return nil
  }

  /// A short description of the node's kind for error messages (`a mapping`, `"abc"`).
  var kindDescription: String {
    switch value {
    case .mapping: return "a mapping"
    case .sequence: return "a sequence"
    case .scalar(let text, _): return isNull ? "null" : "\"\(text)\""
    }
  }
}

/// One document of a manifest file: its 1-based position among the file's documents (`---`
/// sections, counting empty ones) and its root node.
public struct ManifestDocument: Hashable, Sendable {
  /// The 1-based document index, as printed in errors.
  public var index: Int
  /// The root node.
  public var root: ManifestNode

  /// Creates a document.
  ///
  /// - Parameters:
  ///   - index: The 1-based document index.
  ///   - root: The root node.
  public init(index: Int, root: ManifestNode) {
    self.index = index
    self.root = root
  }
}

/// A manifest that could not be read: the file, the document, the line and the field path,
/// and what was expected.
///
/// Printed as `hpa.yaml: document 1: spec.metrics[2].pods.target.averageValue: expected a
/// quantity, found "abc" (line 31, column 25)`.
public struct ManifestError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file name as given by the caller (empty when unknown).
  public var file: String
  /// The 1-based document index, when known.
  public var document: Int?
  /// The 1-based line, when known.
  public var line: Int?
  /// The 1-based column, when known.
  public var column: Int?
  /// The field path (`spec.metrics[2].pods.target.averageValue`); empty for syntax errors.
  public var path: String
  /// What was wrong, written for the person who edits the file.
  public var message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - file: The file name.
  ///   - document: The 1-based document index.
  ///   - line: The 1-based line.
  ///   - column: The 1-based column.
  ///   - path: The field path.
  ///   - message: What was wrong.
  public init(
    file: String = "", document: Int? = nil, line: Int? = nil, column: Int? = nil,
    path: String = "", message: String
  ) {
    self.file = file
    self.document = document
    self.line = line
    self.column = column
    self.path = path
    self.message = message
  }

  /// The error as one line: file, document, field path, message, then line and column.
  public var description: String {
    var text = file.isEmpty ? "" : "\(file): "
    if let document { text += "document \(document): " }
    if !path.isEmpty { text += "\(path): " }
    text += message
    if let line {
      text += " (line \(line)"
      if let column { text += ", column \(column)" }
      text += ")"
    }
    return text
  }
}
