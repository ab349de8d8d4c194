import AutoscalingReplay
import AutoscalingTuning
import HorizontalAutoscaling

/// A validation inside the tuning part, to compare settings of the scoreboard's tuning by how
/// their choices hold on data the search did not see, without the held-out part.
///
/// Each trace's tuning part (its first 75 %) is cut again: the search runs on its first two
/// thirds (the first 50 % of the trace, as 2 robustness windows of 25 % each), and its choice
/// is scored on the last third (the trace's third quarter, as long as the held-out part)
/// against the seed, the way the scoreboard scores the held-out part. The held-out last 25 %
/// is never replayed here.
///
/// The settings compared, and the rule that decides between them (fixed before the first
/// run): count the traces whose validation quarter meets the target (≥ 25 % fewer
/// replica-hours at no more under-provisioned time than the seed), then, on a tie, the traces
/// whose τU there is within the seed's. The setting with the larger count wins; a tie keeps
/// the scoreboard's setting.
extension HPAFamily {
  /// One setting of the tuning: a label, the stability factor and the space (`nil`: the
  /// scoreboard's).
  struct ValidationSetting {
    let label: String
    let actionsFactor: Double?
    let space: ParameterSpace?
  }

  /// The settings compared, the scoreboard's first: at most twice the seed's scaling actions
  /// (``actionsFactor``), no stability bound, at most once, and the previous space (memory
  /// targets up to 100 %) without a stability bound.
  ///
  /// The first run (2026-11-30), when the scoreboard had no stability bound, compared the
  /// same four; the rule picked twice the seed's actions, which the scoreboard then adopted.
  func validationSettings() throws -> [ValidationSetting] {
    [
      ValidationSetting(
        label: "≤ 2 × seed's actions (scoreboard)", actionsFactor: Self.actionsFactor, space: nil),
      ValidationSetting(label: "no stability bound", actionsFactor: nil, space: nil),
      ValidationSetting(label: "≤ seed's actions", actionsFactor: 1, space: nil),
      ValidationSetting(
        label: "memory ≤ 100 %, no stability bound", actionsFactor: nil,
        space: try Self.memoryTo100Space(minReplicas: manifestSpec.minReplicas)),
    ]
  }

  /// What one setting's choice did on a trace's validation quarter.
  struct ValidationOutcome {
    let label: String
    /// Whether the choice saves at least 25 % at no more τU than the seed there.
    let meetsTarget: Bool
    /// Whether its τU there is within the seed's.
    let withinSeed: Bool
    let line: String
  }

  /// Tunes `trace` on its first 50 % under each setting and scores each choice on its third
  /// quarter.
  func validationCheck(
    _ trace: ScoreboardTrace, settings: [ValidationSetting]
  ) throws -> [ValidationOutcome] {
    let (start, split, _, _) = try parts(trace)
    let tuningSteps = (split - start) / Self.stepMilliseconds
    let innerSplit = start + (tuningSteps * 2 / 3) * Self.stepMilliseconds
    guard innerSplit > start, innerSplit < split else {
      throw ScoreboardFailure("\(trace.name): too short to validate inside its tuning part")
    }
    let seed = try replay(manifestSpec, trace, from: innerSplit, to: split).run()
    let innerRobustness = WindowRobustness(windows: 2, margin: Self.robustness.margin)
    var outcomes: [ValidationOutcome] = []
    for setting in settings {
      guard
        let tuned = try tune(
          trace, until: innerSplit, actionsFactor: setting.actionsFactor, space: setting.space,
          robustness: innerRobustness)
      else {
        outcomes.append(
          ValidationOutcome(
            label: setting.label, meetsTarget: false, withinSeed: false,
            line: "  \(setting.label): the search returned no candidate"))
        continue
      }
      let verdict = TargetVerdict(
        try replay(tuned.spec, trace, from: innerSplit, to: split).run(), seed: seed)
      let kept = tuned.details["keptSeed"] == "true"
      outcomes.append(
        ValidationOutcome(
          label: setting.label, meetsTarget: verdict.meetsTarget, withinSeed: verdict.withinSeed,
          line: "  \(setting.label):" + (kept ? " seed kept;" : "") + " validation "
            + verdict.text))
    }
    return outcomes
  }

  /// The tally over traces and the setting the rule above picks.
  static func validationTally(
    _ outcomes: [[ValidationOutcome]], settings: [ValidationSetting]
  ) -> [String] {
    var lines = ["validation quarter, over \(outcomes.count) traces:"]
    var best: (label: String, meets: Int, within: Int)?
    for setting in settings {
      let mine = outcomes.compactMap { $0.first { $0.label == setting.label } }
      let meets = mine.filter(\.meetsTarget).count
      let within = mine.filter(\.withinSeed).count
      lines.append("  \(setting.label): target met on \(meets), τU within the seed's on \(within)")
      if let current = best, (meets, within) <= (current.meets, current.within) { continue }
      best = (setting.label, meets, within)
    }
    if let best { lines.append("  the rule picks: \(best.label)") }
    return lines
  }
}
