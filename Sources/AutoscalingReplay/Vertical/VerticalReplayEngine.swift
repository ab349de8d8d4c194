import AutoscalingCore
import VerticalAutoscaling

/// A finite, non-negative Double as Int64, saturating at 10^15 (no trap on huge values).
@inline(__always)
func saturatingInt64(_ value: Double) -> Int64 {
  guard value > 0 else { return 0 }
  return value >= 1e15 ? 1_000_000_000_000_000 : Int64(value.rounded())
}

/// The mutable state of one vertical replay run (see ``VerticalReplay`` for the semantics).
struct VerticalReplayEngine {
  let replay: VerticalReplay
  let containerCount: Int
  let names: [String]
  var recommender: VerticalRecommender
  var vpa: VerticalPodAutoscaler
  let updater: Updater
  var pods: [VPAPod]
  /// Per pod × container (index `pod * containerCount + container`): requests and limits in
  /// millicores / bytes (0 = unset), and when the container last started (ms).
  var cpuRequest: [Int64]
  var memoryRequest: [Int64]
  var cpuLimit: [Int64]
  var memoryLimit: [Int64]
  var containerStart: [Int64]
  var cpuCursors: [SeriesCursor?]
  var memoryCursors: [SeriesCursor?]
  /// The latest recommendation per container: target, lower, upper (CPU ms, memory bytes).
  var bands: [(cpu: (Int64, Int64, Int64)?, memory: (Int64, Int64, Int64)?)]
  var podSerial = 0

  init(_ replay: VerticalReplay) {
    self.replay = replay
    containerCount = replay.containers.count
    names = replay.containers.map(\.container.name)
    recommender = replay.initialRecommender
    vpa = replay.vpa
    vpa.recommendation = nil
    updater = Updater(configuration: replay.updater)
    let slots = replay.replicas * containerCount
    pods = []
    pods.reserveCapacity(replay.replicas)
    cpuRequest = Array(repeating: 0, count: slots)
    memoryRequest = Array(repeating: 0, count: slots)
    cpuLimit = Array(repeating: 0, count: slots)
    memoryLimit = Array(repeating: 0, count: slots)
    containerStart = Array(repeating: replay.startMilliseconds, count: slots)
    cpuCursors = replay.containers.map { $0.cpuCores.map(SeriesCursor.init) }
    memoryCursors = replay.containers.map { $0.memoryBytes.map(SeriesCursor.init) }
    bands = Array(repeating: (nil, nil), count: containerCount)
    for index in 0..<replay.replicas {
      pods.append(newPod(at: replay.startMilliseconds))
      load(pod: index, startedAt: replay.startMilliseconds)
    }
  }

  /// A new pod from the template, passed through admission.
  mutating func newPod(at time: Int64) -> VPAPod {
    podSerial += 1
    let template = VPAPod(
      name: "\(replay.workloadName)-\(podSerial)",
      containers: replay.containers.map {
        PodContainer(
          name: $0.container.name, requests: $0.container.requests, limits: $0.container.limits)
      },
      startTime: Instant(millisecondsSinceEpoch: time), phase: .running,
      controller: replay.workloadName)
    return Admission.admitted(template, vpa: vpa)
  }

  /// Copies a pod's requests and limits into the flat arrays.
  mutating func load(pod index: Int, startedAt time: Int64?) {
    let pod = pods[index]
    for container in 0..<containerCount {
      let slot = index * containerCount + container
      let resources =
        pod.containers.first(where: { $0.name == names[container] })?.current
        ?? ResourceRequirements()
      cpuRequest[slot] = resources.requests[.cpu]?.milliValue ?? 0
      memoryRequest[slot] = resources.requests[.memory]?.value ?? 0
      cpuLimit[slot] = resources.limits[.cpu]?.milliValue ?? 0
      memoryLimit[slot] = resources.limits[.memory]?.value ?? 0
      if let time { containerStart[slot] = time }
    }
  }

