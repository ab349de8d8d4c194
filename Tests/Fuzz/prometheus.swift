import AutoscalingTraces

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrometheus(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    let series = try TraceReader.readPrometheus(bytes: bytes, file: "fuzz.json")
    for index in series.timestamps.indices.dropFirst() {
      precondition(series.timestamps[index - 1] < series.timestamps[index], "timestamps not increasing")
    }
    for column in series.columns {
      precondition(column.values.allSatisfy(\.isFinite), "non-finite value")
    }
  } catch {
    _ = error.description
  }
  return 0
}
