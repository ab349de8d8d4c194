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

  /// Runs the searches on the tuning part of `trace` and returns one line per search.
  func searchCheck(_ trace: ScoreboardTrace) throws -> [String] {
    let probe = try replay(manifestSpec, trace, from: nil, to: nil)
    let steps = Int64(probe.stepCount)
    let tuningSteps = Int64((Double(steps) * (1 - Self.holdOutFraction)).rounded(.down))
    let split = probe.startMilliseconds + tuningSteps * Self.stepMilliseconds
    let scenario = try TuningScenario(
      name: trace.name, autoscaler: manifestSpec, workload: workload, demand: trace.demand,
      endMilliseconds: split, seed: 0)
    let narrow = try Self.narrowSpace(minReplicas: manifestSpec.minReplicas)
    let wide = try Self.space(minReplicas: manifestSpec.minReplicas)
    let runs: [(String, ParameterSpace, Strategy, Int)] = [
      ("narrow refine(1) 320", narrow, .refine(seed: 1), 320),
      ("wide refine(1) 1000", wide, .refine(seed: 1), 1000),
    ]
    var lines: [String] = []
    for (label, space, strategy, budget) in runs {
      let tuner = try BehaviorTuner(
        scenarios: [scenario], space: space, strategy: strategy, budget: budget,
        maxUnderProvisionedTimeShare: nil, robustness: Self.robustness, holdOutFraction: 0)
      guard let outcome = waitFor({ () async -> TuningResult? in try? await tuner.tune() }),
        let result = outcome, let chosen = result.chosen
      else {
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
      var part = scenario
      part.startMilliseconds = probe.startMilliseconds
      part.endMilliseconds = split
      let chosenSpec = try chosen.overrides.applied(to: manifestSpec)
      for (index, window) in try part.windows(Self.robustness.windows).enumerated() {
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
