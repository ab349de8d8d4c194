public import AutoscalingReplay
import HorizontalAutoscaling

extension Objectives {
  /// The objectives of a replay's scorecard.
  ///
  /// - Parameter scorecard: The scorecard.
  public init(_ scorecard: Scorecard) {
    self.init(
      replicaSeconds: scorecard.replicaSeconds,
      underProvisionedTimeShare: scorecard.underProvisionedTimeShare,
      unservedDemand: scorecard.unservedDemand, scalingActions: Double(scorecard.scalingActions))
  }
}

/// Scores candidates by replaying the user's HPA with the candidate's fields over each
/// scenario's tuning or held-out window.
struct ReplayEvaluator: CandidateEvaluator {
  private struct Prepared: Sendable {
    var scenario: TuningScenario
    var tuningReplay: Replay
    var holdOutReplay: Replay?
    /// Replays of prefixes of the tuning part, by fraction (successive halving's rungs).
    var prefixReplays: [(fraction: Double, replay: Replay)]
    /// The tuning part cut into robustness windows, each replayed from the initial state
    /// (as the held-out part is); empty without robustness windows.
    var windowReplays: [Replay]
  }

  private let prepared: [Prepared]
  private let mapper: HPAOverrideMapper
  private let featureGates: FeatureGates
  let hasHoldOut: Bool
  let scenarioIdentities: [String]

  init(
    scenarios: [TuningScenario], mapper: HPAOverrideMapper, holdOutFraction: Double,
    prefixFractions: [Double] = [], robustnessWindows: Int = 1, featureGates: FeatureGates
  ) throws(TuningError) {
    var prepared: [Prepared] = []
    var identities: [String] = []
    for scenario in scenarios {
      try Self.checkBounds(mapper.space, against: scenario.autoscaler)
      let (tuning, holdOut) = try scenario.split(holdOutFraction: holdOutFraction)
      var prefixes: [(fraction: Double, replay: Replay)] = []
      for fraction in prefixFractions where fraction > 0 && fraction < 1 {
        let end = Self.prefixEnd(
          of: tuning, fraction: fraction, step: scenario.timing.stepMilliseconds)
        prefixes.append(
          (fraction, try scenario.replay(scenario.autoscaler, start: tuning.lowerBound, end: end)))
      }
      var windows: [Replay] = []
      if robustnessWindows > 1 {
        var tuningPart = scenario
        tuningPart.startMilliseconds = tuning.lowerBound
        tuningPart.endMilliseconds = tuning.upperBound
        for window in try tuningPart.windows(robustnessWindows) {
          windows.append(
            try scenario.replay(
              scenario.autoscaler, start: window.startMilliseconds, end: window.endMilliseconds))
        }
      }
      prepared.append(
        Prepared(
          scenario: scenario,
          tuningReplay: try scenario.replay(
            scenario.autoscaler, start: tuning.lowerBound, end: tuning.upperBound),
          holdOutReplay: try holdOut.map { (window) throws(TuningError) in
            try scenario.replay(
              scenario.autoscaler, start: window.lowerBound, end: window.upperBound)
          },
          prefixReplays: prefixes, windowReplays: windows))
      identities.append(
        scenario.identity + "@hold-out=\(holdOutFraction)"
          + (robustnessWindows > 1 ? "@windows=\(robustnessWindows)" : ""))
    }
    self.prepared = prepared
    self.mapper = mapper
    self.featureGates = featureGates
    self.hasHoldOut = holdOutFraction > 0
    self.scenarioIdentities = identities
  }

  /// Refuses replica levels that the user's other bound makes invalid whatever the candidate.
  private static func checkBounds(
    _ space: ParameterSpace, against spec: HorizontalPodAutoscalerSpec
  ) throws(TuningError) {
    for dimension in space.dimensions {
      guard let parameter = HPAParameter(rawValue: dimension.name),
        let name = HPAOverrides.inapplicableTarget(parameter, in: spec)
      else { continue }
      throw .invalidParameterValue(
        name: name, value: dimension.domain[0].description,
        rule: "the HPA has no metric this parameter sets (\(name) needs a "
          + (parameter == .podsTargetPercent ? "Pods metric" : "Utilization target of that resource")
          + "); remove it from the space")
    }
    let minimum = space.index(of: HPAParameter.minReplicas.rawValue)
    let maximum = space.index(of: HPAParameter.maxReplicas.rawValue)
    if let minimum, maximum == nil {
      for level in 0..<space.dimensions[minimum].domain.count {
        let value = space.dimensions[minimum].domain[level]
        if (value.numeric ?? 0) > Double(spec.maxReplicas) {
          throw .invalidParameterValue(
            name: HPAParameter.minReplicas.rawValue, value: value.description,
            rule: "minReplicas must not exceed the HPA's maxReplicas (\(spec.maxReplicas))")
        }
      }
    }
    if let maximum, minimum == nil {
      for level in 0..<space.dimensions[maximum].domain.count {
        let value = space.dimensions[maximum].domain[level]
        if (value.numeric ?? 0) < Double(spec.minReplicas) {
          throw .invalidParameterValue(
            name: HPAParameter.maxReplicas.rawValue, value: value.description,
            rule: "maxReplicas must be at least the HPA's minReplicas (\(spec.minReplicas))")
        }
      }
    }
  }

