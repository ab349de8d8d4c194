import AutoscalingCore

/// The public trace formats documented in `../shared/traces/SOURCES.md`, each read with the
/// columns, units and caveats that file needs.
public enum PublicTrace: String, Hashable, Sendable, CaseIterable {
  /// Alibaba GenAI 2026 `qps.csv`: per-container QPS (scaled), summed over containers per
  /// timestamp for the generative requests → column `qps`.
  case alibabaGenAIQPS = "alibaba-genai-qps"
  /// Alibaba GenAI 2026 `queue_size_raw_anon.csv`: gateway queue backlog → column `queue`.
  case alibabaGenAIQueueSize = "alibaba-genai-queue-size"
  /// Alibaba GenAI 2026 `pod_memory_util_anon.tar.gz` (read through `tar`): memory as a
  /// **fraction** of the limit (the README says percent), averaged over containers per
  /// timestamp → column `memory_fraction`; the one negative sample is clamped to zero.
  case alibabaGenAIPodMemory = "alibaba-genai-pod-memory"
  /// Azure LLM inference 2023 (code or conversation): request arrivals binned into
  /// `requests_per_second`, `context_tokens_per_second`, `generated_tokens_per_second`.
  case azureLLMInference = "azure-llm-inference"
  /// DataCenter-Traces Alibaba 2018 machine usage (10 s or 300 s rows, no time column:
  /// row *i* is at *i* × step from the trace start), percent columns.
  case alibaba2018MachineUsage = "alibaba2018-machine-usage"
  /// DataCenter-Traces Google 2019 instance usage (300 s rows, no time column), normalised
  /// units.
  case google2019InstanceUsage = "google2019-instance-usage"
  /// DataCenter-Traces Azure 2019 VM aggregate (`timestamp` in seconds from the trace start).
  case azure2019VMUsage = "azure2019-vm-usage"
  /// NASA-HTTP 1995 per-second request counts (`workload_per_second.tbz2`, read through
  /// `tar`) → column `requests_per_second`.
  case nasaPerSecond = "nasa-per-second"
  /// NASA-HTTP 1995 per-minute counts (derived CSV) → column `requests` (per minute).
  case nasaPerMinute = "nasa-per-minute"
  /// Bitbrains GWA-T-12 VM (`;` + tab separated; the `Timestamp [ms]` column holds seconds).
  case bitbrains = "bitbrains"
  /// VASIM's Alibaba 2018 container CPU (`TIMESTAMP` as `YYYY.MM.DD-HH:MM:SS:mmm`).
  case vasimContainerCPU = "vasim-container-cpu"

  /// Recognises a file of ``../shared/traces`` by its name.
  ///
  /// - Parameter path: A file path.
  /// - Returns: The format, or `nil` when the name is not one of the published files.
  public static func detect(path: String) -> PublicTrace? {
    let name = TraceReader.fileName(path)
    switch name {
    case "qps.csv": return .alibabaGenAIQPS
    case "queue_size_raw_anon.csv": return .alibabaGenAIQueueSize
    case "pod_memory_util_anon.tar.gz", "pod_memory_util_anon.csv": return .alibabaGenAIPodMemory
    case "requests_per_minute.csv": return .nasaPerMinute
    case "workload_per_second.tbz2", "workload.txt": return .nasaPerSecond
    default: break
    }
    if name.hasPrefix("AzureLLMInferenceTrace") { return .azureLLMInference }
    if name.hasPrefix("alibaba2018_machine_usage") { return .alibaba2018MachineUsage }
    if name.hasPrefix("google2019_instance_usage") { return .google2019InstanceUsage }
    if name.hasPrefix("azure2019_vm_cpu_readings") { return .azure2019VMUsage }
    if name.hasPrefix("rnd_") && name.hasSuffix(".csv") { return .bitbrains }
    if name.hasSuffix("_cpu_usage.csv") { return .vasimContainerCPU }
    return nil
  }
}

/// Readers for ``PublicTrace`` files and the event traces of the Alibaba GPU clusters.
public enum PublicTraces: Sendable {
  /// 1995-07-01 00:00:01 −04:00 (the first second of the NASA July log), milliseconds since
  /// the Unix epoch.
  public static let nasaOriginMilliseconds: Int64 = 804_571_201_000

