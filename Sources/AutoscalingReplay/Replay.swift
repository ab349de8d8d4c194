import AutoscalingCore
public import HorizontalAutoscaling

/// A deterministic replay of a HorizontalPodAutoscaler over a demand trace, scored.
///
/// Simulated time advances in steps of `timing.stepMilliseconds` over
/// [`startMilliseconds`, `endMilliseconds`). At each step, in this order:
/// 1. pods whose start, readiness or termination falls due change state;
/// 2. on sync ticks (every `timing.syncPeriodMilliseconds` from the start) the HPA reconciles
///    exactly as kube-controller-manager's `reconcileAutoscaler` does, seeing every pod (phase,
///    PodReady condition and its last transition, start time, deletion, per-container requests)
///    and the latest metric samples visible after the metrics lag, each with its timestamp and
///    window; a rescale creates pending pods or deletes pods at once (ReplicaSet order, see
///    `PodFleet`);
/// 3. the ready pods serve the step's demand and the step is scored.
///
/// A replay holds its inputs; `run()` allocates its working state once and then runs without
/// per-step allocation, in memory bounded by the metrics window, lag and resolution — not by the
/// trace's length — unless a timeline is requested. Same inputs and seed, same scorecard, bit
/// for bit. To compare autoscaler settings, copy the replay, change `autoscaler` (for example
/// with `replaceBehavior(_:)`) and run again.
public struct Replay: Sendable {
  /// The HPA replayed (minReplicas, maxReplicas, metrics, behavior).
  public private(set) var autoscaler: HorizontalPodAutoscalerSpec
  /// The controller's settings (tolerance, CPU initialization period, readiness delay, …).
  public var options: HorizontalAutoscalerOptions
  /// The pods under load.
  public let workload: WorkloadModel
  /// The loops' periods.
  public let timing: ReplayTiming
  /// The pods' start-up and termination delays.
  public let lifecycle: PodLifecycle
  /// The seed of the imbalance and noise.
  public let seed: UInt64
  /// The first step's time, in milliseconds since the trace's epoch.
  public let startMilliseconds: Int64
  /// The end of the replay (exclusive), in milliseconds since the trace's epoch.
  public let endMilliseconds: Int64

  let demand: ReplaySeries
  /// Every series passed in, and the feeds as passed in (to re-resolve on `replaceAutoscaler`).
  let series: [ReplaySeries]
  let feedMapping: [Int: MetricFeed]
  /// The series the feeds read (deduplicated), in the order `ResolvedFeed` indexes them.
  private(set) var referencedSeries: [ReplaySeries]
  private(set) var feeds: [ResolvedFeed]
  private(set) var targets: [Double]
  let containerRequests: [ContainerRequests]

  /// Prepares a replay, checking every input.
  ///
  /// - Parameters:
  ///   - autoscaler: The HPA (validated by the HorizontalAutoscaling module).
  ///   - options: The controller's settings (default: production flags).
  ///   - workload: The pods and their usage model.
  ///   - demand: The demand series (trace units, ≥ 0).
  ///   - series: Other columns of the trace, for Object, External and custom Pods metrics.
  ///   - feeds: Feeds by HPA metric index (0-based); metrics not listed get the default feed
  ///     (see `MetricFeed`).
  ///   - timing: The loops' periods (milliseconds).
  ///   - lifecycle: Pod start-up and termination delays (milliseconds).
  ///   - startMilliseconds: The first step (default: the demand's first sample).
  ///   - endMilliseconds: The end, exclusive (default: one step after the demand's last
  ///     sample).
  ///   - seed: Seeds the imbalance and noise.
  /// - Throws: `ReplayError` naming the input to fix.
  public init(
    autoscaler: HorizontalPodAutoscalerSpec, options: HorizontalAutoscalerOptions = .production,
    workload: WorkloadModel, demand: ReplaySeries, series: [ReplaySeries] = [],
    feeds: [Int: MetricFeed] = [:], timing: ReplayTiming = ReplayTiming(),
    lifecycle: PodLifecycle = PodLifecycle(), startMilliseconds: Int64? = nil,
    endMilliseconds: Int64? = nil, seed: UInt64 = 0
  ) throws(ReplayError) {
    try timing.validate()
    try lifecycle.validate()
    try workload.validate()
    try demand.validate(nonNegative: true)
    for other in series { try other.validate(nonNegative: false) }
    let start = startMilliseconds ?? demand.timestampsMilliseconds[0]
    let end =
      endMilliseconds
      ?? (demand.timestampsMilliseconds[demand.timestampsMilliseconds.count - 1]
        &+ timing.stepMilliseconds)
    let (span, overflow) = end.subtractingReportingOverflow(start)
    guard end > start, !overflow, span / timing.stepMilliseconds < Int64(Int32.max) else {
      throw .invalidWindow(startMilliseconds: start, endMilliseconds: end)
    }

    try Self.checkSize(autoscaler)
    let resolution = try Self.resolve(
      autoscaler, workload: workload, demand: demand, series: series, feeds: feeds)
    for used in [demand] + resolution.referenced {
      try Self.checkCoverage(used, start: start, end: end, step: timing.stepMilliseconds)
    }

    self.autoscaler = autoscaler
    self.options = options
    self.workload = workload
    self.timing = timing
    self.lifecycle = lifecycle
    self.seed = seed
    self.startMilliseconds = start
    self.endMilliseconds = end
    self.demand = demand
    self.series = series
    self.feedMapping = feeds
    self.referencedSeries = resolution.referenced
    self.feeds = resolution.feeds
    self.targets = resolution.targets
    self.containerRequests =
      workload.podTemplate.containers.map {
        ContainerRequests(name: $0.name, role: .regular, requests: ResourceRequests($0.requests))
      }
      + workload.podTemplate.initContainers.map {
        ContainerRequests(
          name: $0.name, role: .initContainer, requests: ResourceRequests($0.requests))
      }
  }

