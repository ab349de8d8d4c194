import AutoscalingCore
public import AutoscalingReplay
public import HorizontalAutoscaling

/// One trace, or one window of a trace, to tune on: the inputs of a `Replay` of the user's
/// HPA, plus a name.
///
/// The tuner builds replays from these inputs itself, so that it can replay a window
/// (tuning part, held-out part) and rebuild the replay when a candidate changes metric
/// targets or replica bounds.
public struct TuningScenario: Sendable {
  /// A name for tables and the fingerprint (the trace file, for example).
  public var name: String
  /// The user's HPA.
  public var autoscaler: HorizontalPodAutoscalerSpec
  /// The controller's settings.
  public var options: HorizontalAutoscalerOptions
  /// The pods under load.
  public var workload: WorkloadModel
  /// The demand series.
  public var demand: ReplaySeries
  /// Other columns of the trace, for Object, External and custom Pods metrics.
  public var series: [ReplaySeries]
  /// Feeds by HPA metric index.
  public var feeds: [Int: MetricFeed]
  /// The loops' periods.
  public var timing: ReplayTiming
  /// Pod start-up and termination delays.
  public var lifecycle: PodLifecycle
  /// The first step, milliseconds since the trace's epoch.
  public var startMilliseconds: Int64
  /// The end (exclusive), milliseconds since the trace's epoch.
  public var endMilliseconds: Int64
  /// Seeds the replay's imbalance and noise.
  public var seed: UInt64

  /// Creates a scenario with the same arguments as `Replay.init`, checking them by building
  /// the replay once.
  ///
  /// - Parameters:
  ///   - name: A name for tables and the fingerprint.
  ///   - autoscaler: The user's HPA.
  ///   - options: The controller's settings.
  ///   - workload: The pods under load.
  ///   - demand: The demand series.
  ///   - series: Other columns of the trace.
  ///   - feeds: Feeds by HPA metric index.
  ///   - timing: The loops' periods.
  ///   - lifecycle: Pod delays.
  ///   - startMilliseconds: The first step (default: the demand's first sample).
  ///   - endMilliseconds: The end, exclusive (default: one step after the last sample).
  ///   - seed: The replay's seed.
  /// - Throws: ``TuningError/invalidInput(reason:)`` carrying the replay's message.
  public init(
    name: String, autoscaler: HorizontalPodAutoscalerSpec,
    options: HorizontalAutoscalerOptions = .production, workload: WorkloadModel,
    demand: ReplaySeries, series: [ReplaySeries] = [], feeds: [Int: MetricFeed] = [:],
    timing: ReplayTiming = ReplayTiming(), lifecycle: PodLifecycle = PodLifecycle(),
    startMilliseconds: Int64? = nil, endMilliseconds: Int64? = nil, seed: UInt64 = 0
  ) throws(TuningError) {
    self.name = name
    self.autoscaler = autoscaler
    self.options = options
    self.workload = workload
    self.demand = demand
    self.series = series
    self.feeds = feeds
    self.timing = timing
    self.lifecycle = lifecycle
    self.seed = seed
    self.startMilliseconds = 0
    self.endMilliseconds = 0
    let probe = try replay(autoscaler, start: startMilliseconds, end: endMilliseconds)
    self.startMilliseconds = probe.startMilliseconds
    self.endMilliseconds = probe.endMilliseconds
  }

  /// A replay of a spec over a window of this scenario.
  ///
  /// - Parameters:
  ///   - spec: The HPA replayed.
  ///   - start: The first step, milliseconds (`nil`: the scenario's default).
  ///   - end: The end, exclusive, milliseconds (`nil`: the scenario's default).
  /// - Returns: The replay.
  /// - Throws: ``TuningError/invalidInput(reason:)`` carrying the replay's message.
  public func replay(
    _ spec: HorizontalPodAutoscalerSpec, start: Int64?, end: Int64?
  ) throws(TuningError) -> Replay {
    do {
      return try Replay(
        autoscaler: spec, options: options, workload: workload, demand: demand, series: series,
        feeds: feeds, timing: timing, lifecycle: lifecycle, startMilliseconds: start,
        endMilliseconds: end, seed: seed)
    } catch {
      throw .invalidInput(reason: "scenario '\(name)': \(error)")
    }
  }