  /// Reads a public trace file as a time series.
  ///
  /// Memory: every format streams, in ``TraceReader/chunkSize`` chunks from the file or from
  /// `tar`'s output for the archived ones (the pod-memory `.tar.gz`, NASA's `.tbz2`); the
  /// heap holds the kept series (one row per distinct time, or per bucket when binned — NASA
  /// per second keeps one value per second or bucket), one chunk and the longest line — not
  /// the file. Azure LLM reads the file twice (counts, then tokens). The Alibaba GenAI QPS,
  /// queue-size and pod-memory formats fold over `container_ip` (each container averaged
  /// within a time first): while rows arrive in time order (the published files do), each
  /// time is combined and its per-container slots (about 60 bytes each) freed as soon as a
  /// later time arrives, so the heap holds the kept rows plus one slot per container of the
  /// latest time. A file whose rows go back in time is read a second time on the general
  /// path, which holds one slot per distinct (time, container) pair until the end.
  ///
  /// - Parameters:
  ///   - trace: The format.
  ///   - path: The file path.
  ///   - bucketMilliseconds: For request-arrival and per-second formats (Azure LLM, NASA per
  ///     second), the bin width in milliseconds (default 60,000 for Azure LLM, none for NASA);
  ///     ignored by the others.
  /// - Returns: The series, with the dataset's caveats in ``TraceSource/notes``.
  /// - Throws: ``TraceError``.
  public static func read(_ trace: PublicTrace, path: String, bucketMilliseconds: Int64? = nil)
    throws(TraceError) -> TimeSeries
  {
    try read(trace, input: .path(path), bucketMilliseconds: bucketMilliseconds)
  }

  /// Reads a public trace held in memory as a time series, exactly as
  /// ``read(_:path:bucketMilliseconds:)`` reads the file.
  ///
  /// The bytes are the file's text: for the archived formats, the content of the archive's
  /// one file (the pod-memory CSV for ``PublicTrace/alibabaGenAIPodMemory``, NASA's
  /// `workload.txt` for ``PublicTrace/nasaPerSecond``).
  ///
  /// - Parameters:
  ///   - trace: The format.
  ///   - bytes: The file content (UTF-8 text).
  ///   - name: The file name used in errors and as ``TraceSource/name``; for
  ///     ``PublicTrace/alibaba2018MachineUsage`` a name containing `10_seconds` selects 10 s
  ///     rows (otherwise 300 s), as the published file names do.
  ///   - bucketMilliseconds: As for ``read(_:path:bucketMilliseconds:)``, milliseconds.
  /// - Returns: The series, with the dataset's caveats in ``TraceSource/notes``.
  /// - Throws: ``TraceError`` naming `name`, the line and the column of a bad value.
  public static func read(
    _ trace: PublicTrace, bytes: [UInt8], name: String = "<input>",
    bucketMilliseconds: Int64? = nil
  ) throws(TraceError) -> TimeSeries {
    try read(trace, input: .bytes(bytes, name: name), bucketMilliseconds: bucketMilliseconds)
  }

