import AutoscalingCore
import HorizontalAutoscaling
import Testing

@testable import AutoscalingReplay

/// The regression check of the benchmark harness: what counts as worse, and that a
/// deliberately worsened HPA configuration is caught end to end.
@Suite("Scoreboard comparison")
struct ScoreboardComparisonTests {
  static func row(_ figures: [String: Double], configuration: String = "manifest") -> QualityRow {
    QualityRow(
      family: "hpa", trace: "t.csv:rps", configuration: configuration, window: "full",
      figures: figures)
  }

  static func snapshot(quality: [QualityRow] = [], speed: [SpeedRow] = []) -> ScoreboardSnapshot {
    ScoreboardSnapshot(machine: "test", date: "2026-01-01", quality: quality, speed: speed)
  }

  @Test("identical runs: nothing got worse")
  func identical() {
    let run = Self.snapshot(
      quality: [Self.row(["underProvisionedTimeShare": 0.1, "replicaSeconds": 1_000])],
      speed: [SpeedRow(name: "A", operationsPerSecond: 1e6, medianSeconds: 1)])
    #expect(ScoreboardComparison.regressions(old: run, new: run).isEmpty)
  }

  /// Allowance = max(absolute 0.001, 2 % × 0.1 = 0.002) = 0.002 → limit 0.102.
  @Test(
    "under-provisioned share: limit is old + max(absolute, relative × old)",
    arguments: [(0.1019, false), (0.1021, true), (0.05, false)])
  func underProvisionedTolerance(new: Double, flagged: Bool) throws {
    let old = Self.snapshot(quality: [Self.row(["underProvisionedTimeShare": 0.1])])
    let current = Self.snapshot(quality: [Self.row(["underProvisionedTimeShare": new])])
    let found = ScoreboardComparison.regressions(old: old, new: current)
    #expect(found.count == (flagged ? 1 : 0))
    if flagged {
      let regression = try #require(found.first)
      #expect(regression.kind == .quality)
      #expect(regression.key == "underProvisionedTimeShare")
      #expect(abs(regression.limit - 0.102) < 1e-12)
    }
  }

  /// A figure that was 0: only the absolute allowance applies (0.001 for time shares, none
  /// for unserved demand).
  @Test("from zero: the absolute allowance decides")
  func fromZero() {
    let old = Self.snapshot(
      quality: [Self.row(["overProvisionedTimeShare": 0, "unservedDemand": 0])])
    let current = Self.snapshot(
      quality: [Self.row(["overProvisionedTimeShare": 0.0009, "unservedDemand": 0.5])])
    let found = ScoreboardComparison.regressions(old: old, new: current)
    #expect(found.map(\.key) == ["unservedDemand"])
  }

  @Test("signed jitter is compared by magnitude; higher-is-better keys the other way")
  func directions() {
    var tolerance = RegressionTolerance.standard
    tolerance.higherIsBetter = ["savings"]
    let old = Self.snapshot(quality: [Self.row(["jitter": -10, "savings": 50])])
    let better = Self.snapshot(quality: [Self.row(["jitter": 5, "savings": 60])])
    let worse = Self.snapshot(quality: [Self.row(["jitter": 10.5, "savings": 48])])
    #expect(ScoreboardComparison.regressions(old: old, new: better, tolerance: tolerance).isEmpty)
    let found = ScoreboardComparison.regressions(old: old, new: worse, tolerance: tolerance)
    #expect(Set(found.map(\.key)) == ["jitter", "savings"])
  }

  @Test("a row that disappeared is reported; a part absent as a whole is not")
  func missing() {
    let old = Self.snapshot(
      quality: [Self.row(["replicaSeconds": 1]), Self.row(["replicaSeconds": 1], configuration: "tuned")],
      speed: [SpeedRow(name: "A", operationsPerSecond: 1, medianSeconds: 1)])
    let current = Self.snapshot(quality: [Self.row(["replicaSeconds": 1])])
    let found = ScoreboardComparison.regressions(old: old, new: current)
    #expect(found.map(\.kind) == [.missing])
    #expect(found.first?.identity == "hpa t.csv:rps tuned [full]")
  }

