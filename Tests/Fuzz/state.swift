import AutoscalingCore
import AutoscalingTraces
import AutoscalingTuning
import Foundation
import NodeAutoscaling
import VerticalAutoscaling

/// Four types of the embedded catalogue (the ones the seed's nodes use): a small catalogue keeps
/// each disruption pass fast enough to fuzz.
let embeddedTypes = InstanceCatalog.embedded().filter {
  ["m5.large", "m5.2xlarge", "m5.4xlarge", "c5.xlarge"].contains($0.name)
}

/// libFuzzer entry point for the JSON state files read back whole: the first byte picks the
/// reader, the rest is the file.
/// - 0: a cluster state file (`autoscale consolidate --state`) with inline NodePools over the
///   four types of the embedded catalogue, then one disruption pass over it: every candidate is a node of the
///   state, a delete launches nothing, and a consolidation replacement is strictly cheaper;
/// - 1: a VerticalPodAutoscalerCheckpoint, loaded into an aggregate: percentiles are finite
///   and not negative, and a checkpoint once written reads back to itself;
/// - 2: `autoscale tune --out` results separated by NUL bytes, merged as `autoscale merge`
///   does: merging is independent of the order of the files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStateFiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  switch data[0] % 3 {
  case 0: clusterState(bytes)
  case 1: checkpoint(bytes)
  default: tuningResults(bytes)
  }
  return 0
}

func clusterState(_ bytes: [UInt8]) {
  guard let file = try? ClusterStateFile.decode(bytes, file: "state.json") else { return }
  var pools: [NodePool] = []
  for source in file.nodePools {
    guard case .inline(let inline) = source else { return }
    pools += inline
  }
  guard let state = try? file.clusterState(nodePools: pools, instanceTypes: embeddedTypes),
    let decision = try? NodeAutoscaler().disrupt(state, now: file.now)
  else { return }
  guard let command = decision.command else { return }
  let names = Set(state.nodes.map(\.name))
  for candidate in command.candidates where !names.contains(candidate) {
    fatalError("candidate \(candidate) is not a node of the state")
  }
  switch command.decision {
  case .delete:
    // A delete launches nothing. (Its saving may be 0: like upstream, a delete needs no price,
    // and a node in a zone its type has no offering for is priced 0.)
    guard command.replacements.isEmpty, command.replacementPrice == 0 else {
      fatalError("delete of \(command.candidates) launches \(command.replacements.map(\.instanceType))")
    }
  case .replace:
    // Consolidation replaces only with something strictly cheaper (drift need not).
    if command.method == .multiNodeConsolidation || command.method == .singleNodeConsolidation,
      !(command.replacementPrice < command.candidatePrice)
    {
      fatalError(
        "consolidation \(command.candidates) does not save: \(command.candidatePrice) → \(command.replacementPrice)")
    }
  }
}

func checkpoint(_ bytes: [UInt8]) {
  guard let object = try? JSONDecoder().decode(VerticalPodAutoscalerCheckpoint.self, from: Data(bytes)) else {
    return
  }
  // Times are written to the second, as metav1.Time is, so the first write may drop a
  // fraction; what is written once reads back to itself.
  guard let json = try? JSONEncoder().encode(object),
    let written = try? JSONDecoder().decode(VerticalPodAutoscalerCheckpoint.self, from: json),
    let again = try? JSONEncoder().encode(written)
  else { fatalError("a decoded checkpoint does not write and read back") }
  guard let reread = try? JSONDecoder().decode(VerticalPodAutoscalerCheckpoint.self, from: again), reread == written else {
    fatalError("a written checkpoint does not read back to itself: \(String(decoding: again, as: UTF8.self))")
  }
  var aggregate = AggregateContainerState(creationTime: .epoch)
  guard (try? aggregate.load(object.status)) != nil else { return }
  for p in [0.0, 0.5, 0.9, 1.0] {
    for value in [aggregate.cpuUsage.percentile(p), aggregate.memoryPeaks.percentile(p)] {
      guard value.isFinite, value >= 0 else { fatalError("percentile \(p) is \(value)") }
    }
  }
}

func tuningResults(_ bytes: [UInt8]) {
  var shards: [TuningResult] = []
  for part in bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: true) {
    guard let shard = try? JSONDecoder().decode(TuningResult.self, from: Data(part)) else { return }
    shards.append(shard)
  }
  guard let merged = try? TuningResult.merging(shards) else { return }
  guard let reversed = try? TuningResult.merging(shards.reversed()), reversed == merged else {
    fatalError("merging depends on the order of the shards")
  }
}