  /// The shared body of the path and bytes entry points.
  static func read(_ trace: PublicTrace, input: TraceInput, bucketMilliseconds: Int64?)
    throws(TraceError) -> TimeSeries
  {
    let name = input.name
    var series: TimeSeries
    var description = ""
    var notes: [String] = []
    switch trace {
    case .alibabaGenAIQPS:
      series = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .named("timestamp_anon"), timestampFormat: .unixSeconds,
          valueColumns: ["value"], units: ["value": "requests/s (scaled)"],
          filters: ["request_type": "Generative Requests"],
          grouping: .fold(aggregation: .sum, key: "container_ip")))
      series = try series.renaming("value", to: "qps")
      description = "Alibaba GenAI 2026 stable-diffusion serving: total generative QPS"
      notes = [
        "QPS values are anonymised by scaling (proportions preserved)",
        "timestamps are anonymised by a constant shift (they look like Unix seconds)",
      ]
    case .alibabaGenAIQueueSize:
      series = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .named("timestamp_anon"), timestampFormat: .unixSeconds,
          valueColumns: ["value"], units: ["value": "tasks"],
          grouping: .fold(aggregation: .sum, key: "container_ip")))
      series = try series.renaming("value", to: "queue")
      description = "Alibaba GenAI 2026 gateway queue backlog"
    case .alibabaGenAIPodMemory:
      let options = CSVOptions(
        timestampColumn: .named("timestamp_anon"), timestampFormat: .unixSeconds,
        valueColumns: ["value"], units: ["value": "fraction of limit"],
        grouping: .fold(aggregation: .mean, key: "container_ip"),
        policies: ReadPolicies(negativeValues: .clampToZero))
      if case .path(let path) = input, path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz") {
        series = try CSVStreamParser.read(file: name, options: options, sizeHint: nil) {
          parser throws(TraceError) in
          try TraceReader.forEachChunk(command: ["tar", "-xzOf", path], file: name) {
            chunk throws(TraceError) in try parser.consume(chunk)
          }
        }
      } else {
        series = try input.readCSV(options: options)
      }
      series = try series.renaming("value", to: "memory_fraction")
      description = "Alibaba GenAI 2026 pod memory utilisation, mean over containers"
      notes = [
        "the dataset README says percentage, but values lie in [-0.00001, 0.993]: read as a "
          + "fraction of the memory limit"
      ]
    case .azureLLMInference:
      let bucket = bucketMilliseconds ?? 60_000
      let counts = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .named("TIMESTAMP"), timestampFormat: .dateTime,
          valueColumns: ["ContextTokens"], grouping: .fold(aggregation: .count, key: nil),
          bucketMilliseconds: bucket))
      let tokens = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .named("TIMESTAMP"), timestampFormat: .dateTime,
          valueColumns: ["ContextTokens", "GeneratedTokens"],
          grouping: .fold(aggregation: .sum, key: nil), bucketMilliseconds: bucket))
      let seconds = Double(bucket) / 1_000
      series = try TimeSeries(
        timestamps: counts.timestamps,
        columns: [
          .init(
            name: "requests_per_second", unit: "requests/s",
            values: (counts.values(of: "ContextTokens") ?? []).map { $0 / seconds }),
          .init(
            name: "context_tokens_per_second", unit: "tokens/s",
            values: (tokens.values(of: "ContextTokens") ?? []).map { $0 / seconds }),
          .init(
            name: "generated_tokens_per_second", unit: "tokens/s",
            values: (tokens.values(of: "GeneratedTokens") ?? []).map { $0 / seconds }),
        ],
        source: TraceSource(name: name))
      description = "Azure LLM inference 2023 request arrivals, binned"
      notes = [
        "arrivals binned into \(bucket) ms buckets; buckets without arrivals are absent (fill "
          + "them with zero when resampling)"
      ]
    case .alibaba2018MachineUsage:
      let step: Int64 = name.contains("10_seconds") ? 10_000 : 300_000
      series = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .rowIndex(originMilliseconds: 0, stepMilliseconds: step),
          units: [
            "cpu_util_percent": "percent", "mem_util_percent": "percent",
            "net_in": "normalised 0-100", "net_out": "normalised 0-100",
            "disk_io_percent": "percent",
          ]))
      description = "Alibaba 2018 cluster-wide machine usage average"
      notes = ["no time column: row i is at i × \(step / 1_000) s from the trace start"]
      if step == 300_000 {
        notes.append("the 300 s file is a decimation (every 30th 10 s row), not an average")
      }
    case .google2019InstanceUsage:
      series = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .rowIndex(originMilliseconds: 0, stepMilliseconds: 300_000),
          units: [
            "avg_cpu": "normalised", "avg_mem": "normalised", "avg_assigned_mem": "normalised",
            "avg_cycles_per_instruction": "cycles/instruction",
          ]))
      description = "Google ClusterData 2019 instance usage, cell average per 5 min"
      notes = ["no time column: row i is at i × 300 s from the trace start"]
    case .azure2019VMUsage:
      series = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .named("timestamp"),
          timestampFormat: .offsetSeconds(originMilliseconds: 0),
          units: [
            "cpu_usage": "relative (sum of cores × utilisation)", "assigned_mem": "undocumented",
          ]))
      description = "Azure 2019 VM trace, sum over VMs per 5 min"
      notes = ["timestamps are seconds from the trace start; cpu_usage is a relative load curve"]
    case .nasaPerSecond:
      series = try readNASAPerSecond(input: input, bucketMilliseconds: bucketMilliseconds)
      description = "NASA-HTTP 1995 requests per second"
      notes = nasaNotes
    case .nasaPerMinute:
      series = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .named("minute_index"),
          timestampFormat: .offsetMilliseconds(originMilliseconds: nasaOriginMilliseconds),
          units: ["requests": "requests/min"]))
      // minute_index counts minutes: rescale the offsets read as milliseconds.
      var minutes: [Int64] = []
      minutes.reserveCapacity(series.count)
      for (row, time) in series.timestamps.enumerated() {
        let minute = time - nasaOriginMilliseconds
        let (offset, overflow) = minute.multipliedReportingOverflow(by: 60_000)
        guard !overflow, let stamp = CSVStreamParser.shifted(nasaOriginMilliseconds, by: offset)
        else {
          throw TraceError(
            file: name, field: "minute_index",
            message: "data row \(row + 1): minute \(minute) is too large (its time in "
              + "milliseconds does not fit a 64-bit integer)")
        }
        minutes.append(stamp)
      }
      series = TimeSeries(unchecked: minutes, columns: series.columns, source: series.source)
      description = "NASA-HTTP 1995 requests per minute (derived)"
      notes = nasaNotes
    case .bitbrains:
      series = try input.readCSV(
        options: CSVOptions(
          delimiter: UInt8(ascii: ";"), timestampColumn: .named("Timestamp [ms]"),
          timestampFormat: .unixSeconds,
          units: [
            "CPU cores": "cores", "CPU capacity provisioned [MHZ]": "MHz",
            "CPU usage [MHZ]": "MHz", "CPU usage [%]": "percent",
            "Memory capacity provisioned [KB]": "KB", "Memory usage [KB]": "KB",
            "Disk read throughput [KB/s]": "KB/s", "Disk write throughput [KB/s]": "KB/s",
            "Network received throughput [KB/s]": "KB/s",
            "Network transmitted throughput [KB/s]": "KB/s",
          ]))
      description = "Bitbrains GWA-T-12 Rnd VM, 300 s samples"
      notes = [
        "the \"Timestamp [ms]\" column holds Unix seconds despite its label; read as seconds"
      ]
    case .vasimContainerCPU:
      series = try input.readCSV(
        options: CSVOptions(
          timestampColumn: .named("TIMESTAMP"), timestampFormat: .dateTime,
          units: ["CPU_USAGE_ACTUAL": "relative (Alibaba CPU units)"]))
      description = "Alibaba 2018 container CPU as preprocessed by VASIM"
      notes = ["VASIM re-based the trace to start on 2023-04-02; the CPU unit is undocumented"]
    }
    series.source.name = name
    series.source.description = description
    series.source.notes = notes + series.source.notes
    return series
  }

  private static let nasaNotes = [
    "time base: the July log (from 1995-07-01 00:00:01 −04:00) is followed by the August log "
      + "with no gap; after second 2,381,544 wall-clock times are not exact",
    "the 135,851 s run of zeros from second 2,435,065 is the 1–3 August 1995 server outage, "
      + "not idle traffic",
  ]

  /// Reads NASA's `workload.txt` (whitespace-separated per-second counts) from the `.tbz2`
  /// archive through `tar`, or from the extracted text file. Value *i* is second *i* after
  /// ``nasaOriginMilliseconds``; with a bucket, the mean count per second of each bucket.
  static func readNASAPerSecond(input: TraceInput, bucketMilliseconds: Int64?)
    throws(TraceError) -> TimeSeries
  {
    let name = input.name
    let bucketSeconds = Int(max(1, (bucketMilliseconds ?? 1_000) / 1_000))
    var sums: [Double] = []
    var inBucket = 0
    var bucketSum = 0.0
    var index = 0
    var current: Int64 = 0
    var inNumber = false
    var line = 1
    var lineStart = 0  // offset in the stream of the current line's first byte
    var offset = 0
    let body: (UnsafeRawBufferPointer) throws(TraceError) -> Void = { chunk throws(TraceError) in
      for byte in chunk {
        offset += 1
        let digit = byte &- UInt8(ascii: "0")
        if digit <= 9 {
          if current > 1_000_000_000_000 {
            throw TraceError(
              file: name, line: line, column: offset - lineStart,
              message: "count \(index + 1) is implausibly large (more than 10¹² requests in a "
                + "second): expected a per-second request count")
          }
          current = current * 10 + Int64(digit)
          inNumber = true
          continue
        }
        guard
          byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
        else {
          let shown =
            byte >= 0x20 && byte < 0x7F
            ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte 0x\(String(byte, radix: 16))"
          throw TraceError(
            file: name, line: line, column: offset - lineStart,
            message: "expected whitespace-separated per-second counts (digits), found \(shown) "
              + "after count \(index)")
        }
        if byte == UInt8(ascii: "\n") {
          line += 1
          lineStart = offset
        }
        if inNumber {
          bucketSum += Double(current)
          inBucket += 1
          index += 1
          if inBucket == bucketSeconds {
            sums.append(bucketSum / Double(bucketSeconds))
            bucketSum = 0
            inBucket = 0
          }
          current = 0
          inNumber = false
        }
      }
    }
    if case .path(let path) = input, path.hasSuffix(".tbz2") || path.hasSuffix(".tar.bz2") {
      try TraceReader.forEachChunk(command: ["tar", "-xjOf", path], file: name, body)
    } else {
      try input.forEachChunk(body)
    }
    if inNumber {
      bucketSum += Double(current)
      inBucket += 1
      index += 1
    }
    if inBucket > 0 { sums.append(bucketSum / Double(inBucket)) }
    if sums.isEmpty { throw TraceError(file: name, message: "no data: the file holds no counts") }
    let step = Int64(bucketSeconds) * 1_000
    let timestamps = (0..<sums.count).map { nasaOriginMilliseconds + Int64($0) * step }
    var notes = ["\(index) per-second counts read"]
    if bucketSeconds > 1 {
      notes.append("averaged over \(bucketSeconds) s buckets (the last bucket may be partial)")
    }
    return TimeSeries(
      unchecked: timestamps,
      columns: [.init(name: "requests_per_second", unit: "requests/s", values: sums)],
      source: TraceSource(name: name, notes: notes))
  }

  /// Reads the Alibaba GPU 2023 pod list (`openb_pod_list_*.csv`) as an event trace.
  ///
  /// Requests: `cpu_milli` millicores, `memory_mib` MiB, `num_gpu` whole GPUs; a GPU-sharing
  /// pod (`gpu_milli` < 1000) requests one `nvidia.com/gpu` and carries its share in the label
  /// `gpu-milli`. Times are seconds from the trace start. Labels: `qos`, `gpu-spec`, `phase`.
  ///
  /// Memory: the file streams in ``TraceReader/chunkSize`` chunks; the heap holds the pods
  /// (every row is kept: one ``PodRecord`` each), one chunk and the longest line.
  ///
  /// - Parameter path: The file path.
  /// - Returns: The pods.
  /// - Throws: ``TraceError`` naming the line and column of a bad value.
  public static func readAlibabaGPU2023Pods(path: String) throws(TraceError) -> EventTrace {
    try readAlibabaGPU2023Pods(input: .path(path))
  }

  /// Reads an Alibaba GPU 2023 pod list held in memory as an event trace.
  ///
  /// - Parameters:
  ///   - bytes: The file content (UTF-8 text, header first).
  ///   - name: The file name used in errors.
  /// - Returns: The same value as ``readAlibabaGPU2023Pods(path:)`` returns for a file
  ///   with this content.
  /// - Throws: ``TraceError`` naming `name`, the line and the column of a bad value.
  public static func readAlibabaGPU2023Pods(bytes: [UInt8], name: String = "<input>")
    throws(TraceError) -> EventTrace
  {
    try readAlibabaGPU2023Pods(input: .bytes(bytes, name: name))
  }

  static func readAlibabaGPU2023Pods(input: TraceInput) throws(TraceError) -> EventTrace {
    let name = input.name
    var pods: [PodRecord] = []
    try forEachRecord(input: input) { record throws(TraceError) in
      let cpu = try record.int("cpu_milli")
      let memory = try record.int("memory_mib", times: 1_048_576, unit: "bytes")
      let gpus = try record.int("num_gpu")
      let gpuMilli = try record.int("gpu_milli")
      let created = try record.int("creation_time", times: 1_000, unit: "milliseconds")
      let deletedText = try record.text("deletion_time")
      let deleted =
        deletedText.isEmpty
        ? nil : try record.int("deletion_time", times: 1_000, unit: "milliseconds")
      try record.checkOrder(arrival: created, departure: deleted)
      var requests: ResourceList = [
        .cpu: Quantity(milliValue: cpu), .memory: Quantity(memory),
      ]
      if gpus > 0 { requests[.nvidiaGPU] = Quantity(gpus) }
      var labels: Labels = [
        "qos": try record.text("qos"), "phase": try record.text("pod_phase"),
      ]
      let spec = try record.text("gpu_spec")
      if !spec.isEmpty { labels["gpu-spec"] = spec }
      if gpus > 0 && gpuMilli < 1_000 { labels["gpu-milli"] = String(gpuMilli) }
      pods.append(
        PodRecord(
          name: try record.text("name"), arrivalMilliseconds: created,
          departureMilliseconds: deleted, requests: requests, labels: labels))
    }
    return EventTrace(
      pods: pods,
      source: TraceSource(
        name: name, description: "Alibaba GPU cluster 2023 pods (ATC '23)",
        notes: ["times are seconds from the trace start"]))
  }

  /// Reads the Alibaba GPU 2023 node list (`openb_node_list_all_node.csv`).
  ///
  /// Memory: streamed like ``readAlibabaGPU2023Pods(path:)``; the heap holds the nodes.
  ///
  /// - Parameter path: The file path.
  /// - Returns: The nodes, with capacity in cores, bytes and GPUs and the GPU model as the
  ///   label `gpu-model`.
  /// - Throws: ``TraceError``.
  public static func readAlibabaGPU2023Nodes(path: String) throws(TraceError) -> [NodeRecord] {
    try readAlibabaGPU2023Nodes(input: .path(path))
  }

  /// Reads an Alibaba GPU 2023 node list held in memory.
  ///
  /// - Parameters:
  ///   - bytes: The file content (UTF-8 text, header first).
  ///   - name: The file name used in errors.
  /// - Returns: The same value as ``readAlibabaGPU2023Nodes(path:)`` returns for a file
  ///   with this content.
  /// - Throws: ``TraceError`` naming `name`, the line and the column of a bad value.
  public static func readAlibabaGPU2023Nodes(bytes: [UInt8], name: String = "<input>")
    throws(TraceError) -> [NodeRecord]
  {
    try readAlibabaGPU2023Nodes(input: .bytes(bytes, name: name))
  }

  static func readAlibabaGPU2023Nodes(input: TraceInput) throws(TraceError) -> [NodeRecord] {
    var nodes: [NodeRecord] = []
    try forEachRecord(input: input) { record throws(TraceError) in
      var capacity: ResourceList = [
        .cpu: Quantity(milliValue: try record.int("cpu_milli")),
        .memory: Quantity(try record.int("memory_mib", times: 1_048_576, unit: "bytes")),
      ]
      let gpus = try record.int("gpu")
      if gpus > 0 { capacity[.nvidiaGPU] = Quantity(gpus) }
      let model = try record.text("model")
      nodes.append(
        NodeRecord(
          name: try record.text("sn"), capacity: capacity,
          labels: model.isEmpty ? [:] : ["gpu-model": model]))
    }
    return nodes
  }

  /// Reads the Alibaba GPU 2025 disaggregated DLRM trace as an event trace.
  ///
  /// Requests: `cpu_request` vCPU, `memory_request` GiB, `gpu_request` GPUs. An empty
  /// `creation_time` (the instance existed before the trace) becomes arrival 0; an empty
  /// `deletion_time` means still running. Labels: `app`, `role`.
  ///
  /// Memory: streamed like ``readAlibabaGPU2023Pods(path:)``; the heap holds the instances
  /// (one ``PodRecord`` per row), one chunk and the longest line.
  ///
  /// - Parameter path: The file path.
  /// - Returns: The instances.
  /// - Throws: ``TraceError``.
  public static func readAlibabaGPU2025DLRM(path: String) throws(TraceError) -> EventTrace {
    try readAlibabaGPU2025DLRM(input: .path(path))
  }

  /// Reads an Alibaba GPU 2025 DLRM trace held in memory as an event trace.
  ///
  /// - Parameters:
  ///   - bytes: The file content (UTF-8 text, header first).
  ///   - name: The file name used in errors.
  /// - Returns: The same value as ``readAlibabaGPU2025DLRM(path:)`` returns for a file
  ///   with this content.
  /// - Throws: ``TraceError`` naming `name`, the line and the column of a bad value.
  public static func readAlibabaGPU2025DLRM(bytes: [UInt8], name: String = "<input>")
    throws(TraceError) -> EventTrace
  {
    try readAlibabaGPU2025DLRM(input: .bytes(bytes, name: name))
  }

  static func readAlibabaGPU2025DLRM(input: TraceInput) throws(TraceError) -> EventTrace {
    let name = input.name
    var pods: [PodRecord] = []
    var preexisting = 0
    try forEachRecord(input: input) { record throws(TraceError) in
      let cpu = try record.scaled("cpu_request", by: 1_000, unit: "millicores")
      let memory = try record.scaled("memory_request", by: 1_073_741_824, unit: "bytes")
      // Whole GPUs: a fraction rounds up.
      let gpus = try record.scaled("gpu_request", by: 1, unit: "GPUs", rounding: .up)
      var requests: ResourceList = [
        .cpu: Quantity(milliValue: cpu), .memory: Quantity(memory),
      ]
      if gpus > 0 { requests[.nvidiaGPU] = Quantity(gpus) }
      let createdText = try record.text("creation_time")
      if createdText.isEmpty { preexisting += 1 }
      let created =
        createdText.isEmpty
        ? 0 : try record.scaled("creation_time", by: 1_000, unit: "milliseconds")
      let deletedText = try record.text("deletion_time")
      let deleted =
        deletedText.isEmpty
        ? nil : try record.scaled("deletion_time", by: 1_000, unit: "milliseconds")
      try record.checkOrder(arrival: created, departure: deleted)
      pods.append(
        PodRecord(
          name: try record.text("instance_sn"),
          arrivalMilliseconds: created,
          departureMilliseconds: deleted,
          requests: requests,
          labels: ["app": try record.text("app_name"), "role": try record.text("role")]))
    }
    return EventTrace(
      pods: pods,
      source: TraceSource(
        name: name, description: "Alibaba GPU 2025 disaggregated DLRM serving (NSDI '25)",
        notes: [
          "\(preexisting) instances existed before the trace start: arrival set to 0",
          "an empty deletion_time means the instance outlived the ~31-day window",
        ]))
  }
}

