public import AutoscalingReplay
public import HorizontalAutoscaling

/// Tunes an HPA's `behavior` (and, if the space says so, its metric targets and replica
/// bounds) on traces: the one-call API behind `autoscale tune`.
///
/// ```swift
/// let tuner = try BehaviorTuner(
///   scenarios: [scenario], strategy: .refine(seed: 1), budget: 1_000,
///   maxUnderProvisionedTimeShare: 0.005)
/// let result = try await tuner.tune()
/// print(result.chosen?.behavior?.yaml() ?? "")
/// ```
public struct BehaviorTuner: Sendable {
  /// The traces or windows tuned on.
  public let scenarios: [TuningScenario]
  /// The space searched.
  public let space: ParameterSpace
  /// The search settings as given (a `nil` bound is replaced by the current HPA's share).
  public let configuration: SearchConfiguration
  /// The share of each scenario's time held out for validation, 0 ≤ f < 1.
  public let holdOutFraction: Double
  /// How the work is split (never changes results).
  public let parallelism: Parallelism
  /// The gates the tuned HPA is validated with.
  public let featureGates: FeatureGates
  /// The robust constraint (every window of the tuning part within its bound), or `nil`.
  public let robustness: WindowRobustness?
  /// The stability bound as given, or `nil` for none (a relative one is resolved against the
  /// current HPA's actions when the search starts; ``TuningResult/maxScalingActions`` has the
  /// count used).
  public let scalingActionsBound: ScalingActionsBound?
  private let evaluator: ReplayEvaluator

