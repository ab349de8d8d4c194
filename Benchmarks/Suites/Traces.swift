import AutoscalingTraces
import Foundation

/// CSV ingest throughput and manifest decoding.
func tracesBenchmarks() -> [Benchmark] {
  // ~25 MB of canonical-style CSV: Unix-millisecond timestamps and three value columns.
  var text = "timestamp_ms,cpu,memory,requests_per_second\n"
  var semicolons = "Timestamp [ms];\tcpu;\tmemory;\trequests_per_second\n"
  // The same values with RFC 3339 times (2026-01-05T00:00:00Z onwards).
  var dated = "time,cpu,memory,requests_per_second\n"
  var time: Int64 = 1_767_571_200_000
  var state: UInt64 = 42
  func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
  for row in 0..<500_000 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let a = Double(state >> 40) / 16_777_216 * 4
    let b = Double((state >> 20) & 0xFFFFF) * 1024
    let c = Double(state & 0xFFFF) / 100
    text += "\(time),\(a),\(b),\(c)\n"
    semicolons += "\(time);\t\(a);\t\(b);\t\(c)\n"
    let seconds = Int64(row)  // 1 s apart: 500,000 s stay within January
    dated +=
      "2026-01-\(two(5 + seconds / 86_400))T\(two(seconds / 3_600 % 24)):"
      + "\(two(seconds / 60 % 60)):\(two(seconds % 60))Z,\(a),\(b),\(c)\n"
    time += 15_000
  }
  let csv = Array(text.utf8)
  let bitbrainsStyle = Array(semicolons.utf8)
  let rfc3339 = Array(dated.utf8)
  // The first text as a file, for the streaming path (1 MiB reads); one fixed name, so
  // repeated runs reuse the same 26 MB.
  let path = FileManager.default.temporaryDirectory
    .appendingPathComponent("autoscaling-bench-traces.csv").path  // overwritten by each run
  _ = FileManager.default.createFile(atPath: path, contents: Data(csv))
  let hpa = """
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: ml-model-hpa
    spec:
      scaleTargetRef:
        apiVersion: apps/v1
        kind: Deployment
        name: ml-model
      minReplicas: 2
      maxReplicas: 20
      metrics:
        - type: Resource
          resource:
            name: cpu
            target:
              type: Utilization
              averageUtilization: 70
        - type: Resource
          resource:
            name: memory
            target:
              type: Utilization
              averageUtilization: 80
        # custom metric (Prometheus adapter)
        - type: Pods
          pods:
            metric:
              name: requests_per_second
            target:
              type: AverageValue
              averageValue: 100
      behavior:
        scaleDown:
          stabilizationWindowSeconds: 300
          policies:
            - type: Percent
              value: 10
              periodSeconds: 60
        scaleUp:
          stabilizationWindowSeconds: 0
          policies:
            - type: Percent
              value: 100
              periodSeconds: 15
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ml-model
      labels: {app: ml-model}
    spec:
      replicas: 3
      selector:
        matchLabels: {app: ml-model}
      template:
        metadata:
          labels: {app: ml-model}
        spec:
          containers:
            - name: model
              image: ml-model:v1.0
              command: ["python", "serve.py"]
              resources:
                requests: {memory: "2Gi", cpu: "1"}
                limits: {memory: "4Gi", cpu: "2"}
    """
  let manifest = Array(hpa.utf8)
  // A Prometheus query_range response: 20 series (label pod) of 11,000 samples each (the
  // server's per-series cap), 15 s apart, written the way Prometheus writes it (one line).
  var response = #"{"status":"success","data":{"resultType":"matrix","result":["#
  for series in 0..<20 {
    response += series == 0 ? "" : ","
    response += #"{"metric":{"__name__":"rps","job":"web","pod":"web-\#(series)"},"values":["#
    var seconds = 1_767_571_200
    for sample in 0..<11_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let value = Double(state >> 40) / 16_777_216 * 400
      response += sample == 0 ? "" : ","
      response += "[\(seconds),\"\(value)\"]"
      seconds += 15
    }
    response += "]}"
  }
  response += "]}}"
  let prometheus = Array(response.utf8)
  let prometheusPath = FileManager.default.temporaryDirectory
    .appendingPathComponent("autoscaling-bench-prometheus.json").path  // overwritten by each run
  _ = FileManager.default.createFile(atPath: prometheusPath, contents: Data(prometheus))
  let splitByPod = PrometheusOptions(grouping: .split(key: "pod", aggregation: .mean, fill: .hold))
  return [
    Benchmark(
      name: "Traces.csvIngest/bytes (500k rows × 3 columns)", operationsPerRun: csv.count,
      target: "≥ 200,000,000 bytes/s"
    ) {
      blackHole(try? TraceReader.readCSV(bytes: csv, file: "bench.csv"))
    },
    Benchmark(
      name: "Traces.csvIngest/bytes (Bitbrains ;\\t layout)",
      operationsPerRun: bitbrainsStyle.count,
      target: "≥ 200,000,000 bytes/s"
    ) {
      blackHole(
        try? TraceReader.readCSV(
          bytes: bitbrainsStyle, file: "bench.csv",
          options: CSVOptions(timestampFormat: .unixMilliseconds)))
    },
    Benchmark(
      name: "Traces.csvIngest/bytes (RFC 3339 times)", operationsPerRun: rfc3339.count,
      target: "≥ 200,000,000 bytes/s"
    ) {
      blackHole(try? TraceReader.readCSV(bytes: rfc3339, file: "bench.csv"))
    },
    Benchmark(
      name: "Traces.csvIngest/file (streamed from disk)", operationsPerRun: csv.count,
      target: "≥ 200,000,000 bytes/s"
    ) {
      blackHole(try? TraceReader.readCSV(path: path))
    },
    Benchmark(
      name: "Traces.csvIngest/bytes (fold sum per 60 s)", operationsPerRun: csv.count,
      target: "≥ 100,000,000 bytes/s"
    ) {
      blackHole(
        try? TraceReader.readCSV(
          bytes: csv, file: "bench.csv",
          options: CSVOptions(
            grouping: .fold(aggregation: .sum, key: nil), bucketMilliseconds: 60_000)))
    },
    Benchmark(
      name: "Traces.prometheusIngest/bytes (20 series × 11k samples, split by pod)",
      operationsPerRun: prometheus.count, target: "report (bytes/s)"
    ) {
      blackHole(try? TraceReader.readPrometheus(bytes: prometheus, options: splitByPod))
    },
    Benchmark(
      name: "Traces.prometheusIngest/bytes (fold sum)", operationsPerRun: prometheus.count,
      target: "report (bytes/s)"
    ) {
      blackHole(
        try? TraceReader.readPrometheus(
          bytes: prometheus, options: PrometheusOptions(grouping: .fold(aggregation: .sum, key: nil))))
    },
    Benchmark(
      name: "Traces.prometheusIngest/file (split by pod)", operationsPerRun: prometheus.count,
      target: "report (bytes/s)"
    ) {
      blackHole(try? TraceReader.readPrometheus(path: prometheusPath, options: splitByPod))
    },
    Benchmark(
      name: "Traces.manifestDecode/HPA + Deployment", operationsPerRun: 1_000,
      target: "≥ 10,000 files/s"
    ) {
      for _ in 0..<1_000 { blackHole(try? ManifestLoader.decode(manifest, file: "bench.yaml")) }
    },
  ]
}