// MARK: - Simple records (event traces are small: tens of thousands of rows)

/// One CSV data row with header lookup (internal).
struct CSVRecord {
  let file: String
  let line: Int
  let headerLine: Int
  let header: [String: Int]
  let fields: [Substring]

  func text(_ column: String) throws(TraceError) -> String {
    guard let index = header[column] else {
      throw TraceError(
        file: file, line: headerLine, field: column,
        message: "no such column; the header has \(header.keys.sorted().joined(separator: ", "))")
    }
    guard index < fields.count else {
      throw TraceError(
        file: file, line: line, message: "expected \(header.count) fields, found \(fields.count)")
    }
    return String(fields[index]).trimmingBlanks()
  }

  func int(_ column: String) throws(TraceError) -> Int64 {
    let value = try text(column)
    guard let number = Int64(value) else {
      throw TraceError(
        file: file, line: line, fieldIndex: (header[column] ?? 0) + 1, field: column,
        message: "expected an integer, found \"\(value)\"")
    }
    if number < 0 {
      throw TraceError(
        file: file, line: line, fieldIndex: (header[column] ?? 0) + 1, field: column,
        message: "expected zero or more, found \(number)")
    }
    return number
  }

  /// An integer column times `factor` (a unit conversion), rejecting a product that does not
  /// fit 64 bits instead of trapping.
  func int(_ column: String, times factor: Int64, unit: String) throws(TraceError) -> Int64 {
    let number = try int(column)
    let (product, overflow) = number.multipliedReportingOverflow(by: factor)
    if overflow {
      throw TraceError(
        file: file, line: line, fieldIndex: (header[column] ?? 0) + 1, field: column,
        message: "\(number) is too large: in \(unit) it does not fit a 64-bit integer")
    }
    return product
  }

