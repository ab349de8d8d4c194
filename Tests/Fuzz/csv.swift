import AutoscalingTraces

/// The reader options the first input byte selects, so that grouping, buckets, policies and
/// every timestamp format (including origins near the Int64 limits) get fuzzed, not only the
/// defaults.
let csvOptionSets: [CSVOptions] = [
  CSVOptions(),
  CSVOptions(grouping: .fold(aggregation: .mean, key: nil)),
  CSVOptions(
    policies: ReadPolicies(
      invalidValues: .skipRow, negativeValues: .keep, order: .sort, duplicates: .keepLast)),
  CSVOptions(grouping: .split(key: "container_ip", aggregation: .sum, fill: .hold)),
  CSVOptions(grouping: .fold(aggregation: .count, key: nil), bucketMilliseconds: 60_000),
  CSVOptions(timestampColumn: .rowIndex(originMilliseconds: 0, stepMilliseconds: 10_000)),
  CSVOptions(
    timestampFormat: .dateTime,
    policies: ReadPolicies(order: .sort, duplicates: .combine(.max))),
  CSVOptions(
    timestampFormat: .offsetSeconds(originMilliseconds: Int64.max - 1_000),
    policies: ReadPolicies(negativeValues: .clampToZero)),
  CSVOptions(
    delimiter: UInt8(ascii: ","), columnNames: ["t", "v"], timestampColumn: .index(0),
    timestampFormat: .unixSeconds, bucketMilliseconds: 1),
  CSVOptions(
    timestampFormat: .offsetMilliseconds(originMilliseconds: Int64.min + 5),
    grouping: .split(key: "pod", aggregation: .last, fill: .error)),
  CSVOptions(
    timestampColumn: .rowIndex(originMilliseconds: Int64.max - 20_000, stepMilliseconds: 9_999),
    grouping: .fold(aggregation: .sum, key: "machine_id"),
    bucketMilliseconds: Int64.max),
  CSVOptions(
    timestampFormat: .unixMilliseconds, valueColumns: ["value", "x"],
    filters: ["request_type": "Generative Requests"],
    policies: ReadPolicies(invalidValues: .skipRow, duplicates: .combine(.mean))),
]

/// libFuzzer entry point: the first byte picks a `CSVOptions` set, the rest is the CSV file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let options = csvOptionSets[Int(data[0]) % csvOptionSets.count]
  let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  do {
    let series = try TraceReader.readCSV(bytes: bytes, file: "fuzz.csv", options: options)
    checkSeries(series)
  } catch {
    _ = error.description
  }
  return 0
}

func checkSeries(_ series: TimeSeries) {
  for index in series.timestamps.indices.dropFirst() {
    precondition(
      series.timestamps[index - 1] < series.timestamps[index], "timestamps not increasing")
  }
  for column in series.columns {
    precondition(column.values.count == series.timestamps.count, "ragged column")
    precondition(column.values.allSatisfy(\.isFinite), "non-finite value")
  }
}
