import AutoscalingCore
import HorizontalAutoscaling
import Testing
import _AutoscalingTestSupport

@Suite("Observation helpers")
struct PodMetricSampleTests {
  let time = Instant.seconds(100)

  @Test("whole-pod usage sums containers; any container without a value makes the pod missing")
  func wholePod() {
    let both = [
      ContainerUsage(name: "a", usageMilli: 120), ContainerUsage(name: "b", usageMilli: 30),
    ]
    #expect(
      PodMetricSample.resourceUsage(of: both, timestamp: time, window: .seconds(30))?.valueMilli
        == 150)
    let partial = [
      ContainerUsage(name: "a", usageMilli: 120), ContainerUsage(name: "b", usageMilli: nil),
    ]
    #expect(
      PodMetricSample.resourceUsage(of: partial, timestamp: time, window: .seconds(30)) == nil)
    #expect(PodMetricSample.resourceUsage(of: [], timestamp: time, window: .seconds(30)) == nil)
  }

  @Test("container usage takes the named container; an absent container makes the pod missing")
  func namedContainer() {
    let usage = [
      ContainerUsage(name: "a", usageMilli: 120), ContainerUsage(name: "b", usageMilli: 30),
    ]
    let sample = PodMetricSample.resourceUsage(
      of: usage, container: "b", timestamp: time, window: .seconds(15))
    #expect(sample?.valueMilli == 30)
    #expect(sample?.window == .seconds(15))
    #expect(
      PodMetricSample.resourceUsage(
        of: usage, container: "c", timestamp: time, window: .seconds(15)) == nil)
  }

  @Test("requests convert with MilliValue, rounding up to whole milli-units")
  func requestsFromResourceList() throws {
    let list: ResourceList = [
      .cpu: try Quantity(parsing: "250m"), .memory: try Quantity(parsing: "1Ki"),
      .nvidiaGPU: try Quantity(parsing: "0.0001"),
    ]
    let requests = ResourceRequests(list)
    #expect(requests.cpuMilli == 250)
    #expect(requests.memoryMilli == 1_024_000)
    #expect(requests[.nvidiaGPU] == 1)  // 0.1 m rounds up to 1 m
    #expect(requests[.ephemeralStorage] == nil)
  }

  @Test("sidecars count toward whole-pod requests, init containers do not; pod-level requests win")
  func podRequests() throws {
    let pod = PodObservation(
      name: "p", readyCondition: nil, startTime: nil,
      containers: [
        ContainerRequests(name: "app", requests: ResourceRequests(cpuMilli: 100)),
        ContainerRequests(
          name: "init", role: .initContainer, requests: ResourceRequests(cpuMilli: 900)),
        ContainerRequests(name: "proxy", role: .sidecar, requests: ResourceRequests(cpuMilli: 50)),
      ])
    let calculator = ReplicaCalculator()
    #expect(try calculator.podRequest(pod, resource: .cpu) == 150)
    #expect(try calculator.podRequest(pod, resource: .cpu, container: "app") == 100)
    #expect(throws: ReplicaCalculationError.containerNotFound(container: "db", pod: "p")) {
      try calculator.podRequest(pod, resource: .cpu, container: "db")
    }
    var podLevel = pod
    podLevel.podLevelRequests = ResourceRequests(cpuMilli: 1000)
    #expect(try calculator.podRequest(podLevel, resource: .cpu) == 1000)
    #expect(try calculator.podRequest(podLevel, resource: .cpu, container: "app") == 100)
    var gateOff = calculator
    gateOff.podLevelResources = false
    #expect(try gateOff.podRequest(podLevel, resource: .cpu) == 150)
  }
}

@Suite("Pod templates")
struct ContainerRequestsTemplateTests {
  @Test("a pod template's containers keep their roles and requests")
  func fromTemplate() throws {
    let template = PodTemplate(
      containers: [Container(name: "app", requests: [.cpu: try Quantity(parsing: "1500m")])],
      initContainers: [
        Container(name: "migrate", requests: [.cpu: try Quantity(parsing: "2")]),
        Container(name: "mesh", requests: [.cpu: try Quantity(parsing: "100m")]),
      ])
    let containers = ContainerRequests.containers(of: template, sidecars: ["mesh"])
    #expect(containers.map(\.role) == [.regular, .initContainer, .sidecar])
    let pod = PodObservation(name: "p", readyCondition: nil, startTime: nil, containers: containers)
    #expect(try ReplicaCalculator().podRequest(pod, resource: .cpu) == 1600)
  }
}
