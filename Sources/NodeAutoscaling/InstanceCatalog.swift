import AutoscalingCore

/// Instance catalogues: a small embedded default (public AWS facts, us-east-1 on-demand
/// prices) and a loader for the CSV format of `aws-instance-types.csv`, with offerings per
/// zone and capacity type.
public enum InstanceCatalog: Sendable {
  /// How offerings and overheads are generated for a catalogue.
  public struct Options: Hashable, Sendable {
    /// The zones every type is offered in.
    public var zones: [String]
    /// Whether spot offerings are generated.
    public var includeSpot: Bool
    /// Spot price as a fraction of on-demand when the file gives none (upstream test fakes use 0.7).
    public var spotPriceFraction: Double
    /// The VM memory overhead fraction taken off memory capacity (aws `--vm-memory-overhead-percent`, 0.075).
    public var vmMemoryOverheadFraction: Double
    /// The root volume size in GiB that becomes `ephemeral-storage` capacity (AWS default 20).
    public var rootVolumeGiB: Int64

    /// Creates options.
    ///
    /// - Parameters:
    ///   - zones: Zones every type is offered in.
    ///   - includeSpot: Whether spot offerings exist.
    ///   - spotPriceFraction: Spot price as a fraction of on-demand (0...1).
    ///   - vmMemoryOverheadFraction: Memory capacity overhead fraction (0.075).
    ///   - rootVolumeGiB: Root volume GiB (ephemeral-storage capacity).
    public init(
      zones: [String] = ["us-east-1a", "us-east-1b", "us-east-1c"], includeSpot: Bool = true,
      spotPriceFraction: Double = 0.7, vmMemoryOverheadFraction: Double = 0.075,
      rootVolumeGiB: Int64 = 20
    ) {
      self.zones = zones
      self.includeSpot = includeSpot
      self.spotPriceFraction = spotPriceFraction
      self.vmMemoryOverheadFraction = vmMemoryOverheadFraction
      self.rootVolumeGiB = rootVolumeGiB
    }
  }

  struct Row {
    var name: String
    var vcpu: Int64
    var memoryGiB: Int64
    var gpus: Int64
    var gpuModel: String
    var gpuMemoryMiB: Int64
    var arch: String
    var onDemand: Double
    var maxPods: Int64
    init(
      _ name: String, vcpu: Int64, memoryGiB: Int64, gpus: Int64, gpuModel: String,
      gpuMemoryMiB: Int64,
      arch: String, onDemand: Double, maxPods: Int64
    ) {
      self.name = name
      self.vcpu = vcpu
      self.memoryGiB = memoryGiB
      self.gpus = gpus
      self.gpuModel = gpuModel
      self.gpuMemoryMiB = gpuMemoryMiB
      self.arch = arch
      self.onDemand = onDemand
      self.maxPods = maxPods
    }
  }

