public import AutoscalingCore
public import VerticalAutoscaling

/// What a joint HPA + VPA replay scored (JSON keys = property names, stable).
///
/// Horizontal figures add up the epochs' ``Scorecard``s (sums, time-weighted means, maxima).
/// Vertical figures use the per-pod usage of the workload model without noise,
/// `u = base + perUnitOfDemand × min(demand / ready, capacityPerPod)` (capped at the model's
/// limit), against the CPU request `r` of the epoch, weighted by running replicas `n` and the
/// step `Δt` seconds.
public struct JointScorecard: Hashable, Sendable, Codable {
  /// Replica-seconds over the whole replay.
  public var replicaSeconds: Double
  /// Time-weighted mean replicas.
  public var meanReplicas: Double
  /// The largest replica count.
  public var maxReplicas: Int
  /// Unserved demand (demand units × seconds).
  public var unservedDemand: Double
  /// Time share with fewer ready pods than demand needs (0…1), time-weighted over epochs.
  public var underProvisionedTimeShare: Double
  /// HPA scaling actions.
  public var scalingActions: Int
  /// CPU slack, percent: `100 × Σ Δt·n·(r − u)⁺ / Σ Δt·n·r`.
  public var slackPercent: Double
  /// CPU usage above the request, percent: `100 × Σ Δt·n·(u − r)⁺ / Σ Δt·n·u`.
  public var insufficientCpuPercent: Double
  /// CPU reserved by requests, core-seconds: `Σ Δt·n·r / 1000`.
  public var requestedCpuCoreSeconds: Double
  /// Time-weighted mean CPU request of a pod, millicores.
  public var meanRequestCpuMillicores: Double
  /// The CPU request of a pod at the end, millicores.
  public var finalRequestCpuMillicores: Double
  /// The time-weighted mean memory request of a pod, bytes.
  public var meanRequestMemoryBytes: Double
  /// Times the VPA rolled new requests out to the workload.
  public var requestChanges: Int
  /// Epochs replayed.
  public var epochs: Int

  /// Creates an empty scorecard.
  public init() {
    replicaSeconds = 0
    meanReplicas = 0
    maxReplicas = 0
    unservedDemand = 0
    underProvisionedTimeShare = 0
    scalingActions = 0
    slackPercent = 0
    insufficientCpuPercent = 0
    requestedCpuCoreSeconds = 0
    meanRequestCpuMillicores = 0
    finalRequestCpuMillicores = 0
    meanRequestMemoryBytes = 0
    requestChanges = 0
    epochs = 0
  }
}

/// One epoch of a joint replay: the requests it ran with, and the HPA's scorecard for it.
public struct JointEpoch: Hashable, Sendable {
  /// The epoch's start in milliseconds.
  public var startMilliseconds: Int64
  /// The epoch's end (exclusive) in milliseconds.
  public var endMilliseconds: Int64
  /// The pod CPU request during the epoch (first container), millicores.
  public var cpuRequestMillicores: Int64
  /// The pod memory request during the epoch (first container), bytes.
  public var memoryRequestBytes: Int64
  /// Replicas at the end of the epoch.
  public var finalReplicas: Int
  /// The VPA's CPU target at the end of the epoch (first container), millicores.
  public var targetCpuMillicores: Int64?
  /// Whether the VPA rolled new requests out at the end of the epoch.
  public var requestsChanged: Bool
  /// The HPA replay's scorecard for the epoch.
  public var horizontal: Scorecard
}

/// An HPA and a VPA on the same workload (autoscaler#6060): the VPA's requests are the HPA's
/// utilization denominator, so each request change moves the HPA, whose replica count moves
/// per-pod usage, which moves the next recommendation.
///
/// Composition rather than a change to the HPA engine: the replay runs the HPA ``Replay`` in
/// epochs of `epochMilliseconds`. Within an epoch the pod template's requests are fixed; every
/// step's per-pod usage (workload model, noise-free) feeds one VPA recommender (one
/// representative pod: all replicas share the usage, and the VPA aggregates by container name).
/// At each epoch end the VPA recommends, the updater decides on the running replicas (upstream
/// rules: band, 12 h lifetime, eviction tolerance), and if it would update any pod the new
/// requests (admission of the recommendation) are rolled out to the whole template for the next
/// epoch, which starts with the replica count the previous one ended with.
///
/// Approximations, stated: the HPA's own state (stabilization windows, scale events) restarts
/// each epoch; a rollout replaces all pods at once and without start-up delay; Off and Initial
/// VPAs never change the template (Initial would only touch pods the HPA creates). Choose an
/// epoch of at least the HPA's stabilization window (default one hour).
public struct JointReplay: Sendable {
  /// The HPA replay (its window, workload model and requests are the starting point).
  public let horizontal: Replay
  /// The VPA.
  public let vpa: VerticalPodAutoscaler
  /// The recommender's flags.
  public let recommender: RecommenderConfiguration
  /// The updater's flags.
  public let updater: UpdaterConfiguration
  /// The epoch length in milliseconds (a multiple of the HPA replay's step).
  public let epochMilliseconds: Int64
  private let initialRecommender: VerticalRecommender

