/// What one step looked like, kept for the last few steps so that metric samples (which
/// average over a window and arrive with a lag) can be computed when the HPA reads them.
struct StepRecord {
  /// Demand during the step (trace units).
  var demand: Double = 0
  /// Demand served by ready pods: `min(demand, ready × capacity)`.
  var served: Double = 0
  /// The sum of the ready pods' weights.
  var readyWeight: Double = 0
}

/// The workload side of a replay: pods, demand, the recent-step history the metrics pipeline
/// reads, and the scorecard. It knows nothing about the autoscaler driving it.
///
/// Memory is bounded by `historyLength` steps (window + lag + resolution), whatever the length
/// of the replay.
struct WorkloadSimulation {
  let workload: WorkloadModel
  let timing: ReplayTiming
  let seed: UInt64
  let start: Int64
  let step: Int64
  let windowSteps: Int64
  /// Steps of history kept.
  let historyLength: Int
  private(set) var fleet: PodFleet
  private var demandCursor: SeriesCursor
  private var seriesCursors: [SeriesCursor]
  private var history: [StepRecord]
  /// `historyLength × series.count` values of the series the feeds read, step-major.
  private var seriesHistory: [Double]
  private(set) var scorecard: ScorecardAccumulator
  /// The last step's record (for timelines).
  private(set) var last = StepRecord()
  /// The last step's unserved demand rate (trace units).
  private(set) var lastUnserved: Double = 0

  init(
    workload: WorkloadModel, lifecycle: PodLifecycle, timing: ReplayTiming, seed: UInt64,
    demand: ReplaySeries, series: [ReplaySeries], start: Int64, reserve: Int
  ) {
    self.workload = workload
    self.timing = timing
    self.seed = seed
    self.start = start
    step = timing.stepMilliseconds
    windowSteps = timing.metricsWindowMilliseconds / timing.stepMilliseconds
    historyLength = Int(
      (timing.metricsWindowMilliseconds + timing.metricsLagMilliseconds
        + timing.metricsResolutionMilliseconds) / timing.stepMilliseconds) + 1
    fleet = PodFleet(
      lifecycle: lifecycle, seed: seed, imbalance: workload.imbalance, reserve: reserve)
    demandCursor = SeriesCursor(demand)
    seriesCursors = series.map(SeriesCursor.init)
    history = Array(repeating: StepRecord(), count: historyLength)
    seriesHistory = Array(repeating: 0, count: historyLength * series.count)
    scorecard = ScorecardAccumulator(
      capacityPerPod: workload.capacityPerPod, stepMilliseconds: timing.stepMilliseconds)
    fleet.addSettledPods(workload.initialReplicas, before: start)
    // The time before the replay looks like its first step: the initial pods serving the
    // initial demand. Metrics read at the start average over this history.
    let first = makeRecord(at: start)
    for index in history.indices { history[index] = first }
    for (seriesIndex, _) in seriesCursors.enumerated() {
      let value = seriesCursors[seriesIndex].value(at: start)
      for slot in 0..<historyLength {
        seriesHistory[slot * seriesCursors.count + seriesIndex] = value
      }
    }
  }

  @inline(__always)
  private func slot(_ stepIndex: Int64) -> Int {
    let r = Int(stepIndex % Int64(historyLength))
    return r < 0 ? r + historyLength : r
  }

  @inline(__always)
  private func stepIndex(_ time: Int64) -> Int64 { (time - start) / step }

  private mutating func makeRecord(at time: Int64) -> StepRecord {
    let demand = demandCursor.value(at: time)
    let served = min(demand, Double(fleet.ready) * workload.capacityPerPod)
    return StepRecord(demand: demand, served: served, readyWeight: fleet.readyWeight)
  }

  /// Applies pod transitions due at `time` (call first in every step).
  @inline(__always)
  mutating func beginStep(at time: Int64) {
    if time >= fleet.nextTransition { fleet.refresh(at: time) }
  }

  /// Counts a rescale from `current` to `desired` replicas in the scorecard.
  mutating func scorecardRescale(from current: Int, to desired: Int) {
    scorecard.recordRescale(from: current, to: desired)
  }

  /// Scales the Deployment at `time` (after a reconcile).
  mutating func scale(to replicas: Int, at time: Int64) {
    fleet.scale(to: replicas, at: time)
  }

