import AutoscalingCore
import Foundation
import Testing
import VerticalAutoscaling
import _AutoscalingTestSupport

/// One upstream test vector, named after the Go test (and table case) it was transcribed from.
struct VPAVector: Sendable, CustomTestStringConvertible {
  let id: String
  let area: String
  let test: String
  let caseName: String?
  let json: JSONValue

  var testDescription: String {
    "\(test)\(caseName.map { " — \($0)" } ?? "") [\(id)]"
  }

  var given: JSONValue { json["given"] }
  var expected: JSONValue { json["expected"] }
  var steps: [JSONValue] { json["steps"].array }
}

/// Loads `Fixtures/vpa-vectors.json` and, when `AUTOSCALING_VPA_VECTORS` names a file of the
/// same schema, its cases too.
enum VPAVectors {
  struct File: Decodable {
    let vector_count: Int?
    let vectors: [JSONValue]
  }

  static let fixturePath = Fixtures.path("vpa-vectors.json")

  static let bundled: (count: Int?, vectors: [VPAVector]) = load(fixturePath)

  static let all: [VPAVector] = {
    var vectors = bundled.vectors
    if let extra = ProcessInfo.processInfo.environment["AUTOSCALING_VPA_VECTORS"], !extra.isEmpty {
      vectors += load(extra).vectors
    }
    return vectors
  }()

  static func load(_ path: String) -> (count: Int?, vectors: [VPAVector]) {
    guard let data = FileManager.default.contents(atPath: path),
      let file = try? JSONDecoder().decode(File.self, from: data)
    else { return (nil, []) }
    let vectors = file.vectors.map { json in
      VPAVector(
        id: json["id"].string ?? "?", area: json["area"].string ?? "?",
        test: json["source"]["test"].string ?? "?", caseName: json["source"]["case"].string,
        json: json)
    }
    return (file.vector_count, vectors)
  }
}

// MARK: - Decoding helpers

enum Given {
  static let base = Instant(millisecondsSinceEpoch: 1_700_000_000_000)