  /// Creates a tuner.
  ///
  /// - Parameters:
  ///   - scenarios: The traces or windows, at least one; all replay the same HPA.
  ///   - space: The space; `nil` uses
  ///     ``ParameterSpace/hpaBehaviorDefault(minReplicas:maxReplicas:)`` for the first
  ///     scenario's HPA.
  ///   - strategy: How candidates are picked.
  ///   - budget: The largest number of candidates evaluated, ≥ 1.
  ///   - maxUnderProvisionedTimeShare: The SLO bound, a fraction 0…1 (`0.005` is 0.5 %);
  ///     `nil` uses the current HPA's own share on the tuning part (never worse than today).
  ///   - maxScalingActions: The stability bound: the chosen configuration changes the replica
  ///     count at most so many times on the tuning part (with several scenarios, their worst
  ///     or mean per `aggregation`; with `robustness`, its windows together), on top of the SLO
  ///     bound — a count, or a multiple of the current HPA's own actions there. `nil`
  ///     (default) for none.
  ///   - robustness: The robust constraint, or `nil` (default) for none: the tuning part of
  ///     every scenario is cut into ``WindowRobustness/windows`` consecutive windows, each
  ///     replayed from the initial state (as the held-out part is), and a candidate meets the
  ///     constraint only when its under-provisioned time share on every window is at most the
  ///     bound minus ``WindowRobustness/margin`` (never below 0) — with no bound, the current
  ///     HPA's own share on that window. The tuning part's scores are then the windows'
  ///     together.
  ///   - aggregation: How scenarios combine (worst case by default).
  ///   - holdOutFraction: The share of each scenario's time held out (default 0.25; 0 for
  ///     none).
  ///   - parallelism: The work split.
  ///   - featureGates: The gates the tuned HPA is validated with (tolerance needs
  ///     `configurableTolerance`, on by default).
  /// - Throws: ``TuningError`` when the space names unknown parameters or invalid values,
  ///   the budget is zero, a scenario is too short to split (or to cut into the robustness
  ///   windows), or the robustness settings are out of range.
  public init(
    scenarios: [TuningScenario], space: ParameterSpace? = nil, strategy: Strategy,
    budget: Int, maxUnderProvisionedTimeShare: Double? = nil,
    maxScalingActions: ScalingActionsBound? = nil,
    robustness: WindowRobustness? = nil, aggregation: ScenarioAggregation = .worstCase,
    holdOutFraction: Double = 0.25, parallelism: Parallelism = Parallelism(),
    featureGates: FeatureGates = FeatureGates()
  ) throws(TuningError) {
    guard let first = scenarios.first else {
      throw .invalidInput(reason: "give at least one trace to tune on")
    }
    guard budget >= 1 else { throw .invalidBudget(budget) }
    if let bound = maxUnderProvisionedTimeShare, !(0...1).contains(bound) {
      throw .invalidInput(
        reason: "the under-provisioned time share bound must be in 0…1 (got \(bound))")
    }
    if let bound = maxScalingActions, !(bound.value >= 0 && bound.value.isFinite) {
      throw .invalidInput(
        reason: "the scaling-action bound must be a finite number ≥ 0 (got \(bound.value))")
    }
    if let robustness {
      guard robustness.windows >= 2 else {
        throw .invalidInput(
          reason: "robustness windows must be at least 2 (got \(robustness.windows)); "
            + "omit the robustness setting for none")
      }
      guard (0...1).contains(robustness.margin) else {
        throw .invalidInput(
          reason: "the robustness margin is a time share in 0…1 (got \(robustness.margin))")
      }
    }
    let space =
      if let space {
        space
      } else {
        try ParameterSpace.hpaBehaviorDefault(
          minReplicas: max(1, first.autoscaler.minReplicas),
          maxReplicas: first.autoscaler.maxReplicas)
      }
    self.scenarios = scenarios
    self.space = space
    self.configuration = SearchConfiguration(
      strategy: strategy, budget: budget,
      selection: Selection(
        maxUnderProvisionedTimeShare: maxUnderProvisionedTimeShare,
        maxScalingActions: maxScalingActions?.count),
      aggregation: aggregation)
    self.holdOutFraction = holdOutFraction
    self.parallelism = parallelism
    self.featureGates = featureGates
    self.robustness = robustness
    self.scalingActionsBound = maxScalingActions
    var prefixes: [Double] = []
    if case .successiveHalving(_, let reduction, let rungs) = strategy, reduction >= 2 {
      var fraction = 1.0
      for _ in 1..<max(1, min(rungs, 8)) {
        fraction /= Double(reduction)
        prefixes.append(fraction)
      }
    }
    self.evaluator = try ReplayEvaluator(
      scenarios: scenarios, mapper: HPAOverrideMapper(space: space),
      holdOutFraction: holdOutFraction, prefixFractions: prefixes,
      robustnessWindows: robustness?.windows ?? 1, featureGates: featureGates)
  }