  /// Serves the step's demand with the ready pods, records it, and scores it.
  @inline(__always)
  mutating func endStep(at time: Int64) {
    let record = makeRecord(at: time)
    let index = stepIndex(time)
    let position = slot(index)
    history[position] = record
    let count = seriesCursors.count
    if count > 0 {
      for seriesIndex in 0..<count {
        seriesHistory[position * count + seriesIndex] = seriesCursors[seriesIndex].value(at: time)
      }
    }
    last = record
    lastUnserved = scorecard.record(
      demand: record.demand, ready: fleet.ready, replicas: fleet.replicas, pending: fleet.pending)
  }

  /// The time of the latest scrape visible to a reader at `time`: the largest multiple of the
  /// resolution after the start that is ≤ `time − lag` (it may precede the start, where the
  /// history repeats the first step).
  @inline(__always)
  func visibleScrape(at time: Int64) -> Int64 {
    let visible = time - timing.metricsLagMilliseconds - start
    let resolution = timing.metricsResolutionMilliseconds
    var scrapes = visible / resolution
    if visible < 0 && visible % resolution != 0 { scrapes -= 1 }
    return start + scrapes * resolution
  }

  /// Whether `pod` has a sample in the scrape at `scrape`: it ran for the whole window before.
  @inline(__always)
  func hasSample(_ pod: SimulatedPod, scrape: Int64) -> Bool {
    pod.startedAt <= scrape - timing.metricsWindowMilliseconds
  }

  /// The usage of one resource by `pod`, averaged over the window ending at `scrape`, in
  /// milli-units (millicores, millibytes), as metrics-server would report it.
  func usageMilli(_ pod: SimulatedPod, model: ResourceUsageModel, stream: UInt64, scrape: Int64)
    -> Int64
  {
    let last = stepIndex(scrape) - 1
    var sum = 0.0
    for index in (last - windowSteps + 1)...last {
      let time = start + index * step
      let record = history[slot(index)]
      var usage: Double
      if pod.isReady(at: time) {
        let share = record.readyWeight > 0 ? pod.weight / record.readyWeight : 0
        usage = model.base + record.served * share * model.perUnitOfDemand
      } else if pod.isStarting(at: time) {
        usage = model.startupUsage ?? model.base
      } else {
        usage = model.base
      }
      if workload.noise > 0 {
        let v = ReplayRandom.symmetric(
          seed: seed, pod: pod.serial, step: UInt64(bitPattern: index), stream: stream)
        usage *= 1 + workload.noise * v
      }
      if let limit = model.limit, usage > limit { usage = limit }
      sum += usage
    }
    return Self.milli(sum / Double(windowSteps))
  }

  /// A per-pod custom metric: the pod's share of `value × scale` while ready, 0 otherwise,
  /// averaged over the window ending at `scrape`, in milli-units. `series` is an index into the
  /// per-pod series, or `nil` for the demand.
  func perPodMilli(_ pod: SimulatedPod, series: Int?, scale: Double, scrape: Int64) -> Int64 {
    let last = stepIndex(scrape) - 1
    var sum = 0.0
    for index in (last - windowSteps + 1)...last {
      let time = start + index * step
      guard pod.isReady(at: time) else { continue }
      let position = slot(index)
      let record = history[position]
      let value: Double
      if let series {
        value = seriesHistory[position * seriesCursors.count + series]
      } else {
        value = record.demand
      }
      if record.readyWeight > 0 { sum += value * scale * pod.weight / record.readyWeight }
    }
    return Self.milli(sum / Double(windowSteps))
  }

  /// `value × 1000` rounded to the nearest integer, clamped to Int64 (NaN → 0).
  @inline(__always)
  static func milli(_ value: Double) -> Int64 {
    let scaled = (value * 1000).rounded()
    if !(scaled == scaled) { return 0 }
    if scaled >= 9.2e18 { return .max }
    if scaled <= -9.2e18 { return .min }
    return Int64(scaled)
  }
}

extension WorkloadSimulation {
  /// The mean of a series (or of the demand, when `series` is `nil`) times `scale` over the
  /// window ending at `scrape`, in the series' unit.
  func windowAverage(series: Int?, scale: Double, scrape: Int64) -> Double {
    let last = stepIndex(scrape) - 1
    var sum = 0.0
    for index in (last - windowSteps + 1)...last {
      let position = slot(index)
      if let series {
        sum += seriesHistory[position * seriesCursors.count + series]
      } else {
        sum += history[position].demand
      }
    }
    return sum * scale / Double(windowSteps)
  }
}
