import Foundation

/// A JSON document decoded without a schema, so the vector runner can read each kind's inputs
/// as the spec describes them. Integers stay exact `Int64` (values reach 2^63 − 1).
enum JSONValue: Decodable, Sendable, Equatable {
  case null
  case bool(Bool)
  case integer(Int64)
  case number(Double)
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

  subscript(key: String) -> JSONValue {
    if case .object(let fields) = self { return fields[key] ?? .null }
    return .null
  }

  var isNull: Bool { self == .null }
  var exists: Bool { !isNull }

  var int64: Int64? {
    switch self {
    case .integer(let value): value
    case .number(let value): Int64(exactly: value)
    default: nil
    }
  }

  var int: Int? { int64.map { Int($0) } }

  var double: Double? {
    switch self {
    case .integer(let value): Double(value)
    case .number(let value): value
    default: nil
    }
  }

  var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  var array: [JSONValue] {
    if case .array(let values) = self { return values }
    return []
  }

  var keys: [String] {
    if case .object(let fields) = self { return Array(fields.keys) }
    return []
  }
}
