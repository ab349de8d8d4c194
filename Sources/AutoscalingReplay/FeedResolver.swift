import AutoscalingCore
import HorizontalAutoscaling

/// A metric feed checked against the trace and workload, ready for the hot loop.
enum ResolvedFeed: Sendable {
  /// Resource / ContainerResource: the sum of these usage models' usage (indices into
  /// `workload.usage`).
  case usage(models: [Int])
  /// Pods: a share of demand × scale per ready pod.
  case podsDemand(scale: Double)
  /// Pods: a share of series × scale per ready pod (index into the referenced series).
  case podsSeries(index: Int, scale: Double)
  /// Object or External: demand × scale.
  case totalDemand(scale: Double, external: Bool)
  /// Object or External: series × scale (index into the referenced series).
  case totalSeries(index: Int, scale: Double, external: Bool)
}

/// Resolves each HPA metric to a feed, collecting the series the feeds read.
struct FeedResolver {
  let workload: WorkloadModel
  let demand: ReplaySeries
  let series: [ReplaySeries]
  private(set) var referenced: [ReplaySeries] = []

  init(workload: WorkloadModel, demand: ReplaySeries, series: [ReplaySeries]) {
    self.workload = workload
    self.demand = demand
    self.series = series
  }

  private mutating func seriesIndex(named name: String) throws(ReplayError) -> Int {
    if let existing = referenced.firstIndex(where: { $0.name == name }) { return existing }
    guard let found = series.first(where: { $0.name == name }) else {
      throw .unknownSeries(name: name, available: [demand.name] + series.map(\.name))
    }
    referenced.append(found)
    return referenced.count - 1
  }

  static func describe(_ metric: MetricSpec) -> String {
    switch metric.type {
    case .resource: "Resource \(metric.resource?.name.rawValue ?? "?")"
    case .containerResource:
      "ContainerResource \(metric.containerResource?.name.rawValue ?? "?") of container "
        + "\(metric.containerResource?.container ?? "?")"
    case .pods: "Pods \(metric.pods?.metric.name ?? "?")"
    case .object: "Object \(metric.object?.metric.name ?? "?")"
    case .external: "External \(metric.external?.metric.name ?? "?")"
    case .unrecognized(let name): name
    }
  }

  mutating func resolve(_ metric: MetricSpec, index: Int, feed: MetricFeed?) throws(ReplayError)
    -> ResolvedFeed
  {
    let description = Self.describe(metric)
    func unmapped(_ reason: String) -> ReplayError {
      .unmappedMetric(index: index, metric: description, reason: reason)
    }
    switch metric.type {
    case .resource, .containerResource:
      let resource: ResourceName
      let container: String?
      let utilization: Bool
      if let source = metric.resource {
        resource = source.name
        container = nil
        utilization = source.target.averageValue == nil
      } else if let source = metric.containerResource {
        resource = source.name
        container = source.container
        utilization = source.target.averageValue == nil
      } else {
        throw unmapped("it has no source")
      }
      if let feed, feed != .usage {
        throw unmapped("Resource metrics are fed from the usage model; remove the mapping \(feed)")
      }
      let first = workload.podTemplate.containers[0].name
      let models = workload.usage.indices.filter { index in
        let model = workload.usage[index]
        return model.resource == resource
          && (container == nil || (model.container ?? first) == container)
      }
      guard !models.isEmpty else {
        throw unmapped(
          "the workload has no usage model for \(resource)"
            + (container.map { " in container \($0)" } ?? "")
            + "; add a ResourceUsageModel (base and per-unit usage) for it")
      }
      if utilization {
        let checked = workload.podTemplate.containers.filter {
          container == nil || $0.name == container
        }
        guard !checked.isEmpty else {
          throw unmapped("the pod template has no container named \(container ?? "")")
        }
        for candidate in checked where candidate.requests[resource] == nil {
          throw unmapped(
            "a Utilization target needs a \(resource) request in container \(candidate.name); "
              + "add one to the Deployment or use an AverageValue target")
        }
      }
      return .usage(models: models)
    case .pods:
      switch feed ?? .demandPerReadyPod(scale: 1) {
      case .demandPerReadyPod(let scale): return .podsDemand(scale: scale)
      case .seriesPerReadyPod(let name, let scale):
        return .podsSeries(index: try seriesIndex(named: name), scale: scale)
      case let other:
        throw unmapped(
          "a Pods metric needs a per-pod feed (demand or a series per ready pod), not \(other)")
      }
    case .object, .external:
      let external = metric.type == .external
      let name = metric.object?.metric.name ?? metric.external?.metric.name ?? ""
      let chosen: MetricFeed
      if let feed {
        chosen = feed
      } else if series.contains(where: { $0.name == name }) {
        chosen = .series(name, scale: 1)
      } else if demand.name == name {
        chosen = .demand(scale: 1)
      } else {
        throw unmapped(
          "the trace has no column named \(name); map the metric to a column or to the demand")
      }
      switch chosen {
      case .demand(let scale): return .totalDemand(scale: scale, external: external)
      case .series(let seriesName, let scale):
        if seriesName == demand.name && !series.contains(where: { $0.name == seriesName }) {
          return .totalDemand(scale: scale, external: external)
        }
        return .totalSeries(
          index: try seriesIndex(named: seriesName), scale: scale, external: external)
      case let other:
        throw unmapped("an Object or External metric needs a whole-series feed, not \(other)")
      }
    case .unrecognized(let name):
      throw unmapped(
        "metric type \(name) is not one of Resource, ContainerResource, Pods, Object, External")
    }
  }
}
