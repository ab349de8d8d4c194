import AutoscalingReplay
import AutoscalingTuning
import HorizontalAutoscaling

/// A diagnostic of the tuning setup: several searches on the tuning part (first 75 %) of one
/// trace, compared on what the search sees only — the held-out part is never replayed here,
/// so settings chosen from this output are not fitted to it.
extension HPAFamily {
  /// The space of the previous sessions: targets up to 95 %, tolerances from 0.02 down.
  static func narrowSpace(minReplicas: Int) throws -> ParameterSpace {
    try ParameterSpace(dimensions: [
      Dimension(HPAParameter.scaleUpStabilizationWindow, .integers([0, 15, 30, 60, 120])),
      Dimension(HPAParameter.scaleUpPolicyType, .categories(["Percent"])),
      Dimension(HPAParameter.scaleUpPolicyValue, .integers([50, 100, 200, 400, 900])),
      Dimension(HPAParameter.scaleUpPolicyPeriod, .integers([15])),
      Dimension(HPAParameter.scaleUpTolerance, .reals([0, 0.02, 0.05, 0.1])),
      Dimension(
        HPAParameter.scaleDownStabilizationWindow, .integers([0, 60, 120, 300, 600, 900])),
      Dimension(HPAParameter.scaleDownPolicyType, .categories(["Percent"])),
      Dimension(HPAParameter.scaleDownPolicyValue, .integers([5, 10, 25, 50, 100])),
      Dimension(HPAParameter.scaleDownPolicyPeriod, .integers([15, 60, 120, 300])),
      Dimension(HPAParameter.scaleDownTolerance, .reals([0.02, 0.05, 0.1, 0.2])),
      Dimension(
        HPAParameter.cpuUtilization, .integers(Array(stride(from: 50, through: 95, by: 5)))),
      Dimension(
        HPAParameter.memoryUtilization, .integers(Array(stride(from: 60, through: 95, by: 5)))),
      Dimension(
        HPAParameter.podsTargetPercent, .integers([70, 80, 90, 100, 110, 120, 135, 150])),
      Dimension(HPAParameter.minReplicas, .integers(Array(Set([1, minReplicas])).sorted())),
    ])
  }

  /// The scoreboard's space before 2026-11-30's revision: memory targets from 60 % to 100 %
  /// only, so the memory metric (half the request idle) always holds some pods.
  static func memoryTo100Space(minReplicas: Int) throws -> ParameterSpace {
    let dimensions = try space(minReplicas: minReplicas).dimensions.map { dimension in
      dimension.name == HPAParameter.memoryUtilization.rawValue
        ? Dimension(
          HPAParameter.memoryUtilization, .integers(Array(stride(from: 60, through: 100, by: 5))))
        : dimension
    }
    return try ParameterSpace(dimensions: dimensions)
  }

