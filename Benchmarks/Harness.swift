// A dependency-free benchmark harness in package-benchmark's shape: named benchmarks
// (`Suite.operation/scale`), warm-up, median of samples, throughput; plus the quality
// scoreboard and the regression check. Run it in release:
//   swift run -c release AutoscalingBenchmarks [filter] [--quick] [--json OUT.json] [--compare OLD.json]
//   swift run -c release AutoscalingBenchmarks scoreboard [--quick] [--json OUT.json] [--html OUT.html] [--compare OLD.json]
//   swift run -c release AutoscalingBenchmarks all ...        (scoreboard, then the speed suite)
//   swift run -c release AutoscalingBenchmarks markdown RUN.json   (the README "Results" section)
import AutoscalingReplay
import Foundation

/// One named benchmark.
struct Benchmark {
  /// `Suite.operation/scale`, e.g. `HPA.decision/10 pods`.
  var name: String
  /// Operations performed by one call of `body`, for throughput.
  var operationsPerRun: Int
  /// The target, printed beside the figure (for example `≥ 5,000,000 ops/s`).
  var target: String = ""
  /// The work measured.
  var body: () -> Void
}

/// Consumes a value so the optimizer cannot delete the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
  withUnsafePointer(to: value) { pointer in
    _blackHoleSink = UnsafeRawPointer(pointer).load(as: UInt8.self) &+ _blackHoleSink
  }
}

nonisolated(unsafe) var _blackHoleSink: UInt8 = 0

/// One benchmark's result.
struct Measurement {
  var name: String
  var medianSeconds: Double
  var operationsPerSecond: Double
  var target: String
}

/// Runs `benchmark` `warmUp` times, then takes up to `samples` timed samples and reports their
/// median. Sampling stops early once `minimumSamples` samples have been taken and together
/// they ran for `timeBudget` seconds, so a benchmark whose body takes seconds (a tuning run)
/// does not stretch the suite to half an hour, while a microsecond body still gets every sample.
/// Warm-up stops after the first run when that run alone took longer than `timeBudget` / 4.
func measure(
  _ benchmark: Benchmark, samples: Int, warmUp: Int, minimumSamples: Int = 3,
  timeBudget: Double = .infinity
) -> Measurement {
  let clock = ContinuousClock()
  func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) * 1e-18
  }
  for index in 0..<warmUp {
    let elapsed = seconds(clock.measure(benchmark.body))
    if index == 0, elapsed > timeBudget / 4 { break }
  }
  var durations: [Double] = []
  var total = 0.0
  for _ in 0..<max(samples, 1) {
    let elapsed = seconds(clock.measure(benchmark.body))
    durations.append(elapsed)
    total += elapsed
    if durations.count >= minimumSamples, total >= timeBudget { break }
  }
  let median = durations.sorted()[durations.count / 2]
  return Measurement(
    name: benchmark.name, medianSeconds: median,
    operationsPerSecond: Double(benchmark.operationsPerRun) / max(median, 1e-12),
    target: benchmark.target)
}

func formatted(_ value: Double) -> String {
  if value >= 1e6 { return "\(Int(value / 1e3) * 1_000)" }
  if value >= 100 { return "\(Int(value))" }
  return "\((value * 100).rounded() / 100)"
}

func perOperation(_ m: Measurement, operations: Int) -> String {
  let seconds = m.medianSeconds / Double(max(operations, 1))
  if seconds < 1e-6 { return "\((seconds * 1e9 * 10).rounded() / 10) ns" }
  if seconds < 1e-3 { return "\((seconds * 1e6 * 100).rounded() / 100) µs" }
  return "\((seconds * 1e3 * 100).rounded() / 100) ms"
}

/// The command line, parsed.
struct HarnessOptions {
  var mode = "speed"
  var filter: String?
  var quick = false
  var jsonPath: String?
  var htmlPath: String?
  var comparePath: String?
  var sharedFolder = "../shared"
  var tolerance = RegressionTolerance.standard
  var markdownInput: String?
  var peer = true

