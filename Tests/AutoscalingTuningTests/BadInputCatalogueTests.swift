import AutoscalingCore
import AutoscalingTraces
import AutoscalingTuning
import Foundation
import HorizontalAutoscaling
import Testing

/// One malformed input, the public entry point a user would pass it to, and the exact error
/// message that user reads.
struct BadInput: Sendable, CustomTestStringConvertible {
  /// What is wrong with the input (the test's name).
  let name: String
  /// The message the error prints, verbatim.
  let expected: String
  /// Feeds the input to the public API; returns what was accepted, or throws.
  let feed: @Sendable () throws -> String

  var testDescription: String { name }

  init(_ name: String, _ expected: String, _ feed: @escaping @Sendable () throws -> String) {
    self.name = name
    self.expected = expected
    self.feed = feed
  }

  // MARK: Entry points

  /// `ManifestLoader.decode(text:file:)` on `hpa.yaml`.
  static func manifest(_ name: String, _ text: String, _ expected: String) -> BadInput {
    BadInput(name, expected) {
      "accepted: \(try ManifestLoader.decode(text: text, file: "hpa.yaml").items.count) objects"
    }
  }

  /// The first HPA of a manifest, converted to the validated `HorizontalPodAutoscalerSpec`.
  static func hpa(_ name: String, spec: String, _ expected: String) -> BadInput {
    let text = """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: web}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      \(spec.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
      """
    return BadInput(name, expected) {
      let file = try ManifestLoader.decode(text: text, file: "hpa.yaml")
      for hpa in file.horizontalPodAutoscalers { _ = try hpa.spec() }
      return "accepted"
    }
  }

  /// `TraceReader.readCSV(bytes:file:options:)` on `trace.csv`.
  static func csv(
    _ name: String, _ text: String, options: CSVOptions = CSVOptions(), _ expected: String
  ) -> BadInput {
    BadInput(name, expected) {
      let series = try TraceReader.readCSV(
        bytes: Array(text.utf8), file: "trace.csv", options: options)
      return "accepted: \(series.count) samples"
    }
  }

  /// `TraceReader.readPrometheus(bytes:file:options:)` on `range.json`.
  static func prometheus(
    _ name: String, _ text: String, options: PrometheusOptions = PrometheusOptions(),
    _ expected: String
  ) -> BadInput {
    BadInput(name, expected) {
      let series = try TraceReader.readPrometheus(
        bytes: Array(text.utf8), file: "range.json", options: options)
      return "accepted: \(series.count) samples"
    }
  }

  /// A public-trace reader on a file named `name` holding `text`.
  static func publicFile(
    _ name: String, file: String, _ text: String, _ expected: String,
    read: @escaping @Sendable (String) throws -> Void
  ) -> BadInput {
    BadInput(name, expected) {
      let directory = NSTemporaryDirectory() + "bad-input-\(UUID().uuidString)"
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let path = directory + "/" + file
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      try read(path)
      return "accepted"
    }
  }

  /// `HorizontalPodAutoscalerSpec`'s validating initializer (the library's own entry point).
  static func spec(
    _ name: String, _ expected: String,
    _ make: @escaping @Sendable () throws -> HorizontalPodAutoscalerSpec
  ) -> BadInput {
    BadInput(name, expected) {
      _ = try make()
      return "accepted"
    }
  }

  /// A tuning space description (JSON, as `autoscale tune --space` reads it) resolved over
  /// the default HPA behavior space for replicas 1…20.
  static func space(_ name: String, _ json: String, _ expected: String) -> BadInput {
    BadInput(name, expected) {
      let description = try JSONDecoder().decode(SpaceDescription.self, from: Data(json.utf8))
      let base = try ParameterSpace.hpaBehaviorDefault(minReplicas: 1, maxReplicas: 20)
      _ = try HPAOverrideMapper(space: try description.resolve(over: base))
      return "accepted"
    }
  }
}

