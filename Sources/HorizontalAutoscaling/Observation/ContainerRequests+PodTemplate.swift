public import AutoscalingCore

extension ContainerRequests {
  /// Creates a container description from a Core container, converting each request with
  /// `MilliValue()`.
  ///
  /// - Parameters:
  ///   - container: The container.
  ///   - role: The container's role; `.regular` by default.
  public init(_ container: Container, role: ContainerRole = .regular) {
    self.init(name: container.name, role: role, requests: ResourceRequests(container.requests))
  }

  /// The containers of a pod template, ready to share among all pods built from it.
  ///
  /// Regular containers come first, then init containers. Core's `Container` carries no
  /// `restartPolicy`, so init containers listed in `sidecars` are treated as restartable
  /// (their requests count, as upstream counts sidecars) and the others as ordinary init
  /// containers.
  ///
  /// - Parameters:
  ///   - template: The pod template.
  ///   - sidecars: Names of init containers with `restartPolicy: Always`.
  /// - Returns: One entry per container; build every pod of the workload with this one array.
  public static func containers(
    of template: PodTemplate, sidecars: Set<String> = []
  ) -> [ContainerRequests] {
    template.containers.map { ContainerRequests($0) }
      + template.initContainers.map {
        ContainerRequests($0, role: sidecars.contains($0.name) ? .sidecar : .initContainer)
      }
  }
}