  /// A decimal column times `factor`, rounded to an integer (a unit conversion), rejecting a
  /// result that does not fit 64 bits instead of trapping.
  func scaled(
    _ column: String, by factor: Double, unit: String,
    rounding: FloatingPointRoundingRule = .toNearestOrAwayFromZero
  ) throws(TraceError) -> Int64 {
    let number = try decimal(column)
    let product = (number * factor).rounded(rounding)
    guard product < 9.2e18 else {
      throw TraceError(
        file: file, line: line, fieldIndex: (header[column] ?? 0) + 1, field: column,
        message: "\(try text(column)) is too large: in \(unit) it does not fit a 64-bit integer")
    }
    return Int64(product)
  }

  /// Rejects a departure before the arrival (both milliseconds), naming the deletion column.
  func checkOrder(arrival: Int64, departure: Int64?) throws(TraceError) {
    guard let departure, departure < arrival else { return }
    throw TraceError(
      file: file, line: line, fieldIndex: (header["deletion_time"] ?? 0) + 1,
      field: "deletion_time",
      message: "the deletion time (\(departure) ms) is before the creation time (\(arrival) ms)")
  }

  func decimal(_ column: String) throws(TraceError) -> Double {
    let value = try text(column)
    guard let number = Double(value), number.isFinite, number >= 0 else {
      throw TraceError(
        file: file, line: line, fieldIndex: (header[column] ?? 0) + 1, field: column,
        message: "expected a finite number of zero or more, found \"\(value)\"")
    }
    return number
  }
}

