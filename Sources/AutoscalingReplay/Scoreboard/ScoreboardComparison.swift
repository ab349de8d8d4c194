/// How much worse a figure may get between two runs before it counts as a regression.
///
/// Quality figures come from deterministic replays, so the tolerance only absorbs deliberate
/// small trade-offs; speed figures are compared as ratios of throughput (new ops/s ÷ old ops/s),
/// never as absolute times, against the noise of the machine.
public struct RegressionTolerance: Sendable, Hashable, Codable {
  /// The relative allowance of a quality figure: a fraction of the old value's magnitude
  /// (`0.02` allows 2 % worse).
  public var relative: Double
  /// An absolute allowance per figure key, in the figure's own unit (fractions 0…1 for time
  /// shares, counts for actions); the larger of this and the relative allowance applies.
  /// Keys not listed get no absolute allowance.
  public var absolute: [String: Double]
  /// Keys whose figure is better when larger; every other figure is better when smaller.
  public var higherIsBetter: Set<String>
  /// Keys whose figure is better when closer to zero (signed figures such as `jitter`).
  public var closerToZeroIsBetter: Set<String>
  /// The speed noise: a benchmark regressed when `new ops/s ÷ old ops/s < 1 − speedNoise`
  /// (`0.3` tolerates a 30 % drop, which the shared 2-core machine produces on its own).
  public var speedNoise: Double

  /// The defaults the harness states: 2 % relative; 0.001 (0.1 percentage point) on time
  /// shares and accuracies; 1 on counts; speed noise 30 %. Node allocation shares (the share of
  /// allocatable CPU, memory and GPUs requested by pods) are better when higher.
  public static let standard = RegressionTolerance(
    relative: 0.02,
    absolute: [
      "underProvisionedTimeShare": 0.001, "overProvisionedTimeShare": 0.001,
      "underProvisioningAccuracy": 0.001, "overProvisioningAccuracy": 0.001,
      "maxReplicas": 1, "scalingActions": 1, "directionReversals": 1,
    ],
    higherIsBetter: ["meanCpuAllocation", "meanMemoryAllocation", "meanGpuAllocation"],
    closerToZeroIsBetter: ["jitter"], speedNoise: 0.3)

  /// Creates a tolerance.
  ///
  /// - Parameters:
  ///   - relative: Relative allowance of quality figures, a fraction ≥ 0.
  ///   - absolute: Absolute allowance by key, in each figure's unit.
  ///   - higherIsBetter: Keys better when larger.
  ///   - closerToZeroIsBetter: Keys better when closer to zero.
  ///   - speedNoise: Tolerated throughput drop, a fraction in 0…1.
  public init(
    relative: Double, absolute: [String: Double], higherIsBetter: Set<String> = [],
    closerToZeroIsBetter: Set<String> = [], speedNoise: Double
  ) {
    self.relative = relative
    self.absolute = absolute
    self.higherIsBetter = higherIsBetter
    self.closerToZeroIsBetter = closerToZeroIsBetter
    self.speedNoise = speedNoise
  }
}

/// One thing that got worse between two runs.
public struct Regression: Sendable, Hashable, Codable, CustomStringConvertible {
  /// What kind of figure regressed.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// A scoreboard figure got worse beyond the tolerance.
    case quality
    /// A benchmark's throughput dropped beyond the speed noise.
    case speed
    /// A row or figure of the old run is absent from the new one.
    case missing
  }

  /// The kind.
  public var kind: Kind
  /// The row: a ``QualityRow/identity`` or a benchmark name.
  public var identity: String
  /// The figure key (`operationsPerSecond` for speed, empty for a missing row).
  public var key: String
  /// The old value (NaN for a missing row).
  public var old: Double
  /// The new value (NaN when missing).
  public var new: Double
  /// The worst acceptable new value under the tolerance (NaN when missing).
  public var limit: Double

  /// Creates a regression record.
  ///
  /// - Parameters:
  ///   - kind: The kind.
  ///   - identity: The row.
  ///   - key: The figure.
  ///   - old: Old value.
  ///   - new: New value.
  ///   - limit: Worst acceptable new value.
  public init(kind: Kind, identity: String, key: String, old: Double, new: Double, limit: Double) {
    self.kind = kind
    self.identity = identity
    self.key = key
    self.old = old
    self.new = new
    self.limit = limit
  }

  /// One line for a person: what got worse, from what to what, and the limit it crossed.
  public var description: String {
    switch kind {
    case .missing:
      key.isEmpty
        ? "missing: \(identity) was in the old run but not in the new one"
        : "missing: \(identity) \(key) was in the old run but not in the new one"
    case .quality:
      "worse: \(identity) \(key) \(Self.text(old)) → \(Self.text(new)) (limit \(Self.text(limit)))"
    case .speed:
      "slower: \(identity) \(Self.text(old)) → \(Self.text(new)) ops/s (ratio "
        + "\(Self.text(old > 0 ? new / old : 0)), limit \(Self.text(limit)) ops/s)"
    }
  }

  private static func text(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    let magnitude = value.magnitude
    if magnitude >= 1_000 || magnitude == 0 { return "\((value * 10).rounded() / 10)" }
    var scale = 1.0
    while (value * scale).magnitude < 1_000 && scale < 1e9 { scale *= 10 }
    return "\((value * scale).rounded() / scale)"
  }
}

