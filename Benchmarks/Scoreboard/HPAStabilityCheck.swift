import AutoscalingReplay
import AutoscalingTuning

/// What the stability bound does on the scoreboard's traces: the tuning without a bound on
/// scaling actions, with at most twice the seed's on the tuning part (the scoreboard's setting,
/// ``HPAFamily/actionsFactor``, chosen by `hpa-validate:TEXT` without the held-out part) and
/// with at most once, each scored on the held-out part as the scoreboard scores it. A
/// comparison for the README; it chooses nothing.
extension HPAFamily {
  /// One line per setting: tuning-part and held-out saving, held-out τU and scaling actions
  /// against the seed's, and whether the ≥ 25 % target is met.
  func stabilityCheck(_ trace: ScoreboardTrace) throws -> [String] {
    let (_, split, end, _) = try parts(trace)
    let seed = try replay(manifestSpec, trace, from: split, to: end).run()
    var lines: [String] = []
    for (label, factor) in [
      ("no stability bound", nil), ("≤ 2 × seed's actions (scoreboard)", Self.actionsFactor),
      ("≤ seed's actions", 1.0),
    ] as [(String, Double?)] {
      guard let tuned = try tune(trace, until: split, actionsFactor: factor) else {
        lines.append("  \(label): the search returned no candidate")
        continue
      }
      let verdict = TargetVerdict(
        try replay(tuned.spec, trace, from: split, to: end).run(), seed: seed)
      let tuningSaved =
        1 - (Double(tuned.details["tunedTuningReplicaSeconds"] ?? "") ?? .nan)
        / max(Double(tuned.details["seedTuningReplicaSeconds"] ?? "") ?? .nan, 1e-9)
      let kept = tuned.details["keptSeed"] == "true"
      let bound = tuned.details["maxScalingActions"].map { " (bound \($0))" } ?? ""
      lines.append(
        "  \(label)\(bound): tuning part \(Rendering.fixed(100 * tuningSaved, 1)) %"
          + (kept ? " (seed kept)" : "") + "; held-out " + verdict.text)
    }
    return lines
  }
}
