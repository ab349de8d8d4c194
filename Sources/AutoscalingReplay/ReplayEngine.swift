import AutoscalingCore
import HorizontalAutoscaling

/// A resolved feed flattened for the hot loop: numbers only, no reference-counted payload.
struct EngineFeed {
  enum Kind: UInt8 { case usage, perPod, total }
  var kind: Kind
  /// For `perPod` and `total`: the series index, or −1 for the demand.
  var series: Int
  var scale: Double
  /// For `usage`: the range of `ReplayEngine.usage` whose usage adds up.
  var usageStart: Int
  var usageCount: Int
  /// For `total`: External (values list) rather than Object (single value).
  var external: Bool
}

/// The working state of one `Replay.run`: the workload simulation, the HPA controller, and
/// the observation the HPA reads, updated in place at every reconcile.
struct ReplayEngine {
  private let replay: Replay
  private var simulation: WorkloadSimulation
  private var hpa: HorizontalAutoscaler
  private var observation: HorizontalAutoscalerObservation
  private var readings: [ReplayMetricReading]
  private var desired: Int
  private let feeds: [EngineFeed]
  private let usage: [UsageCoefficients]
  /// The usage model index of each `usage` entry (seeds its noise stream).
  private let usageStreams: [UInt64]
  private let sampleTemplate: PodMetricSample
  /// For each pod of `observation.pods` and each `usage` entry, the pod's noise key for that
  /// entry's stream (`ReplayRandom.key`), pod-major; rebuilt with the pods.
  private var noiseKeys: [UInt64] = []
  /// The fleet version `observation.pods` was built from (−1: never).
  private var observedVersion = -1
  /// `observation.pods` prepared for the controller; rebuilt with the pods.
  private var preparedPods = PreparedPods([])

  init(_ replay: Replay) {
    self.replay = replay
    // Room for the usual pod counts up front; larger fleets grow the arrays once.
    let reserve =
      min(max(replay.autoscaler.maxReplicas, replay.workload.initialReplicas), 1_024) + 8
    simulation = WorkloadSimulation(
      workload: replay.workload, lifecycle: replay.lifecycle, timing: replay.timing,
      seed: replay.seed, demand: replay.demand, series: replay.referencedSeries,
      start: replay.startMilliseconds, reserve: reserve)
    let initial = replay.workload.initialReplicas
    hpa = HorizontalAutoscaler(
      spec: replay.autoscaler, options: replay.options,
      state: HorizontalAutoscalerState(currentReplicas: initial, desiredReplicas: initial))
    observation = HorizontalAutoscalerObservation(
      specReplicas: initial, pods: [],
      metrics: Array(repeating: .unavailable, count: replay.feeds.count))
    observation.pods.reserveCapacity(reserve)
    let percent = replay.autoscaler.metrics.map(\.usesUtilization)
    readings = zip(replay.targets, percent).map {
      ReplayMetricReading(current: .nan, target: $0, isPercent: $1)
    }
    desired = initial
    sampleTemplate = PodMetricSample(
      valueMilli: 0, timestamp: .epoch,
      window: .milliseconds(replay.timing.metricsWindowMilliseconds))
    var feeds: [EngineFeed] = []
    var usage: [UsageCoefficients] = []
    var streams: [UInt64] = []
    for feed in replay.feeds {
      switch feed {
      case .usage(let models):
        feeds.append(
          EngineFeed(
            kind: .usage, series: -1, scale: 1, usageStart: usage.count,
            usageCount: models.count, external: false))
        for model in models {
          usage.append(UsageCoefficients(replay.workload.usage[model]))
          streams.append(UInt64(2 + model))
        }
      case .podsDemand(let scale):
        feeds.append(
          EngineFeed(
            kind: .perPod, series: -1, scale: scale, usageStart: 0, usageCount: 0,
            external: false))
      case .podsSeries(let index, let scale):
        feeds.append(
          EngineFeed(
            kind: .perPod, series: index, scale: scale, usageStart: 0, usageCount: 0,
            external: false))
      case .totalDemand(let scale, let external):
        feeds.append(
          EngineFeed(
            kind: .total, series: -1, scale: scale, usageStart: 0, usageCount: 0,
            external: external))
      case .totalSeries(let index, let scale, let external):
        feeds.append(
          EngineFeed(
            kind: .total, series: index, scale: scale, usageStart: 0, usageCount: 0,
            external: external))
      }
    }
    self.feeds = feeds
    self.usage = usage
    usageStreams = streams
    noiseKeys.reserveCapacity(reserve * streams.count)
  }

