public import AutoscalingCore

/// One HPA as kube-controller-manager runs it: spec, controller options and state, stepped by
/// ``reconcile(_:at:)``.
///
/// Each call is one pass of upstream's `reconcileAutoscaler`: the same value, observation and
/// `now` always give the same decision and successor state. A what-if is a copy.
///
/// ```swift
/// var hpa = HorizontalAutoscaler(spec: spec)
/// let decision = hpa.reconcile(observation, at: now)
/// deployment.replicas = decision.replicas
/// ```
public struct HorizontalAutoscaler: Hashable, Sendable {
  /// The HPA's spec.
  public var spec: HorizontalPodAutoscalerSpec
  /// The controller's settings.
  public var options: HorizontalAutoscalerOptions
  /// The records and status carried between reconciles.
  public var state: HorizontalAutoscalerState

  /// Creates an autoscaler.
  ///
  /// - Parameters:
  ///   - spec: The HPA's spec.
  ///   - options: The controller's settings (production defaults).
  ///   - state: The initial state (empty: no history, no conditions).
  public init(
    spec: HorizontalPodAutoscalerSpec, options: HorizontalAutoscalerOptions = .production,
    state: HorizontalAutoscalerState = HorizontalAutoscalerState()
  ) {
    self.spec = spec
    self.options = options
    self.state = state
  }

  /// The tolerances in force (upstream `tolerancesForHpa`): the controller's tolerance, with
  /// the behavior's per-direction tolerances when `HPAConfigurableTolerance` is on.
  public var tolerances: Tolerances {
    var result = Tolerances(options.tolerance)
    if options.featureGates.configurableTolerance {
      if let down = spec.scaleDownTolerance { result.scaleDown = down }
      if let up = spec.scaleUpTolerance { result.scaleUp = up }
    }
    return result
  }

  /// The replica calculator configured from ``options`` and ``tolerances``.
  public var calculator: ReplicaCalculator {
    ReplicaCalculator(
      tolerances: tolerances,
      cpuInitializationPeriodMilliseconds: options.cpuInitializationPeriodMilliseconds,
      initialReadinessDelayMilliseconds: options.initialReadinessDelayMilliseconds,
      podLevelResources: options.featureGates.podLevelResources)
  }

  /// Runs one reconcile (upstream `reconcileAutoscaler`) and updates ``state``.
  ///
  /// Reads the scale, records the initial recommendation, handles zero and out-of-range
  /// replica counts, computes every metric's proposal and takes the largest, normalizes it
  /// (legacy or behavior path), applies the scale-from-zero floor, and records the rescale.
  /// Failures never trap: they become upstream's conditions and a ``ReconcileError`` in the
  /// decision.
  ///
  /// - Parameters:
  ///   - observation: The scale, pods and metric answers read during this pass.
  ///   - now: The evaluation instant.
  /// - Returns: The decision: desired replicas, per-metric status, conditions, reason.
  /// - Complexity: O(*p* × *m* + *h*) for *p* pods, *m* metrics and *h* recorded
  ///   recommendations and events. Prepares the pods (``PreparedPods``, one allocation) and
  ///   calls ``reconcile(_:pods:at:)``; a caller that decides many times over the same pods
  ///   should prepare them once and call that instead.
  public mutating func reconcile(
    _ observation: HorizontalAutoscalerObservation, at now: Instant
  ) -> HorizontalAutoscalerDecision {
    reconcile(observation, pods: PreparedPods(observation.pods), at: now)
  }

  /// Runs one reconcile (upstream `reconcileAutoscaler`) with the selected pods given as a
  /// prepared table, and updates ``state``.
  ///
  /// The same decision as ``reconcile(_:at:)`` for an observation whose `pods` are
  /// `pods.pods`; `observation.pods` itself is not read.
  ///
  /// - Parameters:
  ///   - observation: The scale and metric answers read during this pass; its `pods` are
  ///     ignored.
  ///   - pods: The selected pods, prepared once (rebuild the table when they change).
  ///   - now: The evaluation instant.
  /// - Returns: The decision: desired replicas, per-metric status, conditions, reason.
  /// - Complexity: O(*p* × *m* + *h*) for *p* pods, *m* metrics and *h* recorded
  ///   recommendations and events; no allocation once the state's buffers have grown.
  public mutating func reconcile(
    _ observation: HorizontalAutoscalerObservation, pods: PreparedPods, at now: Instant
  ) -> HorizontalAutoscalerDecision {
    // The pass leaves everything but the error in `state` and a small trivial value; the
    // decision is then built at this one place (several construction sites made the
    // compiler build it on the stack and copy it into the result).
    var error: ReconcileError? = nil
    let pass = reconcilePass(observation, pods: pods, error: &error, at: now)
    return HorizontalAutoscalerDecision(
      currentReplicas: pass.currentReplicas, desiredReplicas: pass.desiredReplicas,
      isRescaled: pass.isRescaled, metricReplicas: pass.metricReplicas,
      stabilizedReplicas: pass.stabilizedReplicas, metrics: state.currentMetrics,
      conditions: state.conditions, rescaleReason: pass.rescaleReason, error: error)
  }

  /// The scalar part of a decision (the rest is `state.currentMetrics`, `state.conditions`
  /// and the error).
  struct PassOutcome {
    var currentReplicas: Int
    var desiredReplicas: Int
    var isRescaled: Bool
    var metricReplicas: Int? = nil
    var stabilizedReplicas: Int? = nil
    var rescaleReason: RescaleReason? = nil
  }

