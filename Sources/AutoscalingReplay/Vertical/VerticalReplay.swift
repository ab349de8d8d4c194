public import AutoscalingCore
public import VerticalAutoscaling

/// One container of the replayed workload: its initial resources and its usage traces.
///
/// Every replica of the workload runs this container and uses what the traces say (the traces
/// describe one container; replicas of a workload behave alike). A resource without a trace is
/// not sampled: its request stays as the VPA sets it and it counts in no usage figure.
public struct VerticalContainerUsage: Hashable, Sendable {
  /// The container as the workload's pod template declares it (name, requests, limits).
  public var container: Container
  /// CPU usage in cores (step function), or `nil` when CPU is not traced.
  public var cpuCores: ReplaySeries?
  /// Memory usage (working set) in bytes (step function), or `nil` when memory is not traced.
  public var memoryBytes: ReplaySeries?

  /// Creates a traced container.
  ///
  /// - Parameters:
  ///   - container: The container's name, initial requests and limits.
  ///   - cpuCores: CPU usage in cores, or `nil`.
  ///   - memoryBytes: Memory usage in bytes, or `nil`.
  public init(container: Container, cpuCores: ReplaySeries? = nil, memoryBytes: ReplaySeries? = nil)
  {
    self.container = container
    self.cpuCores = cpuCores
    self.memoryBytes = memoryBytes
  }
}

/// When the vertical replay samples usage, asks the recommender and runs the updater.
///
/// All periods are in milliseconds and multiples of the step. Upstream's defaults: the
/// recommender runs every minute (`--recommender-interval`), the updater every minute
/// (`--updater-interval`), metrics-server scrapes every minute by default for the VPA.
public struct VerticalReplayTiming: Hashable, Sendable {
  /// The simulation step in milliseconds: one usage sample per container per step.
  public var stepMilliseconds: Int64
  /// How often a recommendation is computed, in milliseconds (multiple of the step).
  public var recommenderIntervalMilliseconds: Int64
  /// How often the updater decides evictions and resizes, in milliseconds (multiple of the
  /// step).
  public var updaterIntervalMilliseconds: Int64

  /// Creates a timing.
  ///
  /// - Parameters:
  ///   - stepMilliseconds: Step in milliseconds (default one minute).
  ///   - recommenderIntervalMilliseconds: Recommender period in milliseconds (default 1 min).
  ///   - updaterIntervalMilliseconds: Updater period in milliseconds (default 1 min).
  public init(
    stepMilliseconds: Int64 = 60_000, recommenderIntervalMilliseconds: Int64 = 60_000,
    updaterIntervalMilliseconds: Int64 = 60_000
  ) {
    self.stepMilliseconds = stepMilliseconds
    self.recommenderIntervalMilliseconds = recommenderIntervalMilliseconds
    self.updaterIntervalMilliseconds = updaterIntervalMilliseconds
  }

  func validate() throws(ReplayError) {
    guard stepMilliseconds > 0 else {
      throw .invalidTiming(field: "stepMilliseconds", value: stepMilliseconds, rule: "must be > 0")
    }
    for (field, value) in [
      ("recommenderIntervalMilliseconds", recommenderIntervalMilliseconds),
      ("updaterIntervalMilliseconds", updaterIntervalMilliseconds),
    ] where value <= 0 || value % stepMilliseconds != 0 {
      throw .invalidTiming(
        field: field, value: value,
        rule: "must be a positive multiple of the step (\(stepMilliseconds) ms)")
    }
  }
}

/// A VPA replayed over per-container usage traces: the recommender sees every sample, a
/// recommendation is computed every recommender interval, the updater evicts (Recreate, Auto)
/// or resizes in place (InPlaceOrRecreate) per upstream's rules, recreated pods get their
/// requests from admission, memory above the limit OOM-kills the container (the recommender
/// records the OOM and bumps memory), and CPU above the limit is throttled.
///
/// The replay is deterministic (no randomness at all) and streaming: its working state is the
/// recommender's histograms plus a few numbers per pod container, whatever the trace length.
///
/// Step semantics, at each step time `t` (from `startMilliseconds`, every `stepMilliseconds`):
/// 1. each running container's usage is read from its traces (zero-order hold); CPU above the
///    CPU limit is throttled to the limit, and the throttled amount is what the recommender
///    sees (metrics-server reports consumed CPU); memory above the memory limit is an OOM kill:
///    the recommender gets `recordOOM` with the container's memory request, the container
///    restarts at once (no back-off) and its memory sample is not recorded;
/// 2. at recommender ticks, the recommendation is recomputed (upstream recommender routine);
/// 3. at updater ticks, ``Updater/decide(vpa:pods:configuredReplicas:containerLimitRange:podLimitRange:lastInfeasibleAttempts:at:)``
///    runs; evicted pods are replaced within the same step by new pods whose requests and
///    limits come from ``Admission/admitted(_:vpa:containerLimitRange:podLimitRange:)``;
///    in-place resizes rewrite the pod's requests without a restart.
/// Pods created at the start also pass through admission (a VPA in Initial mode has no
/// recommendation then, so they keep the template's requests).
public struct VerticalReplay: Sendable {
  /// The VPA: update mode, resource policy, minReplicas.
  public let vpa: VerticalPodAutoscaler
  /// The recommender's flags.
  public private(set) var recommender: RecommenderConfiguration
  /// An empty recommender built from (and validating) `recommender`.
  private(set) var initialRecommender: VerticalRecommender
  /// The updater's flags.
  public let updater: UpdaterConfiguration
  /// The traced containers (the pod template's containers, in order).
  public let containers: [VerticalContainerUsage]
  /// Replicas of the workload (constant: no HPA in this replay).
  public let replicas: Int
  /// The timing.
  public let timing: VerticalReplayTiming
  /// The first step's time in milliseconds.
  public let startMilliseconds: Int64
  /// The end of the replay in milliseconds (exclusive).
  public let endMilliseconds: Int64
  /// The workload's name; pods are named `<name>-<n>`.
  public let workloadName: String

