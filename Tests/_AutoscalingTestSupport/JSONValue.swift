/// A JSON document decoded without a schema, so the upstream-vector runners can read each case
/// as its spec describes it. Integers stay exact `Int64` (values reach 2^63 − 1).
public enum JSONValue: Decodable, Sendable, Equatable {
  case null
  case bool(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// Decodes any JSON value, preferring an exact integer over a floating-point number.
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` when the input is not JSON.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// The member named `key`, or `.null` when absent or when this is not an object.
  ///
  /// - Parameter key: A member name.
  public subscript(key: String) -> JSONValue {
    if case .object(let fields) = self { return fields[key] ?? .null }
    return .null
  }

  /// Whether the value is JSON `null` (or an absent member).
  public var isNull: Bool { self == .null }
  /// Whether the value is present and not `null`.
  public var exists: Bool { !isNull }

  /// Whether this is an object with a member named `key` (even a `null` one).
  ///
  /// - Parameter key: A member name.
  /// - Returns: `true` when the member is present.
  public func has(_ key: String) -> Bool {
    if case .object(let fields) = self { return fields[key] != nil }
    return false
  }

  /// The value as an exact integer, when it is one.
  public var int64: Int64? {
    switch self {
    case .integer(let value): value
    case .number(let value): Int64(exactly: value)
    default: nil
    }
  }

  /// The value as an `Int`, when it is an exact integer.
  public var int: Int? { int64.map { Int($0) } }

  /// The value as a number.
  public var double: Double? {
    switch self {
    case .integer(let value): Double(value)
    case .number(let value): value
    default: nil
    }
  }

  /// The value as a string.
  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The value as a Boolean.
  public var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements, or none when this is not an array.
  public var array: [JSONValue] {
    if case .array(let values) = self { return values }
    return []
  }

  /// The members, or none when this is not an object.
  public var object: [String: JSONValue] {
    if case .object(let fields) = self { return fields }
    return [:]
  }

  /// The member names, or none when this is not an object.
  public var keys: [String] { Array(object.keys) }
}
