import AutoscalingCore
import AutoscalingTraces
import HorizontalAutoscaling
import NodeAutoscaling
import Testing
import VerticalAutoscaling

@Suite struct DecisionMappingTests {
  // Expected values read off ../shared/manifests by eye; defaults from specs/hpa.md §2.2.

  @Test func hpaSpecFromSharedManifest() throws {
    guard let path = sharedManifestPath("ml-model-hpa.yaml") else { return }
    let manifest = try #require(try ManifestLoader.load(path: path).horizontalPodAutoscalers.first)
    let spec = try manifest.spec()
    #expect(spec.minReplicas == 2)
    #expect(spec.maxReplicas == 20)
    #expect(
      spec.metrics == [
        .resource(.cpu, target: .utilization(70)), .resource(.memory, target: .utilization(80)),
        .pods("requests_per_second", target: .averageValue(Quantity(100))),
      ])
    let behavior = try #require(spec.behavior)
    #expect(behavior.scaleDown?.stabilizationWindow == .seconds(300))
    #expect(behavior.scaleDown?.policies == [.percent(10, per: .seconds(60))])
    #expect(behavior.scaleUp?.stabilizationWindow == .zero)
    #expect(behavior.scaleUp?.selectPolicy == .max)
  }

  @Test func hpaValidationErrorsNameTheField() throws {
    let manifest = try #require(
      try ManifestLoader.decode(
        text: """
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: {name: web}
          spec:
            scaleTargetRef: {kind: Deployment, name: web}
            maxReplicas: 4
            behavior:
              scaleUp: {tolerance: "0.05"}
          """
      ).horizontalPodAutoscalers.first)
    #expect(throws: Never.self) { try manifest.spec() }
    do {
      _ = try manifest.spec(featureGates: FeatureGates(configurableTolerance: false))
      Issue.record("expected the tolerance to be rejected with the gate off")
    } catch {
      #expect(error.path == "spec.behavior.scaleUp.tolerance")
    }
  }

  @Test func sharedNodePoolsMapAndValidate() throws {
    guard let gpuPath = sharedManifestPath("gpu-nodepool.yaml"),
      let spotPath = sharedManifestPath("spot-nodepool.yaml")
    else { return }
    let gpu = try #require(try ManifestLoader.load(path: gpuPath).nodePools.first).nodePool()
    #expect(gpu.name == "gpu-pool")
    #expect(gpu.disruption.consolidationPolicy == .whenEmpty)
    #expect(gpu.disruption.consolidateAfterMilliseconds == 300_000)
    #expect(gpu.requirements.count == 3)
    #expect(gpu.limits[.nvidiaGPU] == Quantity(100))
    let spot = try #require(try ManifestLoader.load(path: spotPath).nodePools.first).nodePool()
    #expect(spot.apiVersion == .v1)  // the v1 rule was applied (see the manifest's notes)
    #expect(spot.disruption.consolidationPolicy == .whenEmptyOrUnderutilized)
    #expect(spot.disruption.consolidateAfterMilliseconds == 30_000)
    #expect(spot.expireAfterMilliseconds == Int64(720) * 3_600_000)
  }

  @Test func vpaMaps() throws {
    let manifest = try #require(
      try ManifestLoader.decode(
        text: """
          apiVersion: autoscaling.k8s.io/v1
          kind: VerticalPodAutoscaler
          metadata: {name: v}
          spec:
            targetRef: {kind: Deployment, name: d}
            updatePolicy: {updateMode: Recreate, minReplicas: 1}
            resourcePolicy:
              containerPolicies:
                - containerName: app
                  minAllowed: {cpu: 100m}
                  maxAllowed: {memory: 2Gi}
                  controlledValues: RequestsOnly
                - containerName: sidecar
                  mode: "Off"
          """
      ).verticalPodAutoscalers.first)
    let vpa = try manifest.verticalPodAutoscaler()
    #expect(vpa.updatePolicy.updateMode == .recreate)
    #expect(vpa.updatePolicy.minReplicas == 1)
    let policies = try #require(vpa.resourcePolicy?.containerPolicies)
    #expect(policies.count == 2)
    #expect(policies[0].minAllowed == [.cpu: Quantity(milliValue: 100)])
    #expect(policies[0].controlledValues == .requestsOnly)
    #expect(policies[1].mode == .off)
    if let path = sharedManifestPath("ml-model-vpa.yaml") {
      let shared = try #require(try ManifestLoader.load(path: path).verticalPodAutoscalers.first)
      #expect(try shared.verticalPodAutoscaler().updatePolicy.updateMode == .auto)
    }
  }
}
