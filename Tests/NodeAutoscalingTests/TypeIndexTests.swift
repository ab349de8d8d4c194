import AutoscalingCore
@testable import NodeAutoscaling
import Testing
import _AutoscalingTestSupport

/// The prepared catalogue's bitset index gives exactly the types the plain per-type check admits.
@Suite("Instance-type index")
struct TypeIndexTests {
  static let keys = ["integer", "family", "size", "absent-everywhere", WellKnownLabel.zone, WellKnownLabel.capacityType, WellKnownLabel.instanceType, WellKnownLabel.arch, WellKnownLabel.os]
  static let zones = ["zone-a", "zone-b", "zone-c"]

  /// A random catalogue: integer and text labels (some types lack them), several operating
  /// systems, offerings in random zones and capacity types, some unavailable or missing.
  static func randomCatalogue(_ random: inout SplitMix64) -> [InstanceType] {
    let count = Int(1 + random.next() % 150)
    return (0..<count).map { i in
      var labels: Labels = [:]
      if random.next() % 5 != 0 { labels["integer"] = "\(Int(random.next() % 40) - 5)" }
      if random.next() % 3 != 0 { labels["family"] = ["m", "c", "r", "g"][Int(random.next() % 4)] }
      if random.next() % 4 == 0 { labels["size"] = ["small", "large", "07", "7", "+7"][Int(random.next() % 5)] }
      var offerings: [Offering] = []
      for zone in zones {
        for capacityType in CapacityType.allCases where random.next() % 3 != 0 {
          offerings.append(Offering(zone: zone, capacityType: capacityType, price: Double(random.next() % 100) / 10, available: random.next() % 6 != 0))
        }
      }
      let systems = [["linux"], ["linux", "windows"], [], ["windows"]][Int(random.next() % 4)]
      return InstanceType(
        name: "type-\(i % max(1, count - Int(random.next() % 3)))", architecture: random.next() % 2 == 0 ? "amd64" : "arm64",
        operatingSystems: systems, capacity: [.cpu: Quantity(Int64(1 + i))], offerings: offerings, labels: labels)
    }
  }

  /// A random requirement on a random key with values drawn near the catalogue's.
  static func randomRequirement(_ random: inout SplitMix64) throws -> Requirement {
    let key = keys[Int(random.next() % UInt64(keys.count))]
    let pool: [String]
    switch key {
    case WellKnownLabel.zone: pool = zones + ["zone-x"]
    case WellKnownLabel.capacityType: pool = CapacityType.allCases.map(\.rawValue)
    case WellKnownLabel.instanceType: pool = (0..<160).map { "type-\($0)" }
    case WellKnownLabel.arch: pool = ["amd64", "arm64", "s390x"]
    case WellKnownLabel.os: pool = ["linux", "windows", "darwin"]
    case "family": pool = ["m", "c", "r", "g", "x"]
    case "size": pool = ["small", "large", "07", "7", "+7", "8"]
    default: pool = (-8..<45).map { "\($0)" } + ["x"]
    }
    let op = RequirementOperator.allCases[Int(random.next() % UInt64(RequirementOperator.allCases.count))]
    switch op {
    case .gt, .lt, .gte, .lte:
      return try Requirement(key: key, operator: op, values: ["\(Int(random.next() % 50) - 10)"])
    case .exists, .doesNotExist:
      return try Requirement(key: key, operator: op)
    case .in, .notIn:
      let values = (0..<Int(1 + random.next() % 4)).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
      return try Requirement(key: key, operator: op, values: values)
    }
  }

  @Test("the index's compatible types equal the per-type requirement and offering check", arguments: 0..<4)
  func sameAsPlainCheck(shard: UInt64) throws {
    var random = SplitMix64(seed: 0x1D3E_0000 &+ shard)
    var admitted = 0
    var rejected = 0
    for round in 0..<25 {
      let types = shard == 0 && round == 0 ? InstanceCatalog.embedded() : Self.randomCatalogue(&random)
      let catalogue = try PreparedCatalogue(ClusterState(instanceTypes: types))
      for _ in 0..<60 {
        // Several requirements, some on the same key (intersected as a NodeClaim's are).
        var requirements = Requirements()
        for _ in 0..<Int(random.next() % 5) { requirements.add(try Self.randomRequirement(&random)) }
        let bits = catalogue.index.compatible(with: requirements)
        for (position, info) in catalogue.types.enumerated() {
          let expected = info.requirements.intersects(requirements)
            && info.type.offerings.contains { $0.available && $0.isCompatible(with: requirements) }
          let indexed = bits[position >> 6] & (1 << UInt64(position & 63)) != 0
          #expect(indexed == expected, "type \(info.type.name) with \(requirements)")
          if expected { admitted += 1 } else { rejected += 1 }
        }
      }
    }
    // The draws exercise both outcomes often (not a vacuous comparison).
    #expect(admitted > 1_000 && rejected > 1_000, "admitted \(admitted), rejected \(rejected)")
  }
}
