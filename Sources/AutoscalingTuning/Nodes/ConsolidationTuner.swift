public import AutoscalingReplay
public import NodeAutoscaling

/// One point of a consolidation sweep: the settings every NodePool gets.
public struct ConsolidationSettings: Sendable, Hashable, CustomStringConvertible {
  /// `spec.disruption.consolidationPolicy`: `WhenEmpty`, `WhenEmptyOrUnderutilized` or
  /// `Balanced`.
  public var policy: ConsolidationPolicy
  /// `spec.disruption.consolidateAfter`, seconds, or `nil` for `Never`.
  public var consolidateAfterSeconds: Int?
  /// The disruption budget, percent of a NodePool's nodes (`nodes: "N%"`), 0–100.
  public var budgetNodesPercent: Int
  /// The `Balanced` policy's k, the minimum-savings threshold (upstream's `BalancedK`, 2): a
  /// move is approved when its share of the NodePool's cost saved, divided by its share of the
  /// pool's disruption cost, is at least 1/k. A smaller k asks for more savings per pod
  /// disrupted. Used only when ``policy`` is `Balanced`.
  public var balancedK: Double

  /// Creates settings.
  ///
  /// - Parameters:
  ///   - policy: The consolidation policy.
  ///   - consolidateAfterSeconds: consolidateAfter, seconds (`nil` = Never).
  ///   - budgetNodesPercent: The budget, percent of nodes (0–100).
  ///   - balancedK: The `Balanced` policy's k (greater than 0; upstream's 2 by default).
  public init(
    policy: ConsolidationPolicy, consolidateAfterSeconds: Int?, budgetNodesPercent: Int,
    balancedK: Double = 2
  ) {
    self.policy = policy
    self.consolidateAfterSeconds = consolidateAfterSeconds
    self.budgetNodesPercent = budgetNodesPercent
    self.balancedK = balancedK
  }

  /// `WhenEmptyOrUnderutilized after 5m, budget 10%`.
  public var description: String {
    let after = consolidateAfterSeconds.map { $0 % 60 == 0 && $0 > 0 ? "\($0 / 60)m" : "\($0)s" } ?? "Never"
    let threshold = policy == .balanced ? " (k \(balancedK))" : ""
    return "\(policy.rawValue)\(threshold) after \(after), budget \(budgetNodesPercent)%"
  }

  /// The NodePools with these settings (each pool's other disruption fields are replaced).
  ///
  /// - Parameter pools: NodePools.
  /// - Returns: The pools with this policy, consolidateAfter and one `nodes: "N%"` budget.
  public func applied(to pools: [NodePool]) -> [NodePool] {
    pools.map { pool in
      var pool = pool
      pool.disruption.consolidationPolicy = policy
      pool.disruption.consolidateAfterMilliseconds = consolidateAfterSeconds.map { Int64($0) * 1_000 }
      pool.disruption.budgets = [DisruptionBudget(nodes: "\(budgetNodesPercent)%")]
      return pool
    }
  }
}

/// A swept consolidation setting with its node scorecard.
public struct ConsolidationCandidate: Sendable, Hashable {
  /// The settings.
  public var settings: ConsolidationSettings
  /// The node replay's scorecard under them.
  public var card: NodeScorecard
  /// Whether no other candidate is as cheap, as undisruptive and as quick to place pods
  /// (Pareto front over cost USD, pods disrupted and pending pod-seconds).
  public var onFront: Bool

  /// Creates a candidate.
  ///
  /// - Parameters:
  ///   - settings: The settings.
  ///   - card: The node scorecard under them.
  ///   - onFront: Whether it is on the Pareto front.
  public init(settings: ConsolidationSettings, card: NodeScorecard, onFront: Bool) {
    self.settings = settings
    self.card = card
    self.onFront = onFront
  }
}

extension ConsolidationCandidate {
  /// The candidates with ``onFront`` recomputed over all of them: a candidate is on the front
  /// when no other is at most as costly (USD), as disruptive (pods) and as slow to place pods
  /// (pending pod-seconds) and strictly better in one. For sweeps run separately (for example
  /// one per policy) whose fronts must be merged.
  ///
  /// - Parameter candidates: Candidates from one or more sweeps.
  /// - Returns: The same candidates in the same order, fronts merged. A candidate that joins
  ///   the front keeps the scorecard it has (its cost, disruptions and pending time are exact).
  public static func markingFront(_ candidates: [ConsolidationCandidate]) -> [ConsolidationCandidate] {
    let scores = candidates.map { ConsolidationEvaluator.objectives($0.card) }
    return candidates.indices.map { index in
      var marked = candidates[index]
      marked.onFront = !scores.contains { $0.dominates(scores[index]) }
      return marked
    }
  }
}