  /// Creates a joint replay.
  ///
  /// - Parameters:
  ///   - horizontal: The HPA replay (validated).
  ///   - vpa: The VPA.
  ///   - recommender: Recommender flags.
  ///   - updater: Updater flags.
  ///   - epochMilliseconds: Epoch length in milliseconds, a positive multiple of the step.
  /// - Throws: `ReplayError.invalidTiming` for a bad epoch, `.invalidAutoscaler` for an invalid
  ///   VPA policy or recommender flags.
  public init(
    horizontal: Replay, vpa: VerticalPodAutoscaler,
    recommender: RecommenderConfiguration = RecommenderConfiguration(),
    updater: UpdaterConfiguration = UpdaterConfiguration(), epochMilliseconds: Int64 = 3_600_000
  ) throws(ReplayError) {
    let step = horizontal.timing.stepMilliseconds
    guard epochMilliseconds > 0, epochMilliseconds % step == 0 else {
      throw .invalidTiming(
        field: "epochMilliseconds", value: epochMilliseconds,
        rule: "must be a positive multiple of the step (\(step) ms)")
    }
    do throws(VerticalAutoscalingError) {
      try vpa.resourcePolicy?.validate()
      initialRecommender = try VerticalRecommender(configuration: recommender)
    } catch {
      throw .invalidAutoscaler(reason: "VPA: " + error.description)
    }
    self.horizontal = horizontal
    self.vpa = vpa
    self.recommender = recommender
    self.updater = updater
    self.epochMilliseconds = epochMilliseconds
  }

  /// Runs the joint replay.
  ///
  /// - Returns: The scorecard.
  /// - Throws: `ReplayError` if an epoch's HPA replay rejects the VPA's requests.
  public func run() throws(ReplayError) -> JointScorecard {
    try run { _ in }
  }