  mutating func run(emit: ((ReplayTimelineRow) -> Void)?) -> Scorecard {
    let step = replay.timing.stepMilliseconds
    let sync = replay.timing.syncPeriodMilliseconds
    let capacity = replay.workload.capacityPerPod
    var time = replay.startMilliseconds
    var nextSync = time
    var row = ReplayTimelineRow(
      timeMilliseconds: time, demand: 0, readyCapacity: 0, unservedDemand: 0, replicas: 0,
      readyReplicas: 0, pendingReplicas: 0, desiredReplicas: desired, reconciled: false,
      metrics: readings)
    let timeline = emit != nil
    for _ in 0..<replay.stepCount {
      simulation.beginStep(at: time)
      let reconciled = time >= nextSync
      if reconciled {
        reconcile(at: time, readMetrics: timeline)
        nextSync = time &+ sync
      }
      simulation.endStep(at: time)
      if let emit {
        row.timeMilliseconds = time
        row.demand = simulation.last.demand
        row.readyCapacity = Double(simulation.fleet.ready) * capacity
        row.unservedDemand = simulation.lastUnserved
        row.replicas = simulation.fleet.replicas
        row.readyReplicas = simulation.fleet.ready
        row.pendingReplicas = simulation.fleet.pending
        row.desiredReplicas = desired
        row.reconciled = reconciled
        if reconciled { row.metrics = readings }
        emit(row)
      }
      time &+= step
    }
    return simulation.scorecard.scorecard()
  }

  /// One HPA reconcile at `time`: update what the controller sees, decide, apply.
  /// `readMetrics`: also update `readings` from the decision (only timelines show them).
  private mutating func reconcile(at time: Int64, readMetrics: Bool) {
    let scrape = simulation.visibleScrape(at: time)
    let replicas = simulation.fleet.replicas
    observation.specReplicas = replicas
    observation.statusReplicas = replicas
    let podCount = simulation.fleet.pods.count
    if observedVersion != simulation.fleet.version {
      let fleetPods = simulation.fleet.pods
      observedVersion = simulation.fleet.version
      // Release the table's reference first, so the pods' buffer is unique and reused.
      preparedPods = PreparedPods([])
      observation.pods.removeAll(keepingCapacity: true)
      noiseKeys.removeAll(keepingCapacity: true)
      for pod in fleetPods {
        observation.pods.append(podObservation(pod, at: time))
        for stream in usageStreams {
          noiseKeys.append(ReplayRandom.key(seed: replay.seed, pod: pod.serial, stream: stream))
        }
      }
      preparedPods = PreparedPods(observation.pods)
    }
    let window = simulation.window(endingAt: scrape)
    var sample = sampleTemplate
    sample.timestamp = Instant(millisecondsSinceEpoch: scrape)
    let streamCount = usageStreams.count
    for index in feeds.indices {
      let feed = feeds[index]
      switch feed.kind {
      case .usage:
        var metrics = takePodMetrics(index, count: podCount, resource: true)
        simulation.fillUsage(
          &metrics.samples, models: usage,
          feedModels: feed.usageStart..<(feed.usageStart + feed.usageCount),
          noiseKeys: noiseKeys, keysPerPod: streamCount, scrape: scrape, window: window,
          template: sample)
        observation.metrics[index] = .resource(consume metrics)
      case .perPod:
        var metrics = takePodMetrics(index, count: podCount, resource: false)
        simulation.fillPerPod(
          &metrics.samples, series: feed.series, scale: feed.scale, scrape: scrape,
          window: window, template: sample)
        observation.metrics[index] = .pods(consume metrics)
      case .total:
        let value = WorkloadSimulation.milli(
          simulation.windowAverage(series: feed.series, scale: feed.scale, window: window))
        if feed.external {
          var values: [Int64] = []
          if case .external(let old) = observation.metrics[index] { values = old }
          observation.metrics[index] = .unavailable
          values.removeAll(keepingCapacity: true)
          values.append(value)
          observation.metrics[index] = .external(valuesMilli: values)
        } else {
          observation.metrics[index] = .object(valueMilli: value)
        }
      }
    }
    let decision = hpa.reconcile(
      observation, pods: preparedPods, at: Instant(millisecondsSinceEpoch: time))
    desired = decision.desiredReplicas
    if readMetrics { updateReadings(decision.metrics) }
    let applied = decision.replicas
    if applied != replicas {
      simulation.scorecardRescale(from: replicas, to: applied)
      simulation.scale(to: applied, at: time)
    }
  }

