public import AutoscalingCore

/// One metric's replica proposal and the values reported for it.
public struct ReplicaProposal: Hashable, Sendable {
  /// The proposed replica count, in replicas.
  public var replicas: Int
  /// The average utilization in percent of the request (resource utilization targets only),
  /// truncated to a whole percent as upstream does; `nil` otherwise.
  public var utilization: Int?
  /// The reported usage in milli-units: the raw per-pod average for resource metrics, the
  /// truncated per-pod average for Pods metrics, the object value or external total for
  /// `Value` targets, and `ceil(total / statusReplicas)` for per-pod Object/External targets.
  public var usageMilli: Int64
  /// The metric's timestamp (the first item's), when upstream reports one.
  public var timestamp: Instant?

  /// Creates a proposal.
  ///
  /// - Parameters:
  ///   - replicas: The proposed count, in replicas.
  ///   - utilization: The utilization, percent.
  ///   - usageMilli: The reported usage, milli-units.
  ///   - timestamp: The metric timestamp.
  public init(replicas: Int, utilization: Int? = nil, usageMilli: Int64, timestamp: Instant? = nil)
  {
    self.replicas = replicas
    self.utilization = utilization
    self.usageMilli = usageMilli
    self.timestamp = timestamp
  }
}

/// The pure replica arithmetic of upstream's `replica_calculator.go`, one function per
/// upstream function, with the metrics client's lookups replaced by observed values.
///
/// Every function takes the pods and samples as values and `now` as a parameter, so the same
/// inputs always give the same proposal. Errors carry upstream's messages; the controller
/// turns them into condition reasons.
public struct ReplicaCalculator: Hashable, Sendable {
  /// The tolerance band.
  public var tolerances: Tolerances
  /// The CPU initialization period in milliseconds (production 300 000; upstream's tests
  /// 120 000).
  public var cpuInitializationPeriodMilliseconds: Int64
  /// The initial readiness delay in milliseconds (production 30 000; upstream's tests 10 000).
  public var initialReadinessDelayMilliseconds: Int64
  /// Whether the `PodLevelResources` gate is on.
  public var podLevelResources: Bool

  /// Creates a calculator.
  ///
  /// - Parameters:
  ///   - tolerances: The tolerance band.
  ///   - cpuInitializationPeriod: The CPU initialization period (5 min in production).
  ///   - initialReadinessDelay: The initial readiness delay (30 s in production).
  ///   - podLevelResources: Whether the `PodLevelResources` gate is on.
  public init(
    tolerances: Tolerances = .default, cpuInitializationPeriod: Duration = .seconds(300),
    initialReadinessDelay: Duration = .seconds(30), podLevelResources: Bool = true
  ) {
    self.tolerances = tolerances
    self.cpuInitializationPeriodMilliseconds = cpuInitializationPeriod.wholeMilliseconds
    self.initialReadinessDelayMilliseconds = initialReadinessDelay.wholeMilliseconds
    self.podLevelResources = podLevelResources
  }

  /// Creates a calculator from millisecond periods (no `Duration` arithmetic).
  init(
    tolerances: Tolerances, cpuInitializationPeriodMilliseconds: Int64,
    initialReadinessDelayMilliseconds: Int64, podLevelResources: Bool
  ) {
    self.tolerances = tolerances
    self.cpuInitializationPeriodMilliseconds = cpuInitializationPeriodMilliseconds
    self.initialReadinessDelayMilliseconds = initialReadinessDelayMilliseconds
    self.podLevelResources = podLevelResources
  }

  // MARK: Pod grouping

  /// How one pod is treated by `groupPods`.
  enum PodGroup: UInt8 { case ready, unready, missing, ignored }

