/// One value a dimension can take.
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
  /// A whole number (seconds, replicas, percent, pods).
  case integer(Int)
  /// A real number (a tolerance, a fraction).
  case real(Double)
  /// A named choice (`Percent`, `Max`, …).
  case category(String)

  /// The value as a real number, or `nil` for a category.
  public var numeric: Double? {
    switch self {
    case .integer(let value): return Double(value)
    case .real(let value): return value
    case .category: return nil
    }
  }

  /// The value as written in a manifest or a table.
  public var description: String {
    switch self {
    case .integer(let value): return String(value)
    case .real(let value): return String(value)
    case .category(let value): return value
    }
  }
}

/// The finite list of levels one dimension ranges over.
///
/// Ranges are expanded to explicit levels when a space is built, so every strategy works on
/// level indices and a candidate is a vector of small integers.
public enum Domain: Sendable, Hashable, Codable {
  /// Whole-number levels, in the given order.
  case integers([Int])
  /// Real-number levels, in the given order.
  case reals([Double])
  /// Named levels, in the given order.
  case categories([String])

  /// The number of levels.
  public var count: Int {
    switch self {
    case .integers(let values): return values.count
    case .reals(let values): return values.count
    case .categories(let values): return values.count
    }
  }

  /// The value at a level index.
  ///
  /// - Parameter level: An index in `0..<count`.
  /// - Returns: The value of that level.
  public subscript(level: Int) -> ParameterValue {
    switch self {
    case .integers(let values): return .integer(values[level])
    case .reals(let values): return .real(values[level])
    case .categories(let values): return .category(values[level])
    }
  }
}

/// A named dimension of a parameter space.
public struct Dimension: Sendable, Hashable, Codable {
  /// The parameter name, for example `scaleDown.stabilizationWindowSeconds`.
  public var name: String
  /// The levels the parameter ranges over.
  public var domain: Domain

  /// Creates a dimension.
  ///
  /// - Parameters:
  ///   - name: The parameter name.
  ///   - domain: The levels.
  public init(name: String, domain: Domain) {
    self.name = name
    self.domain = domain
  }
}

/// A relation two dimensions must satisfy for a candidate to be valid.
public struct Constraint: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The comparison.
  public enum Relation: String, Sendable, Hashable, Codable {
    /// `lhs <= rhs`.
    case lessOrEqual = "<="
    /// `lhs < rhs`.
    case less = "<"
  }

  /// The left-hand dimension's name.
  public var lhs: String
  /// The comparison.
  public var relation: Relation
  /// The right-hand dimension's name.
  public var rhs: String

  /// Creates a constraint between two numeric dimensions.
  ///
  /// - Parameters:
  ///   - lhs: The left-hand dimension's name.
  ///   - relation: The comparison.
  ///   - rhs: The right-hand dimension's name.
  public init(_ lhs: String, _ relation: Relation, _ rhs: String) {
    self.lhs = lhs
    self.relation = relation
    self.rhs = rhs
  }

  /// Parses `a <= b` or `a < b`.
  ///
  /// - Parameter text: The constraint text.
  /// - Throws: ``TuningError/invalidConstraint(text:reason:)`` when it is not of that form.
  public init(parsing text: String) throws(TuningError) {
    let relation: Relation
    let parts: [Substring]
    if text.contains("<=") {
      relation = .lessOrEqual
      parts = text.split(separator: "<=", omittingEmptySubsequences: false)
    } else {
      relation = .less
      parts = text.split(separator: "<", omittingEmptySubsequences: false)
    }
    guard parts.count == 2 else {
      throw .invalidConstraint(text: text, reason: "expected 'name <= name' or 'name < name'")
    }
    let lhs = String(parts[0].filter { $0 != " " })
    let rhs = String(parts[1].filter { $0 != " " })
    guard !lhs.isEmpty, !rhs.isEmpty else {
      throw .invalidConstraint(text: text, reason: "both sides must name a dimension")
    }
    self.init(lhs, relation, rhs)
  }

  /// The constraint as text, `lhs <= rhs`.
  public var description: String { "\(lhs) \(relation.rawValue) \(rhs)" }
}

/// A finite, ordered set of named dimensions and the constraints between them.
///
/// A candidate is a vector of level indices, one per dimension, in dimension order. The space
/// is a value: the same space gives the same candidates, the same grid order and the same
/// fingerprint on every machine.
public struct ParameterSpace: Sendable, Hashable, Codable {
  /// The dimensions, in the order that defines grid order and candidate level vectors.
  public private(set) var dimensions: [Dimension]
  /// The constraints every candidate satisfies.
  public private(set) var constraints: [Constraint]
  /// Constraint operands resolved to dimension indices (same order as `constraints`).
  private var resolved: [ResolvedConstraint]

  private struct ResolvedConstraint: Sendable, Hashable {
    var lhs: Int
    var rhs: Int
    var strict: Bool
  }