  /// The number of steps the replay runs: `⌈(end − start) / step⌉` (at most 2^31 − 1, checked
  /// by `init`).
  public var stepCount: Int {
    let span = endMilliseconds &- startMilliseconds
    let step = timing.stepMilliseconds
    return Int(span / step + (span % step == 0 ? 0 : 1))
  }

  /// Replaces the HPA's `behavior` (what a tuner varies), keeping its metrics and limits.
  ///
  /// - Parameter behavior: The new behavior, or `nil` for the legacy (no-behavior) path.
  /// - Throws: `ReplayError.invalidAutoscaler` when upstream's validation rejects it.
  public mutating func replaceBehavior(_ behavior: ScalingBehavior?) throws(ReplayError) {
    do {
      autoscaler = try autoscaler.replacingBehavior(behavior)
    } catch {
      throw .invalidAutoscaler(reason: "\(error)")
    }
  }

  /// Replaces the whole HPA (limits, metric targets, behavior), keeping the trace, workload and
  /// feeds; what a tuner varies beyond the behavior.
  ///
  /// - Parameter autoscaler: The new HPA; its metrics must still map to the trace.
  /// - Throws: `ReplayError.unmappedMetric` or `.unknownSeries` when a metric no longer maps,
  ///   `.windowNotCovered` when a newly read series does not cover the window.
  public mutating func replaceAutoscaler(_ autoscaler: HorizontalPodAutoscalerSpec)
    throws(ReplayError)
  {
    try Self.checkSize(autoscaler)
    let resolution = try Self.resolve(
      autoscaler, workload: workload, demand: demand, series: series, feeds: feedMapping)
    for used in resolution.referenced {
      try Self.checkCoverage(
        used, start: startMilliseconds, end: endMilliseconds, step: timing.stepMilliseconds)
    }
    self.autoscaler = autoscaler
    referencedSeries = resolution.referenced
    feeds = resolution.feeds
    targets = resolution.targets
  }

  /// The most pods a replay simulates (memory grows with the pod count).
  static let maximumReplicas = 100_000

  private static func checkSize(_ autoscaler: HorizontalPodAutoscalerSpec) throws(ReplayError) {
    guard autoscaler.maxReplicas <= maximumReplicas else {
      throw .invalidAutoscaler(
        reason: "maxReplicas \(autoscaler.maxReplicas) is above the \(maximumReplicas) pods a "
          + "replay simulates; lower maxReplicas")
    }
  }

  private static func resolve(
    _ autoscaler: HorizontalPodAutoscalerSpec, workload: WorkloadModel, demand: ReplaySeries,
    series: [ReplaySeries], feeds: [Int: MetricFeed]
  ) throws(ReplayError) -> (referenced: [ReplaySeries], feeds: [ResolvedFeed], targets: [Double]) {
    var resolver = FeedResolver(workload: workload, demand: demand, series: series)
    var resolved: [ResolvedFeed] = []
    var targets: [Double] = []
    for (index, metric) in autoscaler.metrics.enumerated() {
      resolved.append(try resolver.resolve(metric, index: index, feed: feeds[index]))
      targets.append(Self.target(of: metric))
    }
    if let unused = feeds.keys.sorted().first(where: { $0 < 0 || $0 >= autoscaler.metrics.count }) {
      throw .unmappedMetric(
        index: unused, metric: "none",
        reason: "a feed is given for metric #\(unused + 1) but the HPA has "
          + "\(autoscaler.metrics.count) metrics")
    }
    return (resolver.referenced, resolved, targets)
  }

  /// Runs the replay and returns its scorecard; memory stays bounded whatever the length.
  ///
  /// - Returns: The scorecard.
  public func run() -> Scorecard {
    var engine = ReplayEngine(self)
    return engine.run(emit: nil)
  }

  /// Runs the replay, handing every step's state to `timeline`, and returns its scorecard.
  ///
  /// - Parameter timeline: Called once per step, in time order.
  /// - Returns: The scorecard.
  public func run(timeline: (ReplayTimelineRow) -> Void) -> Scorecard {
    withoutActuallyEscaping(timeline) { escapable in
      var engine = ReplayEngine(self)
      return engine.run(emit: escapable)
    }
  }

  /// The target of `metric` in the unit `ReplayMetricReading` uses (percent or metric unit).
  static func target(of metric: MetricSpec) -> Double {
    let target: MetricTarget? =
      switch metric.type {
      case .resource: metric.resource?.target
      case .containerResource: metric.containerResource?.target
      case .pods: metric.pods?.target
      case .object: metric.object?.target
      case .external: metric.external?.target
      case .unrecognized: nil
      }
    guard let target else { return .nan }
    if let value = target.averageValue { return value.doubleValue }
    if let percent = target.averageUtilization { return Double(percent) }
    if let value = target.value { return value.doubleValue }
    return .nan
  }

  static func checkCoverage(_ series: ReplaySeries, start: Int64, end: Int64, step: Int64)
    throws(ReplayError)
  {
    let first = series.timestampsMilliseconds[0]
    let last = series.timestampsMilliseconds[series.timestampsMilliseconds.count - 1]
    if start < first || end > last &+ step {
      throw .windowNotCovered(
        series: series.name, startMilliseconds: start, endMilliseconds: end,
        firstSampleMilliseconds: first, lastSampleMilliseconds: last)
    }
  }
}