  /// Groups pods as upstream's `groupPods` does.
  ///
  /// Deleted and Failed pods are ignored; Pending pods are unready; pods without a sample are
  /// missing; for cpu, pods inside the CPU initialization period (or never ready since start)
  /// are unready by the readiness rules of spec §5.1; the rest are ready.
  ///
  /// - Parameters:
  ///   - pods: The selected pods.
  ///   - metrics: Their samples, by position.
  ///   - resource: The resource (`cpu` enables the readiness rules), or `nil` for custom
  ///     metrics.
  ///   - now: The evaluation instant.
  /// - Returns: The ready count and the positions of unready, missing and ignored pods.
  public func groupPods(
    _ pods: [PodObservation], metrics: PodMetrics, resource: ResourceName?, at now: Instant
  ) -> PodGroups {
    var groups = PodGroups()
    let isCPU = resource == .cpu
    PreparedPods(pods).records.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      for index in buffer.indices {
        let sample = index < metrics.samples.count ? metrics.samples[index] : nil
        switch group(base + index, sample: sample, isCPU: isCPU, at: now) {
        case .ready: groups.readyCount += 1
        case .unready: groups.unready.append(index)
        case .missing: groups.missing.append(index)
        case .ignored: groups.ignored.append(index)
        }
      }
    }
    return groups
  }

  // MARK: Requests

  /// The request of one pod for a resource in milli-units (upstream `calculateRequests` for a
  /// single pod).
  ///
  /// For the whole pod (`container == ""`) it sums regular containers and sidecars
  /// (restartable init containers), or takes the pod-level request when the
  /// `PodLevelResources` gate is on and the pod sets pod-level requests. For a named container
  /// it takes that regular container's request.
  ///
  /// - Parameters:
  ///   - pod: The pod.
  ///   - resource: The resource.
  ///   - container: The container, or `""` for the whole pod.
  /// - Returns: The request in milli-units.
  /// - Throws: ``ReplicaCalculationError/missingRequest(resource:container:pod:)`` when a
  ///   counted container has no request, or
  ///   ``ReplicaCalculationError/missingPodLevelRequest(resource:pod:)``, or
  ///   ``ReplicaCalculationError/containerNotFound(container:pod:)``.
  public func podRequest(
    _ pod: PodObservation, resource: ResourceName, container: String = ""
  ) throws(ReplicaCalculationError) -> Int64 {
    try withUnsafePointer(to: pod) { (pointer) throws(ReplicaCalculationError) -> Int64 in
      try request(pointer, resource: resource, kind: ResourceKind(resource), container: container)
    }
  }

  /// The request of a pod (error path; copies the pod).
  func request(
    _ pod: PodObservation, resource: ResourceName, kind: ResourceKind, container: String
  ) throws(ReplicaCalculationError) -> Int64 {
    try withUnsafePointer(to: pod) { (pointer) throws(ReplicaCalculationError) -> Int64 in
      try request(pointer, resource: resource, kind: kind, container: container)
    }
  }

  /// The request of the pod at `pod`, read in place.
  func request(
    _ pod: UnsafePointer<PodObservation>, resource: ResourceName, kind: ResourceKind,
    container: String
  ) throws(ReplicaCalculationError) -> Int64 {
    if container.isEmpty, podLevelResources, let podLevel = pod.pointee.podLevelRequests,
      !podLevel.isEmpty
    {
      guard let value = podLevel.milli(resource, kind: kind) else {
        throw .missingPodLevelRequest(resource: resource.rawValue, pod: pod.pointee.name)
      }
      return value
    }
    var failure: ReplicaCalculationError? = nil
    var found = false
    let sum = pod.pointee.containers.withUnsafeBufferPointer { buffer -> Int64 in
      guard let base = buffer.baseAddress else { return 0 }
      var sum: Int64 = 0
      for index in buffer.indices {
        let entry = base + index
        let role = entry.pointee.role
        if container.isEmpty {
          if role == .initContainer { continue }
        } else if role != .regular || entry.pointee.name != container {
          continue
        }
        guard let value = entry.pointee.requests.milli(resource, kind: kind) else {
          failure = .missingRequest(
            resource: resource.rawValue, container: entry.pointee.name, pod: pod.pointee.name)
          return 0
        }
        found = true
        sum &+= value
        if !container.isEmpty { break }
      }
      return sum
    }
    if let failure { throw failure }
    if !container.isEmpty && !found {
      throw .containerNotFound(container: container, pod: pod.pointee.name)
    }
    return sum
  }

  // MARK: Resource metrics

  /// The proposal for a Resource or ContainerResource metric with a `Utilization` target
  /// (upstream `GetResourceReplicas`), including the missing/unready rebalancing of §6.
  ///
  /// - Parameters:
  ///   - currentReplicas: `scale.spec.replicas`, in replicas.
  ///   - targetUtilization: The target in percent of the request.
  ///   - resource: The resource.
  ///   - container: The container, or `""` for whole pods.
  ///   - pods: The selected pods.
  ///   - metrics: Their usage samples, by position.
  ///   - now: The evaluation instant.
  /// - Returns: The proposal with the utilization (percent) and the raw average usage
  ///   (milli-units per pod), both as measured before rebalancing.
  /// - Throws: ``ReplicaCalculationError`` as upstream fails.
  /// - Complexity: O(*n*) in the number of pods; prepares them (one allocation).
  public func resourceReplicas(
    currentReplicas: Int, targetUtilization: Int, resource: ResourceName, container: String = "",
    pods: [PodObservation], metrics: PodMetrics, at now: Instant
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    try resourceReplicas(
      currentReplicas: currentReplicas, targetUtilization: Int64(clamping: targetUtilization),
      resource: resource, kind: ResourceKind(resource), container: container,
      pods: PreparedPods(pods), metrics: metrics, at: now)
  }

  /// The proposal for a Resource or ContainerResource metric with a `Utilization` target
  /// (upstream `GetResourceReplicas`) over pods prepared once; the same result as
  /// ``resourceReplicas(currentReplicas:targetUtilization:resource:container:pods:metrics:at:)``
  /// for `pods.pods`.
  ///
  /// - Parameters:
  ///   - currentReplicas: `scale.spec.replicas`, in replicas.
  ///   - targetUtilization: The target in percent of the request.
  ///   - resource: The resource.
  ///   - container: The container, or `""` for whole pods.
  ///   - pods: The selected pods, prepared.
  ///   - metrics: Their usage samples, by position.
  ///   - now: The evaluation instant.
  /// - Returns: The proposal with the utilization (percent) and the raw average usage
  ///   (milli-units per pod), both as measured before rebalancing.
  /// - Throws: ``ReplicaCalculationError`` as upstream fails.
  /// - Complexity: O(*n*) in the number of pods, without allocation.
  public func resourceReplicas(
    currentReplicas: Int, targetUtilization: Int, resource: ResourceName, container: String = "",
    pods: PreparedPods, metrics: PodMetrics, at now: Instant
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    try resourceReplicas(
      currentReplicas: currentReplicas, targetUtilization: Int64(clamping: targetUtilization),
      resource: resource, kind: ResourceKind(resource), container: container, pods: pods,
      metrics: metrics, at: now)
  }

  func resourceReplicas(
    currentReplicas: Int, targetUtilization: Int64, resource: ResourceName, kind: ResourceKind,
    container: String, pods: PreparedPods, metrics: PodMetrics, at now: Instant
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    guard let timestamp = metrics.firstTimestamp else {
      throw .noResourceMetrics(resource: resource.rawValue)
    }
    if pods.count == 0 { throw .noPods }
    let tally = resourceTally(
      pods: pods, samples: metrics.samples, resource: resource, kind: kind, container: container,
      fallbackPercent: Swift.max(100, targetUtilization), at: now)
    let readyCount = tally.readyCount
    let usageTotal = tally.usageTotal
    let requestTotal = tally.requestTotal
    let unreadyCount = tally.unreadyCount
    let unreadyRequests = tally.unreadyRequests
    let missingCount = tally.missingCount
    let missingRequests = tally.missingRequests
    let missingFallbackUsage = tally.missingFallbackUsage
    let unlistedCount = metrics.unlistedSamples.count
    let metricCount = readyCount + unlistedCount
    if metricCount == 0 { throw .noMetricsForTargetedPods }
    if tally.firstRequestFailure >= 0 {
      // Recompute the first failure to report upstream's message (error path only).
      _ = try request(
        pods.pods[tally.firstRequestFailure], resource: resource, kind: kind, container: container)
    }
    if requestTotal == 0 { throw .noMetricsMatchedKnownPods }
    let utilization = clampToInt32(divide(usageTotal &* 100, requestTotal))
    let rawAverage = divide(usageTotal, Int64(readyCount))
    let usageRatio = Double(utilization) / Double(targetUtilization)
    func proposal(_ replicas: Int) -> ReplicaProposal {
      ReplicaProposal(
        replicas: replicas, utilization: utilization, usageMilli: rawAverage, timestamp: timestamp)
    }

    let scaleUpWithUnready = unreadyCount > 0 && usageRatio > 1.0
    if !scaleUpWithUnready && missingCount == 0 {
      if tolerances.isWithin(usageRatio) { return proposal(currentReplicas) }
      return proposal(ceilToReplicas(usageRatio * Double(readyCount)))
    }
    var newUsage = usageTotal
    var newRequests = requestTotal
    var newCount = metricCount
    if missingCount > 0 {
      if usageRatio < 1.0 {
        newUsage &+= missingFallbackUsage
        newRequests &+= missingRequests
        newCount += missingCount
      } else if usageRatio > 1.0 {
        newRequests &+= missingRequests
        newCount += missingCount
      }
    }
    if scaleUpWithUnready {
      newRequests &+= unreadyRequests
      newCount += unreadyCount
    }
    if newRequests == 0 { throw .noMetricsMatchedKnownPods }
    let newUtilization = clampToInt32(divide(newUsage &* 100, newRequests))
    let newUsageRatio = Double(newUtilization) / Double(targetUtilization)
    return proposal(
      rebalanced(
        currentReplicas: currentReplicas, usageRatio: usageRatio, newUsageRatio: newUsageRatio,
        metricCount: newCount))
  }

  /// Steps 6–9 of §6: the tolerance re-check, the direction guards, and the new count from
  /// the number of metric entries.
  @inline(__always)
  func rebalanced(currentReplicas: Int, usageRatio: Double, newUsageRatio: Double, metricCount: Int)
    -> Int
  {
    if tolerances.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0)
      || (usageRatio > 1.0 && newUsageRatio < 1.0)
    {
      return currentReplicas
    }
    let newReplicas = ceilToReplicas(newUsageRatio * Double(metricCount))
    if (newUsageRatio < 1.0 && newReplicas > currentReplicas)
      || (newUsageRatio > 1.0 && newReplicas < currentReplicas)
    {
      return currentReplicas
    }
    return newReplicas
  }

  /// The proposal for a Resource or ContainerResource metric with an `AverageValue` target
  /// (upstream `GetRawResourceReplicas`).
  ///
  /// - Parameters:
  ///   - currentReplicas: `scale.spec.replicas`, in replicas.
  ///   - targetAverageMilli: The per-pod target in milli-units.
  ///   - resource: The resource (`cpu` enables the readiness rules).
  ///   - pods: The selected pods.
  ///   - metrics: Their usage samples, by position.
  ///   - now: The evaluation instant.
  /// - Returns: The proposal and the truncated average usage (milli-units per pod).
  /// - Throws: ``ReplicaCalculationError`` as upstream fails.
  public func rawResourceReplicas(
    currentReplicas: Int, targetAverageMilli: Int64, resource: ResourceName,
    pods: [PodObservation], metrics: PodMetrics, at now: Instant
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    guard let timestamp = metrics.firstTimestamp else {
      throw .noResourceMetrics(resource: resource.rawValue)
    }
    var result = try plainReplicas(
      currentReplicas: currentReplicas, target: targetAverageMilli, isCPU: resource == .cpu,
      pods: PreparedPods(pods), metrics: metrics, at: now)
    result.timestamp = timestamp
    return result
  }

  /// The proposal for a Pods metric (upstream `GetMetricReplicas`).
  ///
  /// - Parameters:
  ///   - currentReplicas: `scale.spec.replicas`, in replicas.
  ///   - targetAverageMilli: The per-pod target in milli-units.
  ///   - metricName: The metric's name (for the error message).
  ///   - pods: The selected pods.
  ///   - metrics: Their samples, by position.
  ///   - now: The evaluation instant.
  /// - Returns: The proposal and the truncated average value (milli-units per pod).
  /// - Throws: ``ReplicaCalculationError`` as upstream fails.
  public func podsMetricReplicas(
    currentReplicas: Int, targetAverageMilli: Int64, metricName: String = "",
    pods: [PodObservation], metrics: PodMetrics, at now: Instant
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    guard let timestamp = metrics.firstTimestamp else { throw .noCustomMetrics(metric: metricName) }
    var result = try plainReplicas(
      currentReplicas: currentReplicas, target: targetAverageMilli, isCPU: false,
      pods: PreparedPods(pods), metrics: metrics, at: now)
    result.timestamp = timestamp
    return result
  }

  /// Upstream `calcPlainMetricReplicas`: every metric entry counts, including entries for
  /// unlisted pods; missing pods are filled with the target (scale-down) or 0 (scale-up).
  func plainReplicas(
    currentReplicas: Int, target: Int64, isCPU: Bool, pods: PreparedPods, metrics: PodMetrics,
    at now: Instant
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    if pods.count == 0 { throw .noPods }
    let tally = plainTally(pods: pods, samples: metrics.samples, isCPU: isCPU, at: now)
    let readyCount = tally.readyCount
    var total = tally.total
    let unreadyCount = tally.unreadyCount
    let missingCount = tally.missingCount
    for sample in metrics.unlistedSamples { total &+= sample.valueMilli }
    let metricCount = readyCount + metrics.unlistedSamples.count
    if metricCount == 0 { throw .noMetricsForTargetedPods }
    let usage = divide(total, Int64(metricCount))
    let usageRatio = Double(usage) / Double(target)

    let scaleUpWithUnready = unreadyCount > 0 && usageRatio > 1.0
    if !scaleUpWithUnready && missingCount == 0 {
      let replicas =
        tolerances.isWithin(usageRatio)
        ? currentReplicas : ceilToReplicas(usageRatio * Double(readyCount))
      return ReplicaProposal(replicas: replicas, usageMilli: usage)
    }
    var newTotal = total
    var newCount = metricCount
    if missingCount > 0 {
      if usageRatio < 1.0 {
        newTotal &+= target &* Int64(missingCount)
        newCount += missingCount
      } else if usageRatio > 1.0 {
        newCount += missingCount
      }
    }
    if scaleUpWithUnready { newCount += unreadyCount }
    let newUsageRatio = Double(divide(newTotal, Int64(newCount))) / Double(target)
    let replicas = rebalanced(
      currentReplicas: currentReplicas, usageRatio: usageRatio, newUsageRatio: newUsageRatio,
      metricCount: newCount)
    return ReplicaProposal(replicas: replicas, usageMilli: usage)
  }

  // MARK: Object and External metrics

  /// Upstream `getReadyPodsCount`: Running pods whose `PodReady` is True (deleted pods count).
  func readyPodCount(_ pods: PreparedPods) throws(ReplicaCalculationError) -> Int {
    if pods.count == 0 { throw .noPods }
    var count = 0
    pods.records.withUnsafeBufferPointer { buffer in
      for record in buffer where record.flags & PreparedPod.runningAndReady != 0 { count += 1 }
    }
    return count
  }

  /// Upstream `getUsageRatioReplicaCount`.
  func usageRatioReplicas(
    currentReplicas: Int, usageRatio: Double, pods: PreparedPods
  ) throws(ReplicaCalculationError) -> Int {
    if currentReplicas != 0 {
      if tolerances.isWithin(usageRatio) { return currentReplicas }
      return ceilToReplicas(usageRatio * Double(try readyPodCount(pods)))
    }
    return ceilToReplicas(usageRatio)
  }

  /// The proposal for an Object metric with a `Value` target (upstream
  /// `GetObjectMetricReplicas`).
  ///
  /// With current replicas ≠ 0 the proposal is `ceil(ratio × ready pods)` outside the
  /// tolerance; at 0 it is `ceil(ratio)` (scale from zero), without a tolerance check.
  ///
  /// - Parameters:
  ///   - currentReplicas: `scale.spec.replicas`, in replicas.
  ///   - targetMilli: The target value in milli-units.
  ///   - usageMilli: The object's value in milli-units.
  ///   - pods: The selected pods (only Running and Ready ones count).
  /// - Returns: The proposal and the object's value.
  /// - Throws: ``ReplicaCalculationError/noPods`` when the selector matches nothing.
  public func objectMetricReplicas(
    currentReplicas: Int, targetMilli: Int64, usageMilli: Int64, pods: [PodObservation]
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    try objectMetricReplicas(
      currentReplicas: currentReplicas, targetMilli: targetMilli, usageMilli: usageMilli,
      pods: PreparedPods(pods))
  }

  func objectMetricReplicas(
    currentReplicas: Int, targetMilli: Int64, usageMilli: Int64, pods: PreparedPods
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    let ratio = Double(usageMilli) / Double(targetMilli)
    let replicas = try usageRatioReplicas(
      currentReplicas: currentReplicas, usageRatio: ratio, pods: pods)
    return ReplicaProposal(replicas: replicas, usageMilli: usageMilli)
  }

  /// The proposal for an Object metric with an `AverageValue` target (upstream
  /// `GetObjectPerPodMetricReplicas`): `ceil(usage / target)` outside the tolerance, whatever
  /// the pods' readiness.
  ///
  /// - Parameters:
  ///   - statusReplicas: `scale.status.replicas`, in replicas.
  ///   - targetAverageMilli: The per-pod target in milli-units.
  ///   - usageMilli: The object's value in milli-units.
  /// - Returns: The proposal and `ceil(usage / statusReplicas)` (0 when there are no
  ///   replicas).
  public func objectPerPodMetricReplicas(
    statusReplicas: Int, targetAverageMilli: Int64, usageMilli: Int64
  ) -> ReplicaProposal {
    perPodReplicas(statusReplicas: statusReplicas, target: targetAverageMilli, usage: usageMilli)
  }

  func perPodReplicas(statusReplicas: Int, target: Int64, usage: Int64) -> ReplicaProposal {
    var replicas = statusReplicas
    let ratio = Double(usage) / (Double(target) * Double(statusReplicas))
    if !tolerances.isWithin(ratio) {
      replicas = ceilToReplicas(Double(usage) / Double(target))
    }
    let average: Int64
    if statusReplicas == 0 {
      average = 0
    } else if usage == .max {
      average = .max
    } else {
      average = ceilToInt64(Double(usage) / Double(statusReplicas))
    }
    return ReplicaProposal(replicas: replicas, usageMilli: average)
  }

  /// The sum of external values, capped at `Int64` bounds instead of overflowing.
  static func cappedSum(_ values: [Int64]) -> Int64 {
    var total: Int64 = 0
    for value in values {
      let (sum, overflow) = total.addingReportingOverflow(value)
      total = overflow ? (value > 0 ? .max : .min) : sum
    }
    return total
  }

  /// The proposal for an External metric with a `Value` target (upstream
  /// `GetExternalMetricReplicas`): the values are summed, then as for Object `Value`.
  ///
  /// - Parameters:
  ///   - currentReplicas: `scale.spec.replicas`, in replicas.
  ///   - targetMilli: The target total in milli-units.
  ///   - valuesMilli: The matching series' values in milli-units.
  ///   - pods: The selected pods (only Running and Ready ones count).
  /// - Returns: The proposal and the summed value.
  /// - Throws: ``ReplicaCalculationError/noExternalMetrics`` for an empty answer, or
  ///   ``ReplicaCalculationError/noPods``.
  public func externalMetricReplicas(
    currentReplicas: Int, targetMilli: Int64, valuesMilli: [Int64], pods: [PodObservation]
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    try externalMetricReplicas(
      currentReplicas: currentReplicas, targetMilli: targetMilli, valuesMilli: valuesMilli,
      pods: PreparedPods(pods))
  }

  func externalMetricReplicas(
    currentReplicas: Int, targetMilli: Int64, valuesMilli: [Int64], pods: PreparedPods
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    if valuesMilli.isEmpty { throw .noExternalMetrics }
    let usage = Self.cappedSum(valuesMilli)
    let ratio = Double(usage) / Double(targetMilli)
    let replicas = try usageRatioReplicas(
      currentReplicas: currentReplicas, usageRatio: ratio, pods: pods)
    return ReplicaProposal(replicas: replicas, usageMilli: usage)
  }

  /// The proposal for an External metric with an `AverageValue` target (upstream
  /// `GetExternalPerPodMetricReplicas`).
  ///
  /// - Parameters:
  ///   - statusReplicas: `scale.status.replicas`, in replicas.
  ///   - targetAverageMilli: The per-pod target in milli-units.
  ///   - valuesMilli: The matching series' values in milli-units.
  /// - Returns: The proposal and `ceil(total / statusReplicas)`.
  /// - Throws: ``ReplicaCalculationError/noExternalMetrics`` for an empty answer.
  public func externalPerPodMetricReplicas(
    statusReplicas: Int, targetAverageMilli: Int64, valuesMilli: [Int64]
  ) throws(ReplicaCalculationError) -> ReplicaProposal {
    if valuesMilli.isEmpty { throw .noExternalMetrics }
    return perPodReplicas(
      statusReplicas: statusReplicas, target: targetAverageMilli, usage: Self.cappedSum(valuesMilli)
    )
  }
}

/// The result of ``ReplicaCalculator/groupPods(_:metrics:resource:at:)``: upstream's
/// `readyPodCount` and the unready, missing and ignored sets, as pod positions.
public struct PodGroups: Hashable, Sendable {
  /// The number of ready pods with a metric.
  public var readyCount: Int = 0
  /// Positions of unready pods.
  public var unready: [Int] = []
  /// Positions of pods without a metric.
  public var missing: [Int] = []
  /// Positions of ignored (deleted or failed) pods.
  public var ignored: [Int] = []

  /// Creates empty groups.
  public init() {}
}
