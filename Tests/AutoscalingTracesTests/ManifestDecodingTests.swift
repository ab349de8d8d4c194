import AutoscalingCore
import AutoscalingTraces
import Foundation
import Testing
import _AutoscalingTestSupport

private func decode(_ text: String, file: String = "hpa.yaml") throws -> ManifestFile {
  try ManifestLoader.decode(text: text, file: file)
}

/// The repository root (two levels above this test file's directory).
func repositoryPath(_ relative: String, file: StaticString = #filePath) -> String {
  let parts = "\(file)".split(separator: "/", omittingEmptySubsequences: false)
  return parts.dropLast(3).joined(separator: "/") + "/" + relative
}

@Suite struct ManifestDecodingTests {
  @Test func hpaV1IsConvertedAndDefaulted() throws {
    let hpa = try #require(
      try decode(
        """
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 10
          targetCPUUtilizationPercentage: 50
        """
      ).horizontalPodAutoscalers.first)
    #expect(hpa.minReplicas == 1)
    #expect(
      hpa.metrics == [
        .resource(name: .cpu, target: .init(type: .utilization, averageUtilization: 50))
      ])
    #expect(hpa.behavior == nil)
    #expect(hpa.namespace == "default")
  }

  @Test func hpaWithoutMetricsGetsCPU80AndBehaviorDefaults() throws {
    let hpa = try #require(
      try decode(
        """
        apiVersion: autoscaling/v2beta2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          scaleTargetRef: {kind: Deployment, name: web}
          maxReplicas: 5
          behavior:
            scaleDown:
              selectPolicy: Disabled
        """
      ).horizontalPodAutoscalers.first)
    #expect(
      hpa.metrics == [
        .resource(name: .cpu, target: .init(type: .utilization, averageUtilization: 80))
      ])
    let behavior = try #require(hpa.behavior)
    // Upstream defaults (pkg/apis/autoscaling/v2/defaults.go), user's selectPolicy kept.
    #expect(behavior.scaleUp == .defaultScaleUp)
    #expect(behavior.scaleDown.selectPolicy == .disabled)
    #expect(behavior.scaleDown.stabilizationWindowSeconds == nil)
    #expect(behavior.scaleDown.policies == [.init(type: .percent, value: 100, periodSeconds: 15)])
  }

  @Test func hpaV2beta1IsConverted() throws {
    let hpa = try #require(
      try decode(
        """
        apiVersion: autoscaling/v2beta1
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 10
          metrics:
          - type: Resource
            resource: {name: cpu, targetAverageUtilization: 60}
          - type: Pods
            pods: {metricName: rps, targetAverageValue: 50}
          - type: External
            external: {metricName: queue, targetValue: "30"}
        """
      ).horizontalPodAutoscalers.first)
    #expect(
      hpa.metrics == [
        .resource(name: .cpu, target: .init(type: .utilization, averageUtilization: 60)),
        .pods(
          metric: .init(name: "rps"), target: .init(type: .averageValue, averageValue: Quantity(50))
        ),
        .external(metric: .init(name: "queue"), target: .init(type: .value, value: Quantity(30))),
      ])
    #expect(hpa.behavior == nil)
  }

  @Test func kubectlListJSON() throws {
    let file = try decode(
      """
      {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"},
         "spec": {"template": {"spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "2"}}}]}}},
         "status": {"replicas": 1}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "b"},
         "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"parallelism": 3,
           "template": {"spec": {"containers": [{"name": "c", "resources": {"requests": {"memory": 1073741824}}}]}}}}}}
      ]}
      """, file: "list.json")
    #expect(file.items.map(\.listIndex) == [0, 1])
    let workloads = file.workloads
    #expect(workloads.map(\.kind) == [.deployment, .cronJob])
    #expect(workloads[0].replicas == 1)  // defaulted
    #expect(workloads[0].template.containers[0].requests == [.cpu: Quantity(2)])  // from the limit
    #expect(workloads[1].replicas == 3)
    #expect(workloads[1].schedule == "*/5 * * * *")
    #expect(workloads[1].template.containers[0].requests == [.memory: Quantity(1_073_741_824)])
  }

  @Test func unknownFieldsAndKindsAreIgnored() throws {
    let file = try decode(
      """
      apiVersion: v1
      kind: Service
      metadata: {name: svc}
      spec: {ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p, annotations: {x: "1"}}
      spec:
        futureField: {anything: [1, 2]}
        containers: [{name: c, image: i}]
        affinity:
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              - labelSelector: {matchLabels: {app: p}}
                topologyKey: kubernetes.io/hostname
      """, file: "pod.yaml")
    #expect(file.items[0].manifest == .other(apiVersion: "v1", kind: "Service", name: "svc"))
    let pod = try #require(file.workloads.first)
    #expect(
      pod.template.requiredPodAntiAffinity == [
        PodAffinityTerm(
          labelSelector: LabelSelector(matchLabels: ["app": "p"]),
          topologyKey: "kubernetes.io/hostname")
      ])
    #expect(file.items[1].document == 2)
  }

  @Test func repositoryExampleManifests() throws {
    let hpaFile = try ManifestLoader.load(path: repositoryPath("Traces/manifests/web-api-hpa.yaml"))
    let hpa = try #require(hpaFile.horizontalPodAutoscalers.first)
    #expect(hpa.minReplicas == 2 && hpa.maxReplicas == 30)
    #expect(hpa.metrics.count == 3)
    #expect(hpa.behavior?.scaleUp.policies.count == 2)
    let deployment = try #require(
      try ManifestLoader.load(path: repositoryPath("Traces/manifests/web-api-deployment.yaml"))
        .workloads.first)
    #expect(
      deployment.template.containers[0].requests == [
        .cpu: Quantity(milliValue: 500), .memory: Quantity(512 * 1_048_576),
      ])
    #expect(
      deployment.template.topologySpreadConstraints.first?.whenUnsatisfiable == .scheduleAnyway)
  }
}

