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
    // Only the position of the first failure is kept on the way: its error is recovered
    // after the loop (below), so the common path carries no optional error value.
    var firstFailure = -1
    // Overwrite the status buffer in place when it has the right size (no allocation).
    if statuses.count != metricCount {
      statuses = [MetricStatus](repeating: MetricStatus(metricIndex: 0), count: metricCount)
    }
    // Both tables are read through their buffers.
    spec.compiledMetrics.withUnsafeBufferPointer { buffer in
      observation.metrics.withUnsafeBufferPointer { answers in
        guard let base = buffer.baseAddress else { return }
        for index in 0..<metricCount {
          var status = MetricStatus(metricIndex: index)
          if let proposal = Self.proposalIfValid(
            for: base + index, answers: answers, index: index, calculator: calculator,
            current: current, statusReplicas: statusReplicas, pods: pods, status: &status,
            at: now)
          {
            status.proposedReplicas = proposal
            if replicas == 0 || proposal > replicas {
              replicas = proposal
              winner = index
            }
          } else {
            status = MetricStatus(metricIndex: index, failure: base[index].failureReason)
            if firstFailure < 0 { firstFailure = index }
            invalidCount += 1
          }
          statuses[index] = status
        }
      }
    }
    if firstFailure >= 0 {
      let failure = metricFailure(
        at: firstFailure, observation, pods: pods, calculator: calculator, current: current,
        statusReplicas: statusReplicas, at: now)
      let blocking = invalidCount >= metricCount || replicas < current
      error = .invalidMetrics(
        invalidCount: invalidCount, total: metricCount, first: failure, blocking: blocking)
      if blocking {
        state.conditions.set(.scalingActive, false, failure.reason, at: now)
        return MetricsOutcome(replicas: -1, metricIndex: 0, isFailure: true)
      }
    }
    state.conditions.set(.scalingActive, true, .validMetricFound, at: now)
    return MetricsOutcome(replicas: replicas, metricIndex: winner, isFailure: false)
  }

  /// One metric's proposal, or `nil` when it has no usable target or type or its calculation
  /// failed (the error is dropped here; ``metricFailure(at:_:pods:calculator:current:statusReplicas:at:)``
  /// recovers it for the first failing metric).
  @inline(__always)
  static func proposalIfValid(
    for metric: UnsafePointer<CompiledMetric>, answers: UnsafeBufferPointer<MetricObservation>,
    index: Int, calculator: ReplicaCalculator, current: Int, statusReplicas: Int,
    pods: borrowing PreparedPods, status: inout MetricStatus, at now: Instant
  ) -> Int? {
    // The usual whole-pod cpu or memory utilization first, inline and without the general
    // function's error plumbing (no typed-throw path, no timestamp scan, no resource name
    // copied); any other case, or a failure, goes the general way below.
    if index < answers.count && metric.pointee.computation == .resourceUtilization
      && metric.pointee.container.isEmpty && metric.pointee.resourceKind != .other,
      case .resource(let samples) = answers[index],
      let common = calculator.commonResourceProposal(
        currentReplicas: current, targetUtilization: metric.pointee.target,
        isCPU: metric.pointee.resourceKind == .cpu, pods: pods, metrics: samples, at: now)
    {
      status.averageUtilization = common.utilization
      status.averageValueMilli = common.usageMilli
      return common.replicas
    }
    do throws(ReplicaCalculationError) {
      if index < answers.count {
        return try proposal(
          for: metric, answer: answers[index], calculator: calculator, current: current,
          statusReplicas: statusReplicas, pods: pods, status: &status, at: now)
      }
      return try proposal(
        for: metric, answer: .unavailable, calculator: calculator, current: current,
        statusReplicas: statusReplicas, pods: pods, status: &status, at: now)
    } catch {
      return nil
    }
  }

  /// The failure record of the metric at `index`, which failed in this pass: the same
  /// computation is repeated (it is a pure function of the same inputs) to obtain its error.
  @inline(never)
  func metricFailure(
    at index: Int, _ observation: HorizontalAutoscalerObservation, pods: PreparedPods,
    calculator: ReplicaCalculator, current: Int, statusReplicas: Int, at now: Instant
  ) -> MetricFailure {
    spec.compiledMetrics.withUnsafeBufferPointer { buffer in
      observation.metrics.withUnsafeBufferPointer { answers in
        var calculationError: ReplicaCalculationError? = nil
        if let base = buffer.baseAddress {
          var scratch = MetricStatus(metricIndex: index)
          do throws(ReplicaCalculationError) {
            _ = try Self.proposal(
              for: base + index,
              answer: index < answers.count ? answers[index] : .unavailable,
              calculator: calculator, current: current, statusReplicas: statusReplicas,
              pods: pods, status: &scratch, at: now)
          } catch {
            calculationError = error
          }
        }
        return MetricFailure(
          metricIndex: index, reason: buffer[index].failureReason,
          calculationError: calculationError)
      }
    }
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
        // A literal for whole pods: copying the stored empty string out of the pointer costs a
        // retain and a release.
        container: metric.pointee.container.isEmpty ? "" : metric.pointee.container,
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
  ///
  /// An instance method reading `spec` and `options` in place: a static function taking them
  /// beside `&state` made the caller copy both (and retain their arrays) on every pass.
  mutating func normalize(current: Int, desired: Int, at now: Instant) -> (
    replicas: Int, stabilized: Int
  ) {
    // The history is mutated in place (optional chaining), so its buffers stay unique.
    if case .none = state.recommendations { state.recommendations = RecommendationHistory() }
    guard spec.compiledBehavior != nil else {
      let stabilized =
        state.recommendations?.stabilizeForScaleDown(
          desired, windowMilliseconds: options.downscaleStabilizationWindowMilliseconds, at: now)
        ?? desired
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
    let (stabilized, reason) =
      state.recommendations?.stabilize(
        current: current, desired: desired, upWindowMilliseconds: spec.scaleUpWindowMilliseconds,
        downWindowMilliseconds: spec.scaleDownWindowMilliseconds ?? controllerWindow, at: now)
      ?? (desired, .readyForNewScale)
    state.conditions.set(
      .ableToScale, true, stabilized != desired ? reason : .readyForNewScale, at: now)
    let limited = spec.rateLimited(
      current: current, desired: stabilized, events: state.scaleEvents, at: now)
    state.conditions.set(.scalingLimited, limited.replicas != stabilized, limited.reason, at: now)
    return (limited.replicas, stabilized)
  }
}