  func objectives(
    for levels: [Int], scenario: Int, segment: Segment
  ) throws(TuningError) -> Objectives {
    try objectives(mapper.overrides(for: levels), scenario: scenario, segment: segment)
  }

  func objectives(
    for levels: [Int], scenario index: Int, tuningPrefix fraction: Double
  ) throws(TuningError) -> Objectives {
    let prepared = self.prepared[index]
    let base: Replay
    if let cached = prepared.prefixReplays.first(where: { $0.fraction == fraction }) {
      base = cached.replay
    } else {
      let tuning = prepared.tuningReplay
      let end = Self.prefixEnd(
        of: tuning.startMilliseconds..<tuning.endMilliseconds, fraction: fraction,
        step: prepared.scenario.timing.stepMilliseconds)
      base = try prepared.scenario.replay(
        prepared.scenario.autoscaler, start: tuning.startMilliseconds, end: end)
    }
    let overrides = mapper.overrides(for: levels)
    return Objectives(try apply(overrides, to: base, scenario: prepared.scenario).run())
  }

  /// The end of the first `fraction` of a window, in whole steps (at least one).
  private static func prefixEnd(of window: Range<Int64>, fraction: Double, step: Int64) -> Int64 {
    let steps = (window.upperBound - window.lowerBound + step - 1) / step
    let kept = min(steps, max(1, Int64((Double(steps) * fraction).rounded(.up))))
    return min(window.upperBound, window.lowerBound + kept * step)
  }

  func objectives(
    _ overrides: HPAOverrides, scenario: Int, segment: Segment
  ) throws(TuningError) -> Objectives {
    let prepared = self.prepared[scenario]
    guard segment == .tuning, !prepared.windowReplays.isEmpty else {
      return Objectives(try replay(overrides, scenario: scenario, segment: segment).run())
    }
    // Robustness windows: the tuning part's scores are the windows' together (sums, and the
    // step-weighted share), plus each window's own share.
    var total = Objectives(
      replicaSeconds: 0, underProvisionedTimeShare: 0, unservedDemand: 0, scalingActions: 0,
      windowUnderProvisionedTimeShares: [])
    var shares: [Double] = []
    shares.reserveCapacity(prepared.windowReplays.count)
    var steps = 0
    for window in prepared.windowReplays {
      let card = try apply(overrides, to: window, scenario: prepared.scenario).run()
      total.replicaSeconds += card.replicaSeconds
      total.unservedDemand += card.unservedDemand
      total.scalingActions += Double(card.scalingActions)
      total.underProvisionedTimeShare += card.underProvisionedTimeShare * Double(window.stepCount)
      steps += window.stepCount
      shares.append(card.underProvisionedTimeShare)
    }
    total.underProvisionedTimeShare /= Double(max(steps, 1))
    total.windowUnderProvisionedTimeShares = shares
    return total
  }

  /// The replay of a configuration on one window of one scenario.
  func replay(
    _ overrides: HPAOverrides, scenario index: Int, segment: Segment
  ) throws(TuningError) -> Replay {
    let prepared = self.prepared[index]
    var replay: Replay
    switch segment {
    case .tuning:
      replay = prepared.tuningReplay
    case .holdOut:
      guard let holdOut = prepared.holdOutReplay else {
        throw .invalidInput(reason: "no hold-out window: the hold-out fraction is 0")
      }
      replay = holdOut
    }
    return try apply(overrides, to: replay, scenario: prepared.scenario)
  }

  /// A replay with a configuration's fields applied.
  private func apply(
    _ overrides: HPAOverrides, to base: Replay, scenario: TuningScenario
  ) throws(TuningError) -> Replay {
    var replay = base
    let keepsMetricsAndBounds = !overrides.setsMetricsOrBounds
    if keepsMetricsAndBounds && !overrides.setsBehavior { return replay }
    let spec = try overrides.applied(to: scenario.autoscaler, featureGates: featureGates)
    do {
      if keepsMetricsAndBounds {
        try replay.replaceBehavior(spec.behavior)  // the cheap path: metrics kept as resolved
      } else {
        try replay.replaceAutoscaler(spec)
      }
    } catch {
      throw .invalidInput(reason: "the tuned HPA cannot be replayed: \(error)")
    }
    return replay
  }
}
