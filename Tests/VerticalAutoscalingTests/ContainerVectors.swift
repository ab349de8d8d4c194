import AutoscalingCore
import Testing
import _AutoscalingTestSupport
import VerticalAutoscaling

/// Records histogram calls, as upstream's mocks do.
struct RecordingSink: ContainerUsageSink {
  struct Call: Hashable, CustomStringConvertible {
    var histogram: String
    var call: String
    var value: Double
    var weight: Double
    var time: Instant
    var description: String {
      "\(histogram).\(call)(\(value), w=\(weight), \(Timestamp.format(time)))"
    }
  }
  var calls: [Call] = []

  mutating func addCPUUsage(cores: Double, weight: Double, at time: Instant) {
    calls.append(Call(histogram: "cpu", call: "add", value: cores, weight: weight, time: time))
  }
  mutating func addMemoryPeak(bytes: Double, weight: Double, at time: Instant) {
    calls.append(Call(histogram: "memory", call: "add", value: bytes, weight: weight, time: time))
  }
  mutating func subtractMemoryPeak(bytes: Double, weight: Double, at time: Instant) {
    calls.append(
      Call(histogram: "memory", call: "subtract", value: bytes, weight: weight, time: time))
  }
}

enum ContainerVectors {
  static func configuration(_ given: JSONValue) -> AggregationConfiguration {
    var configuration = AggregationConfiguration()
    if let ratio = given["oom_bump_up_ratio"].double { configuration.oomBumpUpRatio = ratio }
    if let bytes = given["oom_min_bump_up_bytes"].double { configuration.oomMinBumpUpBytes = bytes }
    if given["memory_aggregation_interval_s"].exists {
      configuration.memoryAggregationInterval = Given.seconds(
        given["memory_aggregation_interval_s"])
    }
    if let count = given["memory_aggregation_interval_count"].int {
      configuration.memoryAggregationIntervalCount = count
    }
    if given["cpu_half_life_s"].exists {
      configuration.cpuHistogramDecayHalfLife = Given.seconds(given["cpu_half_life_s"])
    }
    if given["memory_half_life_s"].exists {
      configuration.memoryHistogramDecayHalfLife = Given.seconds(given["memory_half_life_s"])
    }
    return configuration
  }

