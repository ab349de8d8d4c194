import Foundation

/// A decoded JSON value that keeps integers exact (test-only helper for the vector files).
enum JSONValue: Sendable, Decodable, Equatable {
  case null
  case bool(Bool)
  case number(Double, exact: Int64?)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .number(Double(value), exact: value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value, exact: Int64(exactly: value))
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  subscript(key: String) -> JSONValue {
    if case .object(let object) = self { return object[key] ?? .null }
    return .null
  }

  var isNull: Bool { self == .null }
  var exists: Bool { self != .null }

  func has(_ key: String) -> Bool {
    if case .object(let object) = self { return object[key] != nil }
    return false
  }

  var double: Double? {
    if case .number(let value, _) = self { return value }
    return nil
  }

  var int64: Int64? {
    if case .number(let value, let exact) = self { return exact ?? Int64(exactly: value) }
    return nil
  }

  var int: Int? { int64.map { Int($0) } }

  var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  var array: [JSONValue] {
    if case .array(let value) = self { return value }
    return []
  }

  var object: [String: JSONValue] {
    if case .object(let value) = self { return value }
    return [:]
  }
}
