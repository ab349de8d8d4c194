#if canImport(FoundationEssentials)
  internal import FoundationEssentials
#else
  internal import Foundation
#endif

/// One Kubernetes object read from a manifest file.
public enum Manifest: Hashable, Sendable {
  /// A Deployment, StatefulSet, ReplicaSet, Job, CronJob or Pod.
  case workload(WorkloadManifest)
  /// A HorizontalPodAutoscaler (autoscaling/v2, v2beta2 or v1).
  case horizontalPodAutoscaler(HorizontalPodAutoscalerManifest)
  /// A VerticalPodAutoscaler (autoscaling.k8s.io/v1).
  case verticalPodAutoscaler(VerticalPodAutoscalerManifest)
  /// A Karpenter NodePool (karpenter.sh/v1 or v1beta1).
  case nodePool(NodePoolManifest)
  /// The NVIDIA device plugin's time-slicing configurations found in a ConfigMap.
  case timeSlicing([TimeSlicingConfig])
  /// Any other object (a Service, an EC2NodeClass, …): recognised and skipped.
  case other(apiVersion: String, kind: String, name: String)
}

/// The objects of one file, in order, with where each came from.
public struct ManifestFile: Hashable, Sendable {
  /// One decoded object and its position in the file.
  public struct Item: Hashable, Sendable {
    /// The 1-based document index.
    public var document: Int
    /// The 0-based index inside a `kind: List`, when the object came from one.
    public var listIndex: Int?
    /// The line where the object starts.
    public var line: Int
    /// The object.
    public var manifest: Manifest

    /// Creates an item.
    ///
    /// - Parameters:
    ///   - document: The 1-based document index.
    ///   - listIndex: The index inside a `List`.
    ///   - line: The starting line.
    ///   - manifest: The object.
    public init(document: Int, listIndex: Int? = nil, line: Int, manifest: Manifest) {
      self.document = document
      self.listIndex = listIndex
      self.line = line
      self.manifest = manifest
    }
  }

  /// The file name used in errors.
  public var file: String
  /// The objects, in file order (items of a `List` expanded in place).
  public var items: [Item]

  /// Creates a file value.
  ///
  /// - Parameters:
  ///   - file: The file name.
  ///   - items: The objects.
  public init(file: String, items: [Item]) {
    self.file = file
    self.items = items
  }

  /// The objects without their positions.
  public var manifests: [Manifest] { items.map(\.manifest) }

  /// The workloads, in order.
  public var workloads: [WorkloadManifest] {
    items.compactMap {
      if case .workload(let value) = $0.manifest { return value } else { return nil }
    }
  }

  /// The HorizontalPodAutoscalers, in order.
  public var horizontalPodAutoscalers: [HorizontalPodAutoscalerManifest] {
    items.compactMap {
      if case .horizontalPodAutoscaler(let value) = $0.manifest { return value } else { return nil }
    }
  }

  /// The VerticalPodAutoscalers, in order.
  public var verticalPodAutoscalers: [VerticalPodAutoscalerManifest] {
    items.compactMap {
      if case .verticalPodAutoscaler(let value) = $0.manifest { return value } else { return nil }
    }
  }

  /// The NodePools, in order.
  public var nodePools: [NodePoolManifest] {
    items.compactMap {
      if case .nodePool(let value) = $0.manifest { return value } else { return nil }
    }
  }

  /// The time-slicing configurations of every ConfigMap, in order.
  public var timeSlicingConfigs: [TimeSlicingConfig] {
    items.flatMap {
      if case .timeSlicing(let value) = $0.manifest { return value } else { return [] }
    }
  }
}

/// Reads Kubernetes manifests — YAML (one or more `---` documents) or JSON (one object, a
/// `kind: List` from `kubectl get -o json`, or several objects in a row) — into typed values.
///
/// Unknown fields are ignored, as kubectl ignores them; a wrong type or value is a
/// ``ManifestError`` naming the file, the document, the field path and the line.
public enum ManifestLoader: Sendable {
  /// Parses text into documents without decoding objects (YAML, or JSON when the first
  /// non-blank character is `{` or `[`).
  ///
  /// - Parameters:
  ///   - bytes: The file's content (UTF-8).
  ///   - file: The file name used in errors.
  /// - Returns: The non-empty documents.
  /// - Throws: ``ManifestError`` on a syntax error, or for anchors, aliases and tags.
  public static func parseDocuments(_ bytes: [UInt8], file: String) throws(ManifestError)
    -> [ManifestDocument]
  {
    do throws(ManifestError) {
      var first = 0
      while first < bytes.count
        && (bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\n")
          || bytes[first] == UInt8(ascii: "\r") || bytes[first] == UInt8(ascii: "\t"))
      {
        first += 1
      }
      if first < bytes.count
        && (bytes[first] == UInt8(ascii: "{") || bytes[first] == UInt8(ascii: "["))
      {
        return try bytes.withUnsafeBufferPointer { buffer throws(ManifestError) in
          var scanner = JSONScanner(bytes: buffer)
          var documents: [ManifestDocument] = []
          while scanner.peek() != nil {
            let root = try scanner.parseValue()
            documents.append(ManifestDocument(index: documents.count + 1, root: root))
          }
          return documents
        }
      }
      var parser = YAMLParser(bytes: bytes)
      return try parser.parseDocuments()
    } catch {
      var located = error
      located.file = file
      throw located
    }
  }

