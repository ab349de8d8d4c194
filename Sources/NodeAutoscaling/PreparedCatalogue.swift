import AutoscalingCore

/// A cluster state's instance types prepared once for provisioning and disruption, to reuse
/// across calls: each type's allocatable and capacity in the scheduler's units, its label
/// requirements, its cheapest available offering, its place in name order, and per NodePool the
/// types its requirements and available offerings admit.
///
/// Upstream builds its instance types once per cloud-provider refresh and reuses them for every
/// `Scheduler.Solve`; ``NodeAutoscaler/schedule(_:catalogue:now:)`` and
/// ``NodeAutoscaler/disrupt(_:catalogue:now:methods:)`` do the same with this value, while
/// ``NodeAutoscaler/schedule(_:now:)`` and ``NodeAutoscaler/disrupt(_:now:methods:)`` prepare
/// one per call. Decisions are the same either way.
///
/// A prepared catalogue fits every state with the same `instanceTypes`,
/// `instanceTypesByNodePool` and the same NodePools (by name, in order) holding overrides;
/// nodes, pods, DaemonSets and PodDisruptionBudgets may change freely, and so may NodePools
/// (a NodePool whose requirements or labels changed has its types filtered again per call).
public struct PreparedCatalogue: Sendable {
  /// The shared catalogue it was prepared from.
  public let instanceTypes: [InstanceType]
  /// The per-NodePool catalogue overrides it was prepared from (by NodePool name).
  public let instanceTypesByNodePool: [String: [InstanceType]]
  /// The NodePools whose overrides joined the type list, in the order they joined.
  let overrideOrder: [String]
  /// Every distinct type (by name: the shared catalogue first, then each override in
  /// `overrideOrder`), with allocatable and capacity over the fixed resource slots.
  let types: [TypeInfo]
  /// Each type's position in name order (the price order's tie-break).
  let nameRank: [Int32]
  /// Index into `types` by name.
  let indexByName: [String: Int]
  /// Indices into `types` of the shared catalogue's names, ascending.
  let sharedMembers: [Int32]
  /// Per overriding NodePool: indices into `types` of its catalogue's names, ascending.
  let overrideMembers: [String: [Int32]]
  /// Per catalogue (shared, then by NodePool name): the first position of each name, for the
  /// type a node's instance-type label names.
  let sharedPositionByName: [String: Int]
  let overridePositionByName: [String: [String: Int]]
  /// Per NodePool of the state it was prepared from: its template requirements and the types
  /// they admit (compatible requirements and an available compatible offering).
  let pools: [String: PreparedPool]
  /// The offering table of claims with no zone or capacity-type requirement.
  let unconstrainedTable: OfferingTable
  /// Every type in that table's price order (cheapest compatible offering, then name).
  let unconstrainedOrder: [Int32]
  /// Every type's name (a NodeClaim's instance-type requirement keeping most types is this set
  /// less the few it drops, without hashing every name again).
  let names: Set<String>
  /// The types indexed by label requirements and offerings (``TypeIndex``).
  let index: TypeIndex
  /// Every type's allocatable and capacity over the fixed resource slots (`types[i]`'s), for a
  /// call that registers no resource beyond them.
  let allocatables: [ResourceVector]
  let capacities: [ResourceVector]
  /// Per type index `i`: the smallest allocatable in each resource over types `i…` (see
  /// ``suffixMinima(_:)``).
  let allocatableSuffixMinima: [ResourceVector]
  /// A zero per type: the daemon overhead of every type when there are no DaemonSets.
  let zeroOverhead: [ResourceVector]
  /// The names of `unconstrainedOrder`, in that order.
  let unconstrainedNames: [String]
  /// Each type's name (`types[i].type.name`), contiguous.
  let typeNames: [String]
  /// Per zone of an available offering: the offering table of claims whose only offering
  /// requirement is that zone (`zone In [z]`, the requirement topology gives a claim).
  let zoneTables: [String: OfferingTable]

