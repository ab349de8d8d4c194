import AutoscalingCore

extension HorizontalAutoscaler {
  /// The result of `computeReplicasForMetrics`; a plain value (the error, if any, is handed
  /// back through an `inout` so the common path copies nothing).
  struct MetricsOutcome {
    /// The largest proposal, in replicas.
    var replicas: Int
    /// The index of the metric that made it.
    var metricIndex: Int
    /// Whether no count could be computed (upstream returns -1).
    var isFailure: Bool
  }

  /// Upstream `computeReplicasForMetrics`: the maximum over valid proposals; a failure is
  /// fatal when every metric failed or when the valid ones would scale down.
  mutating func computeReplicasForMetrics(
    _ observation: HorizontalAutoscalerObservation, pods: PreparedPods, current: Int,
    statuses: inout [MetricStatus], error: inout ReconcileError?, at now: Instant
  ) -> MetricsOutcome {
    switch observation.selector {
    case .valid: break
    case .missing, .invalid:
      statuses.removeAll()
      state.conditions.set(.scalingActive, false, .invalidSelector, at: now)
      error = .selector(observation.selector)
      return MetricsOutcome(replicas: -1, metricIndex: 0, isFailure: true)
    case .ambiguous:
      statuses.removeAll()
      state.conditions.set(.scalingActive, false, .ambiguousSelector, at: now)
      error = .selector(observation.selector)
      return MetricsOutcome(replicas: -1, metricIndex: 0, isFailure: true)
    }
    let calculator = self.calculator
    let statusReplicas = clampReplicas(observation.statusReplicas)
    let metricCount = spec.compiledMetrics.count
    var replicas = 0
    var winner = 0
    var invalidCount = 0
    var firstFailure: MetricFailure? = nil
    // Overwrite the status buffer in place when it has the right size (no allocation).
    if statuses.count != metricCount {
      statuses = [MetricStatus](repeating: MetricStatus(metricIndex: 0), count: metricCount)
    }
    let answerCount = observation.metrics.count
    spec.compiledMetrics.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      for index in 0..<metricCount {
        let metric = base + index
        var status = MetricStatus(metricIndex: index)
        var calculationError: ReplicaCalculationError? = nil
        var proposal: Int? = nil
        // The answer and the pods are passed as borrows (no copy of the samples).
        do throws(ReplicaCalculationError) {
          if index < answerCount {
            proposal = try Self.proposal(
              for: metric, answer: observation.metrics[index], calculator: calculator,
              current: current, statusReplicas: statusReplicas, pods: pods,
              status: &status, at: now)
          } else {
            proposal = try Self.proposal(
              for: metric, answer: .unavailable, calculator: calculator, current: current,
              statusReplicas: statusReplicas, pods: pods, status: &status, at: now)
          }
        } catch {
          calculationError = error
        }
        if let proposal {
          status.proposedReplicas = proposal
          if replicas == 0 || proposal > replicas {
            replicas = proposal
            winner = index
          }
        } else {
          let reason = metric.pointee.failureReason
          status = MetricStatus(metricIndex: index, failure: reason)
          if firstFailure == nil {
            firstFailure = MetricFailure(
              metricIndex: index, reason: reason, calculationError: calculationError)
          }
          invalidCount += 1
        }
        statuses[index] = status
      }
    }
    if let firstFailure {
      let blocking = invalidCount >= metricCount || replicas < current
      error = .invalidMetrics(
        invalidCount: invalidCount, total: metricCount, first: firstFailure, blocking: blocking)
      if blocking {
        state.conditions.set(.scalingActive, false, firstFailure.reason, at: now)
        return MetricsOutcome(replicas: -1, metricIndex: 0, isFailure: true)
      }
    }
    state.conditions.set(.scalingActive, true, .validMetricFound, at: now)
    return MetricsOutcome(replicas: replicas, metricIndex: winner, isFailure: false)
  }

  /// Upstream `computeReplicasForMetric`: dispatches one metric to its calculator function
  /// and fills its status. Returns `nil` when the metric has no usable target or type.
  ///
  /// Everything is borrowed: the payload of `answer` is used in place, never copied out.
  static func proposal(
    for metric: UnsafePointer<CompiledMetric>, answer: borrowing MetricObservation,
    calculator: ReplicaCalculator,
    current: Int, statusReplicas: Int, pods: borrowing PreparedPods,
    status: inout MetricStatus, at now: Instant
  ) throws(ReplicaCalculationError) -> Int? {
    switch metric.pointee.computation {
    case .invalidSourceType, .missingTarget:
      return nil
    case .resourceUtilization, .resourceAverageValue, .podsAverageValue:
      switch answer {
      case .resource(let samples) where metric.pointee.computation != .podsAverageValue:
        return try podMetricProposal(
          for: metric, samples: samples, calculator: calculator, current: current, pods: pods,
          status: &status, at: now)
      case .pods(let samples) where metric.pointee.computation == .podsAverageValue:
        return try podMetricProposal(
          for: metric, samples: samples, calculator: calculator, current: current, pods: pods,
          status: &status, at: now)
      default: throw .metricsUnavailable
      }
    case .objectValue, .objectAverageValue:
      let usage: Int64
      switch answer {
      case .object(let value): usage = value
      default: throw .metricsUnavailable
      }
      if metric.pointee.computation == .objectValue {
        let result = try calculator.objectMetricReplicas(
          currentReplicas: current, targetMilli: metric.pointee.target, usageMilli: usage,
          pods: pods)
        status.valueMilli = result.usageMilli
        return result.replicas
      }
      let result = calculator.objectPerPodMetricReplicas(
        statusReplicas: statusReplicas, targetAverageMilli: metric.pointee.target, usageMilli: usage
      )
      status.averageValueMilli = result.usageMilli
      return result.replicas
    case .externalValue, .externalAverageValue:
      switch answer {
      case .external(let values):
        if metric.pointee.computation == .externalValue {
          let result = try calculator.externalMetricReplicas(
            currentReplicas: current, targetMilli: metric.pointee.target, valuesMilli: values,
            pods: pods)
          status.valueMilli = result.usageMilli
          return result.replicas
        }
        let result = try calculator.externalPerPodMetricReplicas(
          statusReplicas: statusReplicas, targetAverageMilli: metric.pointee.target,
          valuesMilli: values)
        status.averageValueMilli = result.usageMilli
        return result.replicas
      default: throw .metricsUnavailable
      }
    }
  }

  /// The Resource, ContainerResource and Pods branch of `proposal(for:answer:...)`, on the
  /// borrowed samples.
  @inline(__always)
  static func podMetricProposal(
    for metric: UnsafePointer<CompiledMetric>, samples: borrowing PodMetrics,
    calculator: ReplicaCalculator, current: Int, pods: borrowing PreparedPods,
    status: inout MetricStatus, at now: Instant
  ) throws(ReplicaCalculationError) -> Int {
    if metric.pointee.computation == .resourceUtilization {
      let result = try calculator.resourceReplicas(
        currentReplicas: current, targetUtilization: metric.pointee.target,
        resource: metric.pointee.resource, kind: metric.pointee.resourceKind,
        container: metric.pointee.container,
        pods: pods, metrics: samples, at: now)
      status.averageUtilization = result.utilization
      status.averageValueMilli = result.usageMilli
      return result.replicas
    }
    if samples.isEmpty {
      throw metric.pointee.computation == .podsAverageValue
        ? .noCustomMetrics(metric: metric.pointee.metricName)
        : .noResourceMetrics(resource: metric.pointee.resource.rawValue)
    }
    let result = try calculator.plainReplicas(
      currentReplicas: current, target: metric.pointee.target,
      isCPU: metric.pointee.computation == .resourceAverageValue && metric.pointee.isCPU,
      pods: pods, metrics: samples, at: now)
    status.averageValueMilli = result.usageMilli
    return result.replicas
  }

  /// Upstream `normalizeDesiredReplicas` / `normalizeDesiredReplicasWithBehaviors`, including
  /// their conditions.
  mutating func normalize(current: Int, desired: Int, at now: Instant) -> (
    replicas: Int, stabilized: Int
  ) {
    Self.normalize(
      spec: spec, options: options, state: &state, current: current, desired: desired, at: now)
  }

  static func normalize(
    spec: borrowing HorizontalPodAutoscalerSpec, options: borrowing HorizontalAutoscalerOptions,
    state: inout HorizontalAutoscalerState, current: Int, desired: Int, at now: Instant
  ) -> (replicas: Int, stabilized: Int) {
    // Move the history out so its buffer stays uniquely referenced while it is mutated.
    var history = state.recommendations.take() ?? RecommendationHistory()
    defer { state.recommendations = history }
    guard spec.compiledBehavior != nil else {
      let stabilized = history.stabilizeForScaleDown(
        desired, windowMilliseconds: options.downscaleStabilizationWindowMilliseconds, at: now)
      state.conditions.set(
        .ableToScale, true, stabilized != desired ? .scaleDownStabilized : .readyForNewScale,
        at: now)
      let limited = ReplicaLimits.legacyClamped(
        current: current, desired: stabilized, minReplicas: spec.minReplicas,
        maxReplicas: spec.maxReplicas, scaleUpLimitFactor: options.scaleUpLimitFactor,
        scaleUpLimitMinimum: options.scaleUpLimitMinimum)
      state.conditions.set(.scalingLimited, limited.replicas != stabilized, limited.reason, at: now)
      return (limited.replicas, stabilized)
    }
    let controllerWindow = options.downscaleStabilizationWindowMilliseconds
    let (stabilized, reason) = history.stabilize(
      current: current, desired: desired, upWindowMilliseconds: spec.scaleUpWindowMilliseconds,
      downWindowMilliseconds: spec.scaleDownWindowMilliseconds ?? controllerWindow, at: now)
    state.conditions.set(
      .ableToScale, true, stabilized != desired ? reason : .readyForNewScale, at: now)
    let limited = spec.rateLimited(
      current: current, desired: stabilized, events: state.scaleEvents, at: now)
    state.conditions.set(.scalingLimited, limited.replicas != stabilized, limited.reason, at: now)
    return (limited.replicas, stabilized)
  }
}
