public import AutoscalingCore

/// How capacity is bought: `spot`, `on-demand` or `reserved` (`karpenter.sh/capacity-type`).
public enum CapacityType: String, Hashable, Sendable, CaseIterable, Comparable {
  /// Interruptible spare capacity.
  case spot
  /// Pay-as-you-go capacity.
  case onDemand = "on-demand"
  /// Capacity reserved ahead (AWS prices it at on-demand / 10,000,000).
  case reserved

  /// The launch priority used by `WorstLaunchPrice` and AWS `getCapacityType`: reserved, then
  /// spot, then on-demand.
  var launchPriority: Int {
    switch self {
    case .reserved: return 0
    case .spot: return 1
    case .onDemand: return 2
    }
  }

  /// Orders by launch priority (reserved < spot < on-demand).
  ///
  /// - Parameters:
  ///   - lhs: A capacity type.
  ///   - rhs: Another.
  /// - Returns: Whether `lhs` is launched in preference to `rhs`.
  public static func < (lhs: CapacityType, rhs: CapacityType) -> Bool { lhs.launchPriority < rhs.launchPriority }
}

/// One way to buy an instance type: a zone and capacity type with a price (`cloudprovider.Offering`).
public struct Offering: Hashable, Sendable {
  /// The zone (`topology.kubernetes.io/zone`).
  public var zone: String
  /// The capacity type.
  public var capacityType: CapacityType
  /// The price in USD per hour.
  public var price: Double
  /// Whether it can be launched now (not sold out, has a price, offered in the zone).
  public var available: Bool

  /// Creates an offering.
  ///
  /// - Parameters:
  ///   - zone: The zone.
  ///   - capacityType: The capacity type.
  ///   - price: USD per hour.
  ///   - available: Whether it can be launched.
  public init(zone: String, capacityType: CapacityType, price: Double, available: Bool = true) {
    self.zone = zone
    self.capacityType = capacityType
    self.price = price
    self.available = available
  }

  /// Whether the offering's zone and capacity type satisfy `requirements`.
  func isCompatible(with requirements: Requirements) -> Bool {
    if let zone = requirements.byKey[WellKnownLabel.zone], !zone.has(self.zone) { return false }
    if let type = requirements.byKey[WellKnownLabel.capacityType], !type.has(capacityType.rawValue) { return false }
    return true
  }
}

/// The resources an instance keeps for itself: kube-reserved, system-reserved and the
/// eviction threshold (`cloudprovider.InstanceTypeOverhead`).
public struct InstanceTypeOverhead: Hashable, Sendable {
  /// Reserved for the kubelet and container runtime.
  public var kubeReserved: ResourceList
  /// Reserved for the operating system.
  public var systemReserved: ResourceList
  /// Kept free so the kubelet can evict before the node runs out.
  public var evictionThreshold: ResourceList

  /// Creates an overhead.
  ///
  /// - Parameters:
  ///   - kubeReserved: kube-reserved amounts.
  ///   - systemReserved: system-reserved amounts.
  ///   - evictionThreshold: eviction-threshold amounts.
  public init(kubeReserved: ResourceList = [:], systemReserved: ResourceList = [:], evictionThreshold: ResourceList = [:]) {
    self.kubeReserved = kubeReserved
    self.systemReserved = systemReserved
    self.evictionThreshold = evictionThreshold
  }

  /// The sum of the three.
  public var total: ResourceList { kubeReserved + systemReserved + evictionThreshold }
}

/// A machine shape the cloud can launch: capacity, overhead, labels and offerings
/// (`cloudprovider.InstanceType`).
public struct InstanceType: Hashable, Sendable {
  /// The name, e.g. `m5.large` (`node.kubernetes.io/instance-type`).
  public var name: String
  /// The CPU architecture, `amd64` or `arm64`.
  public var architecture: String
  /// The operating systems it can run (`kubernetes.io/os` values).
  public var operatingSystems: [String]
  /// Total resources, including `pods` (pod density) and extended resources such as `nvidia.com/gpu`.
  public var capacity: ResourceList
  /// Resources the node keeps for itself.
  public var overhead: InstanceTypeOverhead
  /// The ways it can be bought.
  public var offerings: [Offering]
  /// Further instance-type labels (e.g. `karpenter.k8s.aws/instance-family`, `nvidia.com/gpu.product`).
  public var labels: Labels