/// Every malformed input we know users send, with the exact message each gets. A case that
/// stops throwing, throws another message, or traps fails here.
@Suite("Bad-input catalogue")
struct BadInputCatalogueTests {
  static let podsMetric = """
    metrics:
      - type: Pods
        pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "100"}}
    """

  static let cases: [BadInput] = [
    // MARK: Manifests: syntax
    .manifest("empty manifest file", "", "accepted: 0 objects"),
    .manifest("only a comment", "# nothing here\n", "accepted: 0 objects"),
    .manifest(
      "tab used for YAML indentation",
      "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n",
      "hpa.yaml: document 1: tabs are not allowed for indentation; indent with spaces (line 4, column 1)"
    ),
    .manifest(
      "truncated YAML: unterminated quoted scalar",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p",
      #"hpa.yaml: document 1: unterminated quoted string (the closing " is missing) (line 4, column 9)"#
    ),
    .manifest(
      "truncated YAML: unterminated flow mapping",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p",
      "hpa.yaml: document 1: unterminated flow mapping (missing }) (line 3, column 11)"),
    .manifest(
      "truncated JSON object",
      #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p""#,
      #"hpa.yaml: unexpected end of input (the JSON is truncated): expected "," or "}" in an object (line 1, column 55)"#
    ),
    .manifest(
      "JSON with a trailing comma", #"{"apiVersion":"v1","kind":"Pod",}"#,
      #"hpa.yaml: expected a string, found "}" (line 1, column 33)"#),
    .manifest(
      "YAML alias", "a: &x 1\nb: *x\n",
      "hpa.yaml: document 1: anchors (&name) are not supported; write the value out in full (line 1, column 4)"
    ),
    .manifest(
      "unknown kind is skipped, as kubectl-style tools skip what they do not manage",
      "apiVersion: v1\nkind: Deploymnt\nmetadata: {name: web}\n", "accepted: 1 objects"),
    .manifest(
      "document without kind", "apiVersion: v1\nmetadata: {name: p}\n",
      #"hpa.yaml: document 1: required field "kind" is missing (line 1, column 1)"#),
    .manifest(
      "kind is a list, not a string", "apiVersion: v1\nkind: [Pod]\n",
      "hpa.yaml: document 1: kind: expected a string, found a sequence (line 2, column 7)"),

    // MARK: HPA manifests: values
    .hpa(
      "minReplicas > maxReplicas", spec: "minReplicas: 5\nmaxReplicas: 2",
      "hpa.yaml: document 1: spec.maxReplicas: must be greater than or equal to minReplicas (5), found 2 (line 7, column 16)"
    ),
    .hpa(
      "maxReplicas zero", spec: "maxReplicas: 0",
      "hpa.yaml: document 1: spec.maxReplicas: must be between 1 and 2147483647, found 0 (line 6, column 16)"
    ),
    .hpa(
      "negative minReplicas", spec: "minReplicas: -1\nmaxReplicas: 3",
      "hpa.yaml: document 1: spec.minReplicas: must be between 0 and 2147483647, found -1 (line 6, column 16)"
    ),
    .hpa(
      "maxReplicas beyond Int32", spec: "maxReplicas: 2147483648",
      "hpa.yaml: document 1: spec.maxReplicas: must be between 1 and 2147483647, found 2147483648 (line 6, column 16)"
    ),
    .hpa(
      "maxReplicas beyond Int64", spec: "maxReplicas: 99999999999999999999",
      "hpa.yaml: document 1: spec.maxReplicas: must be between 1 and 2147483647, found 99999999999999999999 (line 6, column 16)"
    ),
    .hpa(
      "maxReplicas not a number", spec: "maxReplicas: lots",
      #"hpa.yaml: document 1: spec.maxReplicas: expected an integer, found "lots" (line 6, column 16)"#
    ),
    .hpa(
      "maxReplicas NaN", spec: "maxReplicas: .nan",
      #"hpa.yaml: document 1: spec.maxReplicas: expected an integer, found ".nan" (line 6, column 16)"#
    ),
    .hpa(
      "maxReplicas fractional", spec: "maxReplicas: 2.5",
      #"hpa.yaml: document 1: spec.maxReplicas: expected an integer, found "2.5" (line 6, column 16)"#
    ),
    .hpa(
      "zero utilization target",
      spec: """
        maxReplicas: 3
        metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}}
        """,
      "hpa.yaml: document 1: spec.metrics[0].resource.target.averageUtilization: must be between 1 and 2147483647, found 0 (line 9, column 77)"
    ),
    .hpa(
      "zero averageValue target",
      spec: """
        maxReplicas: 3
        metrics:
          - type: Pods
            pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "0"}}
        """,
      "hpa.yaml: document 1: spec.metrics[0].pods.target.averageValue: must be positive (line 9, column 78)"
    ),
    .hpa(
      "negative averageValue target",
      spec: """
        maxReplicas: 3
        metrics:
          - type: Pods
            pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "-5"}}
        """,
      "hpa.yaml: document 1: spec.metrics[0].pods.target.averageValue: must be positive (line 9, column 78)"
    ),
    .hpa(
      "NaN quantity",
      spec: """
        maxReplicas: 3
        metrics:
          - type: Pods
            pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: NaN}}
        """,
      #"hpa.yaml: document 1: spec.metrics[0].pods.target.averageValue: expected a quantity, found "NaN" (line 9, column 78)"#
    ),
    .hpa(
      "infinite quantity",
      spec: """
        maxReplicas: 3
        metrics:
          - type: Pods
            pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: .inf}}
        """,
      #"hpa.yaml: document 1: spec.metrics[0].pods.target.averageValue: expected a quantity, found ".inf" (line 9, column 78)"#
    ),
    .hpa(
      "quantity beyond Int64 (1e30)",
      spec: """
        maxReplicas: 3
        metrics:
          - type: Pods
            pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: 1e30}}
        """,
      #"hpa.yaml: document 1: spec.metrics[0].pods.target.averageValue: quantity "1e30" is out of range (its magnitude must stay below about 1.7 × 10^29 base units) (line 9, column 78)"#
    ),
    .hpa(
      "unknown metric type",
      spec: """
        maxReplicas: 3
        metrics:
          - type: Custom
        """,
      #"hpa.yaml: document 1: spec.metrics[0].type: expected one of Object, Pods, Resource, ContainerResource, External, found "Custom" (line 8, column 13)"#
    ),
    .hpa(
      "unknown target type",
      spec: """
        maxReplicas: 3
        metrics:
          - type: Pods
            pods: {metric: {name: rps}, target: {type: Average, averageValue: "1"}}
        """,
      #"hpa.yaml: document 1: spec.metrics[0].pods.target.type: expected one of Utilization, Value, AverageValue, found "Average" (line 9, column 50)"#
    ),
    .hpa(
      "unknown policy type",
      spec: """
        maxReplicas: 3
        behavior:
          scaleUp:
            policies: [{type: Replicas, value: 4, periodSeconds: 15}]
        """,
      #"hpa.yaml: document 1: spec.behavior.scaleUp.policies[0].type: expected one of Pods, Percent, found "Replicas" (line 9, column 25)"#
    ),
    .hpa(
      "unknown selectPolicy",
      spec: """
        maxReplicas: 3
        behavior:
          scaleDown: {selectPolicy: Median}
        """,
      #"hpa.yaml: document 1: spec.behavior.scaleDown.selectPolicy: expected one of Max, Min, Disabled, found "Median" (line 8, column 31)"#
    ),
    .hpa(
      "stabilization window beyond one hour",
      spec: """
        maxReplicas: 3
        behavior:
          scaleDown: {stabilizationWindowSeconds: 3601}
        """,
      "hpa.yaml: document 1: spec.behavior.scaleDown.stabilizationWindowSeconds: must be between 0 and 3600, found 3601 (line 8, column 45)"
    ),
    .hpa(
      "negative stabilization window",
      spec: """
        maxReplicas: 3
        behavior:
          scaleDown: {stabilizationWindowSeconds: -1}
        """,
      "hpa.yaml: document 1: spec.behavior.scaleDown.stabilizationWindowSeconds: must be between 0 and 3600, found -1 (line 8, column 45)"
    ),
    .hpa(
      "zero policy period",
      spec: """
        maxReplicas: 3
        behavior:
          scaleUp:
            policies: [{type: Pods, value: 4, periodSeconds: 0}]
        """,
      "hpa.yaml: document 1: spec.behavior.scaleUp.policies[0].periodSeconds: must be between 1 and 1800, found 0 (line 9, column 56)"
    ),
    .hpa(
      "policy period beyond Int64",
      spec: """
        maxReplicas: 3
        behavior:
          scaleUp:
            policies: [{type: Pods, value: 4, periodSeconds: 1e40}]
        """,
      "hpa.yaml: document 1: spec.behavior.scaleUp.policies[0].periodSeconds: must be between 1 and 1800, found 1e40 (line 9, column 56)"
    ),
    .hpa(
      "zero policy value",
      spec: """
        maxReplicas: 3
        behavior:
          scaleUp:
            policies: [{type: Percent, value: 0, periodSeconds: 15}]
        """,
      "hpa.yaml: document 1: spec.behavior.scaleUp.policies[0].value: must be between 1 and 2147483647, found 0 (line 9, column 41)"
    ),
    .hpa(
      "empty policy list",
      spec: """
        maxReplicas: 3
        behavior:
          scaleUp: {policies: []}
        """,
      "hpa.yaml: document 1: spec.behavior.scaleUp.policies: must specify at least one Policy (line 8, column 25)"
    ),

    // MARK: NodePool and VPA manifests
    .manifest(
      "unknown requirement operator",
      """
      apiVersion: karpenter.sh/v1
      kind: NodePool
      metadata: {name: pool}
      spec:
        template:
          spec:
            requirements:
              - {key: kubernetes.io/arch, operator: Like, values: [amd64]}
      """,
      #"hpa.yaml: document 1: spec.template.spec.requirements[0].operator: expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, found "Like" (line 8, column 47)"#
    ),
    .manifest(
      "VPA minAllowed above maxAllowed",
      """
      apiVersion: autoscaling.k8s.io/v1
      kind: VerticalPodAutoscaler
      metadata: {name: v}
      spec:
        targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        resourcePolicy:
          containerPolicies:
            - containerName: app
              minAllowed: {cpu: "2"}
              maxAllowed: {cpu: "1"}
      """,
      "hpa.yaml: document 1: spec.resourcePolicy.containerPolicies[0].minAllowed.cpu: minAllowed 2 is above maxAllowed 1 (line 9, column 27)"
    ),

    // MARK: CSV traces
    .csv("empty CSV file", "", "trace.csv: the file is empty: expected a header line"),
    .csv("CSV header only", "timestamp,rps\n", "trace.csv: no data rows after the header"),
    .csv(
      "NaN value", "timestamp,rps\n0,1\n15,NaN\n",
      #"trace.csv:3: column "rps" (field 2): expected a finite number, found "NaN""#),
    .csv(
      "infinite value", "timestamp,rps\n0,1\n15,inf\n",
      #"trace.csv:3: column "rps" (field 2): expected a finite number, found "inf""#),
    .csv(
      "value overflowing Double (1e400)", "timestamp,rps\n0,1\n15,1e400\n",
      #"trace.csv:3: column "rps" (field 2): expected a finite number, found "1e400""#),
    .csv(
      "negative value", "timestamp,rps\n0,1\n15,-3\n",
      #"trace.csv:3: column "rps" (field 2): negative value -3 (choose a negative-value policy to skip, clamp or keep it)"#
    ),
    .csv(
      "empty value", "timestamp,rps\n0,1\n15,\n",
      #"trace.csv:3: column "rps" (field 2): expected a number, found an empty field"#),
    .csv(
      "unsorted timestamps", "timestamp,rps\n30,1\n15,2\n",
      "trace.csv:3: timestamp 15000 ms is earlier than the previous row's 30000 ms (line 2); rows must be in time order (or read with order policy .sort)"
    ),
    .csv(
      "duplicate timestamps", "timestamp,rps\n15,1\n15,2\n",
      "trace.csv:3: timestamp 15000 ms repeats line 2; choose a duplicate policy (keepFirst, keepLast, combine) or a grouping"
    ),
    .csv(
      "timestamp beyond Int64 milliseconds", "timestamp,rps\n1e300,1\n",
      #"trace.csv:2: column "timestamp" (field 1): "1e300" read as Unix milliseconds is beyond the range of Int64 milliseconds (about ±292 million years from 1970)"#
    ),
    .csv(
      "ragged row", "timestamp,rps,cpu\n0,1,2\n15,3\n",
      "trace.csv:3: expected 3 fields as in the header, found 2"),
    .csv(
      "gap in a split series with fill error",
      "timestamp,pod,rps\n0,a,1\n0,b,1\n15,a,2\n",
      options: CSVOptions(grouping: .split(key: "pod", aggregation: .sum, fill: .error)),
      #"trace.csv:4: pod "b" has no sample at 15000 ms, the time of this row; choose a fill policy (hold or zero) for split series"#
    ),
    .csv(
      "no time column", "rps,cpu\n1,2\n",
      #"trace.csv:1: no time column found (no header contains "time" or "date"); name it with timestampColumn .named, or use .rowIndex for files without one"#
    ),
    .csv(
      "offset overflowing Int64 milliseconds", "t,rps\n10,1\n",
      options: CSVOptions(
        timestampColumn: .named("t"),
        timestampFormat: .offsetSeconds(originMilliseconds: Int64.max - 1_000)),
      #"trace.csv:2: column "t" (field 1): "10" read as an offset in seconds is beyond the range of Int64 milliseconds (about ±292 million years from 1970)"#
    ),
    .csv(
      "row-index time overflowing Int64 milliseconds", "rps\n1\n2\n",
      options: CSVOptions(
        timestampColumn: .rowIndex(originMilliseconds: Int64.max - 5, stepMilliseconds: 10)),
      "trace.csv:3: data row 2 is beyond the range of Int64 milliseconds (origin 9223372036854775802 ms + row × 10 ms overflows)"
    ),
    .csv(
      "month 13 in a date-time", "time,rps\n2026-13-01T00:00:00Z,1\n",
      #"trace.csv:2: column "time" (field 1): expected a date-time such as 2026-01-02T03:04:05Z, found "2026-13-01T00:00:00Z""#
    ),
    .csv(
      "a week-long gap is kept as it is (replay holds the last value)",
      "timestamp,rps\n0,1\n15,2\n604815,3\n", "accepted: 3 samples"),

    // MARK: Prometheus
    .prometheus(
      "empty Prometheus response", "",
      "range.json:1:1: invalid JSON: unexpected end of input (the JSON is truncated): expected a JSON object (a Prometheus API response)"
    ),
    .prometheus(
      "truncated Prometheus JSON",
      #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"1"]"#,
      #"range.json:1:91: invalid JSON: unexpected end of input (the JSON is truncated): expected "," or "]" in "values""#
    ),
    .prometheus(
      "Prometheus error response",
      #"{"status":"error","errorType":"bad_data","error":"parse error"}"#,
      "range.json: the response is an error: parse error"),
    .prometheus(
      "Prometheus NaN sample",
      #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"1"],[15,"NaN"]]}]}}"#,
      #"range.json:1:96: series 1, sample 2: expected a finite number, found "NaN" (choose invalid-value policy skipRow to drop such samples)"#
    ),
    .prometheus(
      "Prometheus +Inf sample",
      #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"+Inf"]]}]}}"#,
      #"range.json:1:87: series 1, sample 1: expected a finite number, found "+Inf" (choose invalid-value policy skipRow to drop such samples)"#
    ),
    .prometheus(
      "Prometheus sample beyond Double (1e999)",
      #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"1e999"]]}]}}"#,
      #"range.json:1:87: series 1, sample 1: expected a finite number, found "1e999" (choose invalid-value policy skipRow to drop such samples)"#
    ),
    .prometheus(
      "Prometheus duplicate timestamps in one series",
      #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[15,"1"],[15,"2"]]}]}}"#,
      "range.json:1:94: series 1, sample 2: timestamp 15000 ms repeats the previous sample (line 1, column 85); choose a duplicate policy (keepFirst, keepLast, combine) or a grouping"
    ),
    .prometheus(
      "Prometheus unsorted timestamps in one series",
      #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[30,"1"],[15,"2"]]}]}}"#,
      "range.json:1:94: series 1, sample 2: timestamp 15000 ms is earlier than the previous sample's 30000 ms (line 1, column 85); samples must be in time order (or read with order policy .sort)"
    ),
    .prometheus(
      "Prometheus empty result",
      #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#,
      "range.json: no data: the result holds no series"),
    .prometheus(
      "Prometheus scalar result",
      #"{"status":"success","data":{"resultType":"scalar","result":[0,"1"]}}"#,
      #"range.json:1:42: "resultType": expected "matrix" (query_range) or "vector" (query), found "scalar""#
    ),

    // MARK: Public traces
    .publicFile(
      "Azure LLM trace: empty file", file: "AzureLLMInferenceTrace_code.csv", "",
      "AzureLLMInferenceTrace_code.csv: the file is empty: expected a header line"
    ) {
      _ = try PublicTraces.read(.azureLLMInference, path: $0)
    },
    .publicFile(
      "Alibaba GPU 2023 pods: memory overflowing Int64 bytes", file: "openb_pod_list_default.csv",
      """
      name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
      p,1000,9223372036854775807,0,0,,LS,Running,0,,0
      """,
      #"openb_pod_list_default.csv:2: column "memory_mib" (field 3): 9223372036854775807 is too large: in bytes it does not fit a 64-bit integer"#
    ) { _ = try PublicTraces.readAlibabaGPU2023Pods(path: $0) },
    .publicFile(
      "Alibaba GPU 2023 pods: creation time overflowing milliseconds",
      file: "openb_pod_list_default.csv",
      """
      name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
      p,1000,1024,0,0,,LS,Running,9223372036854775807,,0
      """,
      #"openb_pod_list_default.csv:2: column "creation_time" (field 9): 9223372036854775807 is too large: in milliseconds it does not fit a 64-bit integer"#
    ) { _ = try PublicTraces.readAlibabaGPU2023Pods(path: $0) },
    .publicFile(
      "Alibaba GPU 2023 nodes: memory overflowing Int64 bytes",
      file: "openb_node_list_all_node.csv",
      """
      sn,cpu_milli,memory_mib,gpu,model
      n,1000,99999999999999999,1,V100
      """,
      #"openb_node_list_all_node.csv:2: column "memory_mib" (field 3): 99999999999999999 is too large: in bytes it does not fit a 64-bit integer"#
    ) { _ = try PublicTraces.readAlibabaGPU2023Nodes(path: $0) },
    .publicFile(
      "Alibaba GPU 2025 DLRM: cpu request of 1e300 vCPU", file: "disaggregated_DLRM_trace.csv",
      """
      instance_sn,app_name,role,cpu_request,memory_request,gpu_request,creation_time,deletion_time
      i,a,worker,1e300,1,0,0,
      """,
      #"disaggregated_DLRM_trace.csv:2: column "cpu_request" (field 4): 1e300 is too large: in millicores it does not fit a 64-bit integer"#
    ) { _ = try PublicTraces.readAlibabaGPU2025DLRM(path: $0) },

    // MARK: HPA specs built in code
    .spec(
      "spec: minReplicas > maxReplicas",
      "spec.maxReplicas: must be greater than or equal to `minReplicas` (2 < 5)"
    ) { try HorizontalPodAutoscalerSpec(minReplicas: 5, maxReplicas: 2) },
    .spec(
      "spec: policy period of 1.5 s",
      "spec.behavior.scaleUp.policies[0].periodSeconds: must be a whole number of seconds"
    ) {
      try HorizontalPodAutoscalerSpec(
        maxReplicas: 3,
        behavior: ScalingBehavior(
          scaleUp: ScalingRules(policies: [.pods(1, per: .milliseconds(1_500))])))
    },
    .spec(
      "spec: negative tolerance",
      "spec.behavior.scaleUp.tolerance: must be greater or equal to zero"
    ) {
      try HorizontalPodAutoscalerSpec(
        maxReplicas: 3,
        behavior: ScalingBehavior(scaleUp: ScalingRules(tolerance: Quantity(milliValue: -1))),
        featureGates: FeatureGates(configurableTolerance: true))
    },
    .spec(
      "spec: Int64.max replicas",
      "spec.maxReplicas: must fit a 32-bit integer (got 9223372036854775807)"
    ) {
      try HorizontalPodAutoscalerSpec(maxReplicas: Int.max)
    },

    // MARK: Space files
    .space(
      "space range with min > max", #"{"dimensions":[{"name":"minReplicas","min":4,"max":1}]}"#,
      "dimension 'minReplicas': a range needs finite 'min' ≤ 'max'"),
    .space(
      "space with zero steps",
      #"{"dimensions":[{"name":"scaleUp.tolerance","min":0,"max":1,"steps":0}]}"#,
      "dimension 'scaleUp.tolerance': 'steps' must be in 1…10000 (got 0)"),
    .space(
      "space range too large", #"{"dimensions":[{"name":"minReplicas","min":1,"max":1e14}]}"#,
      "dimension 'minReplicas': the range has more than 10000 levels; raise 'step'"),
    .space(
      "space with empty values", #"{"dimensions":[{"name":"minReplicas","values":[]}]}"#,
      "dimension 'minReplicas' has no value to choose from; give at least one value"),
    .space(
      "space with an unknown parameter", #"{"dimensions":[{"name":"maxSurge","values":[1]}]}"#,
      "parameter 'maxSurge' is not an HPA tuning parameter; known: scaleUp.stabilizationWindowSeconds, scaleUp.selectPolicy, scaleUp.policy.type, scaleUp.policy.value, scaleUp.policy.periodSeconds, scaleUp.secondPolicy.type, scaleUp.secondPolicy.value, scaleUp.secondPolicy.periodSeconds, scaleUp.tolerance, scaleDown.stabilizationWindowSeconds, scaleDown.selectPolicy, scaleDown.policy.type, scaleDown.policy.value, scaleDown.policy.periodSeconds, scaleDown.secondPolicy.type, scaleDown.secondPolicy.value, scaleDown.secondPolicy.periodSeconds, scaleDown.tolerance, metrics.targetPercent, metrics.cpu.averageUtilization, metrics.memory.averageUtilization, metrics.pods.targetPercent, minReplicas, maxReplicas"
    ),
    .space(
      "space constraint with an unknown operator",
      #"{"constraints":["minReplicas >= maxReplicas"]}"#,
      "constraint 'minReplicas >= maxReplicas': expected 'name <= name' or 'name < name'"),
    .space(
      "space with a duplicate dimension",
      #"{"dimensions":[{"name":"minReplicas","values":[1]},{"name":"minReplicas","values":[2]}]}"#,
      "dimension 'minReplicas' is declared twice; each name may appear once"),
    .space(
      "space with a negative window",
      #"{"dimensions":[{"name":"scaleDown.stabilizationWindowSeconds","values":[-60]}]}"#,
      "dimension 'scaleDown.stabilizationWindowSeconds': value -60 is rejected by the API server: stabilizationWindowSeconds must be in 0…3600 seconds"
    ),
    .space(
      "space with a real range of 1e308 width",
      #"{"dimensions":[{"name":"scaleUp.tolerance","min":-1e308,"max":1e308}]}"#,
      "dimension 'scaleUp.tolerance': every level must be finite"),
  ]

  @Test(arguments: cases)
  func getsItsExactMessage(_ input: BadInput) {
    let outcome: String
    do { outcome = try input.feed() } catch { outcome = "\(error)" }
    #expect(outcome == input.expected)
  }
}
