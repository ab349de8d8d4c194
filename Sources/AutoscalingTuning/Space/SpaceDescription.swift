/// A small, user-written description of a tuning space, read from a YAML or JSON file.
///
/// It starts from a base space (the HPA behavior default, or nothing), replaces or adds the
/// dimensions it lists, removes the names in `exclude`, and adds constraints. A JSON example:
///
/// ```json
/// { "dimensions": [
///     { "name": "scaleDown.stabilizationWindowSeconds", "values": [0, 60, 300] },
///     { "name": "scaleDown.policy.type", "categories": ["Percent"] },
///     { "name": "scaleUp.tolerance", "min": 0, "max": 0.2, "steps": 5 },
///     { "name": "minReplicas", "min": 1, "max": 4 } ],
///   "exclude": ["scaleUp.policy.periodSeconds"],
///   "constraints": ["minReplicas <= maxReplicas"] }
/// ```
public struct SpaceDescription: Sendable, Hashable, Codable {
  /// The space the description edits.
  public enum Base: String, Sendable, Hashable, Codable {
    /// ``ParameterSpace/hpaBehaviorDefault(minReplicas:maxReplicas:)``.
    case hpaBehavior = "hpa-behavior"
    /// No dimension: only the listed ones.
    case empty
  }

  /// The base space (default `hpa-behavior`).
  public var base: Base?
  /// Dimensions to replace (same name, same position) or add (appended in this order).
  public var dimensions: [DimensionDescription]?
  /// Dimension names to remove from the base; the user's own value is then kept.
  public var exclude: [String]?
  /// Extra constraints, each `a <= b` or `a < b`.
  public var constraints: [String]?

  /// Creates a description.
  ///
  /// - Parameters:
  ///   - base: The base space.
  ///   - dimensions: Dimensions to replace or add.
  ///   - exclude: Names to remove.
  ///   - constraints: Extra constraints.
  public init(
    base: Base? = nil, dimensions: [DimensionDescription]? = nil, exclude: [String]? = nil,
    constraints: [String]? = nil
  ) {
    self.base = base
    self.dimensions = dimensions
    self.exclude = exclude
    self.constraints = constraints
  }

  /// Builds the space this description stands for.
  ///
  /// - Parameter baseSpace: The space used when ``base`` is `hpa-behavior` or absent.
  /// - Returns: The edited space. Constraints of the base whose dimensions were removed are
  ///   dropped.
  /// - Throws: ``TuningError`` naming the dimension or constraint at fault.
  public func resolve(over baseSpace: ParameterSpace) throws(TuningError) -> ParameterSpace {
    var dimensions = (base ?? .hpaBehavior) == .empty ? [] : baseSpace.dimensions
    var constraints = (base ?? .hpaBehavior) == .empty ? [] : baseSpace.constraints
    var described = Set<String>()
    for entry in self.dimensions ?? [] {
      guard described.insert(entry.name).inserted else {
        throw .duplicateDimension(name: entry.name)
      }
      let domain = try entry.domain()
      if let index = dimensions.firstIndex(where: { $0.name == entry.name }) {
        dimensions[index].domain = domain
      } else {
        dimensions.append(Dimension(name: entry.name, domain: domain))
      }
    }
    let excluded = Set(exclude ?? [])
    dimensions.removeAll { excluded.contains($0.name) }
    let names = Set(dimensions.map(\.name))
    constraints.removeAll { !names.contains($0.lhs) || !names.contains($0.rhs) }
    for text in self.constraints ?? [] {
      let constraint = try Constraint(parsing: text)
      if !constraints.contains(constraint) { constraints.append(constraint) }
    }
    return try ParameterSpace(dimensions: dimensions, constraints: constraints)
  }
}

/// One dimension of a ``SpaceDescription``: an explicit list, a range, or categories.
public struct DimensionDescription: Sendable, Hashable, Codable {
  /// The parameter name.
  public var name: String
  /// Explicit numeric levels.
  public var values: [Double]?
  /// Explicit named levels.
  public var categories: [String]?
  /// The lower end of a range (inclusive).
  public var min: Double?
  /// The upper end of a range (inclusive).
  public var max: Double?
  /// The distance between range levels (integers default to 1).
  public var step: Double?
  /// The number of evenly spaced range levels, ends included (reals default to 11).
  public var steps: Int?
  /// `integer`, `real` or `categorical`; inferred from the HPA parameter or the values.
  public var kind: HPAParameter.Kind?

  /// The largest number of levels a range may expand to.
  public static let maximumLevels = 10_000

