public import AutoscalingCore

/// How much of one resource a pod uses, as a function of the demand it serves.
///
/// A ready pod serving `load` units of demand uses `base + load × perUnitOfDemand`; a pod that
/// has started but is not ready yet uses `startupUsage` (the initialization burst upstream's CPU
/// readiness rules exist for) or `base` when that is unset; a terminating pod uses `base`.
/// Usage is capped at `limit` when one is set (CPU above its limit is throttled). Amounts are in
/// the resource's unit: cores for `cpu`, bytes for `memory`.
public struct ResourceUsageModel: Hashable, Sendable {
  /// The resource, e.g. `cpu` or `memory`.
  public var resource: ResourceName
  /// The container that uses it; `nil` means the pod template's first container.
  public var container: String?
  /// Usage of an idle pod, in the resource's unit (cores, bytes).
  public var base: Double
  /// Additional usage per unit of demand served, in the resource's unit per demand unit.
  public var perUnitOfDemand: Double
  /// Usage while started but not ready, in the resource's unit; `nil` means `base`.
  public var startupUsage: Double?
  /// The ceiling usage is capped at, in the resource's unit; `nil` means none.
  public var limit: Double?

  /// Creates a usage model.
  ///
  /// - Parameters:
  ///   - resource: The resource.
  ///   - container: The container using it (`nil`: the first container).
  ///   - base: Idle usage (cores, bytes).
  ///   - perUnitOfDemand: Usage per unit of demand served (cores, bytes per unit).
  ///   - startupUsage: Usage while starting (cores, bytes); `nil` means `base`.
  ///   - limit: A cap on usage (cores, bytes); `nil` means none.
  public init(
    resource: ResourceName, container: String? = nil, base: Double, perUnitOfDemand: Double,
    startupUsage: Double? = nil, limit: Double? = nil
  ) {
    self.resource = resource
    self.container = container
    self.base = base
    self.perUnitOfDemand = perUnitOfDemand
    self.startupUsage = startupUsage
    self.limit = limit
  }
}

/// A Deployment's pods under load: their template, how much demand each serves, and what that
/// costs in resources.
///
/// Demand (one trace column) is shared by the ready pods. Each pod gets a fixed weight
/// `1 + imbalance × u` with `u` uniform in [−1, 1) drawn from the replay seed, and its share of
/// the demand is its weight over the sum of the ready pods' weights (equal shares when
/// `imbalance` is 0). A ready pod serves at most `capacityPerPod` units; demand above
/// `readyPods × capacityPerPod` is unserved. Each usage sample is multiplied by `1 + noise × v`,
/// `v` uniform in [−1, 1), drawn per pod, step and resource from the seed.
public struct WorkloadModel: Hashable, Sendable {
  /// The pod template: container names and the requests the HPA divides usage by.
  public var podTemplate: PodTemplate
  /// Demand one ready pod serves at most, in demand units (requests/s, …); must be > 0.
  public var capacityPerPod: Double
  /// Per-resource usage models (for Resource and ContainerResource metrics).
  public var usage: [ResourceUsageModel]
  /// Spread of the per-pod weights, in [0, 1): 0.2 gives weights between 0.8 and 1.2.
  public var imbalance: Double
  /// Relative amplitude of the per-sample noise, in [0, 1): 0.1 gives ±10 %.
  public var noise: Double
  /// Replicas running (and ready) when the replay starts, before the HPA's first reconcile.
  public var initialReplicas: Int

  /// Creates a workload model.
  ///
  /// - Parameters:
  ///   - podTemplate: The Deployment's pod template.
  ///   - capacityPerPod: Demand units one ready pod serves at most.
  ///   - usage: Usage models per resource.
  ///   - imbalance: Weight spread in [0, 1).
  ///   - noise: Noise amplitude in [0, 1).
  ///   - initialReplicas: Replicas at the start (ready).
  public init(
    podTemplate: PodTemplate, capacityPerPod: Double, usage: [ResourceUsageModel],
    imbalance: Double = 0, noise: Double = 0, initialReplicas: Int
  ) {
    self.podTemplate = podTemplate
    self.capacityPerPod = capacityPerPod
    self.usage = usage
    self.imbalance = imbalance
    self.noise = noise
    self.initialReplicas = initialReplicas
  }

  /// Checks capacity, spreads, replicas, containers and usage models.
  ///
  /// - Throws: `ReplayError.invalidWorkload` naming the field and the rule.
  func validate() throws(ReplayError) {
    guard capacityPerPod.isFinite && capacityPerPod > 0 else {
      throw .invalidWorkload(field: "capacityPerPod", rule: "must be a finite number > 0")
    }
    guard imbalance >= 0 && imbalance < 1 else {
      throw .invalidWorkload(field: "imbalance", rule: "must be in [0, 1)")
    }
    guard noise >= 0 && noise < 1 else {
      throw .invalidWorkload(field: "noise", rule: "must be in [0, 1)")
    }
    guard initialReplicas >= 0 && initialReplicas <= 100_000 else {
      throw .invalidWorkload(field: "initialReplicas", rule: "must be in [0, 100000]")
    }
    guard !podTemplate.containers.isEmpty else {
      throw .invalidWorkload(
        field: "podTemplate.containers", rule: "must name at least one container")
    }
    for model in usage {
      let name = "usage[\(model.resource)]"
      let numbers = [model.base, model.perUnitOfDemand, model.startupUsage ?? 0, model.limit ?? 0]
      guard numbers.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
        throw .invalidWorkload(field: name, rule: "amounts must be finite and ≥ 0")
      }
      if let container = model.container,
        !podTemplate.containers.contains(where: { $0.name == container })
      {
        throw .invalidWorkload(
          field: name + ".container",
          rule: "names container \"\(container)\", which the pod template does not have")
      }
    }
  }
}