struct BadManifestCase: CustomTestStringConvertible, Sendable {
  var name: String
  var yaml: String
  var message: String
  var testDescription: String { name }
}

private let hpaHead = """
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata:
    name: web
  spec:
    scaleTargetRef: {kind: Deployment, name: web}

  """

@Suite struct ManifestErrorTests {
  // Lines and columns counted by hand in each snippet (the HPA head is 6 lines).
  static let cases: [BadManifestCase] = [
    BadManifestCase(
      name: "quantity",
      yaml: hpaHead + """
          maxReplicas: 5
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
            - type: Resource
              resource: {name: memory, target: {type: AverageValue, averageValue: 1Gi}}
            - type: Pods
              pods:
                metric: {name: rps}
                target:
                  type: AverageValue
                  averageValue: abc
        """,
      message:
        "hpa.yaml: document 1: spec.metrics[2].pods.target.averageValue: expected a quantity, found \"abc\" (line 18, column 25)"
    ),
    BadManifestCase(
      name: "max below min",
      yaml: hpaHead + "  minReplicas: 5\n  maxReplicas: 2\n",
      message:
        "hpa.yaml: document 1: spec.maxReplicas: must be greater than or equal to minReplicas (5), found 2 (line 8, column 16)"
    ),
    BadManifestCase(
      name: "missing maxReplicas", yaml: hpaHead,
      message:
        "hpa.yaml: document 1: spec: required field \"maxReplicas\" is missing (line 6, column 3)"),
    BadManifestCase(
      name: "bad target type",
      yaml: hpaHead
        + "  maxReplicas: 3\n  metrics:\n  - type: Pods\n    pods: {metric: {name: x}, target: {type: Utilization, averageUtilization: 5}}\n",
      message:
        "hpa.yaml: document 1: spec.metrics[0].pods.target.type: this metric source supports AverageValue targets, found Utilization (line 10, column 46)"
    ),
    BadManifestCase(
      name: "period out of range",
      yaml: hpaHead
        + "  maxReplicas: 3\n  behavior:\n    scaleUp:\n      policies: [{type: Pods, value: 1, periodSeconds: 3600}]\n",
      message:
        "hpa.yaml: document 1: spec.behavior.scaleUp.policies[0].periodSeconds: must be between 1 and 1800, found 3600 (line 10, column 56)"
    ),
    BadManifestCase(
      name: "empty policies",
      yaml: hpaHead + "  maxReplicas: 3\n  behavior:\n    scaleDown:\n      policies: []\n",
      message:
        "hpa.yaml: document 1: spec.behavior.scaleDown.policies: must specify at least one Policy (line 10, column 17)"
    ),
    BadManifestCase(
      name: "unknown select policy",
      yaml: hpaHead
        + "  maxReplicas: 3\n  behavior:\n    scaleDown:\n      selectPolicy: Largest\n",
      message:
        "hpa.yaml: document 1: spec.behavior.scaleDown.selectPolicy: expected one of Max, Min, Disabled, found \"Largest\" (line 10, column 21)"
    ),
    BadManifestCase(
      name: "string where an integer belongs",
      yaml: hpaHead + "  maxReplicas: \"3\"\n",
      message:
        "hpa.yaml: document 1: spec.maxReplicas: expected an integer, found \"3\" (line 7, column 16)"
    ),
    BadManifestCase(
      name: "request above limit",
      yaml:
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    resources:\n      requests: {cpu: \"2\"}\n      limits: {cpu: \"1\"}\n",
      message:
        "hpa.yaml: document 1: spec.containers[0].resources.requests.cpu: request 2 must be less than or equal to the limit 1 (line 8)"
    ),
    BadManifestCase(
      name: "extended resource request unlike its limit, in a Deployment's template",
      yaml:
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n      - name: b\n        resources:\n          requests: {nvidia.com/gpu: \"1\"}\n          limits: {nvidia.com/gpu: \"2\"}\n",
      message:
        "hpa.yaml: document 1: spec.template.spec.containers[1].resources.requests[\"nvidia.com/gpu\"]: extended resource nvidia.com/gpu must have its request equal to its limit (line 11)"
    ),
    BadManifestCase(
      name: "unquoted boolean under a key that is not a plain name",
      yaml:
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {example.com/gpu: yes}\n  containers: [{name: c}]\n",
      message:
        "hpa.yaml: document 1: spec.nodeSelector[\"example.com/gpu\"]: expected a string, found the boolean yes; quote it: \"yes\" (line 5, column 35)"
    ),
    BadManifestCase(
      name: "unquoted boolean label",
      yaml:
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {gpu: yes}\n  containers: [{name: c}]\n",
      message:
        "hpa.yaml: document 1: spec.nodeSelector.gpu: expected a string, found the boolean yes; quote it: \"yes\" (line 5, column 23)"
    ),
    BadManifestCase(
      name: "nodepool budget",
      yaml:
        "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: pool}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: d}\n  disruption:\n    budgets: [{nodes: \"ten\"}]\n",
      message:
        "hpa.yaml: document 1: spec.disruption.budgets[0].nodes: expected a node count such as \"5\" or a percent such as \"10%\" (line 9, column 23)"
    ),
    BadManifestCase(
      name: "second document",
      yaml:
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n---\napiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata: {name: v}\nspec:\n  targetRef: {kind: Deployment, name: d}\n  updatePolicy: {updateMode: Sometimes}\n",
      message:
        "hpa.yaml: document 2: spec.updatePolicy.updateMode: expected one of Off, Initial, Recreate, InPlaceOrRecreate, InPlace, Auto, found \"Sometimes\" (line 11, column 30)"
    ),
    BadManifestCase(
      name: "list item",
      yaml:
        #"{"kind": "List", "apiVersion": "v1", "items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {}}]}"#,
      message:
        "hpa.yaml: document 1: items[0].metadata: required field \"name\" is missing (line 1, column 96)"
    ),
  ]

  @Test(arguments: cases)
  func rejects(_ testCase: BadManifestCase) {
    do {
      let file = try ManifestLoader.decode(text: testCase.yaml, file: "hpa.yaml")
      Issue.record("expected an error, decoded \(file.items.count) objects")
    } catch {
      #expect(error.description == testCase.message)
    }
  }
}

@Suite struct BundledTraceTests {
  @Test func syntheticTracesReadBack() throws {
    let series = try TraceReader.readCSV(path: repositoryPath("Traces/synthetic-7d-15s.csv"))
    // 7 days at 15 s, both ends included: 7 × 5760 + 1.
    #expect(series.count == 40_321)
    #expect(
      series.columnNames == [
        "diurnal_weekly", "flash_crowd", "ramp", "batch_on_off", "noisy_plateau",
      ])
    #expect(series.columns.allSatisfy { $0.unit == "requests/s" })
    #expect(series.timestamps.first == 1_767_571_200_000)  // date -u -d 2026-01-05 +%s
    #expect(series.timestamps.last == 1_768_176_000_000)
    #expect(zip(series.timestamps, series.timestamps.dropFirst()).allSatisfy { $1 - $0 == 15_000 })
    #expect(series.columns.allSatisfy { $0.values.allSatisfy { $0 >= 0 } })
    // The flash-crowd peak is at 12:02 UTC on day 3, as generated (python check: row 20168).
    let crowd = try #require(series.values(of: "flash_crowd"))
    let peak = try #require(crowd.indices.max { crowd[$0] < crowd[$1] })
    #expect(peak == 20_168)
  }
}