/// Sweeps Karpenter consolidation settings (policy, consolidateAfter, budget, and the `Balanced`
/// policy's minimum-savings threshold k) over a pod trace
/// with `NodeReplay`, through `SearchEngine` and `ParetoFront`: the trade-off between node cost
/// and pods disrupted (and pending pod-seconds).
///
/// The search's objectives carry the node figures: `replicaSeconds` is the cost (USD),
/// `scalingActions` the pods disrupted, `unservedDemand` the pending pod-seconds,
/// `underProvisionedTimeShare` is 0.
public struct ConsolidationTuner: Sendable {
  /// Dimension names of the space.
  public static let policyDimension = "consolidationPolicy"
  /// consolidateAfter, seconds; a negative level means `Never`.
  public static let consolidateAfterDimension = "consolidateAfterSeconds"
  /// Budget, percent of nodes.
  public static let budgetDimension = "budgetNodesPercent"
  /// The `Balanced` policy's k (``ConsolidationSettings/balancedK``), reals or integers > 0.
  public static let balancedKDimension = "balancedK"

  /// The replay the settings are applied to (its NodePools' disruption settings are replaced).
  public var replay: NodeReplay
  /// The space swept.
  public var space: ParameterSpace
  /// How the work is split over tasks (does not change the result).
  public var parallelism: Parallelism

  /// The default sweep: both policies × consolidateAfter {0 s, 30 s, 1 m, 5 m, 15 m, 1 h} ×
  /// budget {10 %, 50 %, 100 %} (36 candidates).
  ///
  /// - Returns: The space.
  /// - Throws: Never in practice (three distinct, non-empty dimensions); typed for the space's
  ///   initializer.
  public static func defaultSpace() throws(TuningError) -> ParameterSpace {
    try ParameterSpace(dimensions: [
      Dimension(name: policyDimension, domain: .categories(["WhenEmpty", "WhenEmptyOrUnderutilized"])),
      Dimension(name: consolidateAfterDimension, domain: .integers([0, 30, 60, 300, 900, 3_600])),
      Dimension(name: budgetDimension, domain: .integers([10, 50, 100])),
    ])
  }

  /// Creates a tuner.
  ///
  /// - Parameters:
  ///   - replay: The node replay (pods, NodePools, catalogue, timing).
  ///   - space: Dimensions named ``policyDimension`` (categories `WhenEmpty`,
  ///     `WhenEmptyOrUnderutilized`, `Balanced`), ``consolidateAfterDimension`` (integers,
  ///     seconds; < 0 = Never), ``budgetDimension`` (integers, percent 0–100) and
  ///     ``balancedKDimension`` (numbers > 0); a missing one keeps the replay's setting (the
  ///     first NodePool's, and the replay options' k).
  ///   - parallelism: The work split.
  /// - Throws: ``TuningError/unknownParameter(name:)`` for another dimension,
  ///   ``TuningError/invalidParameterValue(name:value:rule:)`` for a level out of range.
  public init(replay: NodeReplay, space: ParameterSpace, parallelism: Parallelism = Parallelism())
    throws(TuningError)
  {
    for dimension in space.dimensions {
      switch (dimension.name, dimension.domain) {
      case (Self.policyDimension, .categories(let values)):
        for value in values where ConsolidationPolicy(rawValue: value) == nil {
          throw .invalidParameterValue(
            name: dimension.name, value: value, rule: "must be WhenEmpty, WhenEmptyOrUnderutilized or Balanced")
        }
      case (Self.consolidateAfterDimension, .integers):
        break
      case (Self.budgetDimension, .integers(let values)):
        for value in values where !(0...100).contains(value) {
          throw .invalidParameterValue(name: dimension.name, value: "\(value)", rule: "a percentage of nodes, 0–100")
        }
      case (Self.balancedKDimension, .reals(let values)):
        for value in values where !(value > 0 && value.isFinite) {
          throw .invalidParameterValue(name: dimension.name, value: "\(value)", rule: "a finite number greater than 0")
        }
      case (Self.balancedKDimension, .integers(let values)):
        for value in values where value <= 0 {
          throw .invalidParameterValue(name: dimension.name, value: "\(value)", rule: "a finite number greater than 0")
        }
      case (Self.policyDimension, _), (Self.consolidateAfterDimension, _), (Self.budgetDimension, _),
        (Self.balancedKDimension, _):
        throw .invalidDimension(
          name: dimension.name,
          reason: "\(Self.policyDimension) takes names, \(Self.balancedKDimension) numbers, the other two whole numbers")
      default:
        throw .unknownParameter(name: dimension.name)
      }
    }
    self.replay = replay
    self.space = space
    self.parallelism = parallelism
  }