  /// Moves the per-pod metrics of metric `index` out of the observation with `count` samples
  /// (stale values, to be overwritten), keeping its storage so refilling it does not allocate.
  /// `resource`: the metric is a `.resource` (else a `.pods`) observation.
  private mutating func takePodMetrics(_ index: Int, count: Int, resource: Bool) -> PodMetrics {
    // Swapped out and consumed through one `if case` (a two-pattern `switch` copies), so the
    // arrays move without retain/release and stay unique.
    var taken = MetricObservation.unavailable
    swap(&taken, &observation.metrics[index])
    var metrics = PodMetrics(samples: [])
    if resource {
      if case .resource(let existing) = consume taken { metrics = existing }
    } else {
      if case .pods(let existing) = consume taken { metrics = existing }
    }
    if metrics.samples.count != count {
      metrics.samples.removeAll(keepingCapacity: true)
      metrics.samples.append(contentsOf: repeatElement(nil, count: count))
    }
    return metrics
  }

  /// The pod as the HPA lists it: phase, PodReady condition, start time, deletion, requests.
  private func podObservation(_ pod: SimulatedPod, at time: Int64) -> PodObservation {
    let name = "pod-\(pod.serial)"
    if pod.isPending(at: time) {
      return PodObservation(
        name: name, phase: .pending,
        readyCondition: PodReadyCondition(
          status: .notReady, lastTransitionTime: Instant(millisecondsSinceEpoch: pod.createdAt)),
        startTime: nil, isDeleted: pod.isDeleted(at: time), containers: replay.containerRequests)
    }
    let ready = pod.readyAt <= time
    return PodObservation(
      name: name, phase: .running,
      readyCondition: PodReadyCondition(
        status: ready ? .ready : .notReady,
        lastTransitionTime: Instant(millisecondsSinceEpoch: ready ? pod.readyAt : pod.startedAt)),
      startTime: Instant(millisecondsSinceEpoch: pod.startedAt), isDeleted: pod.isDeleted(at: time),
      containers: replay.containerRequests)
  }

  private mutating func updateReadings(_ statuses: [MetricStatus]) {
    for index in readings.indices where index < statuses.count {
      let status = statuses[index]
      if readings[index].isPercent, let percent = status.averageUtilization {
        readings[index].current = Double(percent)
      } else if let average = status.averageValueMilli {
        readings[index].current = Double(average) / 1000
      } else if let value = status.valueMilli {
        readings[index].current = Double(value) / 1000
      }
    }
  }
}

extension MetricSpec {
  /// Whether the metric's target is a utilization percentage (Resource or ContainerResource
  /// without an averageValue).
  var usesUtilization: Bool {
    if let target = resource?.target ?? containerResource?.target {
      return target.averageValue == nil && target.averageUtilization != nil
    }
    return false
  }
}
