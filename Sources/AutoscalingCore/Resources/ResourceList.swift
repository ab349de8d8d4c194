/// A set of resource amounts keyed by name, as in a container's `requests` or a node's
/// `allocatable` (`{cpu: 500m, memory: 1Gi, nvidia.com/gpu: 1}`).
///
/// Missing names count as zero in arithmetic and comparisons.
public struct ResourceList: Hashable, Sendable, Codable, Sequence, ExpressibleByDictionaryLiteral {
  /// The amounts, keyed by resource name.
  public var quantities: [ResourceName: Quantity]

  /// Creates a list from amounts keyed by name.
  ///
  /// - Parameter quantities: The amounts.
  public init(_ quantities: [ResourceName: Quantity] = [:]) { self.quantities = quantities }

  /// Creates a list from a dictionary literal, e.g. `[.cpu: Quantity(milliValue: 500)]`.
  ///
  /// - Parameter elements: Name–amount pairs; a later duplicate wins.
  public init(dictionaryLiteral elements: (ResourceName, Quantity)...) {
    var quantities: [ResourceName: Quantity] = [:]
    for (name, quantity) in elements { quantities[name] = quantity }
    self.quantities = quantities
  }

  /// Decodes a JSON object of name → quantity (strings or numbers).
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` naming the bad entry.
  public init(from decoder: any Decoder) throws {
    let raw = try decoder.singleValueContainer().decode([String: Quantity].self)
    var quantities: [ResourceName: Quantity] = [:]
    for (name, quantity) in raw { quantities[ResourceName(name)] = quantity }
    self.quantities = quantities
  }

  /// Encodes the list as a JSON object of name → canonical quantity string.
  ///
  /// - Parameter encoder: The encoder to write to.
  /// - Throws: Whatever the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var raw: [String: Quantity] = [:]
    for (name, quantity) in quantities { raw[name.rawValue] = quantity }
    var container = encoder.singleValueContainer()
    try container.encode(raw)
  }

  /// The amount of `name`, or `nil` when the list has no entry for it.
  ///
  /// - Parameter name: A resource name.
  public subscript(name: ResourceName) -> Quantity? {
    get { quantities[name] }
    set { quantities[name] = newValue }
  }

  /// The amount of `name`, zero when absent.
  ///
  /// - Parameter name: A resource name.
  /// - Returns: The amount or zero.
  public func amount(of name: ResourceName) -> Quantity { quantities[name] ?? .zero }

  /// The names present, sorted.
  public var names: [ResourceName] { quantities.keys.sorted() }

  /// Whether the list has no entries.
  public var isEmpty: Bool { quantities.isEmpty }

  /// Iterates over (name, amount) pairs in name order.
  ///
  /// - Returns: An iterator over the sorted entries.
  public func makeIterator() -> [(name: ResourceName, quantity: Quantity)].Iterator {
    quantities.sorted { $0.key < $1.key }.map { (name: $0.key, quantity: $0.value) }.makeIterator()
  }

  /// Returns the entrywise sum; names in either list appear in the result.
  ///
  /// - Parameters:
  ///   - lhs: A list.
  ///   - rhs: Another list.
  /// - Returns: `lhs + rhs` per name.
  public static func + (lhs: ResourceList, rhs: ResourceList) -> ResourceList {
    var result = lhs
    result += rhs
    return result
  }

  /// Adds `rhs` entrywise into `lhs`.
  ///
  /// - Parameters:
  ///   - lhs: The list to grow.
  ///   - rhs: The amounts to add.
  public static func += (lhs: inout ResourceList, rhs: ResourceList) {
    for (name, quantity) in rhs.quantities {
      lhs.quantities[name] = (lhs.quantities[name] ?? .zero) + quantity
    }
  }

  /// Returns the entrywise difference; names in either list appear in the result.
  ///
  /// - Parameters:
  ///   - lhs: A list.
  ///   - rhs: The amounts to subtract.
  /// - Returns: `lhs − rhs` per name (may be negative).
  public static func - (lhs: ResourceList, rhs: ResourceList) -> ResourceList {
    var result = lhs
    for (name, quantity) in rhs.quantities {
      result.quantities[name] = (result.quantities[name] ?? .zero) - quantity
    }
    return result
  }

  /// Returns the entrywise maximum (the effective request of init containers versus the rest).
  ///
  /// - Parameter other: Another list.
  /// - Returns: For each name, the larger amount.
  public func maximum(with other: ResourceList) -> ResourceList {
    var result = self
    for (name, quantity) in other.quantities {
      if let current = result.quantities[name] {
        if quantity > current { result.quantities[name] = quantity }
      } else {
        result.quantities[name] = quantity
      }
    }
    return result
  }

  /// Whether every amount in this list is at most the same-named amount in `capacity`
  /// (missing names in `capacity` count as zero).
  ///
  /// - Parameter capacity: The available amounts.
  /// - Returns: `true` when the request fits.
  public func fits(in capacity: ResourceList) -> Bool {
    for (name, quantity) in quantities where quantity > capacity.amount(of: name) {
      return false
    }
    return true
  }
}