  /// The tuning and held-out windows: the first `1 − holdOutFraction` of the time, rounded
  /// down to whole steps, and the rest.
  ///
  /// - Parameter holdOutFraction: The share of time held out, 0 ≤ f < 1 (0: no hold-out).
  /// - Returns: `(tuning, holdOut)` as `start..<end` milliseconds; `holdOut` is `nil` for 0.
  /// - Throws: ``TuningError/invalidInput(reason:)`` when a window would hold no step.
  public func split(
    holdOutFraction: Double
  ) throws(TuningError) -> (tuning: Range<Int64>, holdOut: Range<Int64>?) {
    guard holdOutFraction >= 0, holdOutFraction < 1 else {
      throw .invalidInput(
        reason: "hold-out fraction must be in 0 ≤ f < 1 (got \(holdOutFraction))")
    }
    let whole = startMilliseconds..<endMilliseconds
    if holdOutFraction == 0 { return (whole, nil) }
    let step = timing.stepMilliseconds
    let steps = (endMilliseconds - startMilliseconds + step - 1) / step
    let tuningSteps = Int64((Double(steps) * (1 - holdOutFraction)).rounded(.down))
    guard tuningSteps >= 1, tuningSteps < steps else {
      throw .invalidInput(
        reason:
          "scenario '\(name)' has \(steps) steps: too short to hold out \(holdOutFraction) of it")
    }
    let split = startMilliseconds + tuningSteps * step
    return (startMilliseconds..<split, split..<endMilliseconds)
  }

  /// The scenario cut into `count` consecutive windows of whole steps (the last takes the
  /// remainder), to tune over several windows at once.
  ///
  /// - Parameter count: The number of windows, ≥ 1.
  /// - Returns: The windows, named `name[i/count]`.
  /// - Throws: ``TuningError/invalidInput(reason:)`` when a window would hold no step.
  public func windows(_ count: Int) throws(TuningError) -> [TuningScenario] {
    let step = timing.stepMilliseconds
    let steps = (endMilliseconds - startMilliseconds + step - 1) / step
    guard count >= 1, Int64(count) <= steps else {
      throw .invalidInput(
        reason: "cannot cut scenario '\(name)' of \(steps) steps into \(count) windows")
    }
    let per = steps / Int64(count)
    return (0..<count).map { index in
      var window = self
      window.name = "\(name)[\(index)/\(count)]"
      window.startMilliseconds = startMilliseconds + Int64(index) * per * step
      window.endMilliseconds =
        index == count - 1 ? endMilliseconds : startMilliseconds + Int64(index + 1) * per * step
      return window
    }
  }

  /// A stable identity of the scenario for fingerprints: name, window, seed, timing, the
  /// HPA, the workload's capacity model and a checksum of every series. (It is built from
  /// fields whose text does not depend on dictionary order, so every process agrees.)
  var identity: String {
    var text = "\(name)|\(startMilliseconds)..<\(endMilliseconds)|seed=\(seed)|"
    text += "\(timing)|\(lifecycle)|\(options)|"
    text += "capacity=\(workload.capacityPerPod),initial=\(workload.initialReplicas),"
    text += "imbalance=\(workload.imbalance),noise=\(workload.noise)|"
    text += "hpa=\(autoscaler.minReplicas)...\(autoscaler.maxReplicas),"
    text +=
      "behavior=\(autoscaler.behavior.map { BehaviorSettings($0).yaml(indent: 0) } ?? "legacy"),"
    for metric in autoscaler.metrics {
      let target = HPAOverrides.target(of: metric)
      text += "metric=\(metric.type.name):\(target.map(\.type.name) ?? "-")"
      text += ":\(target?.averageUtilization.map(String.init) ?? "-")"
      text += ":\(target?.averageValue?.description ?? "-"):\(target?.value?.description ?? "-"),"
    }
    text += "feeds=\(feeds.keys.sorted())|"
    for column in [demand] + series { text += column.name + ":" + Self.checksum(column) + "|" }
    return StableHash.fnv1a(text)
  }

  private static func checksum(_ series: ReplaySeries) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for (time, value) in zip(series.timestampsMilliseconds, series.values) {
      for word in [UInt64(bitPattern: time), value.bitPattern] {
        hash = (hash ^ word) &* 0x0000_0100_0000_01b3
      }
    }
    return String(hash, radix: 16) + "/\(series.values.count)"
  }
}