  /// Runs the searches on the tuning part of `trace` and returns one line per search.
  func searchCheck(_ trace: ScoreboardTrace) throws -> [String] {
    let (_, split, _, _) = try parts(trace)
    let scenario = try scenario(trace, to: split)
    let windows = try scenario.windows(Self.robustness.windows)
    let narrow = try Self.narrowSpace(minReplicas: manifestSpec.minReplicas)
    let memoryTo100 = try Self.memoryTo100Space(minReplicas: manifestSpec.minReplicas)
    let wide = try Self.space(minReplicas: manifestSpec.minReplicas)
    let extended = try Self.extendedSpace(minReplicas: manifestSpec.minReplicas)
    let runs: [(String, ParameterSpace, Strategy, Int)] = [
      ("narrow refine(1) 320", narrow, .refine(seed: 1), 320),
      ("memory ≤ 100 refine(1) 1000", memoryTo100, .refine(seed: 1), 1000),
      ("wide refine(1) 1000", wide, .refine(seed: 1), 1000),
      ("wide refine(1, 600 initial) 1000", wide, .refine(seed: 1, initialSamples: 600), 1000),
      ("extended refine(1) 1000", extended, .refine(seed: 1), 1000),
      (
        "extended refine(1, 600 initial) 1000", extended, .refine(seed: 1, initialSamples: 600),
        1000
      ),
    ]
    var lines: [String] = []
    for (label, space, strategy, budget) in runs {
      let tuner = try BehaviorTuner(
        scenarios: [scenario], space: space, strategy: strategy, budget: budget,
        maxUnderProvisionedTimeShare: nil, robustness: Self.robustness, holdOutFraction: 0)
      guard let result = Self.result(of: tuner), let chosen = result.chosen else {
        lines.append("  \(label): no result")
        continue
      }
      let saved =
        1 - chosen.scores.tuning.replicaSeconds / max(result.current.tuning.replicaSeconds, 1e-9)
      let parameters = chosen.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
      lines.append(
        "  \(label): saved \(Rendering.fixed(100 * saved, 1)) % met=\(result.constraintMet) "
          + "τU \(Self.list(chosen.scores.tuning.windowUnderProvisionedTimeShares)) vs seed "
          + "\(Self.list(result.current.tuning.windowUnderProvisionedTimeShares)) "
          + "evaluated \(result.search.evaluations.count) | \(parameters)")
      // Where each window is short: the steps (minutes from the window's start) on which the
      // seed and the chosen configuration have fewer ready pods than the demand needs.
      let chosenSpec = try chosen.overrides.applied(to: manifestSpec)
      for (index, window) in windows.enumerated() {
        var described: [String] = []
        for (name, spec) in [("seed", manifestSpec), ("chosen", chosenSpec)] {
          let run = try replay(
            spec, trace, from: window.startMilliseconds, to: window.endMilliseconds)
          var short: [String] = []
          var step = 0
          _ = run.run { row in
            if Double(row.readyReplicas) < Self.requiredPods(for: row.demand) {
              short.append(
                Rendering.fixed(Double(step) * Double(Self.stepMilliseconds) / 60_000, 2))
            }
            step += 1
          }
          described.append("\(name) short at min [\(short.joined(separator: " "))]")
        }
        lines.append("    window \(index + 1): " + described.joined(separator: "; "))
      }
      // The nearest cheaper candidates that change one parameter: why the search stopped.
      let seedCost = max(result.current.tuning.replicaSeconds, 1e-9)
      let neighbourhood = result.search.neighbourhood(of: chosen.evaluation)
      lines.append(
        "    one-level neighbours evaluated: \(neighbourhood.oneLevelEvaluated) of "
          + "\(neighbourhood.oneLevelNeighbours)")
      for alternative in neighbourhood.cheaper {
        let objectives = alternative.evaluation.objectives
        lines.append(
          "    \(alternative.name) \(alternative.from) → \(alternative.to): saved "
            + "\(Rendering.fixed(100 * (1 - objectives.replicaSeconds / seedCost), 1)) % "
            + "τU \(Self.list(objectives.windowUnderProvisionedTimeShares)) "
            + "met=\(alternative.violations.isEmpty)")
      }
    }
    return lines
  }
}

/// A bound on what tuning in the scoreboard's space can reach on the held-out part: the same
/// search run on the held-out part itself (an oracle that sees what tuning must not), with
/// the scoreboard's target as its constraint — no more under-provisioned time than the seed
/// on that part. It is never used to choose anything; when even the oracle's choice saves
/// less than 25 %, no configuration the search finds in the space meets the target there,
/// however it is tuned.
extension HPAFamily {
  /// The scoreboard's space with second policies in both directions (`Pods` 1, 2 or 4 per
  /// 15 s up, per 15 or 60 s down) and every `selectPolicy`: the other fields of
  /// `behavior` the issue names.
  static func extendedSpace(minReplicas: Int) throws -> ParameterSpace {
    try ParameterSpace(
      dimensions: space(minReplicas: minReplicas).dimensions + [
        Dimension(HPAParameter.scaleUpSecondPolicyType, .categories(["None", "Pods"])),
        Dimension(HPAParameter.scaleUpSecondPolicyValue, .integers([1, 2, 4])),
        Dimension(HPAParameter.scaleUpSecondPolicyPeriod, .integers([15])),
        Dimension(HPAParameter.scaleUpSelectPolicy, .categories(["Max", "Min"])),
        Dimension(HPAParameter.scaleDownSecondPolicyType, .categories(["None", "Pods"])),
        Dimension(HPAParameter.scaleDownSecondPolicyValue, .integers([1, 2, 4])),
        Dimension(HPAParameter.scaleDownSecondPolicyPeriod, .integers([15, 60])),
        Dimension(HPAParameter.scaleDownSelectPolicy, .categories(["Max", "Min"])),
      ])
  }

