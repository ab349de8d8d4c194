/// What a search saw around one candidate: the cheaper candidates that change only one of its
/// parameters, the bounds each of them breaks, and how many of the candidate's one-level
/// neighbours were evaluated at all.
///
/// Read around the chosen candidate, it says why nothing cheaper was chosen ("cpu 85 → 88 %
/// saves 3 % more but is under-provisioned 0.496 % of window 1, above its 0.437 % bound") and
/// whether the choice is a local optimum at the space's resolution. It is computed from the
/// evaluations alone: nothing is replayed again.
public struct Neighbourhood: Sendable, Hashable {
  /// A cheaper evaluated candidate that differs from the reference in one parameter.
  public struct Alternative: Sendable, Hashable {
    /// The index of the dimension that differs, in the space's order.
    public var dimension: Int
    /// The parameter's name (`metrics.cpu.averageUtilization`, …).
    public var name: String
    /// The reference's value of the parameter.
    public var from: ParameterValue
    /// The alternative's value of the parameter.
    public var to: ParameterValue
    /// The alternative's evaluation (scores on the tuning part).
    public var evaluation: Evaluation
    /// The bounds the alternative breaks; empty when it meets them all.
    public var violations: [BoundViolation]
  }

  /// The reference candidate.
  public var reference: Evaluation
  /// For each dimension, in the space's order: the nearest evaluated cheaper candidate (fewer
  /// replica-seconds) on each side of the reference's level that differs from the reference
  /// in that dimension only, lower level first; for a categorical dimension, every other
  /// category with a cheaper evaluated candidate.
  public var cheaper: [Alternative]
  /// How many valid candidates lie one level from the reference (one step in one numeric
  /// dimension, or another category of one categorical dimension).
  public var oneLevelNeighbours: Int
  /// How many of those were evaluated.
  public var oneLevelEvaluated: Int

  /// Whether every one-level neighbour was evaluated and none of the cheaper ones meets the
  /// bounds: no single-parameter step from the reference finds a cheaper acceptable
  /// candidate.
  public var isLocalOptimum: Bool {
    oneLevelEvaluated == oneLevelNeighbours
      && !cheaper.contains { $0.violations.isEmpty && isOneLevel($0) }
  }

  private func isOneLevel(_ alternative: Alternative) -> Bool {
    if case .category = alternative.from { return true }
    return abs(alternative.evaluation.levels[alternative.dimension]
      - reference.levels[alternative.dimension]) == 1
  }
}

extension SearchResult {
  /// The neighbourhood of an evaluated candidate (see ``Neighbourhood``); bounds are those of
  /// ``SearchConfiguration/selection``.
  ///
  /// - Parameter reference: An evaluation of this result, usually ``chosen``.
  /// - Returns: The cheaper single-parameter alternatives and the one-level coverage.
  /// - Complexity: O(n · d) for n evaluations of d dimensions.
  public func neighbourhood(of reference: Evaluation) -> Neighbourhood {
    let selection = configuration.selection
    let levels = reference.levels
    var evaluated = Set<[Int]>()
    // Per dimension, the nearest cheaper candidate below and above the reference's level
    // (numeric) or the cheaper candidate of each other category.
    var below: [Int: Evaluation] = [:]
    var above: [Int: Evaluation] = [:]
    var categories: [Int: [Int: Evaluation]] = [:]
    for evaluation in evaluations where evaluation.levels.count == levels.count {
      evaluated.insert(evaluation.levels)
      guard evaluation.objectives.replicaSeconds < reference.objectives.replicaSeconds else {
        continue
      }
      var differing: Int?
      var count = 0
      for index in levels.indices where evaluation.levels[index] != levels[index] {
        differing = index
        count += 1
        if count > 1 { break }
      }
      guard count == 1, let dimension = differing else { continue }
      let level = evaluation.levels[dimension]
      if case .categories = space.dimensions[dimension].domain {
        categories[dimension, default: [:]][level] = evaluation
      } else if level < levels[dimension] {
        if below[dimension].map({ level > $0.levels[dimension] }) ?? true {
          below[dimension] = evaluation
        }
      } else if above[dimension].map({ level < $0.levels[dimension] }) ?? true {
        above[dimension] = evaluation
      }
    }
    var cheaper: [Neighbourhood.Alternative] = []
    for dimension in levels.indices {
      let found: [Evaluation] =
        if let categorical = categories[dimension] {
          categorical.keys.sorted().compactMap { categorical[$0] }
        } else {
          [below[dimension], above[dimension]].compactMap { $0 }
        }
      for evaluation in found {
        cheaper.append(
          Neighbourhood.Alternative(
            dimension: dimension, name: space.dimensions[dimension].name,
            from: space.dimensions[dimension].domain[levels[dimension]],
            to: space.dimensions[dimension].domain[evaluation.levels[dimension]],
            evaluation: evaluation, violations: selection.violations(of: evaluation.objectives)))
      }
    }
    // One step of one parameter: the refine search's unit moves.
    let oneLevel = space.moves(
      from: levels, steps: Array(repeating: 1, count: levels.count), diagonal: false
    ).filter(space.isValid)
    return Neighbourhood(
      reference: reference, cheaper: cheaper, oneLevelNeighbours: oneLevel.count,
      oneLevelEvaluated: oneLevel.filter(evaluated.contains).count)
  }
}
