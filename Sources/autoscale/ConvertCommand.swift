import AutoscalingTraces

/// `autoscale convert --from FORMAT IN OUT.csv`: any supported trace to canonical CSV.
enum ConvertCommand {
  static let spec = CommandSpec(
    name: "convert",
    summary:
      "Convert a trace (Prometheus query_range JSON, CSV, or a public dataset) to canonical CSV.",
    positionals: ["IN", "OUT.csv"],
    options: [
      OptionSpec(
        name: "from", valueName: "FORMAT",
        help: "input format: " + TraceLoading.formatNames.joined(separator: ", "), required: true)
    ] + TraceLoading.groupingOptions,
    epilogue: "The output has a header `timestamp_ms,<column>,...` and reads back with `--trace`.")

  static func run(_ arguments: ParsedArguments) throws {
    let input = arguments.positionals[0]
    let output = arguments.positionals[1]
    let format = arguments.value("from") ?? "auto"
    guard TraceLoading.formatNames.contains(format) else {
      throw UsageError(
        message: "unknown format \"\(format)\" for --from; use one of: "
          + TraceLoading.formatNames.joined(separator: ", "))
    }
    let series = try TraceLoading.read(path: input, format: format, arguments: arguments)
    try AtomicFile.write(CSVWriter.csv(series), to: output)
    Console.error(
      "wrote \(output): \(series.count) rows, columns \(series.columnNames.joined(separator: ", "))"
    )
  }
}