  /// Speed uses the throughput ratio: with noise 0.3 a run at 0.71 × the old ops/s passes
  /// and one at 0.69 × fails, whatever the absolute figures.
  @Test("speed: ratio of ops/s against the noise", arguments: [(0.71, false), (0.69, true)])
  func speed(ratio: Double, flagged: Bool) {
    for base in [10.0, 3e7] {
      let old = Self.snapshot(speed: [SpeedRow(name: "A", operationsPerSecond: base, medianSeconds: 1)])
      let current = Self.snapshot(
        speed: [SpeedRow(name: "A", operationsPerSecond: base * ratio, medianSeconds: 2)])
      let found = ScoreboardComparison.regressions(old: old, new: current)
      #expect(found.map(\.kind) == (flagged ? [.speed] : []))
    }
  }

  @Test("median speed ratio")
  func medianRatio() {
    let old = Self.snapshot(
      speed: [1.0, 2, 4].enumerated().map {
        SpeedRow(name: "b\($0.offset)", operationsPerSecond: $0.element, medianSeconds: 1)
      })
    let current = Self.snapshot(
      speed: [0.5, 2, 8].enumerated().map {
        SpeedRow(name: "b\($0.offset)", operationsPerSecond: $0.element, medianSeconds: 1)
      })
    #expect(ScoreboardComparison.medianSpeedRatio(old: old, new: current) == 1)
    #expect(ScoreboardComparison.medianSpeedRatio(old: old, new: Self.snapshot()) == nil)
  }

  // MARK: End to end: a deliberately worsened configuration

  /// Demand steps from 100 to 900 requests/s at 30 min and back at 90 min; pods serve 100
  /// each. The good HPA scales up without delay; the worsened one may add only 1 pod per
  /// 5 minutes, so it stays short of the 9 pods needed for longer: its under-provisioned
  /// share must rise, and the comparison must say so.
  static func card(scaleUp: ScalingRules) throws -> Scorecard {
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.pods("requests_per_second", target: .averageValue(Quantity(100)))],
      minReplicas: 1, maxReplicas: 20,
      behavior: ScalingBehavior(scaleUp: scaleUp, scaleDown: ScalingRules.defaultScaleDown))
    let container = Container(name: "api", requests: [.cpu: Quantity(1)])
    let workload = WorkloadModel(
      podTemplate: PodTemplate(containers: [container]), capacityPerPod: 100,
      usage: [ResourceUsageModel(resource: .cpu, base: 0, perUnitOfDemand: 0.01)],
      imbalance: 0, noise: 0, initialReplicas: 1)
    var times: [Int64] = []
    var values: [Double] = []
    for step in 0..<(180 * 4) {
      times.append(Int64(step) * 15_000)
      values.append(step >= 120 && step < 360 ? 900 : 100)
    }
    let replay = try Replay(
      autoscaler: spec, workload: workload,
      demand: ReplaySeries(name: "rps", timestampsMilliseconds: times, values: values), seed: 0)
    return replay.run()
  }

  @Test("a deliberately worsened scale-up is caught")
  func worsenedConfiguration() throws {
    let good = try Self.card(scaleUp: ScalingRules.defaultScaleUp)
    let worse = try Self.card(
      scaleUp: ScalingRules(
        stabilizationWindow: .seconds(0), selectPolicy: .max, policies: [.pods(1, per: .seconds(300))]))
    // Independent of the comparison: the slow policy needs ≥ 8 × 5 min to reach 9 pods, so
    // it is short for far longer than the default policy (which adds 4 or 100 % per 15 s).
    #expect(worse.underProvisionedTimeShare > good.underProvisionedTimeShare + 0.1)
    let old = Self.snapshot(quality: [Self.row(good.figures)])
    let current = Self.snapshot(quality: [Self.row(worse.figures)])
    let found = ScoreboardComparison.regressions(old: old, new: current)
    #expect(found.contains { $0.kind == .quality && $0.key == "underProvisionedTimeShare" })
    #expect(found.contains { $0.key == "unservedDemand" })
    // And the reverse direction (the fix) reports no worsening of the SLO figures.
    let reverse = ScoreboardComparison.regressions(old: current, new: old)
    #expect(!reverse.contains { $0.key == "underProvisionedTimeShare" || $0.key == "unservedDemand" })
  }

  @Test("scorecard figures carry every scorecard key")
  func figureKeys() throws {
    let card = try Self.card(scaleUp: ScalingRules.defaultScaleUp)
    #expect(card.figures.count == 15)
    #expect(card.figures["maxReplicas"] == Double(card.maxReplicas))
    #expect(card.figures["underProvisionedTimeShare"] == card.underProvisionedTimeShare)
  }
}
