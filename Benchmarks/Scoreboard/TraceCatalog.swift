import AutoscalingReplay
import AutoscalingTraces
import Dispatch
import Foundation

/// Holds an async result until the waiting thread reads it (the semaphore orders the accesses).
private final class WaitBox<T>: @unchecked Sendable {
  var value: T?
}

/// Runs async work to completion from the synchronous harness.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T? {
  let box = WaitBox<T>()
  let done = DispatchSemaphore(value: 0)
  Task.detached {
    box.value = await body()
    done.signal()
  }
  done.wait()
  return box.value
}

/// The traces the scoreboard replays: every column of the bundled CSVs in `Traces/`, then the
/// request-rate and CPU columns of the real traces in `../shared/traces/` when present.
enum TraceCatalog {
  /// The demand column taken from each real trace: its request rate, or its CPU when that is
  /// all it has — per container (Alibaba 2018 VASIM), per VM (Bitbrains), or the cluster-level
  /// CPU of the DataCenter-Traces aggregates (Alibaba 2018 machine usage, Google 2019 instance
  /// usage, Azure 2019 VMs), read as a load shape. Traces not listed (memory only, queue
  /// length, pod event lists) carry no request rate or CPU and are skipped.
  static let realColumns: [PublicTrace: [String]] = [
    .alibabaGenAIQPS: ["qps"],
    .azureLLMInference: ["requests_per_second"],
    .nasaPerMinute: ["requests"],
    .vasimContainerCPU: ["CPU_USAGE_ACTUAL"],
    .bitbrains: ["CPU usage [MHZ]"],
    .alibaba2018MachineUsage: ["cpu_util_percent"],
    .google2019InstanceUsage: ["avg_cpu"],
    .azure2019VMUsage: ["cpu_usage"],
  ]

  /// Bundled traces: every column of every `Traces/*.csv`, unscaled (requests/s).
  static func bundled(repositoryRoot: String, log: (String) -> Void) -> [ScoreboardTrace] {
    let folder = repositoryRoot + "/Traces"
    let files =
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasSuffix(".csv") }.sorted()
    var traces: [ScoreboardTrace] = []
    for file in files {
      do {
        let series = try TraceReader.readCSV(path: folder + "/" + file)
        for column in series.columns {
          traces.append(
            ScoreboardTrace(
              name: "\(file):\(column.name)",
              demand: ReplaySeries(
                name: column.name, timestampsMilliseconds: series.timestamps,
                values: column.values), scale: 1))
        }
      } catch {
        log("skipped Traces/\(file): \(error)")
      }
    }
    return traces
  }

  /// Real traces under `folder` (normally `../shared/traces`), first 7 days, scaled so the
  /// 99th percentile is ``HPAFamily/realTraceP99``. Returns nothing when the folder is absent.
  static func real(folder: String, log: (String) -> Void) -> [ScoreboardTrace] {
    let manager = FileManager.default
    guard manager.fileExists(atPath: folder) else {
      log("real traces: \(folder) not present; skipped")
      return []
    }
    var paths: [String] = []
    if let enumerator = manager.enumerator(atPath: folder) {
      for case let relative as String in enumerator { paths.append(relative) }
    }
    var traces: [ScoreboardTrace] = []
    for relative in paths.sorted() {
      let path = folder + "/" + relative
      guard let kind = PublicTrace.detect(path: path), let wanted = realColumns[kind] else {
        continue
      }
      do {
        var series = try PublicTraces.read(kind, path: path)
        if let first = series.startMilliseconds {
          series = series.sliced(
            fromMilliseconds: first, toMilliseconds: first + HPAFamily.realTraceSpanMilliseconds)
        }
        guard
          let column = wanted.lazy.compactMap({ series.column(named: $0) }).first
            ?? series.columns.first(where: { name in
              wanted.contains { name.name.lowercased().contains($0.lowercased()) }
            })
        else {
          log("skipped \(relative): none of the columns \(wanted) (has \(series.columnNames))")
          continue
        }
        guard series.count >= 8 else {
          log("skipped \(relative): only \(series.count) samples")
          continue
        }
        let sorted = column.values.sorted()
        let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        guard p99 > 0 else {
          log("skipped \(relative): column \(column.name) is zero")
          continue
        }
        let scale = HPAFamily.realTraceP99 / p99
        traces.append(
          ScoreboardTrace(
            name: "\(relative):\(column.name)",
            demand: ReplaySeries(
              name: column.name, timestampsMilliseconds: series.timestamps,
              values: column.values.map { $0 * scale }), scale: scale))
      } catch {
        log("skipped \(relative): \(error)")
      }
    }
    return traces
  }
}
