import HorizontalAutoscaling

/// A `ResourceUsageModel`'s numbers only (no strings), for the hot loop.
struct UsageCoefficients {
  var base: Double
  var perUnitOfDemand: Double
  /// Usage while starting (the model's `startupUsage`, or `base`).
  var startup: Double
  /// The cap (`.infinity` when the model has none).
  var limit: Double

  init(_ model: ResourceUsageModel) {
    base = model.base
    perUnitOfDemand = model.perUnitOfDemand
    startup = model.startupUsage ?? model.base
    limit = model.limit ?? .infinity
  }
}

/// What one step looked like, kept for the last few steps so that metric samples (which
/// average over a window and arrive with a lag) can be computed when the HPA reads them.
struct StepRecord {
  /// Demand during the step (trace units).
  var demand: Double = 0
  /// Demand served by ready pods: `min(demand, ready × capacity)`.
  var served: Double = 0
  /// The sum of the ready pods' weights.
  var readyWeight: Double = 0
  /// `served / readyWeight` (0 without ready pods): a ready pod of weight w serves w × this.
  var servedPerWeight: Double = 0
  /// `demand / readyWeight` (0 without ready pods): a ready pod of weight w receives w × this.
  var demandPerWeight: Double = 0
  /// `1 / readyWeight` (0 without ready pods).
  var inverseWeight: Double = 0
}

