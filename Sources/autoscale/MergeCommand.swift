import AutoscalingTraces
import AutoscalingTuning
import Foundation
import HorizontalAutoscaling

/// `autoscale merge`: combines the JSON files of `autoscale tune --shard I/N` runs into the
/// result the unsharded run gives, prints it like `tune` does and writes the same outputs.
enum MergeCommand {
  static let options = [
    OptionSpec(
      name: "out", valueName: "FILE.json", help: "write the merged result as JSON"),
    OptionSpec(
      name: "report", valueName: "FILE.html",
      help: "write a self-contained HTML report with the front as a scatter chart"),
    OptionSpec(
      name: "hpa", valueName: "FILE",
      help: "the HPA manifest the shards were tuned on (needed by --manifest-out)"),
    OptionSpec(
      name: "manifest-out", valueName: "FILE.yaml",
      help: "write the tuned HPA (ready for kubectl apply); needs --hpa"),
  ]

  /// The command; it takes one or more shard files, so its positional list is as long as the
  /// command line's (the argument parser counts positionals exactly).
  static var spec: CommandSpec {
    let count = max(1, positionalCount(Array(CommandLine.arguments.dropFirst(2))))
    return CommandSpec(
      name: "merge",
      summary: "Merge the JSON results of `autoscale tune --shard I/N` runs into one.",
      positionals: Array(repeating: "FILE.json", count: count), options: options,
      epilogue: """
        Give every shard's file once (any order). Shards of different spaces, traces or
        search settings are refused. Exit status: 0 ok, 1 failed, 2 bad usage.
        """,
      positionalUsage: "FILE.json [FILE.json …]")
  }

  /// The number of positional arguments in `arguments` (after `merge`), skipping option
  /// values the way the argument parser does.
  static func positionalCount(_ arguments: [String]) -> Int {
    var count = 0
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
        count += 1
      } else if argument == "--" {
        optionsEnded = true
      } else if argument.hasPrefix("--"), !argument.contains("="),
        options.first(where: { $0.name == argument.dropFirst(2) })?.valueName != nil
      {
        index += 1
      }
    }
    return count
  }

  static func run(_ arguments: ParsedArguments) throws {
    if arguments.value("manifest-out") != nil && arguments.value("hpa") == nil {
      throw UsageError(
        message: "--manifest-out needs --hpa FILE: the shard files hold the tuned fields, "
          + "the manifest holds the rest of the HPA")
    }
    var shards: [TuningResult] = []
    for path in arguments.positionals {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandFailure("cannot read \(path): it does not exist or is unreadable")
      }
      do {
        shards.append(try JSONDecoder().decode(TuningResult.self, from: data))
      } catch let error as DecodingError {
        throw CommandFailure(
          "\(path) is not a result of autoscale tune --out: \(SpaceFile.describe(error))")
      } catch {
        throw CommandFailure("\(path) is not a result of autoscale tune --out: \(error)")
      }
    }
    let merged: TuningResult
    do {
      merged = try TuningResult.merging(shards)
    } catch {
      var message = error.description
      if case .fingerprintMismatch(_, _, let shard) = error,
        let index = shards.firstIndex(where: { $0.search.shard.index == shard })
      {
        message =
          "\(arguments.positionals[index]) (shard \(shards[index].search.shard)) does not belong "
          + "with \(arguments.positionals[0]): " + message
      }
      throw CommandFailure(message)
    }

    var hpa: (String, HorizontalPodAutoscalerManifest, HorizontalPodAutoscalerSpec)?
    if let path = arguments.value("hpa") {
      let manifest = try ReplayCommand.loadHPA(path)
      let spec: HorizontalPodAutoscalerSpec
      do { spec = try manifest.spec() } catch {
        throw CommandFailure("HPA \(manifest.name) is invalid: \(error)")
      }
      guard spec.behavior.map(BehaviorSettings.init) == merged.currentBehavior else {
        throw CommandFailure(
          "\(path) is not the HPA the shards were tuned on: its behavior differs from the one "
            + "recorded in the results")
      }
      hpa = (path, manifest, spec)
    }

    let outputs = TuningOutputs()
    try outputs.open("out", path: arguments.value("out"))
    try outputs.open("report", path: arguments.value("report"))
    try outputs.open("manifest-out", path: arguments.value("manifest-out"))
    let search = merged.search
    let context = TuneContext(
      title: "autoscale merge — \(shards.count) shards",
      inputs: [
        ("Shards", arguments.positionals.joined(separator: ", ")),
        ("Search", "\(search.configuration.strategy), budget \(search.configuration.budget)"),
        ("Fingerprint", search.fingerprint),
      ])
    try TuneCommand.present(merged, hpa: hpa, outputs: outputs, context: context)
  }
}
