/// The candidates a non-adaptive strategy evaluates, computed from the space, the strategy
/// and the budget alone (so every shard computes the same plan).
enum CandidatePlan {
  /// A grid is enumerated when the raw level count is at most 64 × the budget, between
  /// these bounds.
  static let gridEnumerationLimits = (lower: 1_000_000, upper: 20_000_000)

  /// The planned level vectors, in ordinal order.
  static func levels(
    space: ParameterSpace, strategy: Strategy, budget: Int
  ) throws(TuningError) -> [[Int]] {
    guard budget >= 1 else { throw .invalidBudget(budget) }
    // Contradictory constraints are refused before any sampling or enumeration.
    guard contradiction(in: space.constraints) == nil else {
      throw .noValidCandidate(reason: noCandidateReason(space))
    }
    let plan: [[Int]]
    switch strategy {
    case .grid:
      let scaled = budget.multipliedReportingOverflow(by: 64)
      let limit = min(
        gridEnumerationLimits.upper,
        max(gridEnumerationLimits.lower, scaled.overflow ? Int.max : scaled.partialValue))
      guard let raw = space.rawSize, raw <= limit else {
        throw .gridTooLarge(candidates: space.rawSize ?? Int.max, budget: budget)
      }
      plan = enumerateValid(space)
      guard plan.count <= budget else {
        throw .gridTooLarge(candidates: plan.count, budget: budget)
      }
    case .random(let seed):
      plan = sample(space: space, budget: budget, seed: seed, latin: false)
    case .latinHypercube(let seed), .refine(let seed, _), .successiveHalving(let seed, _, _):
      plan = sample(space: space, budget: budget, seed: seed, latin: true)
    }
    guard !plan.isEmpty else {
      throw .noValidCandidate(reason: noCandidateReason(space))
    }
    return plan
  }

  /// Whether ``sample(space:budget:seed:latin:completing:)`` falls back to enumerating the
  /// space when its draws find too few valid candidates: raw spaces up to the grid's upper
  /// limit.
  static func isEnumerable(_ space: ParameterSpace) -> Bool {
    space.rawSize.map { $0 <= gridEnumerationLimits.upper } ?? false
  }

  /// Every valid level vector in grid order (last dimension fastest).
  static func enumerateValid(_ space: ParameterSpace) -> [[Int]] {
    let counts = space.levelCounts
    var levels = [Int](repeating: 0, count: counts.count)
    var result: [[Int]] = []
    while true {
      if space.isValid(levels) { result.append(levels) }
      var position = counts.count - 1
      while position >= 0 {
        levels[position] += 1
        if levels[position] < counts[position] { break }
        levels[position] = 0
        position -= 1
      }
      if position < 0 { return result }
    }
  }

  /// `budget` distinct valid samples: uniform (`latin == false`) or a Latin hypercube topped
  /// up with uniform draws. Small spaces are shuffled whole instead.
  ///
  /// - Parameter completing: Whether a short result in an enumerable space is completed from
  ///   its valid candidates (off for `refine`'s restarts, which need no full sample and would
  ///   enumerate the space again each time).
  static func sample(
    space: ParameterSpace, budget: Int, seed: UInt64, latin: Bool, completing: Bool = true
  ) -> [[Int]] {
    var generator = SeededGenerator(seed: seed)
    if let raw = space.rawSize, raw <= max(4 * budget, 4_096) {
      let all = enumerateValid(space)
      if all.count <= budget { return all }
      let order = generator.permutation(all.count)
      return order.prefix(budget).map { all[$0] }
    }
    let counts = space.levelCounts
    var seen = Set<[Int]>()
    var result: [[Int]] = []
    result.reserveCapacity(budget)
    if latin {
      let permutations = counts.map { _ in generator.permutation(budget) }
      for sample in 0..<budget {
        var levels = [Int](repeating: 0, count: counts.count)
        for (dimension, count) in counts.enumerated() {
          // Stratum `permutation[sample]` of `budget`, jittered within it, mapped to levels.
          let stratum = permutations[dimension][sample]
          let (scaled, overflow) = stratum.multipliedReportingOverflow(by: count)
          levels[dimension] =
            overflow
            ? min(count - 1, Int(Double(stratum) / Double(budget) * Double(count)))
            : (scaled + generator.below(count)) / budget
        }
        if space.isValid(levels), seen.insert(levels).inserted { result.append(levels) }
      }
    }
    var attempts = 0
    let maximumAttempts = budget.multipliedReportingOverflow(by: 64).partialValue + 1_000
    while result.count < budget, attempts < maximumAttempts {
      attempts += 1
      let levels = counts.map { generator.below($0) }
      if space.isValid(levels), seen.insert(levels).inserted { result.append(levels) }
    }
    // Constraints that leave few valid combinations defeat random draws: an enumerable space
    // is completed from its valid candidates, in a seeded order.
    if completing, result.count < budget, isEnumerable(space) {
      let rest = enumerateValid(space).filter { !seen.contains($0) }
      for index in generator.permutation(rest.count).prefix(budget - result.count) {
        result.append(rest[index])
      }
    }
    return result
  }