/// The steps a scrape averages over, computed once per reconcile.
struct ScrapeWindow {
  /// The index of the window's first step (may be negative: before the replay's start).
  var firstStep: Int64
  /// The number of steps in the window.
  var steps: Int64
  /// `1 / steps`.
  var reciprocal: Double
  /// The history slot of `firstStep`.
  var firstSlot: Int
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
  /// The history slot of the next step `endStep` records.
  private var nextSlot = 0
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
    historyLength =
      Int(
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
    let weight = fleet.readyWeight
    let inverse = weight > 0 ? 1 / weight : 0
    return StepRecord(
      demand: demand, served: served, readyWeight: weight, servedPerWeight: served * inverse,
      demandPerWeight: demand * inverse, inverseWeight: inverse)
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

  /// Serves the step's demand with the ready pods, records it, and scores it. Steps must come
  /// in order, one step apart, from the start.
  @inline(__always)
  mutating func endStep(at time: Int64) {
    let record = makeRecord(at: time)
    let position = nextSlot
    nextSlot = position + 1 == historyLength ? 0 : position + 1
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

  /// The window the scrape at `scrape` averages over.
  @inline(__always)
  func window(endingAt scrape: Int64) -> ScrapeWindow {
    ScrapeWindow(
      firstStep: stepIndex(scrape) - windowSteps, steps: windowSteps,
      reciprocal: 1 / Double(windowSteps), firstSlot: slot(stepIndex(scrape) - windowSteps))
  }

  /// The usage of one resource by `pod`, averaged over `window`, in milli-units (millicores,
  /// millibytes), as metrics-server would report it. `noiseKey` is the pod's key for the
  /// model's noise stream (`ReplayRandom.key(seed:pod:stream:)`), computed once per pod.
  @inline(__always)
  func usageMilli(
    _ pod: SimulatedPod, model: UsageCoefficients, noiseKey: UInt64, window: ScrapeWindow
  ) -> Int64 {
    var sum = 0.0
    var index = window.firstStep
    var position = window.firstSlot
    let end = window.firstStep + window.steps
    let noise = workload.noise
    while index < end {
      let time = start &+ index &* step
      let ready = pod.isReady(at: time)
      sum += Self.stepUsage(
        model, ready: ready, starting: !ready && pod.isStarting(at: time),
        share: ready ? pod.weight * history[position].servedPerWeight : 0, noise: noise,
        noiseKey: noiseKey, step: UInt64(bitPattern: index))
      index += 1
      position += 1
      if position == historyLength { position = 0 }
    }
    return Self.milli(sum * window.reciprocal)
  }

  /// One step's usage of one resource by a pod, in units (cores, bytes): the model's base
  /// plus its share of the served demand while ready, the start-up usage while starting, the
  /// base otherwise; times the seeded noise of step `step`, capped at the limit.
  ///
  /// - Parameters:
  ///   - model: The usage model.
  ///   - ready: Whether the pod is ready at the step.
  ///   - starting: Whether it is starting (not ready) at the step.
  ///   - share: The pod's weight × the step's served demand per unit of weight (read only
  ///     when `ready`).
  ///   - noise: The workload's noise amplitude (`workload.noise`, read once by the caller).
  ///   - noiseKey: The pod's key for the model's noise stream.
  ///   - step: The step's index, as the noise stream's bits (`UInt64(bitPattern:)`).
  @inline(__always)
  static func stepUsage(
    _ model: UsageCoefficients, ready: Bool, starting: Bool, share: Double, noise: Double,
    noiseKey: UInt64, step: UInt64
  ) -> Double {
    var usage: Double
    if ready {
      usage = model.base + share * model.perUnitOfDemand
    } else if starting {
      usage = model.startup
    } else {
      usage = model.base
    }
    if noise > 0 {
      usage *= 1 + noise * ReplayRandom.symmetric(key: noiseKey, step: step)
    }
    if usage > model.limit { usage = model.limit }
    return usage
  }

  /// Writes one Resource or ContainerResource feed's samples for the fleet's pods (see the
  /// buffer form below) into `samples`, which holds one slot per pod.
  ///
  /// - Parameters:
  ///   - samples: One slot per pod of `fleet.pods`, overwritten.
  ///   - models: Every usage model of the replay.
  ///   - feedModels: The indices into `models` whose usage the feed adds up.
  ///   - noiseKeys: The pods' noise keys, pod-major, indexed like `models` within a pod.
  ///   - keysPerPod: The number of noise keys per pod (`models.count`).
  ///   - scrape: The scrape's time (ms).
  ///   - window: `window(endingAt: scrape)`.
  ///   - template: The sample written, with its timestamp and window set.
  func fillUsage(
    _ samples: inout [PodMetricSample?], models: [UsageCoefficients], feedModels: Range<Int>,
    noiseKeys: [UInt64], keysPerPod: Int, scrape: Int64, window: ScrapeWindow,
    template: PodMetricSample
  ) {
    // Raw buffers: no per-element uniqueness or bounds checks in the loop.
    samples.withUnsafeMutableBufferPointer { out in
      fleet.pods.withUnsafeBufferPointer { pods in
        models.withUnsafeBufferPointer { models in
          noiseKeys.withUnsafeBufferPointer { keys in
            fillUsage(
              out, pods: pods, models: models, feedModels: feedModels, noiseKeys: keys,
              keysPerPod: keysPerPod, scrape: scrape, window: window, template: template)
          }
        }
      }
    }
  }

  /// Writes one Pods feed's samples for the fleet's pods (see the buffer form below) into
  /// `samples`, which holds one slot per pod.
  ///
  /// - Parameters:
  ///   - samples: One slot per pod of `fleet.pods`, overwritten.
  ///   - series: The referenced series' index, or −1 for the demand.
  ///   - scale: The feed's scale.
  ///   - scrape: The scrape's time (ms).
  ///   - window: `window(endingAt: scrape)`.
  ///   - template: The sample written, with its timestamp and window set.
  func fillPerPod(
    _ samples: inout [PodMetricSample?], series: Int, scale: Double, scrape: Int64,
    window: ScrapeWindow, template: PodMetricSample
  ) {
    samples.withUnsafeMutableBufferPointer { out in
      fleet.pods.withUnsafeBufferPointer { pods in
        fillPerPod(
          out, pods: pods, series: series, scale: scale, scrape: scrape, window: window,
          template: template)
      }
    }
  }

  /// Writes one Resource or ContainerResource feed's samples for the scrape at `scrape`:
  /// `out[i]` is `pods[i]`'s usage summed over the feed's models (`nil` when the pod has no
  /// sample), in milli-units, stamped like `template`.
  ///
  /// - Parameters:
  ///   - out: One slot per pod, overwritten.
  ///   - pods: The pods, in the order of `out`.
  ///   - models: Every usage model of the replay.
  ///   - feedModels: The indices into `models` whose usage the feed adds up.
  ///   - noiseKeys: The pods' noise keys, pod-major, indexed like `models` within a pod.
  ///   - keysPerPod: The number of noise keys per pod (`models.count`).
  ///   - scrape: The scrape's time (ms).
  ///   - window: `window(endingAt: scrape)`.
  ///   - template: The sample written, with its timestamp and window set.
  private func fillUsage(
    _ out: UnsafeMutableBufferPointer<PodMetricSample?>, pods: UnsafeBufferPointer<SimulatedPod>,
    models: UnsafeBufferPointer<UsageCoefficients>, feedModels: Range<Int>,
    noiseKeys: UnsafeBufferPointer<UInt64>, keysPerPod: Int, scrape: Int64, window: ScrapeWindow,
    template: PodMetricSample
  ) {
    // A pod has a sample when it ran for the whole window before the scrape.
    let cutoff = scrape - timing.metricsWindowMilliseconds
    var sample = template
    guard window.steps == 1 else {
      fillEach(out, pods: pods, cutoff: cutoff, template: template) { position, pod in
        var total: Int64 = 0
        for model in feedModels {
          total &+= usageMilli(
            pod, model: models[model], noiseKey: noiseKeys[position &* keysPerPod &+ model],
            window: window)
        }
        return total
      }
      return
    }
    // A one-step window (the usual case): `usageMilli`'s loop runs once, and its mean of one
    // term (0 + u, times 1 / 1) is u bit for bit, so the step's state is looked up once.
    let time = start &+ window.firstStep &* step
    let servedPerWeight = history[window.firstSlot].servedPerWeight
    let noise = workload.noise
    let noiseStep = UInt64(bitPattern: window.firstStep)
    if feedModels.count == 1 {
      // One model (a Resource metric's usual feed): its total is its one term (0 &+ m == m).
      Self.fillOneModel(
        out, pods: pods, model: models[feedModels.lowerBound],
        noiseKeys: noiseKeys, firstKey: feedModels.lowerBound, keysPerPod: keysPerPod,
        cutoff: cutoff, time: time, servedPerWeight: servedPerWeight, noise: noise,
        noiseStep: noiseStep, template: template)
      return
    }
    for position in 0..<pods.count {
      let pod = pods[position]
      guard pod.startedAt <= cutoff else {
        out[position] = nil
        continue
      }
      let ready = pod.isReady(at: time)
      let starting = pod.isStarting(at: time)
      let share = pod.weight * servedPerWeight
      var total: Int64 = 0
      for model in feedModels {
        total &+= Self.milli(
          Self.stepUsage(
            models[model], ready: ready, starting: starting, share: share, noise: noise,
            noiseKey: noiseKeys[position &* keysPerPod &+ model], step: noiseStep))
      }
      sample.valueMilli = total
      out[position] = sample
    }
  }

  /// The one-step, one-model case of `fillUsage`: `out[i]` is `pods[i]`'s usage of `model` at
  /// the step at `time` in milli-units, or `nil` when the pod started after `cutoff`. Kept out
  /// of line so that its loop has the registers to itself.
  ///
  /// - Parameters:
  ///   - out: One slot per pod, overwritten.
  ///   - pods: The pods, in the order of `out`.
  ///   - model: The feed's usage model.
  ///   - noiseKeys: The pods' noise keys, pod-major.
  ///   - firstKey: The model's index within a pod's keys.
  ///   - keysPerPod: The number of noise keys per pod.
  ///   - cutoff: The latest start time (ms) of a pod that has a sample.
  ///   - time: The step's time (ms).
  ///   - servedPerWeight: The step's served demand per unit of ready weight.
  ///   - noise: The workload's noise amplitude.
  ///   - noiseStep: The step's index, as the noise stream's bits.
  ///   - template: The sample written, with its timestamp and window set.
  @inline(never)
  private static func fillOneModel(
    _ out: UnsafeMutableBufferPointer<PodMetricSample?>, pods: UnsafeBufferPointer<SimulatedPod>,
    model: UsageCoefficients, noiseKeys: UnsafeBufferPointer<UInt64>, firstKey: Int,
    keysPerPod: Int, cutoff: Int64, time: Int64, servedPerWeight: Double, noise: Double,
    noiseStep: UInt64, template: PodMetricSample
  ) {
    var sample = template
    var key = firstKey
    for position in 0..<pods.count {
      let pod = pods[position]
      let podKey = key
      key &+= keysPerPod
      guard pod.startedAt <= cutoff else {
        out[position] = nil
        continue
      }
      let ready = pod.isReady(at: time)
      sample.valueMilli = milli(
        stepUsage(
          model, ready: ready, starting: !ready && pod.isStarting(at: time),
          share: pod.weight * servedPerWeight, noise: noise, noiseKey: noiseKeys[podKey],
          step: noiseStep))
      out[position] = sample
    }
  }

  /// Writes `value(i, pods[i])` into `out[i]` for every pod that started by `cutoff` (so has
  /// a sample), `nil` for the others; the samples are stamped like `template`.
  private func fillEach(
    _ out: UnsafeMutableBufferPointer<PodMetricSample?>, pods: UnsafeBufferPointer<SimulatedPod>,
    cutoff: Int64, template: PodMetricSample, _ value: (Int, SimulatedPod) -> Int64
  ) {
    var sample = template
    for position in 0..<pods.count {
      let pod = pods[position]
      guard pod.startedAt <= cutoff else {
        out[position] = nil
        continue
      }
      sample.valueMilli = value(position, pod)
      out[position] = sample
    }
  }

  /// Writes one Pods feed's samples for the scrape at `scrape` (see ``perPodMilli``): `out[i]`
  /// is `pods[i]`'s value, or `nil` when the pod has no sample.
  ///
  /// - Parameters:
  ///   - out: One slot per pod, overwritten.
  ///   - pods: The pods, in the order of `out`.
  ///   - series: The referenced series' index, or −1 for the demand.
  ///   - scale: The feed's scale.
  ///   - scrape: The scrape's time (ms).
  ///   - window: `window(endingAt: scrape)`.
  ///   - template: The sample written, with its timestamp and window set.
  private func fillPerPod(
    _ out: UnsafeMutableBufferPointer<PodMetricSample?>, pods: UnsafeBufferPointer<SimulatedPod>,
    series: Int, scale: Double, scrape: Int64, window: ScrapeWindow, template: PodMetricSample
  ) {
    // A pod has a sample when it ran for the whole window before the scrape.
    let cutoff = scrape - timing.metricsWindowMilliseconds
    var sample = template
    guard window.steps == 1 else {
      fillEach(out, pods: pods, cutoff: cutoff, template: template) { _, pod in
        perPodMilli(pod, series: series, scale: scale, window: window)
      }
      return
    }
    // A one-step window: `perPodMilli` with its one iteration unrolled (same operations).
    let time = start &+ window.firstStep &* step
    let record = history[window.firstSlot]
    let perWeight =
      series < 0
      ? record.demandPerWeight
      : seriesHistory[window.firstSlot * seriesCursors.count + series]
    let factor = series < 0 ? 1 : record.inverseWeight
    let reciprocal = window.reciprocal
    for position in 0..<pods.count {
      let pod = pods[position]
      guard pod.startedAt <= cutoff else {
        out[position] = nil
        continue
      }
      var sum = 0.0
      if pod.isReady(at: time) {
        sum += series < 0 ? pod.weight * perWeight : pod.weight * perWeight * factor
      }
      sample.valueMilli = Self.milli(sum * scale * reciprocal)
      out[position] = sample
    }
  }

  /// A per-pod custom metric: the pod's share of `value × scale` while ready, 0 otherwise,
  /// averaged over `window`, in milli-units. `series` is an index into the referenced series,
  /// or −1 for the demand.
  @inline(__always)
  func perPodMilli(_ pod: SimulatedPod, series: Int, scale: Double, window: ScrapeWindow) -> Int64 {
    var sum = 0.0
    var index = window.firstStep
    var position = window.firstSlot
    let end = window.firstStep + window.steps
    while index < end {
      let time = start &+ index &* step
      if pod.isReady(at: time) {
        let record = history[position]
        if series < 0 {
          sum += pod.weight * record.demandPerWeight
        } else {
          let value = seriesHistory[position * seriesCursors.count + series]
          sum += pod.weight * value * record.inverseWeight
        }
      }
      index += 1
      position += 1
      if position == historyLength { position = 0 }
    }
    return Self.milli(sum * scale * window.reciprocal)
  }

  /// `value × 1000` rounded to the nearest integer (halves away from zero), clamped to Int64's
  /// range; NaN gives 0.
  @inline(__always)
  static func milli(_ value: Double) -> Int64 {
    let scaled = value * 1000
    if scaled >= 0 {
      return scaled < 9.2e18 ? Int64(scaled + 0.5) : .max
    }
    if scaled < 0 {
      return scaled > -9.2e18 ? -Int64(0.5 - scaled) : .min
    }
    return 0
  }
}

extension WorkloadSimulation {
  /// The mean of a series (or of the demand, when `series` is −1) times `scale` over
  /// `window`, in the series' unit.
  func windowAverage(series: Int, scale: Double, window: ScrapeWindow) -> Double {
    var sum = 0.0
    var index = window.firstStep
    var position = window.firstSlot
    let end = window.firstStep + window.steps
    while index < end {
      if series < 0 {
        sum += history[position].demand
      } else {
        sum += seriesHistory[position * seriesCursors.count + series]
      }
      index += 1
      position += 1
      if position == historyLength { position = 0 }
    }
    return sum * scale * window.reciprocal
  }
}