  mutating func run(_ timeline: (VerticalTimelineRow) -> Void) -> VerticalScorecard {
    let step = replay.timing.stepMilliseconds
    let start = replay.startMilliseconds
    let end = replay.endMilliseconds
    let replicas = replay.replicas
    let recommenderEvery = replay.timing.recommenderIntervalMilliseconds
    let updaterEvery = replay.timing.updaterIntervalMilliseconds
    var card = VerticalScorecard()
    var cpuRequested = 0.0
    var cpuSlack = 0.0
    var cpuUsed = 0.0
    var cpuShort = 0.0
    var cpuTraced = 0.0
    var cpuShortTime = 0.0
    var cpuUsedLimited = 0.0
    var cpuThrottled = 0.0
    var memoryRequested = 0.0
    var memorySlack = 0.0
    var memoryUsed = 0.0
    var cpuUsage = [Double?](repeating: nil, count: containerCount)
    var memoryUsage = [Double?](repeating: nil, count: containerCount)
    var stepOOMs = [Int](repeating: 0, count: containerCount)
    var time = start
    while time < end {
      let seconds = Double(min(step, end - time)) / 1000
      let instant = Instant(millisecondsSinceEpoch: time)
      for container in 0..<containerCount {
        cpuUsage[container] = cpuCursors[container]?.value(at: time).multipliedBy(1000)
        memoryUsage[container] = memoryCursors[container]?.value(at: time)
        stepOOMs[container] = 0
      }
      // 1. Usage, throttling, OOM kills, samples.
      for pod in 0..<replicas {
        for container in 0..<containerCount {
          let slot = pod * containerCount + container
          if let used = cpuUsage[container] {
            let request = Double(cpuRequest[slot])
            cpuRequested += seconds * request
            cpuSlack += seconds * max(request - used, 0)
            cpuUsed += seconds * used
            cpuShort += seconds * max(used - request, 0)
            cpuTraced += seconds
            if used > request { cpuShortTime += seconds }
            var observed = used
            if cpuLimit[slot] > 0 {
              let limit = Double(cpuLimit[slot])
              cpuUsedLimited += seconds * used
              cpuThrottled += seconds * max(used - limit, 0)
              observed = min(used, limit)
            }
            if recommender.addSample(
              .cpu(millicores: saturatingInt64(observed), at: instant), pod: pods[pod].name,
              container: names[container]
            ).isAccepted {
              card.samples += 1
            }
          }
          if let used = memoryUsage[container] {
            let request = Double(memoryRequest[slot])
            memoryRequested += seconds * request
            memorySlack += seconds * max(request - used, 0)
            memoryUsed += seconds * used
            if memoryLimit[slot] > 0 && used > Double(memoryLimit[slot]) {
              card.oomKills += 1
              stepOOMs[container] += 1
              recordOOM(pod: pod, container: container, at: time)
            } else if recommender.addSample(
              .memory(bytes: saturatingInt64(used), at: instant), pod: pods[pod].name,
              container: names[container]
            ).isAccepted {
              card.samples += 1
            }
          }
        }
      }
      // 2. Recommender.
      let elapsed = time - start
      if elapsed % recommenderEvery == 0 {
        let recommendation = recommender.recommendation(for: vpa, at: instant)
        vpa.recommendation = recommendation
        card.recommendations += 1
        for container in 0..<containerCount {
          bands[container] = (nil, nil)
          guard let item = recommendation.first(where: { $0.containerName == names[container] })
          else { continue }
          if let target = item.target[.cpu], let lower = item.lowerBound[.cpu],
            let upper = item.upperBound[.cpu]
          {
            bands[container].cpu = (target.milliValue, lower.milliValue, upper.milliValue)
          }
          if let target = item.target[.memory], let lower = item.lowerBound[.memory],
            let upper = item.upperBound[.memory]
          {
            bands[container].memory = (target.value, lower.value, upper.value)
          }
        }
      }
      // 3. Updater.
      var stepEvictions = 0
      var stepResizes = 0
      if elapsed % updaterEvery == 0, vpa.recommendation != nil {
        let decision = updater.decide(
          vpa: vpa, pods: pods, configuredReplicas: [replay.workloadName: replicas], at: instant)
        for update in decision.updates {
          guard let index = pods.firstIndex(where: { $0.name == update.podName }) else { continue }
          switch update.action {
          case .evict:
            recommender.removePod(pods[index].name)
            pods[index] = newPod(at: time)
            load(pod: index, startedAt: time)
            stepEvictions += 1
          case .resizeInPlace:
            let (resources, _) = Admission.containerResources(for: pods[index], vpa: vpa)
            for item in resources {
              guard
                let position = pods[index].containers.firstIndex(where: {
                  $0.name == item.containerName
                })
              else { continue }
              for (name, quantity) in item.requests {
                pods[index].containers[position].resources.requests[name] = quantity
              }
              for (name, quantity) in item.limits {
                pods[index].containers[position].resources.limits[name] = quantity
              }
              pods[index].containers[position].statusResources = nil
            }
            load(pod: index, startedAt: nil)
            stepResizes += 1
          }
        }
        card.evictions += stepEvictions
        card.inPlaceResizes += stepResizes
      }
      // 4. Timeline.
      for container in 0..<containerCount {
        var cpuRequestSum = 0.0
        var memoryRequestSum = 0.0
        for pod in 0..<replicas {
          cpuRequestSum += Double(cpuRequest[pod * containerCount + container])
          memoryRequestSum += Double(memoryRequest[pod * containerCount + container])
        }
        let band = bands[container]
        timeline(
          VerticalTimelineRow(
            timeMilliseconds: time, containerIndex: container,
            cpuUsageMillicores: cpuUsage[container], memoryUsageBytes: memoryUsage[container],
            cpuRequestMillicores: cpuRequestSum / Double(replicas),
            memoryRequestBytes: memoryRequestSum / Double(replicas),
            targetCpuMillicores: band.cpu?.0, lowerBoundCpuMillicores: band.cpu?.1,
            upperBoundCpuMillicores: band.cpu?.2, targetMemoryBytes: band.memory?.0,
            lowerBoundMemoryBytes: band.memory?.1, upperBoundMemoryBytes: band.memory?.2,
            oomKills: stepOOMs[container], evictions: stepEvictions, inPlaceResizes: stepResizes))
      }
      card.durationSeconds += seconds
      let (next, overflow) = time.addingReportingOverflow(step)
      if overflow { break }
      time = next
    }
    func ratio(_ part: Double, _ whole: Double) -> Double { whole > 0 ? 100 * part / whole : 0 }
    card.slackPercent = ratio(cpuSlack, cpuRequested)
    card.insufficientCpuPercent = ratio(cpuShort, cpuUsed)
    card.insufficientCpuTimePercent = ratio(cpuShortTime, cpuTraced)
    card.throttledCpuPercent = ratio(cpuThrottled, cpuUsedLimited)
    card.memorySlackPercent = ratio(memorySlack, memoryRequested)
    let podSeconds = card.durationSeconds * Double(replicas)
    if podSeconds > 0 {
      card.meanRequestCpuMillicores = cpuRequested / podSeconds
      card.meanRequestMemoryBytes = memoryRequested / podSeconds
      card.meanUsageCpuMillicores = cpuUsed / podSeconds
      card.meanUsageMemoryBytes = memoryUsed / podSeconds
    }
    return card
  }

  /// An OOM kill: the recommender records it, the container restarts now, and its status
  /// carries the termination (upstream's quick-OOM eviction reads it).
  mutating func recordOOM(pod: Int, container: Int, at time: Int64) {
    let slot = pod * containerCount + container
    let name = names[container]
    // A stale-event error cannot happen: the kill is recorded at the current time.
    try? recommender.recordOOM(
      pod: pods[pod].name, container: name, at: Instant(millisecondsSinceEpoch: time),
      requestedMemoryBytes: memoryRequest[slot])
    let termination = ContainerTermination(
      reason: "OOMKilled", startedAt: Instant(millisecondsSinceEpoch: containerStart[slot]),
      finishedAt: Instant(millisecondsSinceEpoch: time))
    if let index = pods[pod].containerStatuses.firstIndex(where: { $0.name == name }) {
      pods[pod].containerStatuses[index].lastTermination = termination
    } else {
      pods[pod].containerStatuses.append(ContainerStatus(name: name, lastTermination: termination))
    }
    containerStart[slot] = time
  }
}

extension Double {
  @inline(__always)
  fileprivate func multipliedBy(_ factor: Double) -> Double { self * factor }
}