  /// The spaces the oracle searches: the scoreboard's, then ``extendedSpace(minReplicas:)``.
  func oracleSpaces() throws -> [(String, ParameterSpace)] {
    [
      ("scoreboard space", try Self.space(minReplicas: manifestSpec.minReplicas)),
      ("with second policies", try Self.extendedSpace(minReplicas: manifestSpec.minReplicas)),
    ]
  }

  /// The scoreboard's robustness windows of the tuning part `[start, split)` of `trace`.
  func tuningWindows(_ trace: ScoreboardTrace, split: Int64) throws -> [TuningScenario] {
    try scenario(trace, to: split).windows(Self.robustness.windows)
  }

  /// One configuration on the tuning windows and the held-out part `[split, end)`, replayed
  /// as the scoreboard replays them.
  ///
  /// - Returns: Each window's under-provisioned time share (0…1), the windows' replica-seconds
  ///   together, and the held-out part's scorecard.
  func partScores(
    _ spec: HorizontalPodAutoscalerSpec, _ trace: ScoreboardTrace, windows: [TuningScenario],
    split: Int64, end: Int64
  ) throws -> (tuning: [Double], tuningCost: Double, heldOut: Scorecard) {
    let cards = try windows.map {
      try $0.replay(spec, start: $0.startMilliseconds, end: $0.endMilliseconds).run()
    }
    return (
      cards.map(\.underProvisionedTimeShare), cards.reduce(0) { $0 + $1.replicaSeconds },
      try replay(spec, trace, from: split, to: end).run()
    )
  }

  /// Runs the oracle search on the held-out part of `trace` and returns lines for the log.
  func oracleCheck(
    _ trace: ScoreboardTrace, space: ParameterSpace, budget: Int
  ) throws -> [String] {
    let (_, split, end, _) = try parts(trace)
    let tuner = try BehaviorTuner(
      scenarios: [scenario(trace, from: split, to: end)], space: space,
      strategy: .refine(seed: 1), budget: budget, maxUnderProvisionedTimeShare: nil,
      holdOutFraction: 0)
    guard let result = Self.result(of: tuner), let chosen = result.chosen else {
      return ["  oracle: no result"]
    }
    // The seed and the oracle's choice replayed as the scoreboard replays the held-out part,
    // and on the tuning part's windows, as the scoreboard's tuning judges a candidate.
    let chosenSpec = try chosen.overrides.applied(to: manifestSpec)
    let windows = try tuningWindows(trace, split: split)
    let seedParts = try partScores(manifestSpec, trace, windows: windows, split: split, end: end)
    let chosenParts = try partScores(chosenSpec, trace, windows: windows, split: split, end: end)
    let (seedCard, chosenCard) = (seedParts.heldOut, chosenParts.heldOut)
    let (seedShares, chosenShares) = (seedParts.tuning, chosenParts.tuning)
    let (seedCost, chosenCost) = (seedParts.tuningCost, chosenParts.tuningCost)
    let saved = 1 - chosenCard.replicaSeconds / max(seedCard.replicaSeconds, 1e-9)
    let neighbourhood = result.search.neighbourhood(of: chosen.evaluation)
    let parameters = chosen.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    let admissible = zip(chosenShares, seedShares).allSatisfy { $0 <= $1 }
    return [
      "  oracle (held-out searched, \(result.search.evaluations.count) candidates): saved "
        + "\(Rendering.fixed(100 * saved, 1)) % met=\(result.constraintMet) "
        + "τU \(Rendering.fixed(100 * chosenCard.underProvisionedTimeShare, 3)) % vs seed "
        + "\(Rendering.fixed(100 * seedCard.underProvisionedTimeShare, 3)) %, replica-h "
        + "\(Rendering.fixed(chosenCard.replicaSeconds / 3600, 1)) vs "
        + "\(Rendering.fixed(seedCard.replicaSeconds / 3600, 1)); one-level neighbours "
        + "evaluated \(neighbourhood.oneLevelEvaluated) of \(neighbourhood.oneLevelNeighbours)",
      "    \(parameters)",
      "    on the tuning part's windows: saved "
        + "\(Rendering.fixed(100 * (1 - chosenCost / max(seedCost, 1e-9)), 1)) % τU "
        + "\(Self.list(chosenShares)) vs seed \(Self.list(seedShares)) → "
        + (admissible
          ? "admissible to the tuning"
          : "not admissible to the tuning (short on more steps than the seed)"),
    ]
  }
}

