import AutoscalingTraces
import Foundation
import Testing
import _AutoscalingTestSupport

/// Mutates text with edits biased towards the characters that matter to YAML, JSON and CSV.
private func mutate(_ text: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
  let alphabet = Array(" \t\n\r-:#'\"[]{},|>&*!?%@`\\.0123456789eE+aZ;".utf8)
  var bytes = text
  for _ in 0..<Int.random(in: 1...8, using: &generator) {
    let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
    switch Int.random(in: 0..<4, using: &generator) {
    case 0 where !bytes.isEmpty: bytes.remove(at: position)
    case 1: bytes.insert(alphabet.randomElement(using: &generator) ?? 32, at: position)
    case 2 where !bytes.isEmpty:
      bytes[position] = alphabet.randomElement(using: &generator) ?? 32
    default:
      bytes = Array(bytes.prefix(position))  // truncate
    }
  }
  return bytes
}

@Suite struct FuzzTests {
  // Property: no input makes a reader trap; each either decodes or throws its typed error.
  // (A crash would end the test process, so reaching the end is the assertion; the counts
  // check that both outcomes were exercised.)

  static let yamlSeed = """
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: web, labels: {"a b": 'c''d'}}
    spec:
      scaleTargetRef: {kind: Deployment, name: web}
      maxReplicas: 10
      metrics:
        - type: Pods
          pods:
            metric: {name: rps}
            target: {type: AverageValue, averageValue: "100"}
      behavior:
        scaleUp:
          policies: [{type: Pods, value: 4, periodSeconds: 15}]
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: c}
    data:
      config.yaml: |-
        version: v1
        sharing:
          timeSlicing:
            resources: [{name: nvidia.com/gpu, replicas: 4}]
      note: >
        folded
        "text"\u{20}
    """

  @Test func manifestsNeverTrap() {
    var generator = SplitMix64(seed: 42)
    let seeds = [
      Array(Self.yamlSeed.utf8),
      Array(
        #"{"kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}}]}"#
          .utf8),
    ]
    var decoded = 0
    var rejected = 0
    for iteration in 0..<3_000 {
      let input = mutate(seeds[iteration % seeds.count], using: &generator)
      do {
        _ = try ManifestLoader.decode(input, file: "fuzz.yaml")
        decoded += 1
      } catch {
        #expect(!error.description.isEmpty)
        rejected += 1
      }
    }
    #expect(decoded > 0 && rejected > 0)
  }

  @Test func tracesNeverTrap() {
    var generator = SplitMix64(seed: 43)
    let csv = Array("timestamp,v,w\n0,1.5,2\n15,2e3,3\n30,\"4\",5\n45,0.25,6\n".utf8)
    let json =
      (try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("prometheus-range.json"))))
      .map { Array($0) } ?? []
    var outcomes = [0, 0]
    for _ in 0..<3_000 {
      let mutatedCSV = mutate(csv, using: &generator)
      for options in [
        CSVOptions(), CSVOptions(grouping: .fold(aggregation: .mean, key: nil)),
        CSVOptions(
          policies: .init(
            invalidValues: .skipRow, negativeValues: .keep, order: .sort, duplicates: .keepLast)),
      ] {
        do {
          _ = try TraceReader.readCSV(bytes: mutatedCSV, file: "fuzz.csv", options: options)
          outcomes[0] += 1
        } catch {
          outcomes[1] += 1
        }
      }
      do {
        _ = try TraceReader.readPrometheus(
          bytes: mutate(json, using: &generator), file: "fuzz.json",
          options: .init(grouping: .split(key: "pod", aggregation: .mean, fill: .zero)))
        outcomes[0] += 1
      } catch {
        outcomes[1] += 1
      }
    }
    #expect(outcomes[0] > 0 && outcomes[1] > 0)
  }
}
