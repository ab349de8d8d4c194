/// Label keys Karpenter and Kubernetes give a meaning to (core `pkg/apis/v1/labels.go`).
public enum WellKnownLabel: Sendable {
  /// `karpenter.sh/nodepool`: the NodePool that launched the node.
  public static let nodePool = "karpenter.sh/nodepool"
  /// `karpenter.sh/capacity-type`: `spot`, `on-demand` or `reserved`.
  public static let capacityType = "karpenter.sh/capacity-type"
  /// `topology.kubernetes.io/zone`.
  public static let zone = "topology.kubernetes.io/zone"
  /// `topology.kubernetes.io/region`.
  public static let region = "topology.kubernetes.io/region"
  /// `node.kubernetes.io/instance-type`.
  public static let instanceType = "node.kubernetes.io/instance-type"
  /// `kubernetes.io/arch`.
  public static let arch = "kubernetes.io/arch"
  /// `kubernetes.io/os`.
  public static let os = "kubernetes.io/os"
  /// `kubernetes.io/hostname`.
  public static let hostname = "kubernetes.io/hostname"
  /// `node.kubernetes.io/windows-build`.
  public static let windowsBuild = "node.kubernetes.io/windows-build"
  /// `karpenter.sh/do-not-disrupt`: on a node or pod, blocks voluntary disruption.
  public static let doNotDisrupt = "karpenter.sh/do-not-disrupt"
  /// `controller.kubernetes.io/pod-deletion-cost`: the pod annotation read by the eviction cost.
  public static let podDeletionCost = "controller.kubernetes.io/pod-deletion-cost"
  /// `nvidia.com/gpu.product` (GPU feature discovery), e.g. `NVIDIA-A10G`.
  public static let gpuProduct = "nvidia.com/gpu.product"
  /// `nvidia.com/gpu.memory` (GPU feature discovery): MiB per GPU.
  public static let gpuMemory = "nvidia.com/gpu.memory"
  /// `nvidia.com/gpu.count` (GPU feature discovery): physical GPUs on the node.
  public static let gpuCount = "nvidia.com/gpu.count"
  /// `karpenter.k8s.aws/instance-family`, e.g. `m5`.
  public static let instanceFamily = "karpenter.k8s.aws/instance-family"
  /// `karpenter.k8s.aws/instance-size`, e.g. `xlarge`.
  public static let instanceSize = "karpenter.k8s.aws/instance-size"
  /// `karpenter.k8s.aws/instance-cpu`: vCPUs.
  public static let instanceCPU = "karpenter.k8s.aws/instance-cpu"
  /// `karpenter.k8s.aws/instance-memory`: MiB.
  public static let instanceMemory = "karpenter.k8s.aws/instance-memory"
  /// `karpenter.k8s.aws/instance-gpu-name`, e.g. `a10g`.
  public static let instanceGPUName = "karpenter.k8s.aws/instance-gpu-name"
  /// `karpenter.k8s.aws/instance-gpu-count`.
  public static let instanceGPUCount = "karpenter.k8s.aws/instance-gpu-count"
  /// `karpenter.k8s.aws/instance-gpu-memory`: MiB per GPU.
  public static let instanceGPUMemory = "karpenter.k8s.aws/instance-gpu-memory"
  /// `karpenter.k8s.aws/instance-gpu-manufacturer`, e.g. `nvidia`.
  public static let instanceGPUManufacturer = "karpenter.k8s.aws/instance-gpu-manufacturer"

  /// The keys a new NodeClaim may leave undefined while a pod still selects them
  /// (`WellKnownLabels`, core `pkg/apis/v1/labels.go`).
  public static let core: Set<String> = [
    nodePool, zone, region, instanceType, arch, os, capacityType, windowsBuild,
  ]

  /// The keys the fake cloud provider of upstream's tests adds (`size`, `special`, `integer`).
  public static let fakeProvider: Set<String> = ["size", "special", "integer"]

  /// The keys this package's AWS-style catalogue adds: `karpenter.k8s.aws/instance-*` and the
  /// GPU feature-discovery labels (see the module documentation for why those are here).
  public static let catalogue: Set<String> = [
    instanceFamily, instanceSize, instanceCPU, instanceMemory, instanceGPUName, instanceGPUCount,
    instanceGPUMemory, instanceGPUManufacturer, gpuProduct, gpuMemory, gpuCount,
  ]

  /// Maps a deprecated label key to its stable name, as upstream's `NormalizedLabels`.
  ///
  /// - Parameter key: A label key.
  /// - Returns: The stable key (the input when it is not a deprecated alias).
  public static func normalized(_ key: String) -> String {
    switch key {
    case "beta.kubernetes.io/arch": return arch
    case "beta.kubernetes.io/os": return os
    case "beta.kubernetes.io/instance-type": return instanceType
    case "failure-domain.beta.kubernetes.io/zone": return zone
    case "failure-domain.beta.kubernetes.io/region": return region
    default: return key
    }
  }

  /// Whether a pod may not select `key` (`IsRestrictedLabel`): the hostname, and the
  /// `karpenter.sh` domain except its well-known keys.
  ///
  /// - Parameter key: A normalized label key.
  /// - Returns: `true` when a pod selecting it fails validation.
  public static func isRestricted(_ key: String) -> Bool {
    if core.contains(key) { return false }
    if key == hostname { return true }
    let domain = key.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
    return domain == "karpenter.sh" || domain.hasSuffix(".karpenter.sh")
  }
}
