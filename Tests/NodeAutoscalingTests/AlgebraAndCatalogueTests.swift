import AutoscalingCore
import Foundation
import NodeAutoscaling
import Testing
import _AutoscalingTestSupport

@Suite("Requirement algebra")
struct RequirementAlgebraTests {
  @Test("Gt n is Gte n+1 and Lt n is Lte n-1; non-integers never match a bound")
  func bounds() throws {
    let gt = try Requirement(key: "n", operator: .gt, values: ["5"])
    #expect(!gt.has("5") && gt.has("6") && !gt.has("abc"))
    let lt = try Requirement(key: "n", operator: .lt, values: ["5"])
    #expect(lt.has("4") && !lt.has("5"))
    #expect(gt.intersection(lt).isEmpty)
    let window = try Requirement(key: "n", operator: .gte, values: ["3"]).intersection(try Requirement(key: "n", operator: .lte, values: ["7"]))
    #expect(window.has("3") && window.has("7") && !window.has("8"))
    #expect(throws: NodeAutoscalingError.self) { try Requirement(key: "n", operator: .gt, values: ["x"]) }
    #expect(throws: NodeAutoscalingError.self) { try RequirementOperator.parse("Like", object: "pod", field: "op") }
  }

  @Test("intersection of sets and complements")
  func intersections() throws {
    let a = try Requirement(key: "k", operator: .in, values: ["a", "b", "c"])
    let notB = try Requirement(key: "k", operator: .notIn, values: ["b"])
    #expect(a.intersection(notB).sortedValues == ["a", "c"])
    #expect(notB.intersection(try Requirement(key: "k", operator: .notIn, values: ["c"])).operator == .notIn)
    #expect(a.intersection(.doesNotExist("k")).isEmpty)
    #expect(a.intersection(.exists("k")).sortedValues == ["a", "b", "c"])
    let withMin = try Requirement(key: "k", operator: .in, values: ["a", "b"], minValues: 2)
    #expect(withMin.intersection(a).minValues == 2)
  }

  @Test("compatibility: undefined custom labels are denied unless allowed or negative")
  func compatibility() throws {
    let claim = Requirements([.equal(WellKnownLabel.arch, "amd64")])
    let custom = Requirements([.equal("team", "ml")])
    #expect(claim.incompatibility(with: custom, allowUndefined: WellKnownLabel.core)?.key == "team")
    #expect(claim.isCompatible(with: Requirements([.equal(WellKnownLabel.zone, "z")]), allowUndefined: WellKnownLabel.core))
    #expect(!claim.isCompatible(with: Requirements([.equal(WellKnownLabel.zone, "z")]), allowUndefined: []))
    #expect(claim.isCompatible(with: Requirements([try Requirement(key: "team", operator: .notIn, values: ["x"])]), allowUndefined: []))
    #expect(!claim.isCompatible(with: Requirements([.equal(WellKnownLabel.arch, "arm64")]), allowUndefined: WellKnownLabel.core))
  }

  @Test("legacy label keys are normalized and restricted keys recognized")
  func labels() {
    #expect(WellKnownLabel.normalized("beta.kubernetes.io/arch") == WellKnownLabel.arch)
    #expect(WellKnownLabel.isRestricted(WellKnownLabel.hostname))
    #expect(WellKnownLabel.isRestricted("karpenter.sh/custom"))
    #expect(!WellKnownLabel.isRestricted(WellKnownLabel.capacityType))
  }
}

@Suite("Instance catalogue")
struct CatalogueTests {
  @Test("AWS overhead reproduces the worked example: m5.large 1930m / 6903Mi, m5.xlarge 3920m / 14162Mi")
  func awsOverhead() throws {
    let types = InstanceCatalog.embedded()
    let large = try #require(types.first { $0.name == "m5.large" })
    #expect(large.allocatable[.cpu] == Quantity(milliValue: 1930))
    #expect(large.allocatable[.memory] == Quantity(6903 << 20))
    let xlarge = try #require(types.first { $0.name == "m5.xlarge" })
    #expect(xlarge.allocatable[.cpu] == Quantity(milliValue: 3920))
    #expect(xlarge.allocatable[.memory] == Quantity(14162 << 20))
    // Graviton loses 64 MiB of CMA before the 7.5 % overhead: m7g.large is 6844Mi.
    let graviton = try #require(types.first { $0.name == "m7g.large" })
    #expect(graviton.allocatable[.memory] == Quantity(6844 << 20))
    #expect(InstanceCatalog.kubeReservedCPUMillicores(vcpu: 8) == 90)
  }