  /// Prepares the instance types of a cluster state.
  ///
  /// - Parameter state: The cluster state whose `instanceTypes`, `instanceTypesByNodePool` and
  ///   NodePools are prepared (its nodes and pods are not read).
  /// - Throws: ``NodeAutoscalingError`` naming the instance type and field for a negative
  ///   capacity or a price that is negative, infinite or not a number.
  public init(_ state: ClusterState) throws(NodeAutoscalingError) {
    instanceTypes = state.instanceTypes
    instanceTypesByNodePool = state.instanceTypesByNodePool
    overrideOrder = Self.overrideOrder(of: state)
    let slots = ResourceSlots()
    var seen: Set<String> = []
    var types: [TypeInfo] = []
    var catalogues: [[InstanceType]] = [state.instanceTypes]
    for name in overrideOrder { if let own = state.instanceTypesByNodePool[name] { catalogues.append(own) } }
    for catalogue in catalogues {
      for type in catalogue where !seen.contains(type.name) {
        seen.insert(type.name)
        types.append(try TypeInfo(type, slots: slots))
      }
    }
    self.types = types
    var indexByName: [String: Int] = [:]
    indexByName.reserveCapacity(types.count)
    for (index, info) in types.enumerated() { indexByName[info.type.name] = index }
    self.indexByName = indexByName
    var rank = [Int32](repeating: 0, count: types.count)
    for (position, index) in types.indices.sorted(by: { types[$0].type.name < types[$1].type.name }).enumerated() {
      rank[index] = Int32(position)
    }
    nameRank = rank
    names = Set(types.lazy.map(\.type.name))
    index = TypeIndex(types: types)
    allocatables = types.map(\.allocatable)
    capacities = types.map(\.capacity)
    allocatableSuffixMinima = Self.suffixMinima(allocatables)
    zeroOverhead = [ResourceVector](repeating: .zero, count: types.count)
    let table = OfferingTable(types: types, index: index, key: OfferingKey())
    unconstrainedTable = table
    let order = (0..<Int32(types.count)).sorted { a, b in
      let pa = table.cheapest[Int(a)]
      let pb = table.cheapest[Int(b)]
      if pa != pb { return pa < pb }
      return rank[Int(a)] < rank[Int(b)]
    }
    unconstrainedOrder = order
    unconstrainedNames = order.map { types[Int($0)].type.name }
    typeNames = types.map(\.type.name)
    var zoneTables: [String: OfferingTable] = [:]
    for pair in index.offerings where zoneTables[pair.zone] == nil {
      zoneTables[pair.zone] = OfferingTable(
        types: types, index: index, key: OfferingKey(zone: .equal(WellKnownLabel.zone, pair.zone), capacityType: nil))
    }
    self.zoneTables = zoneTables
    func members(_ catalogue: [InstanceType]) -> [Int32] {
      catalogue.compactMap { indexByName[$0.name].map(Int32.init) }.reduce(into: Set<Int32>()) { $0.insert($1) }.sorted()
    }
    func positions(_ catalogue: [InstanceType]) -> [String: Int] {
      var result: [String: Int] = [:]
      for (position, type) in catalogue.enumerated() where result[type.name] == nil { result[type.name] = position }
      return result
    }
    sharedMembers = members(state.instanceTypes)
    sharedPositionByName = positions(state.instanceTypes)
    var overrideMembers: [String: [Int32]] = [:]
    var overridePositions: [String: [String: Int]] = [:]
    for (name, catalogue) in state.instanceTypesByNodePool {
      overrideMembers[name] = members(catalogue)
      overridePositions[name] = positions(catalogue)
    }
    self.overrideMembers = overrideMembers
    overridePositionByName = overridePositions
    var pools: [String: PreparedPool] = [:]
    for pool in state.nodePools where pools[pool.name] == nil {
      guard (try? pool.validate()) != nil else { continue }
      let requirements = pool.templateRequirements
      let candidates = overrideMembers[pool.name] ?? sharedMembers
      let admitted = Self.admitted(candidates, by: requirements, types: types)
      pools[pool.name] = PreparedPool(
        sourceRequirements: pool.requirements, sourceLabels: pool.labels, requirements: requirements, typeIndices: admitted, zones: Self.zones(of: admitted, compatibleWith: requirements, types: types),
        maxCapacity: Self.maxCapacity(of: admitted, capacities: capacities))
    }
    self.pools = pools
  }

  /// The NodePools with overrides, in NodePool order (the order their types join the list).
  static func overrideOrder(of state: ClusterState) -> [String] {
    state.nodePools.compactMap { state.instanceTypesByNodePool[$0.name] == nil ? nil : $0.name }
  }

  /// The candidates whose requirements intersect `requirements` and that have an available
  /// offering compatible with them.
  static func admitted(_ candidates: [Int32], by requirements: Requirements, types: [TypeInfo]) -> [Int32] {
    candidates.filter { index in
      let info = types[Int(index)]
      return info.requirements.intersects(requirements)
        && info.type.offerings.contains { $0.available && $0.isCompatible(with: requirements) }
    }
  }

