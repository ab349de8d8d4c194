import AutoscalingCore

/// A node together with its field path, for decoding with precise errors (internal).
///
/// Scalars resolve as sigs.k8s.io/yaml (go-yaml, YAML 1.1) resolves them before the API
/// server decodes the JSON: unquoted `true`/`false`/`yes`/`no`/`on`/`off` are booleans,
/// unquoted digits are numbers and `null`/`~`/empty are null. A boolean or number where a
/// string is expected is an error, as `kubectl apply` reports it.
struct ManifestField {
  let node: ManifestNode
  /// Where the field sits; written out as text only when ``path`` is read (an error).
  private let trail: Trail

  /// One step from the document's root: a starting path, a mapping key or a list index.
  private enum Step: Sendable {
    case start(String)
    case key(String)
    case index(Int)
  }

  /// The steps to a field, newest first, shared by every field below it.
  private final class Trail: Sendable {
    let parent: Trail?
    let step: Step

    init(parent: Trail?, step: Step) {
      self.parent = parent
      self.step = step
    }
  }

  init(_ node: ManifestNode, path: String) {
    self.node = node
    self.trail = Trail(parent: nil, step: .start(path))
  }

  private init(_ node: ManifestNode, parent: Trail, step: Step) {
    self.node = node
    self.trail = Trail(parent: parent, step: step)
  }

  /// The field path, as in `spec.metrics[0].resource.target`, or `metadata["a.b/c"]` for a
  /// key that is not a plain name.
  var path: String {
    var steps: [Step] = []
    var current: Trail? = trail
    while let link = current {
      steps.append(link.step)
      current = link.parent
    }
    var text = ""
    for step in steps.reversed() {
      switch step {
      case .start(let start): text = start
      case .key(let key): text = Self.path(text, key: key)
      case .index(let index): text += "[\(index)]"
      }
    }
    return text
  }

  func error(_ message: String) -> ManifestError {
    ManifestError(line: node.line, column: node.column, path: path, message: message)
  }

  /// The path of this field's child `key`.
  func childPath(_ key: String) -> String { Self.path(path, key: key) }

  private static func path(_ path: String, key: String) -> String {
    let simple = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    if path.isEmpty { return simple ? key : "[\"\(key)\"]" }
    return simple ? "\(path).\(key)" : "\(path)[\"\(key)\"]"
  }

  /// The field `key`, or `nil` when absent or null.
  func optional(_ key: String) throws(ManifestError) -> ManifestField? {
    guard case .mapping = node.value else {
      throw error("expected a mapping, found \(node.kindDescription)")
    }
    guard let child = node[key], !child.isNull else { return nil }
    return ManifestField(child, parent: trail, step: .key(key))
  }

  /// The field `key`; throws when absent or null.
  func required(_ key: String) throws(ManifestError) -> ManifestField {
    guard let child = try optional(key) else {
      throw error("required field \"\(key)\" is missing")
    }
    return child
  }

  /// The entries of a mapping, in order.
  func entries() throws(ManifestError) -> [(key: String, field: ManifestField)] {
    guard case .mapping(let entries) = node.value else {
      throw error("expected a mapping, found \(node.kindDescription)")
    }
    return entries.map {
      (key: $0.key, field: ManifestField($0.value, parent: trail, step: .key($0.key)))
    }
  }

  /// The items of a sequence.
  func items() throws(ManifestError) -> [ManifestField] {
    guard case .sequence(let items) = node.value else {
      throw error("expected a list, found \(node.kindDescription)")
    }
    return items.enumerated().map { ManifestField($1, parent: trail, step: .index($0)) }
  }

  /// Maps each item of a sequence.
  func map<T>(_ transform: (ManifestField) throws(ManifestError) -> T) throws(ManifestError) -> [T]
  {
    var result: [T] = []
    for item in try items() { result.append(try transform(item)) }
    return result
  }

  // MARK: Scalars

  private var plainText: String? {
    if case .scalar(let text, .plain) = node.value { return text }
    return nil
  }

  private static let trueWords: Set<String> = [
    "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y",
  ]
  private static let falseWords: Set<String> = [
    "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N",
  ]

  private var plainIsNumber: Bool {
    guard let text = plainText, !text.isEmpty else { return false }
    return Double(text) != nil || Int64(text) != nil
  }

  /// A string; booleans and numbers written without quotes are rejected.
  func string() throws(ManifestError) -> String {
    guard case .scalar(let text, let style) = node.value else {
      throw error("expected a string, found \(node.kindDescription)")
    }
    if style == .plain {
      if Self.trueWords.contains(text) || Self.falseWords.contains(text) {
        throw error("expected a string, found the boolean \(text); quote it: \"\(text)\"")
      }
      if plainIsNumber {
        throw error("expected a string, found the number \(text); quote it: \"\(text)\"")
      }
    }
    return text
  }