  static func instant(_ json: JSONValue) throws -> Instant {
    try Timestamp.parse(try #require(json.string, "timestamp"))
  }

  static func seconds(_ json: JSONValue) -> Duration {
    .milliseconds(Int64((json.double ?? 0) * 1000))
  }

  static func offset(_ instant: Instant, _ json: JSONValue) -> Instant {
    instant + seconds(json)
  }

  static func resourceList(_ json: JSONValue) -> ResourceList {
    var list = ResourceList()
    if let cpu = json["cpu"].int64 { list[.cpu] = Quantity(milliValue: cpu) }
    if let memory = json["memory"].int64 { list[.memory] = Quantity(memory, format: .binarySI) }
    if let milli = json["memory_milli"].int64 {
      list[.memory] = Quantity(nanoValue: Int128(milli) * 1_000_000)
    }
    return list
  }

  static func optionalQuantity(_ json: JSONValue, _ resource: RecommendedResource) -> Quantity? {
    json.isNull ? nil : resourceList(json)[resource.resourceName]
  }

  static func recommendations(_ json: JSONValue) -> [RecommendedContainerResources]? {
    guard case .array(let items) = json else { return nil }
    return items.map { item in
      RecommendedContainerResources(
        containerName: item["container_name"].string ?? "", target: resourceList(item["target"]),
        lowerBound: resourceList(item["lower_bound"]),
        upperBound: resourceList(item["upper_bound"]),
        uncappedTarget: resourceList(item["uncapped_target"]))
    }
  }

  static func pod(_ json: JSONValue, name: String = "pod", now: Instant = base) -> VPAPod {
    let containers = json["containers"].array.map { container in
      PodContainer(
        name: container["name"].string ?? "", requests: resourceList(container["requests"]),
        limits: resourceList(container["limits"]),
        statusResources: container["status_resources"].isNull
          ? nil
          : ResourceRequirements(
            requests: resourceList(container["status_resources"]["requests"]),
            limits: resourceList(container["status_resources"]["limits"])))
    }
    let statuses = json["container_statuses"].array.map { status in
      let termination = status["last_termination"]
      return ContainerStatus(
        name: status["name"].string ?? "",
        lastTermination: termination.isNull
          ? nil
          : ContainerTermination(
            reason: termination["reason"].string ?? "",
            startedAt: offset(now, termination["started_at_offset_s"]),
            finishedAt: offset(now, termination["finished_at_offset_s"])))
    }
    var annotations: [String: String] = [:]
    for (key, value) in json["annotations"].object { annotations[key] = value.string ?? "" }
    return VPAPod(
      name: json["name"].string ?? name, containers: containers, containerStatuses: statuses,
      annotations: annotations)
  }

  static func containerPolicy(_ json: JSONValue) -> ContainerResourcePolicy {
    ContainerResourcePolicy(
      containerName: json["container_name"].string ?? "",
      mode: json["mode"].string.flatMap(ContainerScalingMode.init(rawValue:)),
      minAllowed: resourceList(json["min_allowed"]), maxAllowed: resourceList(json["max_allowed"]),
      controlledResources: json.has("controlled_resources")
        ? json["controlled_resources"].array.compactMap {
          $0.string.flatMap(RecommendedResource.init(rawValue:))
        }
        : nil,
      controlledValues: json["controlled_values"].string.flatMap(
        ContainerControlledValues.init(rawValue:)),
      memoryAggregationIntervalSeconds: json["memory_aggregation_interval_seconds"].int64,
      memoryAggregationIntervalCount: json["memory_aggregation_interval_count"].int)
  }

  static func resourcePolicy(_ json: JSONValue) -> PodResourcePolicy? {
    json.isNull
      ? nil
      : PodResourcePolicy(containerPolicies: json["container_policies"].array.map(containerPolicy))
  }

  static func limitRange(_ json: JSONValue) -> LimitRangeItem? {
    json.isNull
      ? nil
      : LimitRangeItem(
        min: resourceList(json["min"]), max: resourceList(json["max"]),
        default: resourceList(json["default"]))
  }

  static func options(_ json: JSONValue) throws -> HistogramOptions {
    if json["type"].string == "linear" {
      return try HistogramOptions(
        linearMaxValue: json["max_value"].double ?? 0, bucketSize: json["bucket_size"].double ?? 0,
        epsilon: json["epsilon"].double ?? 0)
    }
    return try HistogramOptions(
      exponentialMaxValue: json["max_value"].double ?? 0,
      firstBucketSize: json["first_bucket_size"].double ?? 0, ratio: json["ratio"].double ?? 0,
      epsilon: json["epsilon"].double ?? 0)
  }

  static func priority(_ json: JSONValue) -> PodPriority {
    PodPriority(
      outsideRecommendedRange: json["outside_recommended_range"].bool ?? false,
      scaleUp: json["scale_up"].bool ?? false, resourceDiff: json["resource_diff"].double ?? 0)
  }
}

/// Compares with the vector's tolerance (`relative` as testify `InEpsilon`, `absolute` as
/// `InDelta`), exactly without one.
func expectClose(
  _ actual: Double, _ expected: Double, _ tolerance: JSONValue, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  if let relative = tolerance["relative"].double {
    #expect(
      (actual - expected).magnitude <= relative * expected.magnitude,
      "\(what): \(actual) vs \(expected)",
      sourceLocation: sourceLocation)
  } else if let absolute = tolerance["absolute"].double {
    #expect(
      (actual - expected).magnitude <= absolute, "\(what): \(actual) vs \(expected)",
      sourceLocation: sourceLocation)
  } else {
    #expect(actual == expected, "\(what)", sourceLocation: sourceLocation)
  }
}

/// Asserts that a recommendation list matches the vector's expected list: same containers in
/// the same order, and every field equal (a field missing from the vector must be empty).
func expectRecommendations(
  _ actual: [RecommendedContainerResources]?, _ expected: JSONValue,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let expectedList = Given.recommendations(expected) else {
    #expect(actual == nil, "expected no recommendation", sourceLocation: sourceLocation)
    return
  }
  guard let actual else {
    Issue.record("expected a recommendation, got nil", sourceLocation: sourceLocation)
    return
  }
  #expect(
    actual.map(\.containerName) == expectedList.map(\.containerName), "containers",
    sourceLocation: sourceLocation)
  for (actualItem, expectedItem) in zip(actual, expectedList) {
    #expect(
      actualItem.target == expectedItem.target, "\(expectedItem.containerName) target",
      sourceLocation: sourceLocation)
    #expect(
      actualItem.lowerBound == expectedItem.lowerBound, "\(expectedItem.containerName) lowerBound",
      sourceLocation: sourceLocation)
    #expect(
      actualItem.upperBound == expectedItem.upperBound, "\(expectedItem.containerName) upperBound",
      sourceLocation: sourceLocation)
    #expect(
      actualItem.uncappedTarget == expectedItem.uncappedTarget,
      "\(expectedItem.containerName) uncappedTarget", sourceLocation: sourceLocation)
  }
}
