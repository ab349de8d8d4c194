import AutoscalingCore
import NodeAutoscaling

/// The pod placed on every catalogue that loads: 100 millicores, nothing else.
let smallPod = Pod(
  name: "p",
  template: PodTemplate(containers: [
    Container(name: "c", requests: [.cpu: Quantity(milliValue: 100)])
  ]))

/// libFuzzer entry point: the input is an instance catalogue in the CSV format of
/// `aws-instance-types.csv` (`autoscale pack --catalog FILE.csv`). A catalogue that loads is
/// prepared as the scheduler prepares it and one small pod is placed, so the numbers the loader
/// produced are used. A type may load with a negative allocatable (a tiny type under the
/// default 110-pod kube-reserved memory), as upstream computes it; like upstream, it must then
/// never be launched: every launch has non-negative allocatable that holds the pod.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCatalog(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let types = try? InstanceCatalog.parseCSV(text, options: .init(zones: ["z1", "z2"])),
    !types.isEmpty
  else { return 0 }
  let state = ClusterState(nodePools: [NodePool(name: "np")], instanceTypes: types, pods: [smallPod])
  guard let catalogue = try? PreparedCatalogue(state),
    let plan = try? NodeAutoscaler().schedule(state, catalogue: catalogue, now: .epoch)
  else { return 0 }
  for launch in plan.launches {
    guard types.contains(where: { $0.name == launch.instanceType }) else {
      fatalError("a launch names an instance type the catalogue does not have")
    }
    for (name, amount) in launch.allocatable where amount < Quantity(0) {
      fatalError("\(launch.instanceType) was launched with negative allocatable \(name): \(amount)")
    }
    if let cpu = launch.allocatable[.cpu], cpu < Quantity(milliValue: 100) {
      fatalError("\(launch.instanceType) holds \(cpu) cpu, less than the pod's 100m")
    }
    guard launch.offering.price.isFinite, launch.offering.price >= 0 else {
      fatalError("\(launch.instanceType) was launched at price \(launch.offering.price)")
    }
  }
  return 0
}
