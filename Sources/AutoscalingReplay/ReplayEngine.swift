import AutoscalingCore
import HorizontalAutoscaling

/// The working state of one `Replay.run`: the workload simulation, the HPA's controller state,
/// and the observation the HPA reads, rebuilt in place at every reconcile.
struct ReplayEngine {
  private let replay: Replay
  private var simulation: WorkloadSimulation
  private var hpa: HorizontalAutoscaler
  private var observation: HorizontalAutoscalerObservation
  private var readings: [ReplayMetricReading]
  private var desired: Int
  private let window: Duration

  init(_ replay: Replay) {
    self.replay = replay
    let reserve = max(replay.autoscaler.maxReplicas, replay.workload.initialReplicas) + 8
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
    readings = replay.targets.map { ReplayMetricReading(current: .nan, target: $0) }
    desired = initial
    window = .milliseconds(replay.timing.metricsWindowMilliseconds)
  }

  mutating func run(emit: ((ReplayTimelineRow) -> Void)?) -> Scorecard {
    let step = replay.timing.stepMilliseconds
    let sync = replay.timing.syncPeriodMilliseconds
    var time = replay.startMilliseconds
    var nextSync = time
    var row = ReplayTimelineRow(
      timeMilliseconds: time, demand: 0, readyCapacity: 0, unservedDemand: 0, replicas: 0,
      readyReplicas: 0, pendingReplicas: 0, desiredReplicas: desired, reconciled: false,
      metrics: readings)
    while time < replay.endMilliseconds {
      simulation.beginStep(at: time)
      let reconciled = time >= nextSync
      if reconciled {
        reconcile(at: time)
        nextSync = time &+ sync
      }
      simulation.endStep(at: time)
      if let emit {
        let fleet = simulation.fleet
        row.timeMilliseconds = time
        row.demand = simulation.last.demand
        row.readyCapacity = Double(fleet.ready) * replay.workload.capacityPerPod
        row.unservedDemand = simulation.lastUnserved
        row.replicas = fleet.replicas
        row.readyReplicas = fleet.ready
        row.pendingReplicas = fleet.pending
        row.desiredReplicas = desired
        row.reconciled = reconciled
        if reconciled { row.metrics = readings }
        emit(row)
      }
      time &+= step
    }
    return simulation.scorecard.scorecard()
  }

  /// One HPA reconcile at `time`: build what the controller would see, decide, apply.
  private mutating func reconcile(at time: Int64) {
    let fleet = simulation.fleet
    let scrape = simulation.visibleScrape(at: time)
    let scrapeInstant = Instant(millisecondsSinceEpoch: scrape)
    observation.specReplicas = fleet.replicas
    observation.statusReplicas = fleet.replicas
    observation.pods.removeAll(keepingCapacity: true)
    for pod in fleet.pods { observation.pods.append(podObservation(pod, at: time)) }
    for (index, feed) in replay.feeds.enumerated() {
      switch feed {
      case .usage(let models):
        var metrics = takePodMetrics(index)
        for pod in fleet.pods {
          guard simulation.hasSample(pod, scrape: scrape) else {
            metrics.samples.append(nil)
            continue
          }
          var total: Int64 = 0
          for model in models {
            total &+= simulation.usageMilli(
              pod, model: replay.workload.usage[model], stream: UInt64(2 + model), scrape: scrape)
          }
          metrics.samples.append(
            PodMetricSample(valueMilli: total, timestamp: scrapeInstant, window: window))
        }
        observation.metrics[index] = .resource(metrics)
      case .podsDemand(let scale), .podsSeries(_, let scale):
        var series: Int? = nil
        if case .podsSeries(let seriesIndex, _) = feed { series = seriesIndex }
        var metrics = takePodMetrics(index)
        for pod in fleet.pods {
          guard simulation.hasSample(pod, scrape: scrape) else {
            metrics.samples.append(nil)
            continue
          }
          let value = simulation.perPodMilli(pod, series: series, scale: scale, scrape: scrape)
          metrics.samples.append(
            PodMetricSample(valueMilli: value, timestamp: scrapeInstant, window: window))
        }
        observation.metrics[index] = .pods(metrics)
      case .totalDemand(let scale, let external), .totalSeries(_, let scale, let external):
        var series: Int? = nil
        if case .totalSeries(let seriesIndex, _, _) = feed { series = seriesIndex }
        let value = WorkloadSimulation.milli(
          simulation.windowAverage(series: series, scale: scale, scrape: scrape))
        if external {
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
    let current = fleet.replicas
    let decision = hpa.reconcile(observation, at: Instant(millisecondsSinceEpoch: time))
    desired = decision.desiredReplicas
    updateReadings(decision.metrics)
    let applied = decision.replicas
    if applied != current {
      simulation.scorecardRescale(from: current, to: applied)
      simulation.scale(to: applied, at: time)
    }
  }

  /// Moves the per-pod metrics of metric `index` out of the observation, emptied but with its
  /// storage kept, so refilling it does not allocate.
  private mutating func takePodMetrics(_ index: Int) -> PodMetrics {
    var metrics: PodMetrics
    switch observation.metrics[index] {
    case .resource(let existing), .pods(let existing): metrics = existing
    default: metrics = PodMetrics(samples: [])
    }
    observation.metrics[index] = .unavailable
    metrics.samples.removeAll(keepingCapacity: true)
    return metrics
  }

  private func podObservation(_ pod: SimulatedPod, at time: Int64) -> PodObservation {
    if pod.isPending(at: time) {
      return PodObservation(
        name: pod.name, phase: .pending,
        readyCondition: PodReadyCondition(
          status: .notReady, lastTransitionTime: Instant(millisecondsSinceEpoch: pod.createdAt)),
        startTime: nil, isDeleted: pod.isDeleted(at: time), containers: replay.containerRequests)
    }
    let ready = pod.readyAt <= time
    return PodObservation(
      name: pod.name, phase: .running,
      readyCondition: PodReadyCondition(
        status: ready ? .ready : .notReady,
        lastTransitionTime: Instant(millisecondsSinceEpoch: ready ? pod.readyAt : pod.startedAt)),
      startTime: Instant(millisecondsSinceEpoch: pod.startedAt), isDeleted: pod.isDeleted(at: time),
      containers: replay.containerRequests)
  }

  private mutating func updateReadings(_ statuses: [MetricStatus]) {
    for index in readings.indices where index < statuses.count {
      let status = statuses[index]
      if let percent = status.averageUtilization, replay.feeds.indices.contains(index),
        case .usage = replay.feeds[index], readings[index].target.isFinite,
        replay.autoscaler.metrics[index].usesUtilization
      {
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
