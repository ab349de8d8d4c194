import AutoscalingTraces

/// The reader options the first input byte selects.
let prometheusOptionSets: [PrometheusOptions] = [
  PrometheusOptions(),
  PrometheusOptions(grouping: .split(key: "pod", aggregation: .mean, fill: .zero)),
  PrometheusOptions(grouping: .fold(aggregation: .sum, key: "pod"), bucketMilliseconds: 60_000),
  PrometheusOptions(
    grouping: .fold(aggregation: .max, key: nil),
    policies: ReadPolicies(invalidValues: .skipRow, negativeValues: .clampToZero, order: .sort)),
  PrometheusOptions(
    grouping: .split(key: "instance", aggregation: .count, fill: .error),
    bucketMilliseconds: Int64.max,
    policies: ReadPolicies(negativeValues: .keep, duplicates: .combine(.min))),
  PrometheusOptions(
    bucketMilliseconds: 1,
    policies: ReadPolicies(invalidValues: .skipRow, order: .sort, duplicates: .keepFirst)),
]

/// libFuzzer entry point: the first byte picks a `PrometheusOptions` set, the rest is the
/// `query_range` response.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrometheus(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let options = prometheusOptionSets[Int(data[0]) % prometheusOptionSets.count]
  let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  do {
    let series = try TraceReader.readPrometheus(bytes: bytes, file: "fuzz.json", options: options)
    for index in series.timestamps.indices.dropFirst() {
      precondition(
        series.timestamps[index - 1] < series.timestamps[index], "timestamps not increasing")
    }
    for column in series.columns {
      precondition(column.values.count == series.timestamps.count, "ragged column")
      precondition(column.values.allSatisfy(\.isFinite), "non-finite value")
    }
  } catch {
    _ = error.description
  }
  return 0
}
