import AutoscalingCore
import AutoscalingTraces
import Foundation
import Testing
import _AutoscalingTestSupport

/// The shared manifests folder, or `nil` when it is not present (tests then skip).
func sharedManifestPath(_ name: String) -> String? {
  let path = Fixtures.sharedPath("manifests/\(name)")
  return FileManager.default.fileExists(atPath: path) ? path : nil
}

func quantity(_ text: String) -> Quantity {
  (try? Quantity(parsing: text)) ?? .zero
}

@Suite struct SharedManifestTests {
  // Expected values read off the files in ../shared/manifests by eye.

  @Test func everySharedManifestLoads() throws {
    let directory = Fixtures.sharedPath("manifests")
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return  // the shared folder is absent: nothing to check
    }
    #expect(!names.isEmpty)
    for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".json") {
      let file = try ManifestLoader.load(path: "\(directory)/\(name)")
      #expect(!file.items.isEmpty, "\(name) has no objects")
    }
  }

  @Test func mlModelHPA() throws {
    guard let path = sharedManifestPath("ml-model-hpa.yaml") else { return }
    let hpa = try #require(try ManifestLoader.load(path: path).horizontalPodAutoscalers.first)
    #expect(hpa.name == "ml-model-hpa")
    #expect(
      hpa.scaleTargetRef == .init(kind: "Deployment", name: "ml-model", apiVersion: "apps/v1"))
    #expect(hpa.minReplicas == 2)
    #expect(hpa.maxReplicas == 20)
    #expect(
      hpa.metrics == [
        .resource(name: .cpu, target: .init(type: .utilization, averageUtilization: 70)),
        .resource(name: .memory, target: .init(type: .utilization, averageUtilization: 80)),
        .pods(
          metric: .init(name: "requests_per_second"),
          target: .init(type: .averageValue, averageValue: quantity("100"))),
      ])
    let behavior = try #require(hpa.behavior)
    #expect(behavior.scaleDown.stabilizationWindowSeconds == 300)
    #expect(behavior.scaleDown.policies == [.init(type: .percent, value: 10, periodSeconds: 60)])
    #expect(behavior.scaleDown.selectPolicy == .max)  // defaulted
    #expect(behavior.scaleUp.stabilizationWindowSeconds == 0)
    #expect(behavior.scaleUp.policies == [.init(type: .percent, value: 100, periodSeconds: 15)])
  }

  @Test func mlModelDeployment() throws {
    guard let path = sharedManifestPath("ml-model-deployment.yaml") else { return }
    let deployment = try #require(try ManifestLoader.load(path: path).workloads.first)
    #expect(deployment.kind == .deployment)
    #expect(deployment.name == "ml-model")
    #expect(deployment.replicas == 3)
    #expect(deployment.selector == LabelSelector(matchLabels: ["app": "ml-model"]))
    #expect(deployment.template.labels == ["app": "ml-model"])
    let container = try #require(deployment.template.containers.first)
    #expect(container.name == "model")
    #expect(container.requests == [.cpu: quantity("1"), .memory: quantity("2Gi")])
    #expect(container.limits == [.cpu: quantity("2"), .memory: quantity("4Gi")])
  }

  @Test func gpuTrainingJobDefaultsRequestsFromLimits() throws {
    guard let path = sharedManifestPath("gpu-training-job.yaml") else { return }
    let job = try #require(try ManifestLoader.load(path: path).workloads.first)
    #expect(job.kind == .job)
    #expect(job.replicas == 1)
    let container = try #require(job.template.containers.first)
    let expected: ResourceList = [
      .nvidiaGPU: quantity("1"), .memory: quantity("32Gi"), .cpu: quantity("8"),
    ]
    #expect(container.limits == expected)
    #expect(container.requests == expected)
    #expect(job.template.nodeSelector == ["nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"])
    #expect(
      job.template.tolerations == [
        Toleration(key: "nvidia.com/gpu", operator: .exists, effect: .noSchedule)
      ])
  }

  @Test func gpuAffinityPod() throws {
    guard let path = sharedManifestPath("gpu-affinity-pod.yaml") else { return }
    let pod = try #require(try ManifestLoader.load(path: path).workloads.first)
    #expect(pod.kind == .pod)
    #expect(
      pod.template.requiredNodeAffinity == [
        NodeSelectorTerm(matchExpressions: [
          NodeSelectorRequirement(key: "nvidia.com/gpu.memory", operator: .gt, values: ["40000"])
        ])
      ])
  }

  @Test func pytorchStatefulSet() throws {
    guard let path = sharedManifestPath("pytorch-distributed.yaml") else { return }
    let set = try #require(try ManifestLoader.load(path: path).workloads.first)
    #expect(set.kind == .statefulSet)
    #expect(set.replicas == 4)
    #expect(set.template.containers.first?.requests[.nvidiaGPU] == quantity("1"))
  }

  @Test func gpuNodePoolV1beta1() throws {
    guard let path = sharedManifestPath("gpu-nodepool.yaml") else { return }
    let file = try ManifestLoader.load(path: path)
    #expect(file.items.count == 2)
    #expect(file.items[1].document == 2)
    #expect(
      file.items[1].manifest
        == .other(
          apiVersion: "karpenter.k8s.aws/v1beta1", kind: "EC2NodeClass", name: "gpu-node-class"))
    let pool = try #require(file.nodePools.first)
    #expect(pool.apiVersion == "karpenter.sh/v1beta1")
    #expect(pool.consolidationPolicy == .whenEmpty)
    #expect(pool.consolidateAfter == .milliseconds(300_000))
    #expect(
      pool.limits == [
        .cpu: quantity("1000"), .memory: quantity("4000Gi"), .nvidiaGPU: quantity("100"),
      ])
    #expect(pool.taints == [Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule)])
    #expect(pool.requirements.count == 3)
    #expect(pool.requirements[0].values == ["g5.xlarge", "g5.2xlarge", "g5.4xlarge"])
    #expect(pool.nodeClassRef?.name == "gpu-node-class")
    #expect(pool.budgets == [.init(nodes: "10%")])
    #expect(pool.expireAfter == .milliseconds(720 * 3_600_000))
  }

  @Test func spotNodePoolSaysWhichRuleApplied() throws {
    guard let path = sharedManifestPath("spot-nodepool.yaml") else { return }
    let pool = try #require(try ManifestLoader.load(path: path).nodePools.first)
    #expect(pool.consolidationPolicy == .whenEmptyOrUnderutilized)
    #expect(pool.consolidateAfter == .milliseconds(30_000))
    #expect(pool.notes.contains { $0.contains("WhenUnderutilized read as karpenter.sh/v1") })
    #expect(pool.notes.contains { $0.contains("applied the karpenter.sh/v1 rule") })
  }

  @Test func timeSlicingConfigMap() throws {
    guard let path = sharedManifestPath("gpu-time-slicing.yaml") else { return }
    let config = try #require(try ManifestLoader.load(path: path).timeSlicingConfigs.first)
    #expect(config.configMapName == "nvidia-device-plugin-config")
    #expect(config.namespace == "kube-system")
    #expect(config.key == "config.yaml")
    #expect(config.resources == [.init(name: .nvidiaGPU, replicas: 4)])
    #expect(config.replicas(of: .nvidiaGPU) == 4)
  }

  @Test func mlModelVPA() throws {
    guard let path = sharedManifestPath("ml-model-vpa.yaml") else { return }
    let vpa = try #require(try ManifestLoader.load(path: path).verticalPodAutoscalers.first)
    #expect(vpa.updateMode == .auto)
    #expect(vpa.targetRef.name == "ml-model")
    #expect(vpa.policy(for: "model").controlledResources == [.cpu, .memory])
  }
}