  @Test("the shared CSV loads and agrees with its own allocatable columns")
  func sharedCSV() throws {
    let path = Fixtures.sharedPath("catalog/aws-instance-types.csv")
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return }
    let types = try InstanceCatalog.parseCSV(text)
    #expect(types.count == 285)
    let g5 = try #require(types.first { $0.name == "g5.12xlarge" })
    #expect(g5.capacity[.nvidiaGPU] == Quantity(4))
    #expect(g5.labels[WellKnownLabel.gpuProduct] == "NVIDIA-A10G")
    #expect(g5.allocatable[.memory] == Quantity(173_400 << 20))
    #expect(g5.allocatable[.cpu] == Quantity(milliValue: 47_810))
    #expect(g5.offerings.count == 6)
    let spot = try #require(g5.offerings.first { $0.capacityType == .spot })
    #expect(abs(spot.price - 5.672 * 0.7) < 1e-12)
    // Every row: allocatable equals the file's own karpenter_allocatable_* columns, and the
    // whole catalogue prepares (no negative capacity anywhere).
    let lines = text.split(whereSeparator: \.isNewline)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let nameAt = try #require(header.firstIndex(of: "name"))
    let cpuAt = try #require(header.firstIndex(of: "karpenter_allocatable_cpu"))
    let memoryAt = try #require(header.firstIndex(of: "karpenter_allocatable_memory"))
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      let type = try #require(types.first { $0.name == fields[nameAt] })
      #expect(type.allocatable[.cpu] == (try Quantity(parsing: fields[cpuAt])), "\(type.name)")
      #expect(type.allocatable[.memory] == (try Quantity(parsing: fields[memoryAt])), "\(type.name)")
    }
    _ = try PreparedCatalogue(ClusterState(nodePools: [NodePool(name: "np")], instanceTypes: types))
    // t4g.nano, 0.5 GiB: 512 MiB − 64 (arm64 CMA) = 448, − ceil(448 × 0.075) = 34 → 414 MiB of
    // capacity, labelled with the advertised 512 MiB.
    let nano = try #require(types.first { $0.name == "t4g.nano" })
    #expect(nano.capacity[.memory] == Quantity(414 << 20))
    #expect(nano.labels[WellKnownLabel.instanceMemory] == "512")
  }

  /// Found by the catalog fuzz target: a 16-digit karpenter_max_pods overflowed the
  /// kube-reserved memory (11 MiB per pod) and trapped; a huge vcpu looped once per core.
  @Test("counts beyond any machine are refused with the field named, never a trap")
  func hugeCounts() throws {
    let header = "name,vcpu,memory_gib,architecture,on_demand_usd_per_hour_us_east_1,karpenter_max_pods"
    for (row, field) in [
      ("m5.xlarge,4,16,amd64,0.192,5888888888888888", "karpenter_max_pods"),
      ("m5.xlarge,1000000000000000,16,amd64,0.192,58", "vcpu"),
    ] {
      do {
        _ = try InstanceCatalog.parseCSV("\(header)\n\(row)\n")
        Issue.record("expected an error for \(field)")
      } catch {
        #expect(error.object == "catalogue row 2" && error.field == field)
        #expect(error.message.contains("is not a whole number from 0 to 1000000"))
      }
    }
    // The closed form equals the per-core rule (6 % of the first core, 1 % of the second,
    // 0.5 % of the next two, 0.25 % of the rest, rounded up to a millicore).
    for vcpu in Int64(0)...300 {
      var quarterMillicores: Int64 = 0
      for core in 0..<vcpu { quarterMillicores += core == 0 ? 240 : core == 1 ? 40 : core < 4 ? 20 : 10 }
      #expect(InstanceCatalog.kubeReservedCPUMillicores(vcpu: vcpu) == (quarterMillicores + 3) / 4)
    }
    #expect(InstanceCatalog.kubeReservedCPUMillicores(vcpu: .max) > 0)
  }

  @Test("fractional GiB sizes become whole MiB: a 0.5 GiB type keeps its memory")
  func fractionalMemory() throws {
    let header = "name,vcpu,memory_gib,architecture,on_demand_usd_per_hour_us_east_1"
    let types = try InstanceCatalog.parseCSV("\(header)\nt3.nano,2,0.5,amd64,0.0052\nx.big,4,1.5,arm64,0.1\n")
    // 512 − ceil(512 × 0.075 = 38.4) = 473 MiB; 1536 − 64 = 1472, − ceil(110.4) = 111 → 1361 MiB.
    #expect(types[0].capacity[.memory] == Quantity(473 << 20))
    #expect(types[0].labels[WellKnownLabel.instanceMemory] == "512")
    #expect(types[1].capacity[.memory] == Quantity(1361 << 20))
    #expect(types[1].labels[WellKnownLabel.instanceMemory] == "1536")
    #expect(InstanceCatalog.memoryCapacityMiB(memoryMiB: 512, arch: "amd64", fraction: 0.075) == 473)
  }

  @Test("CSV errors name the row and column; spot prices come from the file when given")
  func csvErrors() throws {
    let header = "name,vcpu,memory_gib,architecture,on_demand_usd_per_hour_us_east_1,spot_usd_per_hour_us-east-1a"
    let types = try InstanceCatalog.parseCSV("\(header)\nx.large,2,8,amd64,0.1,0.03\n", options: .init(zones: ["us-east-1a"]))
    #expect(types.first?.offerings.first { $0.capacityType == .spot }?.price == 0.03)
    do {
      _ = try InstanceCatalog.parseCSV("\(header)\nx.large,,8,amd64,0.1,\n")
      Issue.record("expected an error")
    } catch {
      #expect(error.object == "catalogue row 2" && error.field == "vcpu" && error.kind == .missingField)
    }
    do {
      _ = try InstanceCatalog.parseCSV("name,vcpu\nx,1\n")
      Issue.record("expected an error")
    } catch {
      #expect(error.field == "header" && error.message.contains("memory_gib"))
    }
  }

  @Test("negative pod requests are rejected with the pod and field named")
  func negativeResources() throws {
    let pod = Pod(name: "bad", template: PodTemplate(containers: [Container(name: "c", requests: [.cpu: Quantity(milliValue: -5)])]))
    do {
      _ = try NodeAutoscaler().schedule(ClusterState(nodePools: [NodePool(name: "np")], pods: [pod]), now: .epoch)
      Issue.record("expected an error")
    } catch {
      #expect(error.kind == .negativeResource && error.object == "pod default/bad" && error.field.hasSuffix("cpu"))
    }
  }

  @Test("a NodePool with contradictory requirements is rejected")
  func contradictoryPool() throws {
    let pool = NodePool(
      name: "np",
      requirements: [
        try Requirement(key: "n", operator: .gt, values: ["5"]), try Requirement(key: "n", operator: .lt, values: ["3"]),
      ])
    #expect(throws: NodeAutoscalingError.self) { try pool.validate() }
  }
}

