public import AutoscalingCore

/// A VerticalPodAutoscaler (`autoscaling.k8s.io/v1`) as written, with the CRD's defaults
/// applied (`updateMode` Auto; per-container `mode` Auto, `controlledResources` cpu and
/// memory, `controlledValues` RequestsAndLimits).
public struct VerticalPodAutoscalerManifest: Hashable, Sendable {
  /// `spec.updatePolicy.updateMode`.
  public enum UpdateMode: String, Hashable, Sendable, CaseIterable {
    /// Recommend only.
    case off = "Off"
    /// Apply at pod creation only.
    case initial = "Initial"
    /// Evict and recreate pods to apply.
    case recreate = "Recreate"
    /// Resize in place where possible, otherwise recreate.
    case inPlaceOrRecreate = "InPlaceOrRecreate"
    /// Resize in place only (behind upstream's in-place feature gate).
    case inPlace = "InPlace"
    /// Deprecated upstream in favour of `Recreate`; still accepted and behaves as it.
    case auto = "Auto"
  }

  /// A container policy's `mode`.
  public enum ContainerScalingMode: String, Hashable, Sendable, CaseIterable {
    /// The container is autoscaled.
    case auto = "Auto"
    /// The container is left alone.
    case off = "Off"
  }

  /// A container policy's `controlledValues`.
  public enum ControlledValues: String, Hashable, Sendable, CaseIterable {
    /// Requests and limits are scaled together (limits keep their ratio to requests).
    case requestsAndLimits = "RequestsAndLimits"
    /// Only requests are changed.
    case requestsOnly = "RequestsOnly"
  }

  /// One entry of `spec.resourcePolicy.containerPolicies`.
  public struct ContainerPolicy: Hashable, Sendable {
    /// The container name, or `*` for every container without its own policy.
    public var containerName: String
    /// Whether the container is autoscaled.
    public var mode: ContainerScalingMode
    /// Lower bounds on the recommendation.
    public var minAllowed: ResourceList
    /// Upper bounds on the recommendation.
    public var maxAllowed: ResourceList
    /// Resources the VPA controls (default cpu and memory).
    public var controlledResources: [ResourceName]
    /// Which values are changed.
    public var controlledValues: ControlledValues

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - containerName: The container name or `*`.
    ///   - mode: Auto or Off.
    ///   - minAllowed: Lower bounds.
    ///   - maxAllowed: Upper bounds.
    ///   - controlledResources: Controlled resources.
    ///   - controlledValues: Controlled values.
    public init(
      containerName: String, mode: ContainerScalingMode = .auto, minAllowed: ResourceList = [:],
      maxAllowed: ResourceList = [:], controlledResources: [ResourceName] = [.cpu, .memory],
      controlledValues: ControlledValues = .requestsAndLimits
    ) {
      self.containerName = containerName
      self.mode = mode
      self.minAllowed = minAllowed
      self.maxAllowed = maxAllowed
      self.controlledResources = controlledResources
      self.controlledValues = controlledValues
    }
  }

  /// `metadata.name`.
  public var name: String
  /// `metadata.namespace` (`default` when absent).
  public var namespace: String
  /// `spec.targetRef`.
  public var targetRef: HorizontalPodAutoscalerManifest.ScaleTargetReference
  /// `spec.updatePolicy.updateMode` (default Auto).
  public var updateMode: UpdateMode
  /// `spec.updatePolicy.minReplicas`: the updater evicts only when at least this many pods
  /// are alive (`nil`: the updater's flag, 2 by default).
  public var minReplicas: Int32?
  /// `spec.resourcePolicy.containerPolicies`.
  public var containerPolicies: [ContainerPolicy]
  /// `spec.recommenders` names (empty: the default recommender).
  public var recommenders: [String]

  /// Creates a manifest value.
  ///
  /// - Parameters:
  ///   - name: The name.
  ///   - namespace: The namespace.
  ///   - targetRef: The target workload.
  ///   - updateMode: The update mode.
  ///   - minReplicas: The updater's minimum live replicas.
  ///   - containerPolicies: Container policies.
  ///   - recommenders: Recommender names.
  public init(
    name: String, namespace: String = "default",
    targetRef: HorizontalPodAutoscalerManifest.ScaleTargetReference,
    updateMode: UpdateMode = .auto, minReplicas: Int32? = nil,
    containerPolicies: [ContainerPolicy] = [], recommenders: [String] = []
  ) {
    self.name = name
    self.namespace = namespace
    self.targetRef = targetRef
    self.updateMode = updateMode
    self.minReplicas = minReplicas
    self.containerPolicies = containerPolicies
    self.recommenders = recommenders
  }

  /// The policy that applies to `container`: its own, else the `*` policy, else the default.
  ///
  /// - Parameter container: A container name.
  /// - Returns: The effective policy.
  public func policy(for container: String) -> ContainerPolicy {
    containerPolicies.first { $0.containerName == container }
      ?? containerPolicies.first { $0.containerName == "*" }
      ?? ContainerPolicy(containerName: container)
  }
}

extension VerticalPodAutoscalerManifest {
  /// Decodes a VPA object (internal; see ``ManifestLoader``).
  init(object: ManifestField, apiVersion: String) throws(ManifestError) {
    guard apiVersion == "autoscaling.k8s.io/v1" else {
      throw try object.required("apiVersion").error(
        "unsupported VerticalPodAutoscaler version \"\(apiVersion)\"; use autoscaling.k8s.io/v1")
    }
    let metadata = try ObjectMetadata(object)
    name = metadata.name
    namespace = metadata.namespace
    let spec = try object.required("spec")
    targetRef = try .init(try spec.required("targetRef"))
    let update = try spec.optional("updatePolicy")
    updateMode = try update?.optional("updateMode")?.enumeration(UpdateMode.self) ?? .auto
    minReplicas = try update?.optional("minReplicas").map { field throws(ManifestError) in
      Int32(try field.int(in: 1...Int64(Int32.max)))
    }
    containerPolicies =
      try spec.optional("resourcePolicy")?.optional("containerPolicies")?.map {
        item throws(ManifestError) -> ContainerPolicy in
        let minField = try item.optional("minAllowed")
        let minAllowed = try minField?.resourceList() ?? [:]
        let maxAllowed = try item.optional("maxAllowed")?.resourceList() ?? [:]
        for (resource, low) in minAllowed.quantities {
          if let high = maxAllowed[resource], low > high {
            throw (try minField?.required(resource.rawValue) ?? item).error(
              "minAllowed \(low) is above maxAllowed \(high)")
          }
        }
        return ContainerPolicy(
          containerName: try item.optional("containerName")?.string() ?? "*",
          mode: try item.optional("mode")?.enumeration(ContainerScalingMode.self) ?? .auto,
          minAllowed: minAllowed, maxAllowed: maxAllowed,
          controlledResources: try item.optional("controlledResources")?.stringList().map {
            ResourceName($0)
          } ?? [.cpu, .memory],
          controlledValues: try item.optional("controlledValues")?.enumeration(
            ControlledValues.self) ?? .requestsAndLimits)
      } ?? []
    recommenders =
      try spec.optional("recommenders")?.map { item throws(ManifestError) in
        try item.required("name").string()
      } ?? []
  }
}
