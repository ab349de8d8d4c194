public import AutoscalingCore

/// A container's or pod's resource requests in milli-units, laid out for fast lookup.
///
/// cpu and memory (the resources HPAs almost always read) are plain fields; any other
/// resource goes to ``others``. `nil` means "no request for this resource", which upstream's
/// `calculateRequests` treats as an error for utilization targets.
public struct ResourceRequests: Hashable, Sendable {
  /// The cpu request in millicores, or `nil` when not requested.
  public var cpuMilli: Int64?
  /// The memory request in milli-bytes (bytes × 1000, upstream's `MilliValue()`), or `nil`.
  public var memoryMilli: Int64?
  /// Requests for other resources (extended resources, ephemeral storage) in milli-units.
  public var others: [ResourceName: Int64]

  /// Creates requests from milli-unit values.
  ///
  /// - Parameters:
  ///   - cpuMilli: The cpu request in millicores.
  ///   - memoryMilli: The memory request in milli-bytes.
  ///   - others: Other requests in milli-units.
  public init(
    cpuMilli: Int64? = nil, memoryMilli: Int64? = nil, others: [ResourceName: Int64] = [:]
  ) {
    self.cpuMilli = cpuMilli
    self.memoryMilli = memoryMilli
    self.others = others
  }

  /// Creates requests from a resource list, converting each quantity with `MilliValue()`
  /// (rounded up to whole milli-units, as upstream).
  ///
  /// - Parameter list: The requests as written in the pod spec.
  public init(_ list: ResourceList) {
    self.init()
    for (name, quantity) in list { self[name] = quantity.milliValue }
  }

  /// Whether no resource is requested.
  public var isEmpty: Bool { cpuMilli == nil && memoryMilli == nil && others.isEmpty }

  /// The request for a resource in milli-units, or `nil` when it is not requested.
  ///
  /// - Parameter resource: The resource.
  public subscript(resource: ResourceName) -> Int64? {
    get {
      if resource == .cpu { return cpuMilli }
      if resource == .memory { return memoryMilli }
      return others[resource]
    }
    set {
      if resource == .cpu {
        cpuMilli = newValue
      } else if resource == .memory {
        memoryMilli = newValue
      } else {
        others[resource] = newValue
      }
    }
  }

  /// Returns the request for a resource, using a pre-classified key for speed.
  @inline(__always)
  func milli(_ resource: ResourceName, kind: ResourceKind) -> Int64? {
    switch kind {
    case .cpu: cpuMilli
    case .memory: memoryMilli
    case .other: others[resource]
    }
  }
}

/// A resource name classified once, so per-pod lookups avoid string comparisons.
enum ResourceKind: UInt8, Sendable {
  case cpu, memory, other

  init(_ name: ResourceName) {
    self = name == .cpu ? .cpu : (name == .memory ? .memory : .other)
  }
}

/// The role of a container in its pod, as far as request accounting goes.
public enum ContainerRole: Hashable, Sendable {
  /// A regular container (`spec.containers`).
  case regular
  /// An ordinary init container, which has finished before the pod runs; its requests do not
  /// count.
  case initContainer
  /// A restartable init container (`restartPolicy: Always`, a sidecar); its requests count.
  case sidecar
}

/// One container's name, role and requests.
public struct ContainerRequests: Hashable, Sendable {
  /// The container name.
  public var name: String
  /// Regular container, init container or sidecar.
  public var role: ContainerRole
  /// The container's requests.
  public var requests: ResourceRequests

  /// Creates a container description.
  ///
  /// - Parameters:
  ///   - name: The container name.
  ///   - role: The container's role; `.regular` by default.
  ///   - requests: The container's requests.
  public init(name: String, role: ContainerRole = .regular, requests: ResourceRequests) {
    self.name = name
    self.role = role
    self.requests = requests
  }
}