@Suite("Budget schedules")
struct CronTests {
  @Test("next hits for standard schedules")
  func nextHits() throws {
    // 2000-06-15T12:30:30Z (a Thursday).
    let now = Instant.seconds(961_072_230)
    #expect(try CronSchedule(parsing: "* * * * *").next(after: now) == .seconds(961_072_260))
    #expect(try CronSchedule(parsing: "0 9 * * 1-5").next(after: now) == .seconds(961_146_000))  // Friday 09:00
    #expect(try CronSchedule(parsing: "@weekly").next(after: now) == .seconds(961_286_400))  // Sunday 00:00
    #expect(try CronSchedule(parsing: "@yearly").next(after: now) == .seconds(978_307_200))  // 2001-01-01
    #expect(throws: NodeAutoscalingError.self) { try CronSchedule(parsing: "@wrongly") }
    #expect(throws: NodeAutoscalingError.self) { try CronSchedule(parsing: "61 * * * *") }
  }

  /// The `selector` fuzz target's first find: a budget with a duration of Int64.max ms at the
  /// epoch trapped (now − duration − 59,999 overflowed). Minute marks worked out by hand:
  /// ⌊Int64.max / 60,000⌋ = 153,722,867,280,912; ⌊Int64.min / 60,000⌋ = −153,722,867,280,913.
  @Test("instants and durations at the ends of Int64 neither trap nor wrap")
  func int64Limits() throws {
    let everyMinute = try CronSchedule(parsing: "* * * * *")
    // The minute after Int64.max ms is not representable.
    #expect(everyMinute.next(after: Instant(millisecondsSinceEpoch: .max)) == nil)
    // 120 s before the end: the next minute is mark 153,722,867,280,911.
    #expect(
      everyMinute.next(after: Instant(millisecondsSinceEpoch: .max - 120_000))
        == Instant(millisecondsSinceEpoch: 153_722_867_280_911 * 60_000))
    // From Int64.min, the first mark strictly after it: −153,722,867,280,912.
    #expect(
      everyMinute.next(after: Instant(millisecondsSinceEpoch: .min))
        == Instant(millisecondsSinceEpoch: -153_722_867_280_912 * 60_000))

    func active(_ schedule: String, at now: Int64, for duration: Int64) throws -> Bool {
      try DisruptionBudget(nodes: "0", schedule: schedule, durationMilliseconds: duration)
        .isActive(at: Instant(millisecondsSinceEpoch: now))
    }
    // The crasher: at the epoch, a window reaching back Int64.max ms holds quarter-hour marks.
    #expect(try active("*/15 * * * *", at: 0, for: .max))
    // A window of the minute before Int64.min + 5 ms holds the mark −153,722,867,280,913 × 60 s,
    // which lies below Int64.min: still active (the arithmetic is exact, not clamped).
    #expect(try active("* * * * *", at: .min + 5, for: 60_000))
    // Negative durations reach into the future: now − (−1 min) … now holds no mark ≤ now.
    #expect(try !active("* * * * *", at: 90_000, for: -60_000))
    #expect(try !active("* * * * *", at: .max, for: .min))
    // One hour at 10:30 of a "0 10 * * *" budget: active; at 11:30, not.
    #expect(try active("0 10 * * *", at: 37_800_000, for: 3_600_000))
    #expect(try !active("0 10 * * *", at: 41_400_000, for: 3_600_000))
  }
}