  /// Container-state vectors: samples and OOMs against a recording sink.
  static func run(_ vector: VPAVector) throws {
    let given = vector.given
    let base = try Given.instant(given["base_time"])
    let request = Given.resourceList(given["request"])
    var state = ContainerState(
      cpuRequestMillicores: request[.cpu]?.milliValue ?? 0,
      memoryRequestBytes: request[.memory]?.value ?? 0,
      configuration: configuration(given))
    var sink = RecordingSink()
    for step in vector.steps {
      let args = step["args"]
      let time = Given.offset(base, args["time_offset_s"])
      switch step["op"].string {
      case "add_sample":
        let resource = try #require(
          args["resource"].string.flatMap(RecommendedResource.init(rawValue:)))
        let outcome = state.addSample(
          ContainerUsageSample(
            measureStart: time, usage: try #require(args["usage"].int64), resource: resource),
          to: &sink)
        #expect(outcome.isAccepted == step["expect"]["accepted"].bool, "\(args)")
      case "record_oom":
        var failed = false
        do {
          try state.recordOOM(
            at: time, requestedMemoryBytes: try #require(args["requested_memory"].int64), to: &sink)
        } catch {
          failed = true
        }
        #expect(failed == step["expect"]["error"].bool, "record_oom \(args)")
      default: Issue.record("unknown step \(step["op"])")
      }
    }
    var expectedCalls: [RecordingSink.Call] = []
    for call in vector.expected["histogram_calls"].array {
      expectedCalls.append(
        RecordingSink.Call(
          histogram: call["histogram"].string ?? "", call: call["call"].string ?? "",
          value: call["value"].double ?? .nan, weight: call["weight"].double ?? .nan,
          time: Given.offset(base, call["time_offset_s"])))
    }
    // A mock fails on any call it does not expect: every actual call must be listed.
    var remaining = expectedCalls
    for call in sink.calls {
      if let index = remaining.firstIndex(of: call) {
        remaining.remove(at: index)
      } else {
        Issue.record("unexpected histogram call \(call)")
      }
    }
    if vector.expected["calls_completeness_asserted"].bool == true {
      #expect(remaining.isEmpty, "expected calls not made: \(remaining)")
    }
    // Listed calls that were not made at all are failures too (mock expectations).
    #expect(remaining.isEmpty, "expected calls not made: \(remaining)")
  }

  /// Aggregate-state vectors.
  static func runAggregate(_ vector: VPAVector) throws {
    let given = vector.given
    let expected = vector.expected
    if vector.id == "aggregate.by_container_name" {
      let config = configuration(given["config"])
      let time = try Given.instant(given["sample_time"])
      var merged: [String: AggregateContainerState] = [:]
      var expectedCPU: [String: DecayingHistogram] = [:]
      var expectedMemory: [String: DecayingHistogram] = [:]
      for container in given["containers"].array {
        let name = try #require(container["name"].string)
        let cores = try #require(container["cpu_cores"].double)
        let bytes = try #require(container["memory_bytes"].double)
        var aggregate = AggregateContainerState(configuration: config, creationTime: time)
        var state = ContainerState(configuration: config)
        state.addSample(.cpu(millicores: Int64(cores * 1000), at: time), to: &aggregate)
        state.addSample(.memory(bytes: Int64(bytes), at: time), to: &aggregate)
        var target =
          merged[name] ?? AggregateContainerState(configuration: config, creationTime: time)
        try target.merge(aggregate)
        merged[name] = target
        // Independent expectation: the samples added straight into fresh histograms.
        var cpu =
          try expectedCPU[name]
          ?? DecayingHistogram(options: .vpaCPU, halfLife: config.cpuHistogramDecayHalfLife)
        try cpu.addSample(cores, weight: 0.1, at: time)
        expectedCPU[name] = cpu
        var memory =
          try expectedMemory[name]
          ?? DecayingHistogram(options: .vpaMemory, halfLife: config.memoryHistogramDecayHalfLife)
        try memory.addSample(bytes, weight: 1, at: time + config.memoryAggregationInterval)
        expectedMemory[name] = memory
      }
      #expect(merged.keys.sorted() == expected["keys"].array.compactMap(\.string))
      for (name, count) in expected["total_samples_count"].object {
        #expect(merged[name]?.totalSamplesCount == count.int, "\(name) count")
        let aggregate = try #require(merged[name])
        #expect(
          aggregate.cpuUsage.isApproximatelyEqual(to: try #require(expectedCPU[name])),
          "\(name) cpu")
        #expect(
          aggregate.memoryPeaks.isApproximatelyEqual(to: try #require(expectedMemory[name])),
          "\(name) memory")
      }
      return
    }
    if vector.id == "aggregate.checkpoint.load" {
      let checkpoint = given["checkpoint"]
      func histogram(_ json: JSONValue) throws -> HistogramCheckpoint {
        var result = HistogramCheckpoint(totalWeight: json["total_weight"].double ?? 0)
        for (key, value) in json["bucket_weights"].object {
          result.bucketWeights[try #require(Int(key))] = UInt32(try #require(value.int64))
        }
        return result
      }
      let status = VerticalPodAutoscalerCheckpointStatus(
        version: checkpoint["version"].string ?? "",
        cpuHistogram: try histogram(checkpoint["cpu_histogram"]),
        memoryHistogram: try histogram(checkpoint["memory_histogram"]),
        firstSampleStart: try Given.instant(checkpoint["first_sample_start"]),
        lastSampleStart: try Given.instant(checkpoint["last_sample_start"]),
        totalSamplesCount: checkpoint["total_samples_count"].int ?? 0)
      var aggregate = AggregateContainerState(creationTime: Given.base)
      var failed = false
      do { try aggregate.load(status) } catch { failed = true }
      #expect(failed == expected["error"].bool)
      #expect(aggregate.firstSampleStart == (try Given.instant(expected["first_sample_start"])))
      #expect(aggregate.lastSampleStart == (try Given.instant(expected["last_sample_start"])))
      #expect(aggregate.totalSamplesCount == expected["total_samples_count"].int)
      #expect(aggregate.cpuUsage.isEmpty == expected["cpu_histogram_is_empty"].bool)
      #expect(aggregate.memoryPeaks.isEmpty == expected["memory_histogram_is_empty"].bool)
      return
    }
    if vector.id.hasPrefix("aggregate.is_expired") {
      let config = configuration(given["config"])
      let reference = try Given.instant(given["reference_time"])
      for step in vector.steps {
        let args = step["args"]
        let now = Given.offset(reference, args["now_offset_s"])
        var aggregate: AggregateContainerState
        if args["state"].string == "empty" {
          aggregate = AggregateContainerState(
            configuration: config,
            creationTime: Given.offset(reference, args["creation_time_offset_s"]))
        } else {
          aggregate = AggregateContainerState(configuration: config, creationTime: reference)
          aggregate.addCPUUsage(
            cores: 1, weight: 0.1, at: Given.offset(reference, args["last_sample_start_offset_s"]))
        }
        #expect(aggregate.isExpired(at: now) == step["expect"]["value"].bool, "\(args)")
      }
      return
    }
    // aggregate.update_from_policy.*
    let policyJSON = given["container_policy"]
    let policy = policyJSON.isNull ? nil : Given.containerPolicy(policyJSON)
    var defaults = AggregationConfiguration()
    if given["default_interval_s"].exists {
      defaults.memoryAggregationInterval = Given.seconds(given["default_interval_s"])
    }
    if let count = given["default_count"].int { defaults.memoryAggregationIntervalCount = count }
    var aggregate = AggregateContainerState(creationTime: Given.base)
    aggregate.update(
      from: policy, defaults: defaults,
      perVPAConfig: given["feature_gate_PerVPAConfig"].bool ?? false)
    if let mode = expected["scaling_mode"].string {
      #expect(aggregate.scalingMode.rawValue == mode)
    }
    if expected.has("controlled_resources") {
      #expect(
        aggregate.controlledResources.map(\.rawValue)
          == expected["controlled_resources"].array.compactMap(\.string))
    }
    if expected["memory_aggregation_interval_s"].exists {
      #expect(
        aggregate.configuration.memoryAggregationInterval
          == Given.seconds(expected["memory_aggregation_interval_s"]))
    }
    if let count = expected["memory_aggregation_interval_count"].int {
      #expect(aggregate.configuration.memoryAggregationIntervalCount == count)
    }
  }
}
