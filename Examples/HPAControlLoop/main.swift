// The HPA decision loop a custom controller runs.
//
// The controller owns everything upstream's kube-controller-manager would fetch: the clock,
// the pods, the metrics. Every sync period it builds an observation, calls `reconcile`, applies
// `decision.replicas` and keeps `hpa.state` (recommendation history, scale events, conditions)
// for the next call. Here the cluster is simulated: CPU demand steps up, then falls back.
//
//   swift run HPAControlLoopExample

import AutoscalingCore
import HorizontalAutoscaling

let spec = try HorizontalPodAutoscalerSpec(
  metrics: [.resource(.cpu, target: .utilization(60))],
  minReplicas: 2, maxReplicas: 12,
  behavior: ScalingBehavior(
    scaleUp: ScalingRules(policies: [.pods(2, per: .seconds(30))]),
    scaleDown: ScalingRules(stabilizationWindow: .seconds(90))))
var hpa = HorizontalAutoscaler(spec: spec, options: .production, state: HorizontalAutoscalerState())

// Every pod of the Deployment requests 500 millicores; one array shared by all pods.
let containers = [ContainerRequests(name: "app", requests: ResourceRequests(cpuMilli: 500))]
struct SimulatedPod { var name: String; var created: Instant }
let startupDelay = Duration.seconds(20)  // a new pod becomes Ready 20 s after it starts

// The simulated clock starts at 10:00 and ticks every sync period (15 s).
var now = Instant.seconds(1_767_261_600)
var pods = (0..<2).map { SimulatedPod(name: "web-\($0)", created: now - .seconds(600)) }
var nextPodNumber = 2

/// Total CPU demand of the workload in millicores: 600 m, a burst of 3 000 m, then 400 m.
func demandMillicores(minute: Int) -> Int64 { minute < 2 ? 600 : minute < 6 ? 3_000 : 400 }

for tick in 0..<36 {
  let minute = tick / 4
  // Observe: readiness from each pod's age, usage shared evenly by the ready pods.
  let ready = pods.filter { $0.created + startupDelay <= now }
  let share = demandMillicores(minute: minute) / Int64(max(ready.count, 1))
  var observedPods: [PodObservation] = []
  var samples: [PodMetricSample?] = []
  for pod in pods {
    let isReady = pod.created + startupDelay <= now
    observedPods.append(
      PodObservation(
        name: pod.name,
        readyCondition: PodReadyCondition(
          status: isReady ? .ready : .notReady,
          lastTransitionTime: isReady ? pod.created + startupDelay : pod.created),
        startTime: pod.created, containers: containers))
    samples.append(isReady ? PodMetricSample(valueMilli: share, timestamp: now) : nil)
  }
  let observation = HorizontalAutoscalerObservation(
    specReplicas: pods.count, pods: observedPods,
    metrics: [.resource(PodMetrics(samples: samples))])

  // Decide, then act on the decision as a controller would.
  let decision = hpa.reconcile(observation, at: now)
  let utilization = decision.metrics.first?.averageUtilization.map { "\($0)%" } ?? "?"
  let ableToScale = decision.condition(.ableToScale)?.reason.rawValue ?? "-"
  let limited = decision.condition(.scalingLimited)?.reason.rawValue ?? "-"
  let why = decision.rescaleReason.map { " (\($0))" } ?? ""
  print(
    "t=\(tick * 15)s cpu=\(utilization) replicas \(decision.currentReplicas) -> \(decision.replicas)"
      + " [\(ableToScale), \(limited)]\(why)")
  while pods.count < decision.replicas {
    pods.append(SimulatedPod(name: "web-\(nextPodNumber)", created: now))
    nextPodNumber += 1
  }
  if pods.count > decision.replicas { pods.removeLast(pods.count - decision.replicas) }

  now = now + .seconds(15)
}
