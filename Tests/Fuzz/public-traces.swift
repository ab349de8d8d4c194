import AutoscalingTraces
import Foundation

let fuzzDirectory = NSTemporaryDirectory() + "autoscaling-fuzz-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPublicTraces(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  // The first byte picks the format; the rest is the file.
  let formats = PublicTrace.allCases
  let format = formats[Int(data[0]) % formats.count]
  let body = Data(bytes: data + 1, count: size - 1)
  try? FileManager.default.createDirectory(atPath: fuzzDirectory, withIntermediateDirectories: true)
  let path = fuzzDirectory + "/input.csv"
  guard FileManager.default.createFile(atPath: path, contents: body) else { return 0 }
  do {
    let series = try PublicTraces.read(format, path: path)
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