  /// Creates and validates a vertical replay.
  ///
  /// - Parameters:
  ///   - vpa: The VPA (its `recommendation` is ignored: the replay computes it).
  ///   - recommender: The recommender flags (upstream defaults when omitted).
  ///   - updater: The updater flags (upstream defaults when omitted: minReplicas 2, so a
  ///     single-replica workload is evicted only when the VPA sets `minReplicas: 1`).
  ///   - containers: The traced containers, at least one, with distinct names.
  ///   - replicas: Replicas of the workload, 1…10,000.
  ///   - timing: Step and periods in milliseconds.
  ///   - startMilliseconds: First step in milliseconds; default the earliest trace sample.
  ///   - endMilliseconds: End (exclusive) in milliseconds; default the latest trace sample plus
  ///     one step.
  ///   - workloadName: The workload's name (pod names and the updater's controller key).
  /// - Throws: `ReplayError` for empty, unordered, negative or non-finite traces, bad timing,
  ///   a bad workload (no containers, duplicate names, no trace at all, replicas out of range),
  ///   an invalid resource policy or invalid recommender flags.
  public init(
    vpa: VerticalPodAutoscaler, recommender: RecommenderConfiguration = RecommenderConfiguration(),
    updater: UpdaterConfiguration = UpdaterConfiguration(),
    containers: [VerticalContainerUsage], replicas: Int = 1,
    timing: VerticalReplayTiming = VerticalReplayTiming(),
    startMilliseconds: Int64? = nil, endMilliseconds: Int64? = nil,
    workloadName: String = "workload"
  ) throws(ReplayError) {
    try timing.validate()
    guard !containers.isEmpty else {
      throw .invalidWorkload(field: "containers", rule: "must name at least one container")
    }
    guard (1...10_000).contains(replicas) else {
      throw .invalidWorkload(field: "replicas", rule: "must be in [1, 10000], got \(replicas)")
    }
    var names = Set<String>()
    var first = Int64.max
    var last = Int64.min
    for usage in containers {
      guard names.insert(usage.container.name).inserted else {
        throw .invalidWorkload(
          field: "containers", rule: "name container \"\(usage.container.name)\" twice")
      }
      for series in [usage.cpuCores, usage.memoryBytes] {
        guard let series else { continue }
        try series.validate(nonNegative: true)
        first = min(first, series.timestampsMilliseconds[0])
        last = max(last, series.timestampsMilliseconds[series.timestampsMilliseconds.count - 1])
      }
    }
    guard first <= last else {
      throw .invalidWorkload(
        field: "containers", rule: "need at least one CPU or memory usage trace")
    }
    let initialRecommender: VerticalRecommender
    do throws(VerticalAutoscalingError) {
      try vpa.resourcePolicy?.validate()
      initialRecommender = try VerticalRecommender(configuration: recommender)
    } catch {
      throw .invalidAutoscaler(reason: error.description)
    }
    let start = startMilliseconds ?? first
    let (proposedEnd, overflow) = last.addingReportingOverflow(timing.stepMilliseconds)
    let end = endMilliseconds ?? (overflow ? Int64.max : proposedEnd)
    let (span, spanOverflow) = end.subtractingReportingOverflow(start)
    guard end > start, !spanOverflow, span / timing.stepMilliseconds < Int64(Int32.max) else {
      throw .invalidWindow(startMilliseconds: start, endMilliseconds: end)
    }
    self.vpa = vpa
    self.recommender = recommender
    self.initialRecommender = initialRecommender
    self.updater = updater
    self.containers = containers
    self.replicas = replicas
    self.timing = timing
    self.startMilliseconds = start
    self.endMilliseconds = end
    self.workloadName = workloadName
  }

  /// Replaces the recommender's flags (for tuning: percentiles, margin, half-lives, OOM bump).
  ///
  /// - Parameter configuration: The new flags.
  /// - Throws: `ReplayError.invalidAutoscaler` naming the flag out of range.
  public mutating func replaceRecommender(_ configuration: RecommenderConfiguration)
    throws(ReplayError)
  {
    do throws(VerticalAutoscalingError) {
      initialRecommender = try VerticalRecommender(configuration: configuration)
    } catch {
      throw .invalidAutoscaler(reason: error.description)
    }
    recommender = configuration
  }

  /// The number of steps, ⌈(end − start) / step⌉.
  public var stepCount: Int {
    let span = endMilliseconds - startMilliseconds
    return Int(span / timing.stepMilliseconds + (span % timing.stepMilliseconds == 0 ? 0 : 1))
  }

  /// Runs the replay and returns its scorecard (no timeline is kept).
  ///
  /// - Returns: The scorecard.
  public func run() -> VerticalScorecard {
    var engine = VerticalReplayEngine(self)
    return engine.run { _ in }
  }

  /// Runs the replay, handing one row per container per step to `timeline`, in time order.
  ///
  /// - Parameter timeline: Called `stepCount × containers.count` times.
  /// - Returns: The scorecard.
  public func run(timeline: (VerticalTimelineRow) -> Void) -> VerticalScorecard {
    var engine = VerticalReplayEngine(self)
    return engine.run(timeline)
  }
}