  /// The settings of a candidate (levels of ``space``).
  ///
  /// - Parameter levels: One level index per dimension.
  /// - Returns: The settings; dimensions not in the space keep the first NodePool's values.
  public func settings(for levels: [Int]) -> ConsolidationSettings {
    let base = replay.nodePools.first?.disruption
    var settings = ConsolidationSettings(
      policy: base?.consolidationPolicy ?? .whenEmptyOrUnderutilized,
      consolidateAfterSeconds: base?.consolidateAfterMilliseconds.map { Int($0 / 1_000) },
      budgetNodesPercent: 10, balancedK: replay.options.balancedK)
    for (index, value) in space.values(levels).enumerated() {
      switch (space.dimensions[index].name, value) {
      case (Self.policyDimension, .category(let name)):
        settings.policy = ConsolidationPolicy(rawValue: name) ?? settings.policy
      case (Self.consolidateAfterDimension, .integer(let seconds)):
        settings.consolidateAfterSeconds = seconds < 0 ? nil : seconds
      case (Self.budgetDimension, .integer(let percent)):
        settings.budgetNodesPercent = percent
      case (Self.balancedKDimension, .real(let k)):
        settings.balancedK = k
      case (Self.balancedKDimension, .integer(let k)):
        settings.balancedK = Double(k)
      default:
        break
      }
    }
    return settings
  }

  /// Replays the trace under some settings.
  ///
  /// - Parameter settings: The consolidation settings.
  /// - Returns: The node scorecard.
  /// - Throws: ``TuningError/evaluationFailed(candidate:reason:)`` (candidate −1) when the replay fails.
  public func scorecard(_ settings: ConsolidationSettings) throws(TuningError) -> NodeScorecard {
    var replay = self.replay
    replay.nodePools = settings.applied(to: replay.nodePools)
    replay.options.balancedK = settings.balancedK
    do {
      return try replay.run()
    } catch {
      throw .evaluationFailed(candidate: -1, reason: "\(settings): \(error.message)")
    }
  }

  /// Sweeps the space.
  ///
  /// - Parameters:
  ///   - strategy: How candidates are picked (default the full grid).
  ///   - budget: The most candidates evaluated.
  ///   - progress: Called after each finished chunk.
  /// - Returns: Every evaluated candidate (in plan order) with its scorecard, front members
  ///   marked; the front is ordered by cost.
  /// - Throws: ``TuningError`` from the search (budget, grid too large, a failed replay).
  public func tune(
    strategy: Strategy = .grid, budget: Int = 1_000, progress: (@Sendable (SearchProgress) -> Void)? = nil
  ) async throws(TuningError) -> [ConsolidationCandidate] {
    let engine = SearchEngine(
      space: space, evaluator: ConsolidationEvaluator(tuner: self),
      configuration: SearchConfiguration(strategy: strategy, budget: budget), parallelism: parallelism)
    let result = try await engine.run(progress: progress)
    let front = Set(ParetoFront.of(result.evaluations).map(\.ordinal))
    var candidates: [ConsolidationCandidate] = []
    for evaluation in result.evaluations {
      let objectives = evaluation.objectives
      // The objectives hold every figure but the node-hours and allocations: replay once more
      // for the full scorecard only on the front (deterministic, so the figures agree).
      let onFront = front.contains(evaluation.ordinal)
      let settings = settings(for: evaluation.levels)
      let card =
        onFront
        ? try scorecard(settings)
        : NodeScorecard(
          costDollars: objectives.replicaSeconds, podsDisrupted: Int(objectives.scalingActions),
          pendingPodSeconds: objectives.unservedDemand)
      candidates.append(ConsolidationCandidate(settings: settings, card: card, onFront: onFront))
    }
    return candidates
  }
}

/// Scores a consolidation candidate by replaying the pod trace.
struct ConsolidationEvaluator: CandidateEvaluator {
  let tuner: ConsolidationTuner

  var scenarioIdentities: [String] {
    let pods = tuner.replay.pods
    return ["pods=\(pods.count) first=\(pods.first?.name ?? "") last=\(pods.last?.name ?? "") "
      + "window=\(tuner.replay.startMilliseconds)-\(tuner.replay.endMilliseconds)"]
  }

  var hasHoldOut: Bool { false }

  func objectives(for levels: [Int], scenario: Int, segment: Segment) throws(TuningError) -> Objectives {
    Self.objectives(try tuner.scorecard(tuner.settings(for: levels)))
  }

  /// A node scorecard in the search's objective slots (see ``ConsolidationTuner``).
  static func objectives(_ card: NodeScorecard) -> Objectives {
    Objectives(
      replicaSeconds: card.costDollars, underProvisionedTimeShare: 0, unservedDemand: card.pendingPodSeconds,
      scalingActions: Double(card.podsDisrupted))
  }
}
