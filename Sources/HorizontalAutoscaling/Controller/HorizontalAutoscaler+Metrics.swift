import AutoscalingCore

extension HorizontalAutoscaler {
  enum MetricsOutcome {
    /// The largest proposal, the index of the metric that made it, and a partial failure.
    case success(replicas: Int, metricIndex: Int, partialError: ReconcileError?)
    /// No count could be computed (upstream returns -1).
    case failure(ReconcileError)
  }

  /// Upstream `computeReplicasForMetrics`: the maximum over valid proposals; a failure is
  /// fatal when every metric failed or when the valid ones would scale down.
  mutating func computeReplicasForMetrics(
    _ observation: HorizontalAutoscalerObservation, current: Int, statuses: inout [MetricStatus],
    at now: Instant
  ) -> MetricsOutcome {
    switch observation.selector {
    case .valid: break
    case .missing, .invalid:
      state.conditions.set(.scalingActive, false, .invalidSelector, at: now)
      return .failure(.selector(observation.selector))
    case .ambiguous:
      state.conditions.set(.scalingActive, false, .ambiguousSelector, at: now)
      return .failure(.selector(observation.selector))
    }
    let calculator = self.calculator
    let statusReplicas = clampReplicas(observation.statusReplicas)
    let metrics = spec.compiledMetrics
    var replicas = 0
    var winner = 0
    var invalidCount = 0
    var firstFailure: MetricFailure? = nil
    for index in metrics.indices {
      let metric = metrics[index]
      let answer = index < observation.metrics.count ? observation.metrics[index] : .unavailable
      var status = MetricStatus(type: metric.sourceType)
      var calculationError: ReplicaCalculationError? = nil
      var proposal: Int? = nil
      do {
        proposal = try Self.proposal(
          for: metric, answer: answer, calculator: calculator, current: current,
          statusReplicas: statusReplicas, pods: observation.pods, status: &status, at: now)
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
        status = MetricStatus(type: status.type, failure: metric.failureReason)
        if firstFailure == nil {
          firstFailure = MetricFailure(
            metricIndex: index, reason: metric.failureReason, calculationError: calculationError)
        }
        invalidCount += 1
      }
      statuses.append(status)
    }
    if let firstFailure {
      let blocking = invalidCount >= metrics.count || replicas < current
      let error = ReconcileError.invalidMetrics(
        invalidCount: invalidCount, total: metrics.count, first: firstFailure, blocking: blocking)
      if blocking {
        state.conditions.set(.scalingActive, false, firstFailure.reason, at: now)
        return .failure(error)
      }
      state.conditions.set(.scalingActive, true, .validMetricFound, at: now)
      return .success(replicas: replicas, metricIndex: winner, partialError: error)
    }
    state.conditions.set(.scalingActive, true, .validMetricFound, at: now)
    return .success(replicas: replicas, metricIndex: winner, partialError: nil)
  }