  /// The body of ``reconcile(_:pods:at:)``: updates ``state`` (its `currentMetrics` are the
  /// decision's metrics) and reports the error through `error`.
  private mutating func reconcilePass(
    _ observation: HorizontalAutoscalerObservation, pods: PreparedPods,
    error returnedError: inout ReconcileError?, at now: Instant
  ) -> PassOutcome {
    let gates = options.featureGates
    guard observation.isScaleReadable else {
      state.conditions.set(.ableToScale, false, .failedGetScale, at: now)
      returnedError = .failedGetScale
      return PassOutcome(
        currentReplicas: state.currentReplicas, desiredReplicas: state.desiredReplicas,
        isRescaled: false)
    }
    state.conditions.set(.ableToScale, true, .succeededGetScale, at: now)
    let current = clampReplicas(observation.specReplicas)
    if case .none = state.recommendations {
      state.recommendations = RecommendationHistory([
        Recommendation(replicas: current, timestamp: now)
      ])
    }
    let minReplicas = spec.minReplicas
    let maxReplicas = spec.maxReplicas

    // Reuse the status buffer: after the previous decision is released it is unique again.
    var statuses: [MetricStatus] = []
    swap(&statuses, &state.currentMetrics)

    var desired = 0
    var rescale = true
    var rescaleReason: RescaleReason? = nil
    var metricReplicas: Int? = nil
    var stabilizedReplicas: Int? = nil

    var computeMetrics = false
    var scaledToZero = false
    if current == 0 {
      scaledToZero = gates.scaleToZero && state.conditions.condition(.scaledToZero)?.status == true
      let canScaleFromZero = scaledToZero && spec.hasObjectOrExternalMetric
      computeMetrics = (minReplicas != 0 && scaledToZero) || canScaleFromZero
      if !computeMetrics {
        statuses.removeAll()
        rescale = false
        state.conditions.set(.scalingActive, false, .scalingDisabled, at: now)
        if !gates.scaleToZero && state.conditions.contains(.scaledToZero) {
          state.conditions.remove(.scaledToZero)
        }
      }
    } else if current > maxReplicas {
      statuses.removeAll()
      rescaleReason = .aboveMaxReplicas
      desired = maxReplicas
    } else if current < minReplicas {
      statuses.removeAll()
      rescaleReason = .belowMinReplicas
      desired = minReplicas
    } else {
      computeMetrics = true
    }

    if computeMetrics {
      let outcome = computeReplicasForMetrics(
        observation, pods: pods, current: current, statuses: &statuses, error: &returnedError,
        at: now)
      if outcome.isFailure {
        state.currentReplicas = current
        state.currentMetrics = statuses
        return PassOutcome(
          currentReplicas: current, desiredReplicas: state.desiredReplicas, isRescaled: false)
      } else {
        let replicas = outcome.replicas
        let metricIndex = outcome.metricIndex
        metricReplicas = replicas
        var rescaleMetric: Int? = nil
        if replicas > desired {
          desired = replicas
          rescaleMetric = metricIndex
        }
        if desired > current {
          rescaleReason = .metricAboveTarget(metricIndex: rescaleMetric ?? metricIndex)
        }
        if desired < current { rescaleReason = .allMetricsBelowTarget }
        let normalized = normalize(current: current, desired: desired, at: now)
        desired = normalized.replicas
        stabilizedReplicas = normalized.stabilized
        if current == 0 && minReplicas != 0 && scaledToZero && desired < minReplicas {
          desired = minReplicas
        }
        rescale = desired != current
      }
    }

    if rescale {
      if !observation.scaleUpdateSucceeds {
        state.conditions.set(.ableToScale, false, .failedUpdateScale, at: now)
        state.currentReplicas = current
        state.currentMetrics = statuses
        returnedError = .failedUpdateScale(attemptedReplicas: desired)
        return PassOutcome(
          currentReplicas: current, desiredReplicas: state.desiredReplicas, isRescaled: false,
          metricReplicas: metricReplicas, stabilizedReplicas: stabilizedReplicas,
          rescaleReason: rescaleReason)
      }
      state.conditions.set(.ableToScale, true, .succeededRescale, at: now)
      if let behavior = spec.compiledBehavior {
        state.scaleEvents.record(from: current, to: desired, behavior: behavior, at: now)
      }
      if gates.scaleToZero {
        if current > 0 && desired == 0 && minReplicas == 0 && spec.hasObjectOrExternalMetric {
          state.conditions.set(.scaledToZero, true, .scaledToZero, at: now)
        } else {
          state.conditions.set(.scaledToZero, false, .notScaledToZero, at: now)
        }
      } else if state.conditions.contains(.scaledToZero) {
        state.conditions.remove(.scaledToZero)
      }
      state.lastScaleTime = now
    } else {
      desired = current
    }

    state.currentReplicas = current
    state.desiredReplicas = desired
    state.currentMetrics = statuses
    return PassOutcome(
      currentReplicas: current, desiredReplicas: desired, isRescaled: rescale,
      metricReplicas: metricReplicas, stabilizedReplicas: stabilizedReplicas,
      rescaleReason: rescale ? rescaleReason : nil)
  }
}