  /// The zones of the types' available offerings compatible with `requirements` (a NodePool's
  /// zone domains for topology spread).
  static func zones(of typeIndices: [Int32], compatibleWith requirements: Requirements, types: [TypeInfo]) -> Set<String> {
    var zones: Set<String> = []
    for index in typeIndices where types[Int(index)].requirements.get(WellKnownLabel.zone).operator == .in {
      for offering in types[Int(index)].type.offerings where offering.available && offering.isCompatible(with: requirements) {
        zones.insert(offering.zone)
      }
    }
    return zones
  }

  /// The largest capacity of the types in each resource (zero when there are none).
  static func maxCapacity(of typeIndices: [Int32], capacities: [ResourceVector]) -> ResourceVector {
    var maximum = ResourceVector.zero
    for index in typeIndices { maximum = maximum.maximum(capacities[Int(index)]) }
    return maximum
  }

  /// Per index `i`: the pointwise minimum of `vectors[i...]`. Requests that fit in entry `i`
  /// fit in every vector from `i` on, so a fit scan over ascending type indices can keep the
  /// rest of its list without testing each.
  static func suffixMinima(_ vectors: [ResourceVector]) -> [ResourceVector] {
    var result = vectors
    var index = vectors.count - 1
    while index > 0 {
      result[index - 1] = result[index - 1].minimum(result[index])
      index -= 1
    }
    return result
  }

  /// Whether this catalogue was prepared from `state`'s instance types.
  func fits(_ state: ClusterState) -> Bool {
    state.instanceTypes == instanceTypes && state.instanceTypesByNodePool == instanceTypesByNodePool
      && Self.overrideOrder(of: state) == overrideOrder
  }

  /// The indices into `types` of a NodePool's catalogue, ascending.
  func members(ofPool name: String) -> [Int32] { overrideMembers[name] ?? sharedMembers }

  /// The first type named `name` in a NodePool's catalogue (`instanceTypes(for:)`).
  func instanceType(named name: String, pool: String) -> InstanceType? {
    if let own = instanceTypesByNodePool[pool] {
      return overridePositionByName[pool]?[name].map { own[$0] }
    }
    return sharedPositionByName[name].map { instanceTypes[$0] }
  }
}

/// A NodePool's template requirements and the types they admit, prepared once.
struct PreparedPool: Sendable {
  /// The NodePool's requirements and labels `requirements` derive from (with its name).
  var sourceRequirements: [Requirement]
  var sourceLabels: Labels
  var requirements: Requirements
  var typeIndices: [Int32]
  /// ``PreparedCatalogue/zones(of:compatibleWith:types:)`` of `typeIndices`.
  var zones: Set<String>
  /// ``PreparedCatalogue/maxCapacity(of:capacities:)`` of `typeIndices` over the fixed slots.
  var maxCapacity: ResourceVector
}

extension NodePool {
  /// The NodeClaim template's requirements: the NodePool's, its labels as `In` requirements, and
  /// `karpenter.sh/nodepool In [name]`.
  var templateRequirements: Requirements {
    var requirements = Requirements(self.requirements)
    for (key, value) in labels { requirements.add(.equal(WellKnownLabel.normalized(key), value)) }
    requirements.add(.equal(WellKnownLabel.nodePool, name))
    return requirements
  }
}

extension TypeInfo {
  /// Derives an instance type's facts over `slots`, checking its capacity and prices.
  init(_ type: InstanceType, slots: ResourceSlots) throws(NodeAutoscalingError) {
    let object = "instance type \(type.name)"
    let allocatableList = type.allocatable
    let allocatable = try slots.vector(allocatableList, object: object, field: "allocatable", allowNegative: true)
    let capacity = try slots.vector(type.capacity, object: object, field: "capacity")
    for offering in type.offerings where !(offering.price >= 0) || !offering.price.isFinite {
      throw NodeAutoscalingError(
        .invalidValue, object: object, field: "offerings[\(offering.zone)/\(offering.capacityType.rawValue)].price",
        message: "price \(offering.price) must be a finite non-negative USD per hour")
    }
    self.init(
      type: type, requirements: type.requirements, allocatable: allocatable, capacity: capacity,
      allocatableList: allocatableList, cheapestPrice: type.cheapestOffering()?.price ?? .infinity)
  }
}