/// Compares two runs of the harness and lists what got worse (pure: no clock, no files).
public enum ScoreboardComparison: Sendable {
  /// Lists the regressions of `new` against `old`.
  ///
  /// Quality rows are matched by ``QualityRow/identity`` and speed rows by name; only rows
  /// present in `old` are checked, and a row or figure that disappeared counts as
  /// ``Regression/Kind/missing`` (but a part absent from the new run as a whole, say a
  /// scoreboard-only run compared with a full one, is skipped rather than reported). A quality
  /// figure regressed when it moved in its worse direction by more than
  /// `max(tolerance.absolute[key], tolerance.relative × |old|)`; NaN figures are skipped. A
  /// benchmark regressed when `new ops/s < old ops/s × (1 − tolerance.speedNoise)`.
  ///
  /// - Parameters:
  ///   - old: The reference run.
  ///   - new: The run checked.
  ///   - tolerance: The allowances.
  /// - Returns: The regressions, quality first (in `old`'s row order), then speed.
  public static func regressions(
    old: ScoreboardSnapshot, new: ScoreboardSnapshot,
    tolerance: RegressionTolerance = .standard
  ) -> [Regression] {
    var found: [Regression] = []
    if !new.quality.isEmpty {
      var newRows: [String: QualityRow] = [:]
      for row in new.quality { newRows[row.identity] = row }
      for row in old.quality {
        guard let current = newRows[row.identity] else {
          found.append(
            Regression(
              kind: .missing, identity: row.identity, key: "", old: .nan, new: .nan, limit: .nan))
          continue
        }
        for key in row.figures.keys.sorted() {
          guard let before = row.figures[key] else { continue }
          guard let after = current.figures[key] else {
            found.append(
              Regression(
                kind: .missing, identity: row.identity, key: key, old: before, new: .nan,
                limit: .nan))
            continue
          }
          if let regression = qualityRegression(
            identity: row.identity, key: key, old: before, new: after, tolerance: tolerance)
          {
            found.append(regression)
          }
        }
      }
    }
    if !new.speed.isEmpty {
      var newSpeed: [String: SpeedRow] = [:]
      for row in new.speed { newSpeed[row.name] = row }
      let keep = max(0, 1 - tolerance.speedNoise)
      for row in old.speed {
        guard let current = newSpeed[row.name] else {
          found.append(
            Regression(
              kind: .missing, identity: row.name, key: "", old: .nan, new: .nan, limit: .nan))
          continue
        }
        let limit = row.operationsPerSecond * keep
        if current.operationsPerSecond < limit {
          found.append(
            Regression(
              kind: .speed, identity: row.name, key: "operationsPerSecond",
              old: row.operationsPerSecond, new: current.operationsPerSecond, limit: limit))
        }
      }
    }
    return found
  }

  /// The median of `new ops/s ÷ old ops/s` over the benchmarks both runs measured: how much
  /// faster (> 1) or slower (< 1) the machine ran as a whole, for the report.
  ///
  /// - Parameters:
  ///   - old: The reference run.
  ///   - new: The run checked.
  /// - Returns: The median ratio, or `nil` when no benchmark is common to both runs.
  public static func medianSpeedRatio(old: ScoreboardSnapshot, new: ScoreboardSnapshot) -> Double? {
    var newSpeed: [String: Double] = [:]
    for row in new.speed { newSpeed[row.name] = row.operationsPerSecond }
    var ratios: [Double] = []
    for row in old.speed where row.operationsPerSecond > 0 {
      if let current = newSpeed[row.name] { ratios.append(current / row.operationsPerSecond) }
    }
    guard !ratios.isEmpty else { return nil }
    ratios.sort()
    let middle = ratios.count / 2
    return ratios.count % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2
  }

  private static func qualityRegression(
    identity: String, key: String, old: Double, new: Double, tolerance: RegressionTolerance
  ) -> Regression? {
    guard old.isFinite, new.isFinite else { return nil }
    let allowance = max(tolerance.absolute[key] ?? 0, tolerance.relative * old.magnitude)
    if tolerance.higherIsBetter.contains(key) {
      let limit = old - allowance
      return new < limit
        ? Regression(kind: .quality, identity: identity, key: key, old: old, new: new, limit: limit)
        : nil
    }
    if tolerance.closerToZeroIsBetter.contains(key) {
      let limit = old.magnitude + allowance
      return new.magnitude > limit
        ? Regression(kind: .quality, identity: identity, key: key, old: old, new: new, limit: limit)
        : nil
    }
    let limit = old + allowance
    return new > limit
      ? Regression(kind: .quality, identity: identity, key: key, old: old, new: new, limit: limit)
      : nil
  }
}