  /// Upstream `computeReplicasForMetric`: dispatches one metric to its calculator function
  /// and fills its status. Returns `nil` when the metric has no usable target or type.
  static func proposal(
    for metric: CompiledMetric, answer: MetricObservation, calculator: ReplicaCalculator,
    current: Int, statusReplicas: Int, pods: [PodObservation], status: inout MetricStatus,
    at now: Instant
  ) throws(ReplicaCalculationError) -> Int? {
    switch metric.computation {
    case .invalidSourceType, .missingTarget:
      return nil
    case .resourceUtilization, .resourceAverageValue, .podsAverageValue:
      let samples: PodMetrics
      switch answer {
      case .resource(let values) where metric.computation != .podsAverageValue: samples = values
      case .pods(let values) where metric.computation == .podsAverageValue: samples = values
      default: throw .metricsUnavailable
      }
      if metric.computation == .resourceUtilization {
        let result = try calculator.resourceReplicas(
          currentReplicas: current, targetUtilization: metric.target, resource: metric.resource,
          kind: metric.resourceKind, container: metric.container, pods: pods, metrics: samples, at: now)
        status.averageUtilization = result.utilization
        status.averageValueMilli = result.usageMilli
        return result.replicas
      }
      if samples.isEmpty {
        throw metric.computation == .podsAverageValue
          ? .noCustomMetrics(metric: metric.metricName)
          : .noResourceMetrics(resource: metric.resource.rawValue)
      }
      let result = try calculator.plainReplicas(
        currentReplicas: current, target: metric.target,
        isCPU: metric.computation == .resourceAverageValue && metric.isCPU, pods: pods,
        metrics: samples, at: now)
      status.averageValueMilli = result.usageMilli
      return result.replicas
    case .objectValue, .objectAverageValue:
      guard case .object(let usage) = answer else { throw .metricsUnavailable }
      if metric.computation == .objectValue {
        let result = try calculator.objectMetricReplicas(
          currentReplicas: current, targetMilli: metric.target, usageMilli: usage, pods: pods)
        status.valueMilli = result.usageMilli
        return result.replicas
      }
      let result = calculator.objectPerPodMetricReplicas(
        statusReplicas: statusReplicas, targetAverageMilli: metric.target, usageMilli: usage)
      status.averageValueMilli = result.usageMilli
      return result.replicas
    case .externalValue, .externalAverageValue:
      guard case .external(let values) = answer else { throw .metricsUnavailable }
      if metric.computation == .externalValue {
        let result = try calculator.externalMetricReplicas(
          currentReplicas: current, targetMilli: metric.target, valuesMilli: values, pods: pods)
        status.valueMilli = result.usageMilli
        return result.replicas
      }
      let result = try calculator.externalPerPodMetricReplicas(
        statusReplicas: statusReplicas, targetAverageMilli: metric.target, valuesMilli: values)
      status.averageValueMilli = result.usageMilli
      return result.replicas
    }
  }

  /// Upstream `normalizeDesiredReplicas` / `normalizeDesiredReplicasWithBehaviors`, including
  /// their conditions.
  mutating func normalize(current: Int, desired: Int, at now: Instant) -> (replicas: Int, stabilized: Int) {
    var history = state.recommendations ?? RecommendationHistory()
    state.recommendations = nil  // keep the buffer unique while it is mutated
    defer { state.recommendations = history }
    guard let behavior = spec.compiledBehavior else {
      let stabilized = history.stabilizeForScaleDown(
        desired, windowMilliseconds: options.downscaleStabilizationWindowMilliseconds, at: now)
      state.conditions.set(
        .ableToScale, true, stabilized != desired ? .scaleDownStabilized : .readyForNewScale, at: now)
      let limited = ReplicaLimits.legacyClamped(
        current: current, desired: stabilized, minReplicas: spec.minReplicas,
        maxReplicas: spec.maxReplicas, scaleUpLimitFactor: options.scaleUpLimitFactor,
        scaleUpLimitMinimum: options.scaleUpLimitMinimum)
      state.conditions.set(.scalingLimited, limited.replicas != stabilized, limited.reason, at: now)
      return (limited.replicas, stabilized)
    }
    let (stabilized, reason) = history.stabilize(
      current: current, desired: desired,
      upWindowMilliseconds: behavior.scaleUp.windowMilliseconds ?? 0,
      downWindowMilliseconds: behavior.scaleDown.windowMilliseconds
        ?? options.downscaleStabilizationWindowMilliseconds,
      at: now)
    state.conditions.set(.ableToScale, true, stabilized != desired ? reason : .readyForNewScale, at: now)
    let limited = ReplicaLimits.rateLimited(
      current: current, desired: stabilized, minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas, behavior: behavior, events: state.scaleEvents, at: now)
    state.conditions.set(.scalingLimited, limited.replicas != stabilized, limited.reason, at: now)
    return (limited.replicas, stabilized)
  }
}
