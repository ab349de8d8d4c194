public import AutoscalingReplay
public import VerticalAutoscaling

/// One trace the vertical tuner replays: a vertical replay over a window, cut into a tuning
/// part and an optional held-out rest.
public struct VerticalTuningScenario: Sendable {
  /// A name for tables and the scenario identity (a file and container, for example).
  public var name: String
  /// The replay over the whole window (tuning part and held-out rest).
  public let whole: VerticalReplay
  /// The replay over the tuning part only.
  public let tuning: VerticalReplay
  /// Where the held-out rest starts, milliseconds; `nil` without a hold-out.
  public let holdOutStartMilliseconds: Int64?

  /// Creates a scenario.
  ///
  /// The tuning part is the first `⌊steps × (1 − holdOutFraction)⌋` whole steps of `replay`'s
  /// window; the rest is held out. The held-out rest is scored on a replay of the whole window
  /// (so the recommender carries the tuning part's history into it, as a running recommender
  /// would), counting only the steps from the split on.
  ///
  /// - Parameters:
  ///   - name: The scenario's name.
  ///   - replay: The replay over the whole window; its recommender flags are ignored (each
  ///     candidate brings its own).
  ///   - holdOutFraction: The held-out share of the window, `0 ≤ f < 1` (0: no hold-out).
  /// - Throws: ``TuningError/invalidInput(reason:)`` for a fraction out of range or a window
  ///   too short to leave at least one step on each side.
  public init(name: String, replay: VerticalReplay, holdOutFraction: Double)
    throws(TuningError)
  {
    guard holdOutFraction.isFinite, holdOutFraction >= 0, holdOutFraction < 1 else {
      throw .invalidInput(
        reason: "the held-out share must be in [0, 1), got \(holdOutFraction)")
    }
    let steps = replay.stepCount
    let tuningSteps =
      holdOutFraction == 0 ? steps : Int((Double(steps) * (1 - holdOutFraction)).rounded(.down))
    guard tuningSteps >= 1, holdOutFraction == 0 || tuningSteps < steps else {
      throw .invalidInput(
        reason: "\(name): \(steps) steps cannot be split into a tuning part and a held-out "
          + "\(holdOutFraction * 100) % (each needs at least one step)")
    }
    self.name = name
    whole = replay
    if holdOutFraction == 0 {
      tuning = replay
      holdOutStartMilliseconds = nil
    } else {
      let split = replay.startMilliseconds + Int64(tuningSteps) * replay.timing.stepMilliseconds
      do {
        tuning = try Self.window(replay, end: split)
      } catch {
        throw .invalidInput(reason: "\(name): \(error.description)")
      }
      holdOutStartMilliseconds = split
    }
  }

  /// The same replay ending earlier.
  static func window(_ replay: VerticalReplay, end: Int64) throws(ReplayError) -> VerticalReplay {
    try VerticalReplay(
      vpa: replay.vpa, recommender: replay.recommender, updater: replay.updater,
      containers: replay.containers, replicas: replay.replicas, timing: replay.timing,
      startMilliseconds: replay.startMilliseconds, endMilliseconds: end,
      workloadName: replay.workloadName)
  }

  /// A stable identity: the name, the window, the step and a checksum of the usage samples.
  var identity: String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ value: UInt64) {
      hash ^= value
      hash = hash &* 0x0000_0100_0000_01b3
    }
    for usage in whole.containers {
      for series in [usage.cpuCores, usage.memoryBytes] {
        guard let series else {
          mix(0)
          continue
        }
        for (time, value) in zip(series.timestampsMilliseconds, series.values) {
          mix(UInt64(bitPattern: time))
          mix(value.bitPattern)
        }
      }
    }
    return "\(name)|\(whole.startMilliseconds)-\(whole.endMilliseconds)"
      + "|split=\(holdOutStartMilliseconds.map(String.init) ?? "none")"
      + "|step=\(whole.timing.stepMilliseconds)|usage=\(String(hash, radix: 16))"
  }
}

