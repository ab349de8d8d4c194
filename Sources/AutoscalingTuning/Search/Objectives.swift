/// The scores a search minimizes, taken from a replay's scorecard.
///
/// All four are minimized. Cost is replica-seconds; the SLO side is the under-provisioned
/// time share and the unserved demand; stability is the number of scaling actions.
public struct Objectives: Sendable, Hashable, Codable {
  /// Replica-seconds: the integral of the replica count over the replayed time, seconds.
  public var replicaSeconds: Double
  /// Under-provisioned time share (τU): the fraction of time, in 0…1, with demand above the
  /// ready capacity.
  public var underProvisionedTimeShare: Double
  /// Unserved demand: the integral of demand above ready capacity, in demand units × seconds.
  public var unservedDemand: Double
  /// Scaling actions: how many times the replica count changed.
  public var scalingActions: Double
  /// The under-provisioned time share (0…1) of each robustness window of the tuning part, in
  /// time order, or `nil` when the part is not cut into windows (see
  /// ``BehaviorTuner/init(scenarios:space:strategy:budget:maxUnderProvisionedTimeShare:maxScalingActions:robustness:aggregation:holdOutFraction:parallelism:featureGates:)``).
  /// Not an objective: only ``Selection/windowBounds`` reads it.
  public var windowUnderProvisionedTimeShares: [Double]?

  /// Creates a set of scores.
  ///
  /// - Parameters:
  ///   - replicaSeconds: Replica-seconds.
  ///   - underProvisionedTimeShare: Under-provisioned time share, 0…1.
  ///   - unservedDemand: Unserved demand, demand units × seconds.
  ///   - scalingActions: Scaling actions, a count.
  ///   - windowUnderProvisionedTimeShares: The share of each robustness window, 0…1, or `nil`.
  public init(
    replicaSeconds: Double, underProvisionedTimeShare: Double, unservedDemand: Double,
    scalingActions: Double, windowUnderProvisionedTimeShares: [Double]? = nil
  ) {
    self.replicaSeconds = replicaSeconds
    self.underProvisionedTimeShare = underProvisionedTimeShare
    self.unservedDemand = unservedDemand
    self.scalingActions = scalingActions
    self.windowUnderProvisionedTimeShares = windowUnderProvisionedTimeShares
  }

  /// The first objective that is not finite, by name, or `nil` when all are finite.
  public var nonFiniteObjective: String? {
    if !replicaSeconds.isFinite { return "replicaSeconds" }
    if !underProvisionedTimeShare.isFinite { return "underProvisionedTimeShare" }
    if !unservedDemand.isFinite { return "unservedDemand" }
    if !scalingActions.isFinite { return "scalingActions" }
    if windowUnderProvisionedTimeShares?.contains(where: { !$0.isFinite }) ?? false {
      return "windowUnderProvisionedTimeShares"
    }
    return nil
  }

  /// Whether these scores Pareto-dominate another set: no worse in every objective and
  /// strictly better in at least one.
  ///
  /// - Parameter other: The scores compared with.
  /// - Returns: `true` when `self` dominates `other`.
  public func dominates(_ other: Objectives) -> Bool {
    guard replicaSeconds <= other.replicaSeconds,
      underProvisionedTimeShare <= other.underProvisionedTimeShare,
      unservedDemand <= other.unservedDemand, scalingActions <= other.scalingActions
    else { return false }
    return replicaSeconds < other.replicaSeconds
      || underProvisionedTimeShare < other.underProvisionedTimeShare
      || unservedDemand < other.unservedDemand || scalingActions < other.scalingActions
  }
}

/// How the scores of several traces or windows are combined into one.
public enum ScenarioAggregation: String, Sendable, Hashable, Codable, CaseIterable {
  /// Each objective's worst (largest) value over the scenarios.
  case worstCase = "worst"
  /// Each objective's arithmetic mean over the scenarios.
  case mean