  /// Runs the search (or one shard of it) and compares the chosen configuration with the
  /// user's current one on the same windows.
  ///
  /// - Parameters:
  ///   - shard: The slice to evaluate (``Shard/whole`` for all).
  ///   - progress: Called after each finished chunk.
  /// - Returns: The result; shards of one search merge with ``TuningResult/merging(_:)``.
  /// - Throws: ``TuningError`` for bad input or a candidate that cannot be replayed.
  public func tune(
    shard: Shard = .whole, progress: (@Sendable (SearchProgress) -> Void)? = nil
  ) async throws(TuningError) -> TuningResult {
    // The current HPA is replayed beside the search, on a core the search leaves idle at
    // times: all of it when the bounds are given, its held-out part when a bound is relative
    // to its own tuning scores (which the search needs first).
    var configuration = self.configuration
    let currentTuning: Objectives?
    if configuration.selection.maxUnderProvisionedTimeShare == nil || robustness != nil
      || scalingActionsBound?.isRelative == true
    {
      let tuning = try segmentScores(of: HPAOverrides(), segment: .tuning)
      let bound =
        configuration.selection.maxUnderProvisionedTimeShare ?? tuning.underProvisionedTimeShare
      configuration.selection.maxUnderProvisionedTimeShare = bound
      if let robustness {
        let given = self.configuration.selection.maxUnderProvisionedTimeShare
        let references =
          given.map { Array(repeating: $0, count: robustness.windows) }
          ?? tuning.windowUnderProvisionedTimeShares ?? []
        configuration.selection.windowBounds = references.map { max(0, $0 - robustness.margin) }
      }
      if case .timesCurrent(let factor) = scalingActionsBound {
        configuration.selection.maxScalingActions = factor * tuning.scalingActions
      }
      currentTuning = tuning
    } else {
      currentTuning = nil
    }
    let engine = SearchEngine(
      space: space, evaluator: evaluator, configuration: configuration, parallelism: parallelism)
    async let currentScores = Result { () throws(TuningError) -> SegmentScores in
      let tuning: Objectives
      if let currentTuning {
        tuning = currentTuning
      } else {
        tuning = try segmentScores(of: HPAOverrides(), segment: .tuning)
      }
      let holdOut =
        evaluator.hasHoldOut ? try segmentScores(of: HPAOverrides(), segment: .holdOut) : nil
      return SegmentScores(tuning: tuning, holdOut: holdOut)
    }
    let search: SearchResult
    do throws(TuningError) {
      search = try await engine.run(shard: shard, progress: progress)
    } catch {
      _ = await currentScores
      throw error
    }
    let current = try await currentScores.get()
    return TuningResult(
      search: search, current: current,
      currentBehavior: scenarios[0].autoscaler.behavior.map(BehaviorSettings.init))
  }

  /// Scores a configuration on one part of every scenario, combined as the search combines
  /// them.
  private func segmentScores(
    of overrides: HPAOverrides, segment: Segment
  ) throws(TuningError) -> Objectives {
    var scores: [Objectives] = []
    for index in scenarios.indices {
      scores.append(try evaluator.objectives(overrides, scenario: index, segment: segment))
    }
    return configuration.aggregation.combine(scores)
  }

  /// Scores a configuration on every scenario, tuning and held-out parts, combined as the
  /// search combines them.
  ///
  /// - Parameter overrides: The fields changed from the user's HPA (empty: the HPA as is).
  /// - Returns: The combined scores.
  /// - Throws: ``TuningError`` when the configuration is rejected or cannot be replayed.
  public func scores(of overrides: HPAOverrides) throws(TuningError) -> SegmentScores {
    SegmentScores(
      tuning: try segmentScores(of: overrides, segment: .tuning),
      holdOut: evaluator.hasHoldOut ? try segmentScores(of: overrides, segment: .holdOut) : nil)
  }

  /// Replays a configuration on one scenario and returns the replay's full scorecards.
  ///
  /// - Parameters:
  ///   - overrides: The fields changed from the user's HPA.
  ///   - scenario: The scenario index.
  /// - Returns: The tuning part's scorecard and the held-out part's, if any.
  /// - Throws: ``TuningError`` when the configuration is rejected.
  public func scorecards(
    of overrides: HPAOverrides, scenario: Int
  ) throws(TuningError) -> (tuning: Scorecard, holdOut: Scorecard?) {
    let tuning = try evaluator.replay(overrides, scenario: scenario, segment: .tuning).run()
    let holdOut =
      evaluator.hasHoldOut
      ? try evaluator.replay(overrides, scenario: scenario, segment: .holdOut).run() : nil
    return (tuning, holdOut)
  }
}

/// The robust constraint of a tuning run: the tuning part cut into windows, each of which
/// must stay within the under-provisioning bound.
///
/// The cheapest point exactly at the bound on the whole tuning part often sits above it on
/// a part of the trace it has not seen; asking for the bound on every one of several windows
/// (the worst case over them) keeps only candidates that are no worse than the reference on
/// each window, not merely on average.
public struct WindowRobustness: Sendable, Hashable, Codable {
  /// The number of consecutive windows of the tuning part, ≥ 2.
  public var windows: Int
  /// How far below the bound each window's under-provisioned time share must stay, a time
  /// share 0…1 (`0.0001` is 0.01 %); the window bound never goes below 0.
  public var margin: Double