/// Scores recommender flags on vertical replays: the ``CandidateEvaluator`` the generic
/// ``SearchEngine`` drives for the vertical tuner.
///
/// A candidate's levels pick one value per dimension of ``space``; each dimension is a
/// ``VerticalParameter`` (by name) applied on top of ``base``. Scores are
/// ``VerticalObjectives`` carried in the generic ``Objectives`` slots.
public struct VerticalReplayEvaluator: CandidateEvaluator {
  /// The searched space (dimension names are ``VerticalParameter`` raw values).
  public let space: ParameterSpace
  /// The flags every candidate starts from (the seed): upstream defaults or the user's.
  public let base: RecommenderConfiguration
  /// The traces.
  public let scenarios: [VerticalTuningScenario]
  /// The parameter of each dimension, in dimension order.
  public let parameters: [VerticalParameter]
  private let identities: [String]

  /// Creates an evaluator.
  ///
  /// - Parameters:
  ///   - space: Real or integer dimensions named after ``VerticalParameter`` cases.
  ///   - base: The seed flags.
  ///   - scenarios: At least one trace.
  /// - Throws: ``TuningError/unknownParameter(name:)`` for a dimension that is not a
  ///   recommender parameter, ``TuningError/invalidDimension(name:reason:)`` for a categorical
  ///   one, ``TuningError/invalidInput(reason:)`` without scenarios or when the base flags
  ///   are invalid.
  public init(
    space: ParameterSpace, base: RecommenderConfiguration = RecommenderConfiguration(),
    scenarios: [VerticalTuningScenario]
  ) throws(TuningError) {
    var parameters: [VerticalParameter] = []
    for dimension in space.dimensions {
      guard let parameter = VerticalParameter(rawValue: dimension.name) else {
        throw .unknownParameter(name: dimension.name)
      }
      if case .categories = dimension.domain {
        throw .invalidDimension(
          name: dimension.name, reason: "a recommender parameter takes numbers, not categories")
      }
      parameters.append(parameter)
    }
    guard !scenarios.isEmpty else {
      throw .invalidInput(reason: "the vertical tuner needs at least one usage trace")
    }
    do throws(VerticalAutoscalingError) {
      try base.validate()
    } catch {
      throw .invalidInput(reason: "the seed recommender flags are invalid: \(error.description)")
    }
    self.space = space
    self.base = base
    self.scenarios = scenarios
    self.parameters = parameters
    identities = scenarios.map(\.identity)
  }

  /// One identity per scenario (name, window, step, usage checksum).
  public var scenarioIdentities: [String] { identities }

  /// Whether every scenario has a held-out rest.
  public var hasHoldOut: Bool {
    scenarios.allSatisfy { $0.holdOutStartMilliseconds != nil }
  }

  /// The recommender flags a candidate stands for.
  ///
  /// - Parameter levels: One level index per dimension (out-of-range levels are ignored).
  /// - Returns: ``base`` with each dimension's value applied, in dimension order.
  public func configuration(for levels: [Int]) -> RecommenderConfiguration {
    var configuration = base
    for (index, parameter) in parameters.enumerated() where index < levels.count {
      let domain = space.dimensions[index].domain
      guard (0..<domain.count).contains(levels[index]),
        let value = domain[levels[index]].numeric
      else { continue }
      parameter.apply(value, to: &configuration)
    }
    return configuration
  }

  /// The values of the space's parameters in a configuration, in dimension order.
  ///
  /// - Parameter configuration: The flags.
  /// - Returns: One `(name, value)` per dimension.
  public func parameterValues(of configuration: RecommenderConfiguration)
    -> [VerticalParameterValue]
  {
    parameters.map { VerticalParameterValue(name: $0.rawValue, value: $0.value(in: configuration)) }
  }

