import AutoscalingTraces

/// libFuzzer entry point: the input is a manifest file (YAML or JSON).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    _ = try ManifestLoader.decode(bytes, file: "fuzz.yaml")
  } catch {
    _ = error.description
  }
  return 0
}