  /// Explains an empty plan: the first constraint no level pair can satisfy, if any; else,
  /// for an enumerable space, that no combination satisfies them all, and for a larger one,
  /// that no random draw did.
  static func noCandidateReason(_ space: ParameterSpace) -> String {
    for constraint in space.constraints {
      guard let lhs = space.index(of: constraint.lhs), let rhs = space.index(of: constraint.rhs)
      else { continue }
      let lhsValues = (0..<space.dimensions[lhs].domain.count).compactMap {
        space.dimensions[lhs].domain[$0].numeric
      }
      let rhsValues = (0..<space.dimensions[rhs].domain.count).compactMap {
        space.dimensions[rhs].domain[$0].numeric
      }
      guard let smallest = lhsValues.min(), let largest = rhsValues.max() else { continue }
      let satisfiable =
        constraint.relation == .less ? smallest < largest : smallest <= largest
      if !satisfiable {
        return
          "constraint '\(constraint)' cannot hold: the smallest \(constraint.lhs) is "
          + "\(smallest) and the largest \(constraint.rhs) is \(largest)"
      }
    }
    if let cycle = contradiction(in: space.constraints) {
      return "the constraints " + cycle.map(\.description).joined(separator: ", ")
        + " contradict each other: together they ask a value to be less than itself"
    }
    let constraints = space.constraints.map(\.description).joined(separator: ", ")
    guard isEnumerable(space) else {
      return "no random draw of levels satisfied every constraint \(constraints) (the space "
        + "has \(space.rawSize.map(String.init) ?? "too many") combinations, too many to "
        + "enumerate; valid ones are rare or absent: narrow the dimensions the constraints "
        + "relate)"
    }
    return "no combination of levels satisfies every constraint " + constraints
  }

  /// A cycle of constraints with at least one strict `<` (`a < b`, `b <= c`, `c <= a`), which
  /// no values satisfy, or `nil`: for each strict constraint `a < b`, the shortest chain of
  /// constraints leading from `b` back to `a`, if any.
  static func contradiction(in constraints: [Constraint]) -> [Constraint]? {
    for strict in constraints where strict.relation == .less {
      // Breadth-first from strict.rhs, following lhs → rhs, until strict.lhs.
      var previous: [String: Constraint] = [:]
      var frontier = [strict.rhs]
      var reached: Set<String> = [strict.rhs]
      while !frontier.isEmpty, !reached.contains(strict.lhs) {
        var next: [String] = []
        for name in frontier {
          for edge in constraints where edge.lhs == name && reached.insert(edge.rhs).inserted {
            previous[edge.rhs] = edge
            next.append(edge.rhs)
          }
        }
        frontier = next
      }
      guard reached.contains(strict.lhs) else { continue }
      var chain: [Constraint] = []
      var name = strict.lhs
      while name != strict.rhs, let edge = previous[name] {
        chain.insert(edge, at: 0)
        name = edge.lhs
      }
      return [strict] + chain
    }
    return nil
  }
}