  static let usage = """
    usage: AutoscalingBenchmarks [FILTER] [--quick] [--json OUT.json] [--compare OLD.json] [--speed-noise F]
                                 [--no-peer]   (skip VASIM, Benchmarks/vasim/compare.sh, ~3 min)
           AutoscalingBenchmarks scoreboard [hpa[:TEXT]] [--quick] [--json OUT.json] [--html OUT.html]
                                 [--compare OLD.json] [--tolerance F] [--shared DIR]
                                 (hpa: the HPA family only; hpa:TEXT: its traces whose name contains TEXT)
           AutoscalingBenchmarks scoreboard hpa-search:TEXT  (searches on the tuning parts only)
           AutoscalingBenchmarks scoreboard hpa-oracle:TEXT  (a bound: the search run on the
                                 held-out part itself; never used to choose; TEXT * for all)
           AutoscalingBenchmarks scoreboard hpa-stability:TEXT  (the tuning with and without
                                 a bound on scaling actions, scored on the held-out part)
           AutoscalingBenchmarks scoreboard hpa-validate:TEXT  (settings of the tuning compared
                                 inside the tuning part: tuned on the first half, scored on
                                 the third quarter)
           AutoscalingBenchmarks all [options of both]       (scoreboard, then the speed suite)
           AutoscalingBenchmarks markdown RUN.json           (prints the README "Results" section)
    --compare exits 1 when a quality figure got worse by more than max(F × |old|, the key's
    absolute allowance) (F = --tolerance, default 0.02) or a benchmark's ops/s fell below
    (1 − --speed-noise) × old (default 0.3). Exit 2: bad usage or unreadable input.
    """

  static func parse(_ arguments: [String]) -> HarnessOptions? {
    var options = HarnessOptions()
    var index = 0
    func value() -> String? {
      index += 1
      return index < arguments.count ? arguments[index] : nil
    }
    while index < arguments.count {
      let argument = arguments[index]
      switch argument {
      case "--quick": options.quick = true
      case "--json": guard let path = value() else { return nil }; options.jsonPath = path
      case "--html": guard let path = value() else { return nil }; options.htmlPath = path
      case "--compare": guard let path = value() else { return nil }; options.comparePath = path
      case "--shared": guard let path = value() else { return nil }; options.sharedFolder = path
      case "--tolerance":
        guard let text = value(), let number = Double(text), number >= 0 else { return nil }
        options.tolerance.relative = number
      case "--speed-noise":
        guard let text = value(), let number = Double(text), (0...1).contains(number) else {
          return nil
        }
        options.tolerance.speedNoise = number
      case "--no-peer": options.peer = false
      case "-h", "--help": return nil
      case "scoreboard" where index == 0, "all" where index == 0, "markdown" where index == 0:
        options.mode = argument
      default:
        if argument.hasPrefix("--") { return nil }
        if options.mode == "markdown" {
          options.markdownInput = argument
        } else {
          options.filter = argument
        }
      }
      index += 1
    }
    if options.mode == "markdown" && options.markdownInput == nil { return nil }
    return options
  }
}

/// The machine, for the JSON and the README: cores and CPU model.
func machineDescription() -> String {
  let cores = ProcessInfo.processInfo.activeProcessorCount
  var model = "unknown CPU"
  if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
    let colon = line.firstIndex(of: ":")
  {
    model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
  }
  return "\(cores) × \(model)"
}

/// The 1-minute load average, when the system reports it.
func loadAverage() -> String? {
  guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
  return text.split(separator: " ").first.map(String.init)
}

func seconds(since start: ContinuousClock.Instant) -> Double {
  let (whole, attoseconds) = (ContinuousClock.now - start).components
  return Double(whole) + Double(attoseconds) * 1e-18
}

