import Foundation
import Testing
import _AutoscalingTestSupport

/// A failing `autoscale` command leaves every output file as it was: no half-written file, no
/// truncated previous version, no temporary file beside it, nothing on standard output.
@Suite("autoscale command line: failures leave outputs untouched")
struct CommandLineReliabilityTests {
  static let hpa = CommandLineTests.hpa
  static let deployment = CommandLineTests.deployment
  static let trace = CommandLineTests.trace
  static let previous = "previous content\n"

  /// A fresh directory holding `names`, each with ``previous`` as its content.
  static func directory(_ label: String, files names: [String]) throws -> String {
    let path = NSTemporaryDirectory() + "autoscale-reliability-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for name in names {
      try Data(previous.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
    }
    return path
  }

  /// Asserts that the directory holds exactly `names`, each still with ``previous``.
  static func expectUntouched(_ directory: String, _ names: [String]) throws {
    let entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    #expect(entries == names.sorted(), "leftover or missing files")
    for name in names {
      #expect(try String(contentsOfFile: directory + "/" + name, encoding: .utf8) == previous)
    }
  }

  @Test("replay failing before the run keeps --timeline, --report and stdout untouched")
  func replayFailingEarly() throws {
    try #require(FileManager.default.fileExists(atPath: Self.hpa))
    let names = ["timeline.csv", "report.html"]
    let directory = try Self.directory("early", files: names)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let result = try CommandLineTests.run([
      "replay", "--hpa", Self.hpa, "--workload", Self.deployment, "--trace", Self.trace,
      "--column", "no_such_column", "--json", "--timeline", directory + "/timeline.csv",
      "--report", directory + "/report.html",
    ])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    try Self.expectUntouched(directory, names)
  }

  @Test("replay whose --report cannot be written keeps --timeline untouched")
  func replayFailingLate() throws {
    try #require(FileManager.default.fileExists(atPath: Self.hpa))
    let names = ["timeline.csv"]
    let directory = try Self.directory("late", files: names)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let report = directory + "/missing-directory/report.html"
    let result = try CommandLineTests.run([
      "replay", "--hpa", Self.hpa, "--workload", Self.deployment, "--trace", Self.trace,
      "--timeline", directory + "/timeline.csv", "--report", report, "--json",
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot write \(report)"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    try Self.expectUntouched(directory, names)
  }

  @Test("convert of an unreadable trace keeps the output untouched")
  func convertFailing() throws {
    let names = ["out.csv", "bad.csv"]
    let directory = try Self.directory("convert", files: names)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // Overwrite the input with a trace whose second value is NaN.
    let input = directory + "/bad.csv"
    try Data("timestamp,rps\n0,1\n15,NaN\n".utf8).write(to: URL(fileURLWithPath: input))
    let result = try CommandLineTests.run([
      "convert", "--from", "csv", input, directory + "/out.csv",
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("NaN"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(
      try String(contentsOfFile: directory + "/out.csv", encoding: .utf8) == Self.previous)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == names.sorted())
  }

  @Test("convert into a missing directory says which path cannot be written")
  func convertToMissingDirectory() throws {
    let directory = try Self.directory("convert-missing", files: [])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let output = directory + "/missing/out.csv"
    let result = try CommandLineTests.run(["convert", "--from", "csv", Self.trace, output])
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot write \(output)"), "\(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }
}