  /// Runs the joint replay, reporting each epoch.
  ///
  /// - Parameter epochs: Called once per epoch, in order.
  /// - Returns: The scorecard.
  /// - Throws: `ReplayError` if an epoch's HPA replay rejects the VPA's requests.
  public func run(epochs: (JointEpoch) -> Void) throws(ReplayError) -> JointScorecard {
    let base = horizontal
    let step = base.timing.stepMilliseconds
    let stepSeconds = Double(step) / 1000
    var workload = base.workload
    var recommender = initialRecommender
    var vpa = self.vpa
    var card = JointScorecard()
    var requestedCpu = 0.0
    var slack = 0.0
    var used = 0.0
    var short = 0.0
    var requestTime = 0.0
    var memoryRequested = 0.0
    var underTime = 0.0
    var seconds = 0.0
    var requestsSince = base.startMilliseconds
    let models = workload.usage
    let names = workload.podTemplate.containers.map(\.name)
    var start = base.startMilliseconds
    while start < base.endMilliseconds {
      let (next, overflow) = start.addingReportingOverflow(epochMilliseconds)
      let end = overflow ? base.endMilliseconds : min(next, base.endMilliseconds)
      let replay = try Replay(
        autoscaler: base.autoscaler, options: base.options, workload: workload,
        demand: base.demand, series: base.series, feeds: base.feedMapping, timing: base.timing,
        lifecycle: base.lifecycle, startMilliseconds: start, endMilliseconds: end, seed: base.seed)
      let first = workload.podTemplate.containers[0]
      let cpuRequest = Double(first.requests[.cpu]?.milliValue ?? 0)
      let memoryRequest = Double(first.requests[.memory]?.value ?? 0)
      var lastReplicas = workload.initialReplicas
      let capacity = workload.capacityPerPod
      let epochCard = replay.run { row in
        lastReplicas = row.replicas
        let ready = Double(row.readyReplicas)
        let served = ready > 0 ? min(row.demand / ready, capacity) : 0
        let instant = Instant(millisecondsSinceEpoch: row.timeMilliseconds)
        for model in models {
          var usage = model.base + model.perUnitOfDemand * served
          if let limit = model.limit { usage = min(usage, limit) }
          let container = model.container ?? names[0]
          if model.resource == .cpu {
            recommender.addSample(
              .cpu(millicores: saturatingInt64(usage * 1000), at: instant), pod: "representative",
              container: container)
            if container == names[0] {
              let pods = Double(row.replicas) * stepSeconds
              let millicores = usage * 1000
              requestedCpu += pods * cpuRequest
              slack += pods * max(cpuRequest - millicores, 0)
              used += pods * millicores
              short += pods * max(millicores - cpuRequest, 0)
            }
          } else if model.resource == .memory {
            recommender.addSample(
              .memory(bytes: saturatingInt64(usage), at: instant), pod: "representative",
              container: container)
          }
        }
        requestTime += Double(row.replicas) * stepSeconds
        memoryRequested += Double(row.replicas) * stepSeconds * memoryRequest
      }
      let epochSeconds = Double(end - start) / 1000
      seconds += epochSeconds
      card.replicaSeconds += epochCard.replicaSeconds
      card.maxReplicas = max(card.maxReplicas, epochCard.maxReplicas)
      card.unservedDemand += epochCard.unservedDemand
      card.scalingActions += epochCard.scalingActions
      underTime += epochCard.underProvisionedTimeShare * epochSeconds
      card.epochs += 1

      // The VPA at the epoch's end: recommend, let the updater judge the running pods.
      let now = Instant(millisecondsSinceEpoch: end)
      let recommendation = recommender.recommendation(for: vpa, at: now)
      vpa.recommendation = recommendation
      let template = VPAPod(
        name: "pod",
        containers: workload.podTemplate.containers.map {
          PodContainer(name: $0.name, requests: $0.requests, limits: $0.limits)
        }, startTime: Instant(millisecondsSinceEpoch: requestsSince), controller: "workload")
      let pods = (0..<max(lastReplicas, 1)).map { index in
        var pod = template
        pod.name = "pod-\(index)"
        return pod
      }
      let decision = Updater(configuration: updater).decide(
        vpa: vpa, pods: pods, configuredReplicas: ["workload": pods.count], at: now)
      var changed = false
      if !decision.updates.isEmpty {
        let admitted = Admission.admitted(template, vpa: vpa)
        for (index, container) in admitted.containers.enumerated()
        where index < workload.podTemplate.containers.count {
          let current = workload.podTemplate.containers[index]
          if current.requests != container.resources.requests
            || current.limits != container.resources.limits
          {
            workload.podTemplate.containers[index].requests = container.resources.requests
            workload.podTemplate.containers[index].limits = container.resources.limits
            changed = true
          }
        }
        if changed {
          card.requestChanges += 1
          requestsSince = end
        }
      }
      epochs(
        JointEpoch(
          startMilliseconds: start, endMilliseconds: end,
          cpuRequestMillicores: Int64(cpuRequest), memoryRequestBytes: Int64(memoryRequest),
          finalReplicas: lastReplicas,
          targetCpuMillicores: recommendation.first { $0.containerName == names[0] }?
            .target[.cpu]?.milliValue,
          requestsChanged: changed, horizontal: epochCard))
      workload.initialReplicas = lastReplicas
      start = end
    }
    func ratio(_ part: Double, _ whole: Double) -> Double { whole > 0 ? 100 * part / whole : 0 }
    card.meanReplicas = seconds > 0 ? card.replicaSeconds / seconds : 0
    card.underProvisionedTimeShare = seconds > 0 ? underTime / seconds : 0
    card.slackPercent = ratio(slack, requestedCpu)
    card.insufficientCpuPercent = ratio(short, used)
    card.requestedCpuCoreSeconds = requestedCpu / 1000
    card.meanRequestCpuMillicores = requestTime > 0 ? requestedCpu / requestTime : 0
    card.meanRequestMemoryBytes = requestTime > 0 ? memoryRequested / requestTime : 0
    card.finalRequestCpuMillicores = Double(
      workload.podTemplate.containers[0].requests[.cpu]?.milliValue ?? 0)
    return card
  }
}