func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The quality scoreboard: every trace through every configuration of every family.
func runScoreboard(_ options: HarnessOptions, into snapshot: inout ScoreboardSnapshot)
  -> [TraceChart]
{
  let root = FileManager.default.currentDirectoryPath
  var notes: [String] = []
  defer { snapshot.notes += notes }
  func log(_ line: String) {
    print(line)
    notes.append(line)
  }
  let family: HPAFamily
  do {
    family = try HPAFamily(
      repositoryRoot: root, sharedFolder: options.sharedFolder,
      tuningBudget: options.quick ? 64 : 1_000)
  } catch {
    log("hpa: cannot load Traces/manifests (\(error)); run from the repository root")
    return []
  }
  var traces = TraceCatalog.bundled(repositoryRoot: root, log: log)
  let real = TraceCatalog.real(folder: options.sharedFolder + "/traces", log: log)
  traces += options.quick ? Array(real.prefix(2)) : real
  if let filter = options.filter, filter.hasPrefix("hpa-search:") {
    // Search diagnostics on the tuning part only (Benchmarks/Scoreboard/HPASearchCheck.swift).
    let text = filter.dropFirst("hpa-search:".count)
    for trace in traces where text == "*" || trace.name.contains(text) {
      print(trace.name)
      do { for line in try family.searchCheck(trace) { print(line) } } catch { print("  \(error)") }
    }
    return []
  }
  if let filter = options.filter, filter.hasPrefix("hpa-stability:") {
    // The stability bound compared on the scoreboard's traces; never the scoreboard's setting
    // (Benchmarks/Scoreboard/HPAStabilityCheck.swift).
    let text = filter.dropFirst("hpa-stability:".count)
    for trace in traces where text == "*" || trace.name.contains(text) {
      print(trace.name)
      do { for line in try family.stabilityCheck(trace) { print(line) } } catch {
        print("  \(error)")
      }
    }
    return []
  }
  if let filter = options.filter, filter.hasPrefix("hpa-validate:") {
    // Settings of the tuning compared inside the tuning part: tuned on a trace's first half,
    // scored on its third quarter (Benchmarks/Scoreboard/HPAValidationCheck.swift).
    let text = filter.dropFirst("hpa-validate:".count)
    var all: [[HPAFamily.ValidationOutcome]] = []
    do {
      let settings = try family.validationSettings()
      for trace in traces where text == "*" || trace.name.contains(text) {
        print(trace.name)
        do {
          let outcomes = try family.validationCheck(trace, settings: settings)
          for outcome in outcomes { print(outcome.line) }
          all.append(outcomes)
        } catch { print("  \(error)") }
      }
      for line in HPAFamily.validationTally(all, settings: settings) { print(line) }
    } catch { print("hpa-validate: \(error)") }
    return []
  }
  if let filter = options.filter, filter.hasPrefix("hpa-oracle:") {
    // What the search reaches when it sees the held-out part: a bound, never a choice
    // (Benchmarks/Scoreboard/HPASearchCheck.swift).
    let text = filter.dropFirst("hpa-oracle:".count)
    for trace in traces where text == "*" || trace.name.contains(text) {
      print(trace.name)
      do {
        for (label, space) in try family.oracleSpaces() {
          print("  \(label):")
          for line in try family.oracleCheck(trace, space: space, budget: 3 * family.tuningBudget) {
            print(line)
          }
          for line in try family.jointCheck(
            trace, space: space, budget: 3 * family.tuningBudget, checked: 300)
          { print(line) }
        }
      } catch { print("  \(error)") }
    }
    return []
  }
  // `scoreboard hpa` runs the HPA family only; `scoreboard hpa:TEXT` only its traces whose
  // name contains TEXT.
  let hpaOnly = options.filter == "hpa" || options.filter?.hasPrefix("hpa:") == true
  if let filter = options.filter, filter.hasPrefix("hpa:") {
    let text = filter.dropFirst(4)
    traces = traces.filter { $0.name.contains(text) }
  }
  print(
    "HPA family: \(traces.count) traces × {upstream-default, manifest (seed: \(family.seedSource)), "
      + "tuned (budget \(family.tuningBudget), first 75 %)}; windows: full and held-out (last 25 %)"
  )
  var charts: [TraceChart] = []
  var rows: [QualityRow] = []
  for trace in traces {
    let start = ContinuousClock.now
    do {
      let result = try family.score(trace, chartPoints: 280)
      rows += result.rows
      charts.append(result.chart)
      print("  \(trace.name): \(Rendering.fixed(seconds(since: start), 1)) s")
      for line in result.log { print(line) }
    } catch {
      log("hpa: skipped \(trace.name): \(error)")
    }
  }
  snapshot.quality += rows
  print("\n== HPA ==")
  print(Rendering.table(rows.filter { $0.window == "full" }))
  print("")
  print(Rendering.table(rows.filter { $0.window == "held-out" }))
  if hpaOnly { return charts }
  print("\n== VPA ==")
  let vpa = VPAFamily(quick: options.quick)
  var vpaRows: [QualityRow] = []
  for trace in VPAFamily.traces(folder: options.sharedFolder + "/traces", log: log) {
    let start = ContinuousClock.now
    do {
      let result = try vpa.score(trace)
      vpaRows += result.rows
      print("  \(trace.name): \(Rendering.fixed(seconds(since: start), 1)) s")
      for line in result.log { print(line) }
    } catch {
      log("vpa: skipped \(trace.name): \(error)")
    }
  }
  snapshot.quality += vpaRows
  print(Rendering.table(vpaRows, columns: VPAFamily.columns))
  print("\n== Nodes ==")
  let nodes = NodeFamily(quick: options.quick)
  for trace in nodes.traces(folder: options.sharedFolder + "/traces", log: log) {
    let start = ContinuousClock.now
    do {
      let rows = try nodes.score(name: trace.name, pods: trace.pods)
      snapshot.quality += rows
      print("  \(trace.name): \(Rendering.fixed(seconds(since: start), 1)) s")
      print(Rendering.table(rows, columns: NodeFamily.columns))
      if let unschedulable = rows.first?.details["unschedulable"], unschedulable != "none" {
        print("  unschedulable in every configuration: \(unschedulable)")
      }
    } catch {
      log("nodes: skipped \(trace.name): \(error)")
    }
  }
  return charts
}