  /// Creates a robust constraint.
  ///
  /// - Parameters:
  ///   - windows: The number of windows, ≥ 2.
  ///   - margin: The margin below each window's bound, a time share 0…1 (default 0).
  public init(windows: Int, margin: Double = 0) {
    self.windows = windows
    self.margin = margin
  }
}

/// The scores of one configuration on the tuning part and on the held-out part.
public struct SegmentScores: Sendable, Hashable, Codable {
  /// Scores on the tuning part, combined over scenarios.
  public var tuning: Objectives
  /// Scores on the held-out part, or `nil` without a hold-out.
  public var holdOut: Objectives?

  /// Creates a pair of scores.
  ///
  /// - Parameters:
  ///   - tuning: The tuning part's scores.
  ///   - holdOut: The held-out part's scores.
  public init(tuning: Objectives, holdOut: Objectives?) {
    self.tuning = tuning
    self.holdOut = holdOut
  }
}

/// The chosen configuration, ready to report and to write as a manifest.
public struct TunedConfiguration: Sendable, Hashable, Codable {
  /// The evaluation it comes from (ordinal, levels, scores).
  public var evaluation: Evaluation
  /// The parameter values, `(name, value)` in dimension order, as text.
  public var parameters: [ParameterSetting]
  /// The HPA fields it changes.
  public var overrides: HPAOverrides
  /// The user's behavior with the changes applied (`nil` when neither sets one).
  public var behavior: BehaviorSettings?
  /// Its scores on the tuning and held-out parts.
  public var scores: SegmentScores
}

/// One parameter of a configuration, as text.
public struct ParameterSetting: Sendable, Hashable, Codable {
  /// The dimension name.
  public var name: String
  /// The value, as written in a manifest.
  public var value: String
}

/// The outcome of `autoscale tune` (or of one shard of it): the search, the user's current
/// configuration and the chosen one, side by side on tuning and held-out data.
public struct TuningResult: Sendable, Hashable, Codable {
  /// The search: every evaluation, the front and the fingerprint.
  public var search: SearchResult
  /// The user's current HPA, scored on the same windows.
  public var current: SegmentScores
  /// The user's behavior as the manifest states it (defaulted), or `nil` for none.
  public var currentBehavior: BehaviorSettings?
  /// The chosen configuration (cheapest meeting the bound, or least under-provisioned).
  public private(set) var chosen: TunedConfiguration?
  /// Whether the chosen configuration meets the bound on the tuning part.
  public private(set) var constraintMet: Bool

  /// Creates a result and picks the chosen configuration from the search.
  ///
  /// - Parameters:
  ///   - search: The search.
  ///   - current: The current HPA's scores.
  ///   - currentBehavior: The current behavior.
  public init(search: SearchResult, current: SegmentScores, currentBehavior: BehaviorSettings?) {
    self.search = search
    self.current = current
    self.currentBehavior = currentBehavior
    self.constraintMet = search.constraintMet
    self.chosen = nil
    if let evaluation = search.chosen, let mapper = try? HPAOverrideMapper(space: search.space) {
      let overrides = mapper.overrides(for: evaluation.levels)
      let behavior: BehaviorSettings? =
        overrides.setsBehavior
        ? (currentBehavior ?? BehaviorSettings()).applying(overrides) : currentBehavior
      chosen = TunedConfiguration(
        evaluation: evaluation,
        parameters: search.parameters(of: evaluation).map {
          ParameterSetting(name: $0.name, value: $0.value.description)
        },
        overrides: overrides, behavior: behavior,
        scores: SegmentScores(tuning: evaluation.objectives, holdOut: evaluation.holdOut))
    }
  }