  /// Combines per-scenario scores, in scenario order.
  ///
  /// - Parameter scores: One score set per scenario, at least one.
  /// - Returns: The combined scores (all zero for an empty list).
  public func combine(_ scores: [Objectives]) -> Objectives {
    guard var result = scores.first else {
      return Objectives(
        replicaSeconds: 0, underProvisionedTimeShare: 0, unservedDemand: 0, scalingActions: 0)
    }
    for score in scores.dropFirst() {
      switch self {
      case .worstCase:
        result.replicaSeconds = max(result.replicaSeconds, score.replicaSeconds)
        result.underProvisionedTimeShare = max(
          result.underProvisionedTimeShare, score.underProvisionedTimeShare)
        result.unservedDemand = max(result.unservedDemand, score.unservedDemand)
        result.scalingActions = max(result.scalingActions, score.scalingActions)
        result.windowUnderProvisionedTimeShares = Self.combineWindows(
          result.windowUnderProvisionedTimeShares, score.windowUnderProvisionedTimeShares, by: max)
      case .mean:
        result.replicaSeconds += score.replicaSeconds
        result.underProvisionedTimeShare += score.underProvisionedTimeShare
        result.unservedDemand += score.unservedDemand
        result.scalingActions += score.scalingActions
        result.windowUnderProvisionedTimeShares = Self.combineWindows(
          result.windowUnderProvisionedTimeShares, score.windowUnderProvisionedTimeShares, by: +)
      }
    }
    if self == .mean, scores.count > 1 {
      let count = Double(scores.count)
      result.replicaSeconds /= count
      result.underProvisionedTimeShare /= count
      result.unservedDemand /= count
      result.scalingActions /= count
      result.windowUnderProvisionedTimeShares = result.windowUnderProvisionedTimeShares?.map {
        $0 / count
      }
    }
    return result
  }

  /// Window shares of two scenarios combined window by window; `nil` unless both have the
  /// same number of windows (then the robustness check is skipped).
  private static func combineWindows(
    _ a: [Double]?, _ b: [Double]?, by operation: (Double, Double) -> Double
  ) -> [Double]? {
    guard let a, let b, a.count == b.count else { return nil }
    return zip(a, b).map { operation($0, $1) }
  }
}

/// A bound of a ``Selection`` that a set of scores breaks (see ``Selection/violations(of:)``).
public enum BoundViolation: Sendable, Hashable, CustomStringConvertible {
  /// The under-provisioned time share of the whole tuning part, a fraction 0…1, is above
  /// ``Selection/maxUnderProvisionedTimeShare``.
  case wholePart(share: Double, bound: Double)
  /// The share of one robustness window (`index` 0-based, in time order), a fraction 0…1,
  /// is above that window's bound in ``Selection/windowBounds``.
  case window(index: Int, share: Double, bound: Double)
  /// The scores have another number of window shares than the rule has window bounds.
  case windowCount(expected: Int, found: Int)
  /// The scaling actions on the tuning part (a count; a mean over scenarios may be
  /// fractional) are above ``Selection/maxScalingActions``.
  case scalingActions(count: Double, bound: Double)

  /// The violation in words, shares in percent with 3 decimals (`window 1: 0.496 % > 0.437 %`;
  /// windows are numbered from 1), scaling actions as counts (`scaling actions: 12 > 8`).
  public var description: String {
    switch self {
    case .wholePart(let share, let bound):
      return "whole part: \(Self.percent(share)) > \(Self.percent(bound))"
    case .window(let index, let share, let bound):
      return "window \(index + 1): \(Self.percent(share)) > \(Self.percent(bound))"
    case .windowCount(let expected, let found):
      return "\(found) window shares where the bound has \(expected)"
    case .scalingActions(let count, let bound):
      return "scaling actions: \(Self.count(count)) > \(Self.count(bound))"
    }
  }

  /// A count as a whole number when it is one, otherwise with one decimal.
  private static func count(_ value: Double) -> String {
    TuningResult.wholeNumber(value) ?? TuningResult.fixed(value, digits: 1)
  }

  private static func percent(_ share: Double) -> String {
    TuningResult.percent(share, digits: 3)
  }
}

