import AutoscalingTraces

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One scratch file per process, rewritten for every input (the public readers take paths).
/// Written with `open`/`write`, not Foundation, so that the harness costs little per input.
let fuzzPath = "/tmp/autoscaling-fuzz-public-traces-\(getpid()).csv"

/// The eleven ``PublicTrace`` formats, then the three event-trace readers.
let readerCount = PublicTrace.allCases.count + 3

/// libFuzzer entry point: the first byte picks a public-trace reader, the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPublicTraces(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  // The first byte picks the reader; the rest is the file.
  let reader = Int(data[0]) % readerCount
  let descriptor = open(fuzzPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  guard descriptor >= 0 else { return 0 }
  var written = 0
  while written < size - 1 {
    let count = write(descriptor, data + 1 + written, size - 1 - written)
    if count <= 0 { break }
    written += count
  }
  close(descriptor)
  do {
    if reader < PublicTrace.allCases.count {
      let series = try PublicTraces.read(PublicTrace.allCases[reader], path: fuzzPath)
      for index in series.timestamps.indices.dropFirst() {
        precondition(
          series.timestamps[index - 1] < series.timestamps[index], "timestamps not increasing")
      }
      for column in series.columns {
        precondition(column.values.count == series.timestamps.count, "ragged column")
        precondition(column.values.allSatisfy(\.isFinite), "non-finite value")
      }
    } else {
      switch reader - PublicTrace.allCases.count {
      case 0: _ = try PublicTraces.readAlibabaGPU2023Pods(path: fuzzPath).events
      case 1: _ = try PublicTraces.readAlibabaGPU2023Nodes(path: fuzzPath)
      default: _ = try PublicTraces.readAlibabaGPU2025DLRM(path: fuzzPath).events
      }
    }
  } catch {
    _ = error.description
  }
  return 0
}