  /// Creates an instance type.
  ///
  /// - Parameters:
  ///   - name: The name.
  ///   - architecture: `amd64` or `arm64`.
  ///   - operatingSystems: Supported operating systems.
  ///   - capacity: Total resources including `pods`.
  ///   - overhead: Reserved resources.
  ///   - offerings: Offerings.
  ///   - labels: Further labels.
  public init(
    name: String, architecture: String = "amd64", operatingSystems: [String] = ["linux"], capacity: ResourceList,
    overhead: InstanceTypeOverhead = InstanceTypeOverhead(), offerings: [Offering], labels: Labels = [:]
  ) {
    self.name = name
    self.architecture = architecture
    self.operatingSystems = operatingSystems
    self.capacity = capacity
    self.overhead = overhead
    self.offerings = offerings
    self.labels = labels
  }

  /// Capacity minus kube-reserved, system-reserved and the eviction threshold, with hugepages
  /// also taken out of memory (`computeAllocatable`).
  public var allocatable: ResourceList {
    var result = capacity - overhead.total
    var hugepages = Quantity.zero
    for (name, quantity) in capacity.quantities where name.rawValue.hasPrefix("hugepages-") {
      hugepages = hugepages + quantity
    }
    if !hugepages.isZero { result[.memory] = result.amount(of: .memory) - hugepages }
    return result
  }

  /// The label facts of the type: name, arch, os, the zones and capacity types of its available
  /// offerings, and its labels (`InstanceType.Requirements`).
  public var requirements: Requirements {
    var result = Requirements()
    result.add(.equal(WellKnownLabel.instanceType, name))
    result.add(.equal(WellKnownLabel.arch, architecture))
    result.add(.oneOf(WellKnownLabel.os, operatingSystems))
    let available = offerings.filter(\.available)
    result.add(.oneOf(WellKnownLabel.zone, available.map(\.zone)))
    result.add(.oneOf(WellKnownLabel.capacityType, available.map(\.capacityType.rawValue)))
    for (key, value) in labels { result.add(.equal(key, value)) }
    return result
  }

  /// The price of the offering in `zone` with `capacityType`, available or not; `nil` when
  /// there is none (`InstanceType.OfferingPrice`).
  ///
  /// - Parameters:
  ///   - zone: A zone.
  ///   - capacityType: A capacity type.
  /// - Returns: USD per hour, or `nil`.
  public func price(zone: String, capacityType: CapacityType) -> Double? {
    offerings.first { $0.zone == zone && $0.capacityType == capacityType }?.price
  }

  /// The cheapest available offering compatible with `requirements`, ties to the first listed.
  ///
  /// - Parameter requirements: NodeClaim requirements (zone, capacity type).
  /// - Returns: The offering, or `nil` when none is available.
  public func cheapestOffering(compatibleWith requirements: Requirements = Requirements()) -> Offering? {
    var best: Offering?
    for offering in offerings where offering.available && offering.isCompatible(with: requirements) {
      if offering.price < (best?.price ?? .infinity) { best = offering }
    }
    return best
  }

  /// The price a launch may cost at worst (`Offerings.WorstLaunchPrice`): among the compatible
  /// available offerings of the first capacity type present in the order reserved, spot,
  /// on-demand, the most expensive; `+∞` when there is none.
  ///
  /// - Parameter requirements: NodeClaim requirements.
  /// - Returns: USD per hour.
  public func worstLaunchPrice(compatibleWith requirements: Requirements) -> Double {
    // One pass: the dearest compatible available offering per capacity type, then the first
    // capacity type (reserved, spot, on-demand) that has one.
    var worst = (reserved: -Double.infinity, spot: -Double.infinity, onDemand: -Double.infinity)
    for offering in offerings where offering.available && offering.isCompatible(with: requirements) {
      switch offering.capacityType {
      case .reserved: worst.reserved = Swift.max(worst.reserved, offering.price)
      case .spot: worst.spot = Swift.max(worst.spot, offering.price)
      case .onDemand: worst.onDemand = Swift.max(worst.onDemand, offering.price)
      }
    }
    for price in [worst.reserved, worst.spot, worst.onDemand] where price > -Double.infinity { return price }
    return .infinity
  }

  /// This type with `nvidia.com/gpu` capacity multiplied by `replicas`, as the NVIDIA device
  /// plugin advertises it under time-slicing (`sharing.timeSlicing.resources[].replicas`), and
  /// the label `nvidia.com/gpu.replicas`.
  ///
  /// - Parameter replicas: Replicas per physical GPU (at least 1).
  /// - Returns: The shared type (unchanged when it has no GPU or `replicas` ≤ 1).
  public func timeSliced(replicas: Int) -> InstanceType {
    guard replicas > 1, let gpus = capacity[.nvidiaGPU], !gpus.isZero else { return self }
    var copy = self
    copy.capacity[.nvidiaGPU] = gpus * Int64(replicas)
    copy.labels["nvidia.com/gpu.replicas"] = "\(replicas)"
    return copy
  }
}