  /// Creates a space, checking names, levels and constraints.
  ///
  /// - Parameters:
  ///   - dimensions: The dimensions, each with at least one level and a unique name.
  ///   - constraints: Relations between numeric dimensions.
  /// - Throws: ``TuningError/emptyDimension(name:)``, ``TuningError/duplicateDimension(name:)``
  ///   or ``TuningError/invalidConstraint(text:reason:)``.
  public init(dimensions: [Dimension], constraints: [Constraint] = []) throws(TuningError) {
    var seen = Set<String>()
    for dimension in dimensions {
      guard dimension.domain.count > 0 else { throw .emptyDimension(name: dimension.name) }
      guard seen.insert(dimension.name).inserted else {
        throw .duplicateDimension(name: dimension.name)
      }
      if case .reals(let values) = dimension.domain, values.contains(where: { !$0.isFinite }) {
        throw .invalidDimension(name: dimension.name, reason: "every level must be finite")
      }
    }
    var resolved: [ResolvedConstraint] = []
    for constraint in constraints {
      guard let lhs = dimensions.firstIndex(where: { $0.name == constraint.lhs }) else {
        throw .invalidConstraint(
          text: constraint.description, reason: "no dimension named '\(constraint.lhs)'")
      }
      guard let rhs = dimensions.firstIndex(where: { $0.name == constraint.rhs }) else {
        throw .invalidConstraint(
          text: constraint.description, reason: "no dimension named '\(constraint.rhs)'")
      }
      for index in [lhs, rhs] {
        if case .categories = dimensions[index].domain {
          throw .invalidConstraint(
            text: constraint.description,
            reason: "'\(dimensions[index].name)' is categorical; only numbers can be compared")
        }
      }
      resolved.append(ResolvedConstraint(lhs: lhs, rhs: rhs, strict: constraint.relation == .less))
    }
    self.dimensions = dimensions
    self.constraints = constraints
    self.resolved = resolved
  }

  /// The index of the dimension with a name, if any.
  ///
  /// - Parameter name: The dimension name.
  /// - Returns: Its position in ``dimensions``.
  public func index(of name: String) -> Int? {
    dimensions.firstIndex { $0.name == name }
  }

  /// The number of levels of each dimension, in order.
  public var levelCounts: [Int] { dimensions.map(\.domain.count) }

  /// The pattern-search moves from a point, in a fixed order, valid or not: for each
  /// dimension, `steps[d]` levels down and up (clamped to the range; none where that is the
  /// point itself), or every other category of a categorical dimension; then, with
  /// `diagonal`, one level in each of two dimensions at once. With every step 1 and no
  /// diagonal these are the point's one-level neighbours.
  func moves(from levels: [Int], steps: [Int], diagonal: Bool) -> [[Int]] {
    let counts = levelCounts
    var result: [[Int]] = []
    for dimension in levels.indices {
      let current = levels[dimension]
      let targets: [Int]
      if case .categories = dimensions[dimension].domain {
        targets = (0..<counts[dimension]).filter { $0 != current }
      } else {
        let step = steps[dimension]
        targets = [max(0, current - step), min(counts[dimension] - 1, current + step)]
      }
      for target in targets where target != current {
        var moved = levels
        moved[dimension] = target
        result.append(moved)
      }
    }
    guard diagonal else { return result }
    for first in levels.indices where counts[first] > 1 {
      for second in levels.indices where second > first && counts[second] > 1 {
        for (a, b) in [(-1, -1), (-1, 1), (1, -1), (1, 1)] {
          let x = levels[first] + a
          let y = levels[second] + b
          guard (0..<counts[first]).contains(x), (0..<counts[second]).contains(y) else { continue }
          var moved = levels
          moved[first] = x
          moved[second] = y
          result.append(moved)
        }
      }
    }
    return result
  }

  /// The number of level combinations before constraints, or `nil` if it exceeds `Int.max`.
  public var rawSize: Int? {
    var size = 1
    for count in levelCounts {
      let (product, overflow) = size.multipliedReportingOverflow(by: count)
      if overflow { return nil }
      size = product
    }
    return size
  }

  /// Whether a level vector satisfies every constraint.
  ///
  /// - Parameter levels: One level index per dimension.
  /// - Returns: `true` when the candidate is valid.
  public func isValid(_ levels: [Int]) -> Bool {
    guard levels.count == dimensions.count else { return false }
    for (index, level) in levels.enumerated()
    where level < 0 || level >= dimensions[index].domain.count {
      return false
    }
    for constraint in resolved {
      let lhs = dimensions[constraint.lhs].domain[levels[constraint.lhs]].numeric ?? 0
      let rhs = dimensions[constraint.rhs].domain[levels[constraint.rhs]].numeric ?? 0
      if constraint.strict ? !(lhs < rhs) : !(lhs <= rhs) { return false }
    }
    return true
  }

  /// The values of a candidate, in dimension order.
  ///
  /// - Parameter levels: One level index per dimension.
  /// - Returns: The values those levels stand for.
  public func values(_ levels: [Int]) -> [ParameterValue] {
    zip(dimensions, levels).map { $0.domain[$1] }
  }

  private enum CodingKeys: String, CodingKey {
    case dimensions
    case constraints
  }

  /// Decodes a space and checks it as ``init(dimensions:constraints:)`` does.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError.dataCorrupted` wrapping the ``TuningError`` text when the space
  ///   is invalid.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let dimensions = try container.decode([Dimension].self, forKey: .dimensions)
    let constraints = try container.decodeIfPresent([Constraint].self, forKey: .constraints) ?? []
    do {
      try self.init(dimensions: dimensions, constraints: constraints)
    } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }

  /// Encodes the dimensions and constraints.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: Whatever the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(dimensions, forKey: .dimensions)
    try container.encode(constraints, forKey: .constraints)
  }

  /// A canonical, stable text of the space, used for fingerprints.
  var canonicalText: String {
    var text = ""
    for dimension in dimensions {
      text += dimension.name + "="
      switch dimension.domain {
      case .integers(let values): text += "i:" + values.map(String.init).joined(separator: ",")
      case .reals(let values): text += "r:" + values.map { String($0) }.joined(separator: ",")
      case .categories(let values): text += "c:" + values.joined(separator: ",")
      }
      text += ";"
    }
    for constraint in constraints { text += constraint.description + ";" }
    return text
  }
}