  /// Scores a candidate (the generic engine's entry point).
  ///
  /// - Parameters:
  ///   - levels: One level index per dimension.
  ///   - scenario: A scenario index.
  ///   - segment: The tuning part or the held-out rest.
  /// - Returns: ``VerticalObjectives`` in the generic slots.
  /// - Throws: ``TuningError/evaluationFailed(candidate:reason:)`` when the flags are invalid.
  public func objectives(for levels: [Int], scenario: Int, segment: Segment)
    throws(TuningError) -> Objectives
  {
    try score(configuration(for: levels), scenario: scenario, segment: segment).objectives
  }

  /// Scores a candidate on the first `fraction` of the tuning part (successive halving).
  ///
  /// - Parameters:
  ///   - levels: One level index per dimension.
  ///   - scenario: A scenario index.
  ///   - fraction: The share of the tuning part, 0 < fraction < 1 (at least one step).
  /// - Returns: The scores on that prefix.
  /// - Throws: As ``objectives(for:scenario:segment:)``.
  public func objectives(for levels: [Int], scenario: Int, tuningPrefix fraction: Double)
    throws(TuningError) -> Objectives
  {
    let tuning = scenarios[scenario].tuning
    let steps = max(1, Int((Double(tuning.stepCount) * fraction).rounded(.down)))
    let end = tuning.startMilliseconds + Int64(steps) * tuning.timing.stepMilliseconds
    guard end < tuning.endMilliseconds else {
      return try objectives(for: levels, scenario: scenario, segment: .tuning)
    }
    var prefix: VerticalReplay
    do {
      prefix = try VerticalTuningScenario.window(tuning, end: end)
      try prefix.replaceRecommender(configuration(for: levels))
    } catch {
      throw .evaluationFailed(candidate: 0, reason: error.description)
    }
    return Self.accumulate(prefix, from: nil).objectives.objectives
  }

  /// Scores recommender flags on one scenario.
  ///
  /// - Parameters:
  ///   - configuration: The flags.
  ///   - scenario: A scenario index.
  ///   - segment: `.tuning` replays the tuning part; `.holdOut` replays the whole window and
  ///     counts the steps from the split on (the tuning part when there is no hold-out).
  /// - Returns: The scores.
  /// - Throws: ``TuningError/evaluationFailed(candidate:reason:)`` when the flags are invalid.
  public func score(
    _ configuration: RecommenderConfiguration, scenario: Int, segment: Segment
  ) throws(TuningError) -> VerticalObjectives {
    let chosen = scenarios[scenario]
    let split = segment == .holdOut ? chosen.holdOutStartMilliseconds : nil
    var replay = split == nil ? chosen.tuning : chosen.whole
    do {
      try replay.replaceRecommender(configuration)
    } catch {
      throw .evaluationFailed(candidate: 0, reason: error.description)
    }
    return Self.accumulate(replay, from: split).objectives
  }

  /// Replays and adds up the rows at or after `from` (all rows for `nil`).
  static func accumulate(_ replay: VerticalReplay, from: Int64?) -> VerticalScoreAccumulator {
    var total = VerticalScoreAccumulator(replay: replay)
    let seconds = Double(replay.timing.stepMilliseconds) / 1000 * Double(replay.replicas)
    let first = from ?? Int64.min
    _ = replay.run { row in
      if row.timeMilliseconds >= first {
        total.add(row, seconds: seconds)
      } else {
        total.skip(row)
      }
    }
    return total
  }
}

/// A recommender parameter's value in a candidate.
public struct VerticalParameterValue: Sendable, Hashable, Codable {
  /// The ``VerticalParameter`` raw value.
  public var name: String
  /// The value in the parameter's unit (hours, MiB, millicores or a fraction).
  public var value: Double

  /// Creates a parameter value.
  ///
  /// - Parameters:
  ///   - name: The parameter's name.
  ///   - value: Its value.
  public init(name: String, value: Double) {
    self.name = name
    self.value = value
  }
}