/// Streams a simple comma-separated file (no quoted commas) row by row.
func forEachRecord(input: TraceInput, _ body: (CSVRecord) throws(TraceError) -> Void)
  throws(TraceError)
{
  let name = input.name
  var carry: [UInt8] = []
  var header: [String: Int]?
  var headerFields = 0
  var headerLine = 0
  var lineNumber = 0
  func handle(_ lineBytes: ArraySlice<UInt8>) throws(TraceError) {
    lineNumber += 1
    var text = String(decoding: lineBytes, as: UTF8.self)
    if text.hasSuffix("\r") { text.removeLast() }
    if text.isEmpty { return }
    let fields = text.split(separator: ",", omittingEmptySubsequences: false)
    guard let header else {
      var map: [String: Int] = [:]
      for (index, field) in fields.enumerated() { map[String(field).trimmingBlanks()] = index }
      header = map
      headerFields = fields.count
      headerLine = lineNumber
      return
    }
    guard fields.count == headerFields else {
      throw TraceError(
        file: name, line: lineNumber,
        message: "expected \(headerFields) fields as in the header, found \(fields.count)")
    }
    try body(
      CSVRecord(
        file: name, line: lineNumber, headerLine: headerLine, header: header, fields: fields))
  }
  try input.forEachChunk { chunk throws(TraceError) in
    carry.append(contentsOf: chunk)
    var start = carry.startIndex
    while let newline = carry[start...].firstIndex(of: UInt8(ascii: "\n")) {
      try handle(carry[start..<newline])
      start = newline + 1
    }
    carry.removeSubrange(..<start)
  }
  if !carry.isEmpty { try handle(carry[...]) }
  if header == nil {
    throw TraceError(file: name, message: "the file is empty: expected a header line")
  }
}

extension String {
  fileprivate func trimmingBlanks() -> String {
    var slice = self[...]
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return String(slice)
  }
}