/// Which evaluated candidate the search recommends.
public struct Selection: Sendable, Hashable, Codable {
  /// The largest acceptable under-provisioned time share, 0…1 (`0.005` for 0.5 %). With a
  /// bound, the cheapest candidate meeting it is chosen; without one, the candidate with the
  /// least under-provisioning (then least unserved demand, then cheapest).
  public var maxUnderProvisionedTimeShare: Double?
  /// The largest acceptable under-provisioned time share of each robustness window of the
  /// tuning part (fractions 0…1, in time order), or `nil`: the robust constraint. A
  /// candidate meets it when its share on every window is within that window's bound, on
  /// top of ``maxUnderProvisionedTimeShare`` for the whole part. Scores without window
  /// shares (successive halving's prefix rungs) are checked against the whole-part bound
  /// only.
  public var windowBounds: [Double]?
  /// The most scaling actions acceptable on the tuning part, a count compared with
  /// ``Objectives/scalingActions`` (with several scenarios, their worst or mean as the search
  /// combines them), or `nil` for no stability bound. With it, the cheapest candidate that
  /// also scales no more often than this is chosen.
  public var maxScalingActions: Double?

  /// Creates a selection rule.
  ///
  /// - Parameters:
  ///   - maxUnderProvisionedTimeShare: The bound on the whole tuning part, a fraction 0…1,
  ///     or `nil`.
  ///   - windowBounds: One bound per robustness window, fractions 0…1, or `nil`.
  ///   - maxScalingActions: The bound on scaling actions on the tuning part, a count ≥ 0, or
  ///     `nil`.
  public init(
    maxUnderProvisionedTimeShare: Double? = nil, windowBounds: [Double]? = nil,
    maxScalingActions: Double? = nil
  ) {
    self.maxUnderProvisionedTimeShare = maxUnderProvisionedTimeShare
    self.windowBounds = windowBounds
    self.maxScalingActions = maxScalingActions
  }

  /// Whether a bound is set (on the whole part, per window or on scaling actions).
  public var isConstrained: Bool {
    maxUnderProvisionedTimeShare != nil || windowBounds != nil || maxScalingActions != nil
  }

  /// Whether scores meet the bounds (always `true` without one).
  ///
  /// - Parameter objectives: The scores.
  /// - Returns: `true` when the under-provisioned time share is within the whole-part bound,
  ///   when both the scores and the rule have window shares, each window's share is within its
  ///   bound (a different number of windows fails), and the scaling actions are within
  ///   ``maxScalingActions``.
  public func isMet(by objectives: Objectives) -> Bool {
    violations(of: objectives).isEmpty
  }

  /// The bounds scores break: the whole part first, then the windows in time order, then
  /// the scaling actions.
  ///
  /// - Parameter objectives: The scores.
  /// - Returns: Every bound broken; empty exactly when ``isMet(by:)`` is `true`.
  public func violations(of objectives: Objectives) -> [BoundViolation] {
    var result: [BoundViolation] = []
    if let bound = maxUnderProvisionedTimeShare, objectives.underProvisionedTimeShare > bound {
      result.append(.wholePart(share: objectives.underProvisionedTimeShare, bound: bound))
    }
    if let windowBounds, let shares = objectives.windowUnderProvisionedTimeShares {
      if shares.count == windowBounds.count {
        for (index, (share, bound)) in zip(shares, windowBounds).enumerated() where share > bound {
          result.append(.window(index: index, share: share, bound: bound))
        }
      } else {
        result.append(.windowCount(expected: windowBounds.count, found: shares.count))
      }
    }
    if let bound = maxScalingActions, objectives.scalingActions > bound {
      result.append(.scalingActions(count: objectives.scalingActions, bound: bound))
    }
    return result
  }