  /// Creates a dimension description.
  ///
  /// - Parameters:
  ///   - name: The parameter name.
  ///   - values: Explicit numeric levels.
  ///   - categories: Explicit named levels.
  ///   - min: A range's lower end.
  ///   - max: A range's upper end.
  ///   - step: A range's step.
  ///   - steps: A range's level count.
  ///   - kind: The value kind, when it cannot be inferred.
  public init(
    name: String, values: [Double]? = nil, categories: [String]? = nil, min: Double? = nil,
    max: Double? = nil, step: Double? = nil, steps: Int? = nil, kind: HPAParameter.Kind? = nil
  ) {
    self.name = name
    self.values = values
    self.categories = categories
    self.min = min
    self.max = max
    self.step = step
    self.steps = steps
    self.kind = kind
  }

  /// Expands the description into levels.
  ///
  /// - Returns: The domain.
  /// - Throws: ``TuningError/invalidDimension(name:reason:)`` or
  ///   ``TuningError/emptyDimension(name:)``.
  public func domain() throws(TuningError) -> Domain {
    let forms = [values != nil, categories != nil, min != nil || max != nil].filter { $0 }.count
    guard forms == 1 else {
      throw .invalidDimension(
        name: name, reason: "give exactly one of 'values', 'categories' or 'min'/'max'")
    }
    if let categories {
      guard !categories.isEmpty else { throw .emptyDimension(name: name) }
      return .categories(categories)
    }
    let kind = self.kind ?? HPAParameter(rawValue: name)?.kind
    if let values {
      guard !values.isEmpty else { throw .emptyDimension(name: name) }
      guard values.allSatisfy(\.isFinite) else {
        throw .invalidDimension(name: name, reason: "every value must be a finite number")
      }
      let integral = values.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
      switch kind ?? (integral ? .integer : .real) {
      case .integer:
        guard integral else {
          throw .invalidDimension(name: name, reason: "values must be whole numbers")
        }
        return .integers(values.map { Int($0) })
      case .real: return .reals(values)
      case .categorical:
        throw .invalidDimension(name: name, reason: "a categorical dimension needs 'categories'")
      }
    }
    guard let lower = min, let upper = max, lower.isFinite, upper.isFinite, lower <= upper else {
      throw .invalidDimension(name: name, reason: "a range needs finite 'min' ≤ 'max'")
    }
    switch kind ?? (lower == lower.rounded() && upper == upper.rounded() ? .integer : .real) {
    case .integer:
      return try integerRange(lower: lower, upper: upper)
    case .real:
      return try realRange(lower: lower, upper: upper)
    case .categorical:
      throw .invalidDimension(name: name, reason: "a categorical dimension needs 'categories'")
    }
  }

  private func integerRange(lower: Double, upper: Double) throws(TuningError) -> Domain {
    let step = self.step ?? 1
    guard lower == lower.rounded(), upper == upper.rounded(), abs(lower) < 1e15, abs(upper) < 1e15,
      step == step.rounded(), step >= 1
    else {
      throw .invalidDimension(
        name: name, reason: "an integer range needs whole 'min', 'max' and a whole 'step' ≥ 1")
    }
    let (low, high, stride) = (Int(lower), Int(upper), Int(Swift.min(step, 1e15)))
    guard (high - low) / stride < Self.maximumLevels else {
      throw .invalidDimension(
        name: name, reason: "the range has more than \(Self.maximumLevels) levels; raise 'step'")
    }
    return .integers(Array(Swift.stride(from: low, through: high, by: stride)))
  }

  private func realRange(lower: Double, upper: Double) throws(TuningError) -> Domain {
    var count = steps ?? 11
    if let step {
      guard step > 0, step.isFinite else {
        throw .invalidDimension(name: name, reason: "'step' must be a positive number")
      }
      let spans = ((upper - lower) / step + 1e-9).rounded(.down)
      guard spans < Double(Self.maximumLevels) else {
        throw .invalidDimension(
          name: name, reason: "the range has more than \(Self.maximumLevels) levels")
      }
      count = Int(spans) + 1
      let levels = (0..<count).map { Self.tidy(lower + Double($0) * step) }
      return .reals(levels)
    }
    guard count >= 1, count <= Self.maximumLevels else {
      throw .invalidDimension(
        name: name, reason: "'steps' must be in 1…\(Self.maximumLevels) (got \(count))")
    }
    if count == 1 || lower == upper { return .reals([lower]) }
    let levels = (0..<count).map { index in
      Self.tidy(lower + (upper - lower) * Double(index) / Double(count - 1))
    }
    return .reals(levels)
  }

  /// Rounds to 9 decimals so that `0.1 × 3` prints as `0.3`.
  private static func tidy(_ value: Double) -> Double {
    (value * 1e9).rounded() / 1e9
  }
}