/// The speed suite, with targets and, where one exists, the peer measured in the same run.
func runSpeedSuite(_ options: HarnessOptions, into snapshot: inout ScoreboardSnapshot) {
  let samples = options.quick ? 3 : 15
  print("benchmark\tmedian per op\tthroughput\ttarget")
  for benchmark in allBenchmarks(matching: options.filter) {
    // Full runs: 15 samples, but a benchmark stops sampling after 5 samples once they took
    // 20 s together (the tuning benchmarks take seconds per sample).
    let m = measure(
      benchmark, samples: samples, warmUp: options.quick ? 1 : 3,
      minimumSamples: options.quick ? samples : 5, timeBudget: options.quick ? .infinity : 20)
    print(
      "\(m.name)\t\(perOperation(m, operations: benchmark.operationsPerRun))\t"
        + "\(formatted(m.operationsPerSecond)) ops/s\t\(m.target)")
    snapshot.speed.append(
      SpeedRow(
        name: m.name, operationsPerSecond: m.operationsPerSecond, medianSeconds: m.medianSeconds,
        target: m.target))
  }
  // The peer: VASIM, measured now by Benchmarks/vasim/compare.sh, only when its virtual
  // environment exists (the script would otherwise install it from PyPI).
  let script = FileManager.default.currentDirectoryPath + "/Benchmarks/vasim/compare.sh"
  let environment = ProcessInfo.processInfo.environment
  let venv =
    environment["VASIM_VENV"] ?? ((environment["TMPDIR"] ?? "/tmp") + "/vasim-venv")
  guard options.peer, FileManager.default.fileExists(atPath: script),
    FileManager.default.isExecutableFile(atPath: venv + "/bin/python")
  else {
    let reason =
      !options.peer
      ? "skipped (--no-peer)"
      : "peer not present (needs Benchmarks/vasim/compare.sh and a VASIM venv at \(venv))"
    print("peer (VASIM): \(reason)")
    snapshot.notes.append("peer (VASIM): \(reason)")
    return
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/bash")
  process.arguments = [script]
  let pipe = Pipe()
  process.standardOutput = pipe
  do {
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    print("peer (VASIM), measured now by Benchmarks/vasim/compare.sh:\n" + output)
    for line in output.split(separator: "\n") { snapshot.notes.append("peer (VASIM): \(line)") }
  } catch {
    print("peer (VASIM): could not run compare.sh (\(error))")
    snapshot.notes.append("peer (VASIM): could not run compare.sh")
  }
}

@main
enum BenchmarkMain {
  static func main() {
    guard let options = HarnessOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
      printError(HarnessOptions.usage)
      exit(2)
    }
    if let input = options.markdownInput {
      do {
        print(Rendering.markdown(try Rendering.decode(path: input)), terminator: "")
        exit(0)
      } catch {
        printError("cannot read \(input): \(error)")
        exit(2)
      }
    }
    #if DEBUG
      print(
        "warning: debug build; figures are meaningless. Run: swift run -c release AutoscalingBenchmarks"
      )
    #endif
    let dateFormatter = ISO8601DateFormatter()
    var snapshot = ScoreboardSnapshot(
      machine: machineDescription(), date: dateFormatter.string(from: Date()))
    if let load = loadAverage() {
      snapshot.notes.append("load average at the start: \(load) on \(snapshot.machine)")
    }
    var charts: [TraceChart] = []
    let started = ContinuousClock.now
    if options.mode == "scoreboard" || options.mode == "all" {
      charts = runScoreboard(options, into: &snapshot)
      let elapsed = seconds(since: started)
      print("scoreboard: \(Rendering.fixed(elapsed, 1)) s")
      snapshot.notes.append(
        "scoreboard took \(Rendering.fixed(elapsed, 0)) s\(options.quick ? " (--quick)" : "")")
    }
    if options.mode == "speed" || options.mode == "all" {
      let speedStart = ContinuousClock.now
      runSpeedSuite(options, into: &snapshot)
      let elapsed = seconds(since: speedStart)
      print("speed suite: \(Rendering.fixed(elapsed, 1)) s")
      snapshot.notes.append(
        "speed suite took \(Rendering.fixed(elapsed, 0)) s\(options.quick ? " (--quick)" : "")")
    }
    do {
      if let path = options.jsonPath {
        try Rendering.encode(snapshot).write(to: URL(fileURLWithPath: path), options: .atomic)
        print("wrote \(path)")
      }
      if let path = options.htmlPath {
        try Data(Rendering.html(snapshot, charts: charts).utf8).write(
          to: URL(fileURLWithPath: path), options: .atomic)
        print("wrote \(path)")
      }
    } catch {
      printError("cannot write the output: \(error)")
      exit(2)
    }
    guard let comparePath = options.comparePath else { return }
    let old: ScoreboardSnapshot
    do {
      old = try Rendering.decode(path: comparePath)
    } catch {
      printError("cannot read \(comparePath): \(error)")
      exit(2)
    }
    let regressions = ScoreboardComparison.regressions(
      old: old, new: snapshot, tolerance: options.tolerance)
    if let ratio = ScoreboardComparison.medianSpeedRatio(old: old, new: snapshot) {
      print(
        "median speed ratio new/old: \(Rendering.fixed(ratio, 2)) (the machine's drift between the runs)"
      )
    }
    if regressions.isEmpty {
      print("compared with \(comparePath) (\(old.date)): nothing got worse")
      return
    }
    print("compared with \(comparePath) (\(old.date)): \(regressions.count) regression(s)")
    for regression in regressions { print("  " + regression.description) }
    exit(1)
  }
}