  // Public facts (vCPU, GiB, GPUs, GPU model and memory, arch, us-east-1 on-demand USD/h,
  // ENI-limited max pods) of common general-purpose, compute, memory, burstable and GPU types.
  static let rows: [Row] = [
    Row(
      "m5.large", vcpu: 2, memoryGiB: 8, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.096, maxPods: 29),
    Row(
      "m5.xlarge", vcpu: 4, memoryGiB: 16, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.192, maxPods: 58),
    Row(
      "m5.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.384, maxPods: 58),
    Row(
      "m5.4xlarge", vcpu: 16, memoryGiB: 64, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.768, maxPods: 234),
    Row(
      "m6i.large", vcpu: 2, memoryGiB: 8, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.096, maxPods: 29),
    Row(
      "m6i.xlarge", vcpu: 4, memoryGiB: 16, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.192, maxPods: 58),
    Row(
      "m6i.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.384, maxPods: 58),
    Row(
      "m6i.4xlarge", vcpu: 16, memoryGiB: 64, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.768, maxPods: 234),
    Row(
      "m7g.large", vcpu: 2, memoryGiB: 8, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "arm64",
      onDemand: 0.0816, maxPods: 29),
    Row(
      "m7g.xlarge", vcpu: 4, memoryGiB: 16, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "arm64",
      onDemand: 0.1632, maxPods: 58),
    Row(
      "m7g.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "arm64",
      onDemand: 0.3264, maxPods: 58),
    Row(
      "c5.large", vcpu: 2, memoryGiB: 4, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.085, maxPods: 29),
    Row(
      "c5.xlarge", vcpu: 4, memoryGiB: 8, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.17, maxPods: 58),
    Row(
      "c5.2xlarge", vcpu: 8, memoryGiB: 16, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.34, maxPods: 58),
    Row(
      "c6i.xlarge", vcpu: 4, memoryGiB: 8, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.17, maxPods: 58),
    Row(
      "c6i.2xlarge", vcpu: 8, memoryGiB: 16, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.34, maxPods: 58),
    Row(
      "c7g.xlarge", vcpu: 4, memoryGiB: 8, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "arm64",
      onDemand: 0.145, maxPods: 58),
    Row(
      "r5.large", vcpu: 2, memoryGiB: 16, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.126, maxPods: 29),
    Row(
      "r5.xlarge", vcpu: 4, memoryGiB: 32, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.252, maxPods: 58),
    Row(
      "r5.2xlarge", vcpu: 8, memoryGiB: 64, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.504, maxPods: 58),
    Row(
      "r6i.xlarge", vcpu: 4, memoryGiB: 32, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.252, maxPods: 58),
    Row(
      "r6i.2xlarge", vcpu: 8, memoryGiB: 64, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.504, maxPods: 58),
    Row(
      "t3.medium", vcpu: 2, memoryGiB: 4, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.0416, maxPods: 17),
    Row(
      "t3.large", vcpu: 2, memoryGiB: 8, gpus: 0, gpuModel: "", gpuMemoryMiB: 0, arch: "amd64",
      onDemand: 0.0832, maxPods: 35),
    Row(
      "g4dn.xlarge", vcpu: 4, memoryGiB: 16, gpus: 1, gpuModel: "t4", gpuMemoryMiB: 16384,
      arch: "amd64", onDemand: 0.526, maxPods: 29),
    Row(
      "g4dn.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 1, gpuModel: "t4", gpuMemoryMiB: 16384,
      arch: "amd64", onDemand: 0.752, maxPods: 29),
    Row(
      "g5.xlarge", vcpu: 4, memoryGiB: 16, gpus: 1, gpuModel: "a10g", gpuMemoryMiB: 22888,
      arch: "amd64", onDemand: 1.006, maxPods: 58),
    Row(
      "g5.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 1, gpuModel: "a10g", gpuMemoryMiB: 22888,
      arch: "amd64", onDemand: 1.212, maxPods: 58),
    Row(
      "g5.4xlarge", vcpu: 16, memoryGiB: 64, gpus: 1, gpuModel: "a10g", gpuMemoryMiB: 22888,
      arch: "amd64", onDemand: 1.624, maxPods: 234),
    Row(
      "g5.12xlarge", vcpu: 48, memoryGiB: 192, gpus: 4, gpuModel: "a10g", gpuMemoryMiB: 22888,
      arch: "amd64", onDemand: 5.672, maxPods: 737),
    Row(
      "g6.xlarge", vcpu: 4, memoryGiB: 16, gpus: 1, gpuModel: "l4", gpuMemoryMiB: 22888,
      arch: "amd64", onDemand: 0.8048, maxPods: 58),
    Row(
      "g6.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 1, gpuModel: "l4", gpuMemoryMiB: 22888,
      arch: "amd64", onDemand: 0.9776, maxPods: 58),
    Row(
      "p3.2xlarge", vcpu: 8, memoryGiB: 61, gpus: 1, gpuModel: "v100", gpuMemoryMiB: 16384,
      arch: "amd64", onDemand: 3.06, maxPods: 58),
    Row(
      "p4d.24xlarge", vcpu: 96, memoryGiB: 1152, gpus: 8, gpuModel: "a100", gpuMemoryMiB: 40960,
      arch: "amd64", onDemand: 21.957642, maxPods: 737),
    Row(
      "p5.4xlarge", vcpu: 16, memoryGiB: 256, gpus: 1, gpuModel: "h100", gpuMemoryMiB: 81920,
      arch: "amd64", onDemand: 6.88, maxPods: 118),
    Row(
      "p5.48xlarge", vcpu: 192, memoryGiB: 2048, gpus: 8, gpuModel: "h100", gpuMemoryMiB: 81920,
      arch: "amd64", onDemand: 55.04, maxPods: 100),
  ]

  /// The embedded default catalogue: 36 common types (m5, m6i, m7g, c5, c6i, c7g, r5, r6i, t3,
  /// g4dn, g5, g6, p3, p4d, p5) with AWS overhead, offered in every zone of `options`.
  ///
  /// - Parameter options: Zones, spot pricing and overhead settings.
  /// - Returns: The instance types, in table order.
  public static func embedded(_ options: Options = Options()) -> [InstanceType] {
    rows.map { row in
      makeType(
        name: row.name, vcpu: row.vcpu, advertisedMemoryMiB: row.memoryGiB * 1024, gpus: row.gpus,
        gpuModel: row.gpuModel,
        gpuManufacturer: row.gpus > 0 ? "nvidia" : "", gpuMemoryMiB: row.gpuMemoryMiB,
        arch: row.arch,
        onDemand: row.onDemand, spotByZone: [:], maxPods: row.maxPods, allocatableCPU: nil,
        allocatableMemory: nil, options: options)
    }
  }

  /// The kube-reserved CPU in millicores for `vcpu` cores (aws `kubeReservedResources`): 6 % of
  /// the first core, 1 % of the second, 0.5 % of the third and fourth, 0.25 % of the rest.
  ///
  /// - Parameter vcpu: Cores.
  /// - Returns: Millicores.
  public static func kubeReservedCPUMillicores(vcpu: Int64) -> Int64 {
    // In units of 1/4 millicore to stay exact: 6% = 240, 1% = 40, 0.5% = 20, 0.25% = 10 per core.
    // Closed form of the per-core sum; counts beyond any machine saturate instead of trapping.
    let cores = min(max(vcpu, 0), Int64.max / 16)
    let reserved: Int64
    switch cores {
    case 0: reserved = 0
    case 1: reserved = 240
    case 2: reserved = 280
    case 3: reserved = 300
    default: reserved = 320 + 10 * (cores - 4)
    }
    return (reserved + 3) / 4
  }

  /// The memory capacity in MiB Karpenter assumes (aws `types.go`): the size, less 64 MiB of
  /// CMA on arm64, less `ceil(size × fraction)`.
  ///
  /// - Parameters:
  ///   - memoryGiB: The advertised memory in GiB.
  ///   - arch: `amd64` or `arm64`.
  ///   - fraction: The VM memory overhead fraction.
  /// - Returns: MiB.
  public static func memoryCapacityMiB(memoryGiB: Int64, arch: String, fraction: Double) -> Int64 {
    memoryCapacityMiB(memoryMiB: memoryGiB * 1024, arch: arch, fraction: fraction)
  }

  /// The memory capacity in MiB Karpenter assumes (aws `types.go`) for a size given in MiB, as
  /// EC2 reports it (`MemoryInfo.SizeInMiB`; 512 for a `nano`): the size, less 64 MiB of CMA
  /// on arm64, less `ceil(size × fraction)`.
  ///
  /// - Parameters:
  ///   - memoryMiB: The advertised memory in MiB.
  ///   - arch: `amd64` or `arm64`.
  ///   - fraction: The VM memory overhead fraction.
  /// - Returns: MiB.
  public static func memoryCapacityMiB(memoryMiB: Int64, arch: String, fraction: Double) -> Int64 {
    let size = memoryMiB - (arch == "arm64" ? 64 : 0)
    let overhead = (Double(size) * fraction).rounded(.up)
    guard overhead.isFinite, overhead >= 0, overhead < Double(size) else { return size }
    return size - Int64(overhead)
  }

  /// The GPU feature-discovery product name for an AWS GPU model, e.g. `a10g` → `NVIDIA-A10G`.
  ///
  /// - Parameters:
  ///   - model: The AWS GPU name (lower case).
  ///   - memoryMiB: MiB per GPU (distinguishes 40 and 80 GB parts).
  /// - Returns: The `nvidia.com/gpu.product` value.
  public static func gpuProduct(model: String, memoryMiB: Int64) -> String {
    switch model.lowercased() {
    case "t4": return "Tesla-T4"
    case "v100": return "Tesla-V100-SXM2-\(memoryMiB > 20000 ? 32 : 16)GB"
    case "a10g": return "NVIDIA-A10G"
    case "l4": return "NVIDIA-L4"
    case "l40s": return "NVIDIA-L40S"
    case "a100": return "NVIDIA-A100-SXM4-\(memoryMiB > 50000 ? 80 : 40)GB"
    case "h100": return "NVIDIA-H100-80GB-HBM3"
    case "h200": return "NVIDIA-H200"
    default: return "NVIDIA-\(model.uppercased())"
    }
  }

  static func makeType(
    name: String, vcpu: Int64, advertisedMemoryMiB: Int64, gpus: Int64, gpuModel: String,
    gpuManufacturer: String,
    gpuMemoryMiB: Int64, arch: String, onDemand: Double, spotByZone: [String: Double],
    maxPods: Int64,
    allocatableCPU: Quantity?, allocatableMemory: Quantity?, options: Options
  ) -> InstanceType {
    let mib: Int64 = 1 << 20
    let gib: Int64 = 1 << 30
    let memoryMiB = memoryCapacityMiB(
      memoryMiB: advertisedMemoryMiB, arch: arch, fraction: options.vmMemoryOverheadFraction)
    var capacity: ResourceList = [
      .cpu: Quantity(vcpu), .memory: Quantity(memoryMiB * mib, format: .binarySI),
      .pods: Quantity(maxPods),
      .ephemeralStorage: Quantity(options.rootVolumeGiB * gib, format: .binarySI),
    ]
    if gpus > 0 && gpuManufacturer.lowercased() == "nvidia" {
      capacity[.nvidiaGPU] = Quantity(gpus)
    }
    let eviction: ResourceList = [
      .memory: Quantity(100 * mib, format: .binarySI),
      .ephemeralStorage: Quantity(options.rootVolumeGiB * gib / 10, format: .binarySI),
    ]
    var kubeReserved: ResourceList = [
      .cpu: Quantity(milliValue: kubeReservedCPUMillicores(vcpu: vcpu)),
      .memory: Quantity((11 * maxPods + 255) * mib, format: .binarySI),
      .ephemeralStorage: Quantity(gib, format: .binarySI),
    ]
    if let allocatableCPU { kubeReserved[.cpu] = Quantity(vcpu) - allocatableCPU }
    if let allocatableMemory {
      kubeReserved[.memory] = Quantity(memoryMiB * mib) - allocatableMemory - Quantity(100 * mib)
    }
    var labels: Labels = [:]
    let parts = name.split(separator: ".", maxSplits: 1)
    if parts.count == 2 {
      labels[WellKnownLabel.instanceFamily] = String(parts[0])
      labels[WellKnownLabel.instanceSize] = String(parts[1])
    }
    labels[WellKnownLabel.instanceCPU] = "\(vcpu)"
    labels[WellKnownLabel.instanceMemory] = "\(advertisedMemoryMiB)"
    if gpus > 0 {
      labels[WellKnownLabel.instanceGPUName] = gpuModel.lowercased()
      labels[WellKnownLabel.instanceGPUCount] = "\(gpus)"
      labels[WellKnownLabel.instanceGPUMemory] = "\(gpuMemoryMiB)"
      labels[WellKnownLabel.instanceGPUManufacturer] = gpuManufacturer.lowercased()
      if gpuManufacturer.lowercased() == "nvidia" {
        labels[WellKnownLabel.gpuProduct] = gpuProduct(model: gpuModel, memoryMiB: gpuMemoryMiB)
        labels[WellKnownLabel.gpuMemory] = "\(gpuMemoryMiB)"
        labels[WellKnownLabel.gpuCount] = "\(gpus)"
      }
    }
    var offerings: [Offering] = []
    if options.includeSpot {
      for zone in options.zones {
        offerings.append(
          Offering(
            zone: zone, capacityType: .spot,
            price: spotByZone[zone] ?? onDemand * options.spotPriceFraction))
      }
    }
    for zone in options.zones {
      offerings.append(Offering(zone: zone, capacityType: .onDemand, price: onDemand))
    }
    return InstanceType(
      name: name, architecture: arch, operatingSystems: ["linux"], capacity: capacity,
      overhead: InstanceTypeOverhead(kubeReserved: kubeReserved, evictionThreshold: eviction),
      offerings: offerings,
      labels: labels)
  }

  /// Loads a catalogue from CSV text in the format of `aws-instance-types.csv`.
  ///
  /// Required columns: `name`, `vcpu`, `memory_gib`, `architecture`,
  /// `on_demand_usd_per_hour_us_east_1`. Optional: `gpu_count`, `gpu_model`,
  /// `gpu_manufacturer`, `gpu_memory_mib_per_gpu`, `karpenter_allocatable_cpu`,
  /// `karpenter_allocatable_memory`, `karpenter_max_pods` (default 110), and spot prices as
  /// `spot_usd_per_hour` (every zone) or `spot_usd_per_hour_<zone>` (one zone); without them
  /// spot is `options.spotPriceFraction` × on-demand.
  ///
  /// - Parameters:
  ///   - text: The CSV text (a header line, then one row per type; no quoted commas).
  ///   - options: Zones, spot pricing and overhead settings.
  /// - Returns: The instance types in file order.
  /// - Throws: ``NodeAutoscalingError`` naming the row (1-based line) and column of a missing
  ///   column, missing field or unparsable number.
  public static func parseCSV(_ text: String, options: Options = Options())
    throws(NodeAutoscalingError) -> [InstanceType]
  {
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    guard let headerLine = lines.first else {
      throw NodeAutoscalingError(
        .missingField, object: "catalogue", field: "header", message: "the CSV text is empty")
    }
    let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingWhitespace()
    }
    func requiredColumn(_ name: String) throws(NodeAutoscalingError) -> Int {
      if let index = header.firstIndex(of: name) { return index }
      throw NodeAutoscalingError(
        .missingField, object: "catalogue", field: "header",
        message: "required column \"\(name)\" is missing")
    }
    func column(_ name: String) -> Int? { header.firstIndex(of: name) }
    let nameColumn = try requiredColumn("name")
    let vcpuColumn = try requiredColumn("vcpu")
    let memoryColumn = try requiredColumn("memory_gib")
    let archColumn = try requiredColumn("architecture")
    let priceColumn = try requiredColumn("on_demand_usd_per_hour_us_east_1")
    let gpuCountColumn = column("gpu_count")
    let gpuModelColumn = column("gpu_model")
    let gpuManufacturerColumn = column("gpu_manufacturer")
    let gpuMemoryColumn = column("gpu_memory_mib_per_gpu")
    let allocatableCPUColumn = column("karpenter_allocatable_cpu")
    let allocatableMemoryColumn = column("karpenter_allocatable_memory")
    let maxPodsColumn = column("karpenter_max_pods")
    let spotColumn = column("spot_usd_per_hour")
    var zoneSpotColumns: [(zone: String, column: Int)] = []
    for (index, name) in header.enumerated() where name.hasPrefix("spot_usd_per_hour_") {
      zoneSpotColumns.append((String(name.dropFirst("spot_usd_per_hour_".count)), index))
    }

    var result: [InstanceType] = []
    for (lineIndex, line) in lines.enumerated().dropFirst() where !line.allSatisfy(\.isWhitespace) {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingWhitespace()
      }
      let object = "catalogue row \(lineIndex + 1)"
      func text(_ index: Int, _ name: String) throws(NodeAutoscalingError) -> String {
        guard index < fields.count, !fields[index].isEmpty else {
          throw NodeAutoscalingError(
            .missingField, object: object, field: name, message: "the field is empty or missing")
        }
        return fields[index]
      }
      func optionalText(_ index: Int?) -> String? {
        guard let index, index < fields.count, !fields[index].isEmpty else { return nil }
        return fields[index]
      }
      // Counts beyond any machine (and beyond what the overhead arithmetic can hold) are
      // refused: vCPUs, GPUs and pods up to a million, MiB per GPU up to 2^30.
      func integer(_ value: String, _ name: String, maximum: Int64 = 1_000_000)
        throws(NodeAutoscalingError) -> Int64
      {
        guard let number = Int64(value), number >= 0, number <= maximum else {
          throw NodeAutoscalingError(
            .invalidValue, object: object, field: name,
            message: "\"\(value)\" is not a whole number from 0 to \(maximum)")
        }
        return number
      }
      func price(_ value: String, _ name: String) throws(NodeAutoscalingError) -> Double {
        guard let number = Double(value), number.isFinite, number >= 0 else {
          throw NodeAutoscalingError(
            .invalidValue, object: object, field: name,
            message: "\"\(value)\" is not a non-negative price in USD per hour")
        }
        return number
      }
      func quantity(_ value: String?, _ name: String) throws(NodeAutoscalingError) -> Quantity? {
        guard let value else { return nil }
        do {
          let parsed = try Quantity(parsing: value)
          if parsed.signum < 0 {
            throw NodeAutoscalingError(
              .negativeResource, object: object, field: name, message: "\(value) is negative")
          }
          return parsed
        } catch let error as NodeAutoscalingError {
          throw error
        } catch {
          throw NodeAutoscalingError(
            .invalidValue, object: object, field: name, message: "\"\(value)\" is not a quantity")
        }
      }
      let name = try text(nameColumn, "name")
      let vcpu = try integer(try text(vcpuColumn, "vcpu"), "vcpu")
      let memoryText = try text(memoryColumn, "memory_gib")
      guard let memoryValue = Double(memoryText), memoryValue.isFinite, memoryValue >= 0,
        memoryValue < 1e9
      else {
        throw NodeAutoscalingError(
          .invalidValue, object: object, field: "memory_gib",
          message: "\"\(memoryText)\" is not a non-negative number of GiB")
      }
      let arch = try text(archColumn, "architecture")
      let onDemand = try price(
        try text(priceColumn, "on_demand_usd_per_hour_us_east_1"),
        "on_demand_usd_per_hour_us_east_1")
      let gpus =
        try optionalText(gpuCountColumn).map { v throws(NodeAutoscalingError) in
          try integer(v, "gpu_count")
        } ?? 0
      let gpuMemory =
        try optionalText(gpuMemoryColumn).map { v throws(NodeAutoscalingError) in
          try integer(v, "gpu_memory_mib_per_gpu", maximum: 1 << 30)
        } ?? 0
      let maxPods =
        try optionalText(maxPodsColumn).map { v throws(NodeAutoscalingError) in
          try integer(v, "karpenter_max_pods")
        } ?? 110
      var spotByZone: [String: Double] = [:]
      if let all = optionalText(spotColumn) {
        let value = try price(all, "spot_usd_per_hour")
        for zone in options.zones { spotByZone[zone] = value }
      }
      for (zone, index) in zoneSpotColumns {
        if let value = optionalText(index) {
          spotByZone[zone] = try price(value, "spot_usd_per_hour_\(zone)")
        }
      }
      result.append(
        makeType(
          // GiB to whole MiB (EC2 sizes are whole MiB: 0.5 GiB for a `nano` is 512 MiB).
          name: name, vcpu: vcpu, advertisedMemoryMiB: Int64((memoryValue * 1024).rounded()),
          gpus: gpus,
          gpuModel: optionalText(gpuModelColumn) ?? "",
          gpuManufacturer: optionalText(gpuManufacturerColumn) ?? "",
          gpuMemoryMiB: gpuMemory, arch: arch, onDemand: onDemand, spotByZone: spotByZone,
          maxPods: maxPods,
          allocatableCPU: try quantity(
            optionalText(allocatableCPUColumn), "karpenter_allocatable_cpu"),
          allocatableMemory: try quantity(
            optionalText(allocatableMemoryColumn), "karpenter_allocatable_memory"),
          options: options))
    }
    return result
  }
}

extension Substring {
  func trimmingWhitespace() -> String {
    var slice = self[...]
    while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
    while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
    return String(slice)
  }
}
