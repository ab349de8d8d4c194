// A VPA recommendation from a stream of usage samples, saved as a checkpoint and restored.
//
// A recommender keeps one decaying histogram per container name. Feed it usage samples as
// they arrive (CPU in millicores, memory in bytes), ask for a recommendation every minute, and
// persist its history as upstream's VerticalPodAutoscalerCheckpoint so that a restart picks up
// where it left off.
//
//   swift run VPARecommendationExample

import AutoscalingCore
import Foundation  // JSONEncoder for the checkpoint; the library itself never imports it
import VerticalAutoscaling

let vpa = VerticalPodAutoscaler(
  name: "web",
  updatePolicy: UpdatePolicy(updateMode: .recreate),
  resourcePolicy: PodResourcePolicy(containerPolicies: [
    ContainerResourcePolicy(
      containerName: "app", minAllowed: [.cpu: Quantity(milliValue: 100)],
      maxAllowed: [.memory: Quantity(2 << 30)])
  ]))

func show(_ label: String, _ recommendations: [RecommendedContainerResources]) {
  for r in recommendations {
    let cpu = r.target[.cpu].map { "\($0.milliValue)m" } ?? "-"
    let memory = r.target[.memory].map { "\($0.value >> 20)Mi" } ?? "-"
    let upper = r.upperBound[.cpu].map { "\($0.milliValue)m" } ?? "-"
    print(
      "\(label): \(r.containerName) target cpu=\(cpu) memory=\(memory) (cpu upper bound \(upper))")
  }
}

// Two pods report usage every 5 minutes for two days; CPU follows a two-hour cycle.
var recommender = try VerticalRecommender()
let start = Instant.seconds(1_767_225_600)  // 2026-01-01T00:00:00Z
let pods = ["web-0", "web-1"]
func feed(_ recommender: inout VerticalRecommender, at now: Instant, step: Int) {
  for (index, pod) in pods.enumerated() {
    let wave = Double(step % 24) / 24  // 0 ..< 1 over two hours
    let cpu = Int64(200 + 300 * wave) + Int64(index * 40)  // millicores
    let memory = Int64(380 + 60 * wave) << 20  // bytes
    recommender.addSample(.cpu(millicores: cpu, at: now), pod: pod, container: "app")
    recommender.addSample(.memory(bytes: memory, at: now), pod: pod, container: "app")
  }
}
let steps = 2 * 24 * 12
for step in 0..<steps {
  let now = start + .seconds(300 * step)
  feed(&recommender, at: now, step: step)
  if step == 240 {  // at 20:00 one pod is killed for running out of memory: memory is bumped
    try recommender.recordOOM(
      pod: "web-1", container: "app", at: now, requestedMemoryBytes: 512 << 20)
    show("OOM at 20 h", recommender.recommendation(for: vpa, at: now))
  }
  if step % 144 == 143 {
    show("after \((step + 1) / 12) h", recommender.recommendation(for: vpa, at: now))
  }
}

let later = start + .seconds(300 * steps)
let before = recommender.recommendation(for: vpa, at: later)

// Save the history as upstream's checkpoint JSON (what the recommender writes to the API
// server), then restore it into a fresh recommender, as after a restart.
guard let checkpoint = recommender.checkpoint(container: "app", at: later) else {
  print("no history for container app")
  exit(1)
}
let object = VerticalPodAutoscalerCheckpoint(
  metadata: .init(name: "web-app", namespace: "default"),
  spec: .init(vpaObjectName: "web", containerName: "app"), status: checkpoint)
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
let json = try encoder.encode(object)
print("checkpoint: \(json.count) bytes, \(checkpoint.totalSamplesCount) samples")

let saved = try JSONDecoder().decode(VerticalPodAutoscalerCheckpoint.self, from: json)
var restarted = try VerticalRecommender()
try restarted.load(saved.status, container: "app", at: later)
let restored = restarted.recommendation(for: vpa, at: later)
show("restored", restored)
print(
  restored.map(\.target) == before.map(\.target)
    ? "restored target matches" : "restored target differs")
// As upstream, a checkpoint leaves out the peaks of the live pods' current (unfinished)
// 24-hour memory windows; the restarted recommender gets them back from the next samples.