  /// A boolean (`true`/`false`, and YAML 1.1's `yes`/`no`/`on`/`off` unquoted).
  func bool() throws(ManifestError) -> Bool {
    if let text = plainText {
      if Self.trueWords.contains(text) { return true }
      if Self.falseWords.contains(text) { return false }
    }
    throw error("expected true or false, found \(node.kindDescription)")
  }

  /// An integer within `range`.
  func int(in range: ClosedRange<Int64> = Int64(Int32.min)...Int64(Int32.max))
    throws(ManifestError) -> Int64
  {
    guard let text = plainText, !node.isNull else {
      throw error("expected an integer, found \(node.kindDescription)")
    }
    var value = Int64(text)
    if value == nil, let double = Double(text), double.rounded() == double, abs(double) < 1e15 {
      value = Int64(double)  // JSON writers sometimes emit 3.0
    }
    guard let value else {
      // A whole number too large for Int64 (`99999999999999999999`, `1e40`) is out of range,
      // not "not an integer".
      if let double = Double(text), double.isFinite, double.rounded() == double {
        throw error("must be between \(range.lowerBound) and \(range.upperBound), found \(text)")
      }
      throw error("expected an integer, found \"\(text)\"")
    }
    guard range.contains(value) else {
      throw error("must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
    }
    return value
  }

  /// A Kubernetes quantity written as a number or a string (`2`, `"500m"`, `1.5Gi`).
  func quantity() throws(ManifestError) -> Quantity {
    guard case .scalar(let text, _) = node.value, !node.isNull else {
      throw error("expected a quantity, found \(node.kindDescription)")
    }
    do {
      return try Quantity(parsing: text)
    } catch {
      switch error {
      case .outOfRange, .unknownSuffix:
        throw self.error(error.description)  // a quantity's shape, but not a usable one
      case .empty, .malformed:
        throw self.error("expected a quantity, found \"\(text)\"")
      }
    }
  }

  /// A non-negative quantity.
  func nonNegativeQuantity() throws(ManifestError) -> Quantity {
    let value = try quantity()
    if value.signum < 0 { throw error("must be zero or more, found \(value)") }
    return value
  }

  /// One of the raw values of `T`.
  func enumeration<T: RawRepresentable>(_ type: T.Type) throws(ManifestError) -> T
  where T: CaseIterable, T.RawValue == String {
    let text = try string()
    guard let value = T(rawValue: text) else {
      let allowed = T.allCases.map { $0.rawValue }.joined(separator: ", ")
      throw error("expected one of \(allowed), found \"\(text)\"")
    }
    return value
  }

  /// A map of string to string (labels, node selectors).
  func stringMap() throws(ManifestError) -> [String: String] {
    var result: [String: String] = [:]
    for (key, field) in try entries() { result[key] = try field.string() }
    return result
  }

  /// A list of strings.
  func stringList() throws(ManifestError) -> [String] {
    try map { item throws(ManifestError) in try item.string() }
  }

  /// A resource list (`{cpu: 500m, memory: 1Gi}`); negative amounts are rejected.
  func resourceList() throws(ManifestError) -> ResourceList {
    var result = ResourceList()
    for (key, field) in try entries() {
      result[ResourceName(key)] = try field.nonNegativeQuantity()
    }
    return result
  }
}

/// Parses Go's `time.ParseDuration` syntax (`300ms`, `1.5h`, `2h45m`, `30s`) into
/// milliseconds; `nil` when malformed.
func parseGoDuration(_ text: String) -> Int64? {
  var bytes = Array(text.utf8)[...]
  var negative = false
  if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
    negative = bytes.first == UInt8(ascii: "-")
    bytes = bytes.dropFirst()
  }
  if bytes == [UInt8(ascii: "0")] { return 0 }
  guard !bytes.isEmpty else { return nil }
  var totalNanos: Double = 0
  while !bytes.isEmpty {
    var number = ""
    while let byte = bytes.first,
      (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
    {
      number.append(Character(Unicode.Scalar(byte)))
      bytes = bytes.dropFirst()
    }
    guard let value = Double(number) else { return nil }
    var unitBytes: [UInt8] = []
    while let byte = bytes.first,
      !((byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "."))
    {
      unitBytes.append(byte)
      bytes = bytes.dropFirst()
    }
    let unit = String(decoding: unitBytes, as: UTF8.self)
    let scale: Double
    switch unit {
    case "ns": scale = 1
    case "us", "µs", "μs": scale = 1e3
    case "ms": scale = 1e6
    case "s": scale = 1e9
    case "m": scale = 60e9
    case "h": scale = 3600e9
    default: return nil
    }
    totalNanos += value * scale
  }
  let millis = (totalNanos / 1e6).rounded(.towardZero)
  guard millis.isFinite, millis < 9.2e18 else { return nil }
  return negative ? -Int64(millis) : Int64(millis)
}