/// The oracle's question asked of every configuration the tuning may choose: among the
/// configurations with no more under-provisioned time than the seed on each tuning window,
/// which saves most on the held-out part at no more under-provisioned time than the seed
/// there? The search runs on the whole trace cut into 4 windows (the 3 tuning windows and the
/// held-out part, each a quarter), steered by the whole trace's cost; every candidate that it
/// finds within the seed's bound on all 4 is then replayed on the exact tuning windows and
/// held-out part of the scoreboard.
extension HPAFamily {
  /// Runs the joint search on `trace` and returns lines for the log.
  func jointCheck(
    _ trace: ScoreboardTrace, space: ParameterSpace, budget: Int, checked: Int
  ) throws -> [String] {
    let (_, split, end, _) = try parts(trace)
    let tuner = try BehaviorTuner(
      scenarios: [scenario(trace)], space: space, strategy: .refine(seed: 1), budget: budget,
      maxUnderProvisionedTimeShare: nil,
      robustness: WindowRobustness(windows: Self.robustness.windows + 1), holdOutFraction: 0)
    guard let result = Self.result(of: tuner) else { return ["  joint: no result"] }
    let selection = result.search.configuration.selection
    let within = result.search.evaluations
      .filter { selection.violations(of: $0.objectives).isEmpty }
      .sorted { $0.objectives.replicaSeconds < $1.objectives.replicaSeconds }
    let mapper = try HPAOverrideMapper(space: result.search.space)
    let windows = try tuningWindows(trace, split: split)
    func shares(
      _ spec: HorizontalPodAutoscalerSpec
    ) throws -> (tuning: [Double], tuningCost: Double, heldOut: Scorecard) {
      try partScores(spec, trace, windows: windows, split: split, end: end)
    }
    let seed = try shares(manifestSpec)
    var best: (saving: Double, parameters: String, tuningSaving: Double)?
    var admissible = 0
    for evaluation in within.prefix(checked) {
      let spec = try mapper.overrides(for: evaluation.levels).applied(to: manifestSpec)
      let candidate = try shares(spec)
      guard zip(candidate.tuning, seed.tuning).allSatisfy({ $0 <= $1 }) else { continue }
      admissible += 1
      guard candidate.heldOut.underProvisionedTimeShare <= seed.heldOut.underProvisionedTimeShare
      else { continue }
      let saving = 1 - candidate.heldOut.replicaSeconds / max(seed.heldOut.replicaSeconds, 1e-9)
      if saving > best?.saving ?? -.infinity {
        let parameters = result.search.parameters(of: evaluation)
          .map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        best = (saving, parameters, 1 - candidate.tuningCost / max(seed.tuningCost, 1e-9))
      }
    }
    var lines = [
      "  joint (whole trace in 4 windows, \(result.search.evaluations.count) candidates, "
        + "\(within.count) within the seed's bound on all 4; the cheapest "
        + "\(min(checked, within.count)) checked exactly, \(admissible) admissible to the "
        + "tuning): "
        + (best.map {
          "best held-out saving at no more τU than the seed "
            + "\(Rendering.fixed(100 * $0.saving, 1)) % "
            + "(tuning part: \(Rendering.fixed(100 * $0.tuningSaving, 1)) %)"
        } ?? "none at no more held-out τU than the seed")
    ]
    if let best { lines.append("    \(best.parameters)") }
    return lines
  }
}
