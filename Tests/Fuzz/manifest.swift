import AutoscalingTraces

/// libFuzzer entry point: the input is a manifest file (YAML or JSON). Every decoded object is
/// also converted to its decision module's type, as `autoscale` does next.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    let file = try ManifestLoader.decode(bytes, file: "fuzz.yaml")
    for hpa in file.horizontalPodAutoscalers { _ = try? hpa.spec() }
    for vpa in file.verticalPodAutoscalers { _ = try? vpa.verticalPodAutoscaler() }
    for pool in file.nodePools { _ = try? pool.nodePool() }
  } catch {
    _ = error.description
  }
  return 0
}
