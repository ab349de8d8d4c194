import Foundation
import Testing
import _AutoscalingTestSupport

/// `autoscale pack`, `consolidate` and `nodes` end to end (the binary built beside the tests).
@Suite("autoscale node commands")
struct NodeCommandLineTests {
  static let manifests = Fixtures.sharedPath("manifests")

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static func write(_ text: String, _ name: String) throws -> String {
    let path = CommandLineTests.temporaryPath(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// ml-model (3 replicas × 1 cpu, 2Gi) on spot-nodepool.yaml: one m5.xlarge (4 vCPU, the
  /// cheapest allowed type that holds 3 cpu) as spot at 0.7 × 0.192 USD/h.
  // The seed manifests of ../shared; skipped in a checkout without that folder.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: NodeCommandLineTests.manifests), "needs ../shared/manifests"))
  func packPlacesTheDeploymentOnOneSpotNode() throws {
    let result = try CommandLineTests.run([
      "pack", "--nodepool", "\(Self.manifests)/spot-nodepool.yaml", "--pods", "\(Self.manifests)/ml-model-deployment.yaml",
      "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.json(result.stdout)
    let nodes = try #require(report["nodes"] as? [[String: Any]])
    #expect(nodes.count == 1)
    #expect(nodes.first?["instanceType"] as? String == "m5.xlarge")
    #expect(nodes.first?["capacityType"] as? String == "spot")
    // The summed requests, 3 × (1 cpu, 2Gi), print in the units they were written in.
    let requests = try #require(nodes.first?["requests"] as? [String: String])
    #expect(requests["cpu"] == "3")
    #expect(requests["memory"] == "6Gi")
    #expect(abs((report["launchPricePerHour"] as? Double ?? 0) - 0.192 * 0.7) < 1e-9)
    #expect((report["bindings"] as? [Any])?.count == 3)
    #expect((report["pending"] as? [Any])?.isEmpty == true)
  }

  /// The GPU training Job wants an A100-80GB that neither pool offers: pending, naming the label.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: NodeCommandLineTests.manifests), "needs ../shared/manifests"))
  func packExplainsPendingPods() throws {
    let result = try CommandLineTests.run([
      "pack", "--nodepool", "\(Self.manifests)/gpu-nodepool.yaml", "--nodepool=\(Self.manifests)/spot-nodepool.yaml",
      "--pods", "\(Self.manifests)/gpu-training-job.yaml",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("0 new node(s)"))
    #expect(result.stdout.contains("pending:"))
    #expect(result.stdout.contains("no instance type met requirement nvidia.com/gpu.product In [NVIDIA-A100-SXM4-80GB]"))

    let missing = try CommandLineTests.run(["pack", "--nodepool", "/nonexistent.yaml", "--pods", "x.yaml"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("x.yaml does not exist") || missing.stderr.contains("/nonexistent.yaml does not exist"))
  }

  static let state = """
    {
      "now": 7200,
      "nodePools": [
        {"manifest": {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "od"},
          "spec": {"template": {"spec": {"requirements": [{"key": "karpenter.sh/capacity-type",
            "operator": "In", "values": ["on-demand"]}],
            "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"}}},
            "disruption": {"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "30s"}}}}
      ],
      "nodes": [
        {"name": "a", "nodePool": "od", "instanceType": "m5.2xlarge", "zone": "us-east-1a", "capacityType": "on-demand"},
        {"name": "b", "nodePool": "od", "instanceType": "m5.2xlarge", "zone": "us-east-1a", "capacityType": "on-demand"},
        {"name": "c", "nodePool": "od", "instanceType": "INSTANCE", "zone": "us-east-1b", "capacityType": "on-demand"}
      ],
      "pods": [
        {"name": "web-0", "node": "a", "requests": {"cpu": "1", "memory": "2Gi"}, "labels": {"app": "web"}},
        {"name": "web-1", "node": "b", "requests": {"cpu": "1", "memory": "2Gi"}, "labels": {"app": "web"}}
      ]
    }
    """

  /// Node c (m5.xlarge, 0.192 USD/h) is empty: Emptiness deletes it first, validated 15 s later.
  @Test func consolidateDeletesTheEmptyNode() throws {
    let path = try Self.write(Self.state.replacingOccurrences(of: "INSTANCE", with: "m5.xlarge"), "state.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try CommandLineTests.run(["consolidate", "--state", path, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.json(result.stdout)
    #expect(report["method"] as? String == "Emptiness")
    #expect(report["decision"] as? String == "Delete")
    #expect(report["candidates"] as? [String] == ["c"])
    #expect(abs((report["savingsPerHour"] as? Double ?? 0) - 0.192) < 1e-9)
    #expect(report["validateAtSeconds"] as? Double == 7_215)

    let text = try CommandLineTests.run(["consolidate", "--state", path])
    #expect(text.stdout.hasPrefix("Emptiness: Delete c (reason Empty)"))
  }

  @Test func consolidateNamesBadFields() throws {
    let path = try Self.write(Self.state.replacingOccurrences(of: "INSTANCE", with: "m9.huge"), "bad-state.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try CommandLineTests.run(["consolidate", "--state", path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("nodes[2] (c).instanceType: \"m9.huge\" is not in the catalogue"))
    let help = try CommandLineTests.run(["consolidate", "--help"])
    #expect(help.stdout.contains("\"podDisruptionBudgets\""))
  }

  /// One pod (1 cpu, 0 s → 3 600 s) in the Alibaba GPU 2023 layout on an m5.large pool: batch
  /// closes at 1 s, node ready at 61 s; the replay ends 1 ms after the last event (3 600.001 s),
  /// before the empty node's deletion is validated (3 615 s): billed 1 s → 3 600.001 s.
  @Test func nodesReplaysAnEventTrace() throws {
    let trace = try Self.write(
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
        + "p1,1000,0,0,0,,LS,Running,0,3600,0\n", "pods.csv")
    let pool = try Self.write(
      """
      apiVersion: karpenter.sh/v1
      kind: NodePool
      metadata:
        name: small
      spec:
        template:
          spec:
            requirements:
              - {key: node.kubernetes.io/instance-type, operator: In, values: ["m5.large"]}
              - {key: karpenter.sh/capacity-type, operator: In, values: ["on-demand"]}
              - {key: topology.kubernetes.io/zone, operator: In, values: ["us-east-1a"]}
            nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
        disruption:
          consolidationPolicy: WhenEmpty
          consolidateAfter: 0s
      """, "pool.yaml")
    defer {
      try? FileManager.default.removeItem(atPath: trace)
      try? FileManager.default.removeItem(atPath: pool)
    }
    let result = try CommandLineTests.run(["nodes", "--nodepool", pool, "--pods-trace", trace, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let card = try Self.json(result.stdout)
    let hours = (3_600.001 - 1) / 3_600
    #expect(abs((card["nodeHours"] as? Double ?? 0) - hours) < 1e-9)
    #expect(abs((card["costDollars"] as? Double ?? 0) - hours * 0.096) < 1e-9)
    #expect(card["nodeLaunches"] as? Int == 1)
    #expect(card["nodeTerminations"] as? Int == 0)
    #expect(abs((card["pendingPodSeconds"] as? Double ?? 0) - 61) < 1e-9)

    let slower = try CommandLineTests.run([
      "nodes", "--nodepool", pool, "--pods-trace", trace, "--launch-latency", "2m", "--batch-idle=2s", "--json",
    ])
    #expect(abs((try Self.json(slower.stdout)["pendingPodSeconds"] as? Double ?? 0) - 122) < 1e-9)

    let bad = try CommandLineTests.run(["nodes", "--nodepool", pool, "--pods-trace", trace, "--consolidation", "Never"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--consolidation expects WhenEmpty or WhenEmptyOrUnderutilized"))
  }

  /// `autoscale replay --nodepool`: the web-api replicas of the step trace on the bundled
  /// NodePool (m5/m6i/c6i large and xlarge, spot first). Every node costs between the cheapest
  /// spot price (0.7 × 0.096 USD/h) and the dearest on-demand price (0.192 USD/h) per hour, so
  /// cost ÷ node-hours lies in that range; the scale-up needs new nodes.
  @Test func replayAddsTheNodeScorecard() throws {
    let pool = Fixtures.repositoryPath("Traces/manifests/web-api-nodepool.yaml")
    let base = [
      "replay", "--hpa", CommandLineTests.hpa, "--workload", CommandLineTests.deployment, "--trace", CommandLineTests.trace,
      "--nodepool", pool,
    ]
    let result = try CommandLineTests.run(base + ["--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.json(result.stdout)
    #expect(report["replicaSeconds"] != nil, "the HPA scorecard keys stay at the top level")
    let nodes = try #require(report["nodes"] as? [String: Any])
    let hours = try #require(nodes["nodeHours"] as? Double)
    let cost = try #require(nodes["costDollars"] as? Double)
    #expect((nodes["nodeLaunches"] as? Int ?? 0) >= 2)
    #expect(hours > 0)
    #expect(cost / hours >= 0.7 * 0.096 - 1e-9 && cost / hours <= 0.192 + 1e-9)
    let allocation = try #require(nodes["meanCpuAllocation"] as? Double)
    #expect(allocation > 0 && allocation <= 1)

    let text = try CommandLineTests.run(base)
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("nodes (Karpenter: web-api-pool"))
    #expect(text.stdout.contains("costDollars"))

    let help = try CommandLineTests.run(["replay", "--help"])
    #expect(help.stdout.contains("--nodepool FILE"))
    #expect(help.stdout.contains("--instance-types FILE.csv"))
    let lonely = try CommandLineTests.run(
      ["replay", "--hpa", CommandLineTests.hpa, "--workload", CommandLineTests.deployment, "--trace", CommandLineTests.trace,
       "--instance-types", "x.csv"])
    #expect(lonely.status == 1)
    #expect(lonely.stderr.contains("--instance-types needs --nodepool"))
  }
}