  /// Whether the user's current HPA is preferable to the chosen configuration: judged by the
  /// same selection on the tuning part (every bound first, then cost, under-provisioning,
  /// unserved demand and scaling actions), the current HPA comes first, a full tie included.
  /// `false` when nothing was chosen.
  ///
  /// A search need not evaluate the current HPA (it need not even be a point of the space), so
  /// it can end with a choice that costs more than what runs today, at no less
  /// under-provisioning. Applying that choice would buy nothing the tuning part shows: keep
  /// the current HPA. When the current HPA breaks a bound the chosen one meets (a stricter
  /// `maxUnderProvisionedTimeShare`, or a stability bound below its own actions), the chosen
  /// one is preferable, however much it costs.
  public var currentIsPreferred: Bool {
    guard let chosen else { return false }
    // Ordinal -1 sorts before every evaluation, so a full tie goes to the current HPA.
    let today = Evaluation(ordinal: -1, levels: [], objectives: current.tuning)
    let pick = search.configuration.selection.choose(from: [chosen.evaluation, today])
    return pick?.0.ordinal == today.ordinal
  }

  /// The effective under-provisioned time share bound (the user's, or the current HPA's).
  public var maxUnderProvisionedTimeShare: Double? {
    search.configuration.selection.maxUnderProvisionedTimeShare
  }

  /// The stability bound: the most scaling actions on the tuning part the chosen
  /// configuration may make (a count; a relative bound resolved against the current HPA), or
  /// `nil` when none was given.
  public var maxScalingActions: Double? {
    search.configuration.selection.maxScalingActions
  }

  /// Combines the shards of one tuning run into the unsharded result.
  ///
  /// - Parameter shards: Every shard's result, each once.
  /// - Returns: The merged result.
  /// - Throws: The errors of ``SearchResult/merging(_:)``, and
  ///   ``TuningError/fingerprintMismatch(expected:found:shard:)`` when the current HPA's
  ///   scores differ between shards.
  public static func merging(_ shards: [TuningResult]) throws(TuningError) -> TuningResult {
    guard let first = shards.first else { throw .nothingToMerge }
    let search = try SearchResult.merging(shards.map(\.search))
    for shard in shards
    where shard.current != first.current || shard.currentBehavior != first.currentBehavior {
      throw .fingerprintMismatch(
        expected: first.search.fingerprint, found: shard.search.fingerprint,
        shard: shard.search.shard.index)
    }
    return TuningResult(
      search: search, current: first.current, currentBehavior: first.currentBehavior)
  }
}

/// A bound on how often the chosen configuration may change the replica count on the tuning
/// part (see ``BehaviorTuner/init(scenarios:space:strategy:budget:maxUnderProvisionedTimeShare:maxScalingActions:robustness:aggregation:holdOutFraction:parallelism:featureGates:)``).
public enum ScalingActionsBound: Sendable, Hashable, CustomStringConvertible {
  /// At most this many scaling actions (a count ≥ 0).
  case atMost(Double)
  /// At most this multiple (≥ 0) of the current HPA's own scaling actions on the tuning part:
  /// `1` is "no more often than today".
  case timesCurrent(Double)

  /// The count or the multiple.
  public var value: Double {
    switch self {
    case .atMost(let count): count
    case .timesCurrent(let factor): factor
    }
  }

  /// The count of an absolute bound; `nil` for a relative one.
  public var count: Double? {
    if case .atMost(let count) = self { return count }
    return nil
  }

  /// Whether the bound is relative to the current HPA (resolved when the search starts).
  var isRelative: Bool { count == nil }

  /// `at most 12 scaling actions` or `at most 2 × the current HPA's scaling actions` (whole
  /// numbers without decimals).
  public var description: String {
    let number = TuningResult.wholeNumber(value) ?? String(value)
    return switch self {
    case .atMost: "at most \(number) scaling actions"
    case .timesCurrent: "at most \(number) × the current HPA's scaling actions"
    }
  }
}