  /// Decodes every object in a file's content.
  ///
  /// - Parameters:
  ///   - bytes: The file's content (UTF-8).
  ///   - file: The file name used in errors.
  /// - Returns: The objects in order.
  /// - Throws: ``ManifestError`` naming file, document, field path and line.
  public static func decode(_ bytes: [UInt8], file: String) throws(ManifestError) -> ManifestFile {
    let documents = try parseDocuments(bytes, file: file)
    var items: [ManifestFile.Item] = []
    for document in documents {
      do throws(ManifestError) {
        let root = ManifestField(document.root, path: "")
        if try root.optional("kind")?.string() == "List",
          let list = try root.optional("items")
        {
          for (index, item) in try list.items().enumerated() {
            let object = ManifestField(item.node, path: "items[\(index)]")
            items.append(
              ManifestFile.Item(
                document: document.index, listIndex: index, line: item.node.line,
                manifest: try decodeObject(object)))
          }
        } else {
          items.append(
            ManifestFile.Item(
              document: document.index, line: document.root.line,
              manifest: try decodeObject(root)))
        }
      } catch {
        var located = error
        located.file = file
        located.document = document.index
        throw located
      }
    }
    return ManifestFile(file: file, items: items)
  }

  /// Decodes text (a convenience for tests and literals).
  ///
  /// - Parameters:
  ///   - text: YAML or JSON.
  ///   - file: The file name used in errors.
  /// - Returns: The objects in order.
  /// - Throws: ``ManifestError``.
  public static func decode(text: String, file: String = "<input>") throws(ManifestError)
    -> ManifestFile
  {
    try decode(Array(text.utf8), file: file)
  }

  /// Reads and decodes a file.
  ///
  /// - Parameter path: The file path; errors name its last component.
  /// - Returns: The objects in order.
  /// - Throws: ``ManifestError`` when the file cannot be read or decoded.
  public static func load(path: String) throws(ManifestError) -> ManifestFile {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard FileManager.default.fileExists(atPath: path) else {
      throw ManifestError(file: name, message: "no such file (looked for \(path))")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ManifestError(
        file: name, message: "cannot read the file (is it a directory, or unreadable?)")
    }
    return try decode([UInt8](data), file: name)
  }

  /// Decodes one object by kind.
  static func decodeObject(_ object: ManifestField) throws(ManifestError) -> Manifest {
    let apiVersion = try object.required("apiVersion").string()
    let kind = try object.required("kind").string()
    switch kind {
    case "HorizontalPodAutoscaler":
      return .horizontalPodAutoscaler(
        try HorizontalPodAutoscalerManifest(object: object, apiVersion: apiVersion))
    case "VerticalPodAutoscaler":
      return .verticalPodAutoscaler(
        try VerticalPodAutoscalerManifest(object: object, apiVersion: apiVersion))
    case "NodePool" where apiVersion.hasPrefix("karpenter.sh/"):
      return .nodePool(try NodePoolManifest(object: object, apiVersion: apiVersion))
    case "ConfigMap":
      let configs = try TimeSlicingConfig.decode(configMap: object)
      if configs.isEmpty {
        return .other(
          apiVersion: apiVersion, kind: kind, name: try ObjectMetadata(object).name)
      }
      return .timeSlicing(configs)
    default:
      if let workloadKind = WorkloadManifest.Kind(rawValue: kind) {
        return .workload(
          try WorkloadManifest(object: object, kind: workloadKind, apiVersion: apiVersion))
      }
      let name = try object.optional("metadata")?.optional("name")?.string() ?? ""
      return .other(apiVersion: apiVersion, kind: kind, name: name)
    }
  }
}