  /// Picks the recommended evaluation.
  ///
  /// Ties are broken by the remaining objectives and then by the lower ordinal, so the pick
  /// never depends on the order of `evaluations`, and it always lies on the Pareto front.
  ///
  /// - Parameter evaluations: Evaluated candidates.
  /// - Returns: The pick and whether it meets the bound, or `nil` for an empty list.
  public func choose(from evaluations: [Evaluation]) -> (Evaluation, met: Bool)? {
    var feasible: Evaluation?
    var fallback: Evaluation?
    for evaluation in evaluations {
      if isConstrained, isMet(by: evaluation.objectives) {
        if feasible.map({ Self.cheaperFirst(evaluation, $0) }) ?? true { feasible = evaluation }
      }
      if fallback.map({ Self.saferFirst(evaluation, $0) }) ?? true { fallback = evaluation }
    }
    if let feasible { return (feasible, true) }
    guard let fallback else { return nil }
    return (fallback, !isConstrained)
  }

  /// Lexicographic order: cost, under-provisioning, unserved demand, actions, ordinal.
  static func cheaperFirst(_ a: Evaluation, _ b: Evaluation) -> Bool {
    let (x, y) = (a.objectives, b.objectives)
    if x.replicaSeconds != y.replicaSeconds { return x.replicaSeconds < y.replicaSeconds }
    if x.underProvisionedTimeShare != y.underProvisionedTimeShare {
      return x.underProvisionedTimeShare < y.underProvisionedTimeShare
    }
    if x.unservedDemand != y.unservedDemand { return x.unservedDemand < y.unservedDemand }
    if x.scalingActions != y.scalingActions { return x.scalingActions < y.scalingActions }
    return a.ordinal < b.ordinal
  }

  /// Lexicographic order: under-provisioning, unserved demand, cost, actions, ordinal.
  static func saferFirst(_ a: Evaluation, _ b: Evaluation) -> Bool {
    let (x, y) = (a.objectives, b.objectives)
    if x.underProvisionedTimeShare != y.underProvisionedTimeShare {
      return x.underProvisionedTimeShare < y.underProvisionedTimeShare
    }
    if x.unservedDemand != y.unservedDemand { return x.unservedDemand < y.unservedDemand }
    if x.replicaSeconds != y.replicaSeconds { return x.replicaSeconds < y.replicaSeconds }
    if x.scalingActions != y.scalingActions { return x.scalingActions < y.scalingActions }
    return a.ordinal < b.ordinal
  }
}

/// One evaluated candidate.
public struct Evaluation: Sendable, Hashable, Codable {
  /// The candidate's position in the search's plan (grid order, sample order, or evaluation
  /// order for adaptive strategies); results are always ordered by it.
  public var ordinal: Int
  /// One level index per dimension of the space.
  public var levels: [Int]
  /// The scores on the tuning part of the traces, combined over scenarios.
  public var objectives: Objectives
  /// The scores on the held-out part, for Pareto-front members when the evaluator has one.
  public var holdOut: Objectives?

  /// Creates an evaluation.
  ///
  /// - Parameters:
  ///   - ordinal: The candidate's position in the plan.
  ///   - levels: One level index per dimension.
  ///   - objectives: The tuning scores.
  ///   - holdOut: The held-out scores, if evaluated.
  public init(ordinal: Int, levels: [Int], objectives: Objectives, holdOut: Objectives? = nil) {
    self.ordinal = ordinal
    self.levels = levels
    self.objectives = objectives
    self.holdOut = holdOut
  }
}

/// The Pareto front of a set of evaluations.
public enum ParetoFront: Sendable {
  /// The evaluations no other evaluation dominates, ordered by cost, then under-provisioning,
  /// unserved demand, actions and ordinal.
  ///
  /// Candidates with identical scores are all kept (neither dominates the other).
  ///
  /// - Parameter evaluations: Evaluated candidates, in any order.
  /// - Returns: The front, in a deterministic order.
  /// - Complexity: O(n log n + n·f) for n evaluations and a front of size f.
  public static func of(_ evaluations: [Evaluation]) -> [Evaluation] {
    let sorted = evaluations.sorted(by: Selection.cheaperFirst)
    var front: [Evaluation] = []
    // Only an earlier element in this order can dominate a later one.
    for candidate in sorted
    where !front.contains(where: { $0.objectives.dominates(candidate.objectives) }) {
      front.append(candidate)
    }
    return front
  }
}
