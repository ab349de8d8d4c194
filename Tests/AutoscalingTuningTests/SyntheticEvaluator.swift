import AutoscalingTuning

/// A closed-form stand-in for a replay, shaped like an HPA trade-off: a higher target and a
/// longer down window cost less/more, a faster scale-up policy buys SLO with actions.
///
/// Dimensions (by position): 0 = target level, 1 = scale-up speed level, 2 = scale-down
/// window level, and optional extra dimensions that add a small cost each.
struct SyntheticEvaluator: CandidateEvaluator {
  /// Per-scenario multipliers of cost and under-provisioning.
  var scenarios: [(cost: Double, risk: Double)] = [(1, 1)]
  var hasHoldOut = false
  /// Levels for which the evaluator reports a failure.
  var failing: Set<[Int]> = []

  var scenarioIdentities: [String] { scenarios.map { "synthetic(\($0.cost),\($0.risk))" } }

  func objectives(
    for levels: [Int], scenario: Int, segment: Segment
  ) throws(TuningError) -> Objectives {
    if failing.contains(levels) { throw .evaluationFailed(candidate: -1, reason: "synthetic") }
    return Self.score(levels, factors: scenarios[scenario], segment: segment)
  }

  /// The closed form, also used by tests to brute-force the expected answer.
  static func score(
    _ levels: [Int], factors: (cost: Double, risk: Double), segment: Segment
  ) -> Objectives {
    let target = Double(levels[0])
    let speed = Double(levels.count > 1 ? levels[1] : 0)
    let window = Double(levels.count > 2 ? levels[2] : 0)
    let extra = levels.dropFirst(3).reduce(0) { $0 + Double($1) }
    let holdOutShift = segment == .holdOut ? 1.1 : 1.0
    let cost = factors.cost * (1_000 - 60 * target + 25 * window + 8 * speed + 3 * extra)
    let risk =
      factors.risk * holdOutShift * 0.001 * (target * target + 4) / (1 + speed) + 0.0001 * window
    let actions = 200 / (1 + window) + 5 * speed
    return Objectives(
      replicaSeconds: cost, underProvisionedTimeShare: risk, unservedDemand: risk * 50,
      scalingActions: actions)
  }
}
