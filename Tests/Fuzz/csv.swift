import AutoscalingTraces

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    let series = try TraceReader.readCSV(bytes: bytes, file: "fuzz.csv")
    checkSeries(series)
  } catch {
    _ = error.description
  }
  return 0
}

func checkSeries(_ series: TimeSeries) {
  for index in series.timestamps.indices.dropFirst() {
    precondition(series.timestamps[index - 1] < series.timestamps[index], "timestamps not increasing")
  }
  for column in series.columns {
    precondition(column.values.count == series.timestamps.count, "ragged column")
    precondition(column.values.allSatisfy(\.isFinite), "non-finite value")
  }
}
