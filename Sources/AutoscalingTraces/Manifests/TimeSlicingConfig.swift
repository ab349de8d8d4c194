public import AutoscalingCore

/// The NVIDIA device plugin's time-slicing configuration, read from the YAML block a ConfigMap
/// carries (usually under the key `config.yaml`): each physical GPU is advertised as
/// `replicas` units of the resource.
public struct TimeSlicingConfig: Hashable, Sendable {
  /// One shared resource.
  public struct SharedResource: Hashable, Sendable {
    /// The resource shared (`nvidia.com/gpu`).
    public var name: ResourceName
    /// How many units one physical device is advertised as (≥ 2 to share).
    public var replicas: Int
    /// The renamed resource (`nvidia.com/gpu.shared`), when `rename` is set or
    /// `renameByDefault` applies.
    public var advertisedName: ResourceName

    /// Creates a shared resource.
    ///
    /// - Parameters:
    ///   - name: The resource.
    ///   - replicas: Units per physical device.
    ///   - advertisedName: The name advertised to the scheduler.
    public init(name: ResourceName, replicas: Int, advertisedName: ResourceName? = nil) {
      self.name = name
      self.replicas = replicas
      self.advertisedName = advertisedName ?? name
    }
  }

  /// The ConfigMap's name.
  public var configMapName: String
  /// The ConfigMap's namespace.
  public var namespace: String
  /// The data key the configuration was read from (`config.yaml`, or a per-node-label name).
  public var key: String
  /// `sharing.timeSlicing.renameByDefault`.
  public var renameByDefault: Bool
  /// `sharing.timeSlicing.failRequestsGreaterThanOne`.
  public var failRequestsGreaterThanOne: Bool
  /// `sharing.timeSlicing.resources`.
  public var resources: [SharedResource]

  /// Creates a configuration.
  ///
  /// - Parameters:
  ///   - configMapName: The ConfigMap's name.
  ///   - namespace: Its namespace.
  ///   - key: The data key.
  ///   - renameByDefault: Whether shared resources are renamed `<name>.shared`.
  ///   - failRequestsGreaterThanOne: Whether requests above one unit are refused.
  ///   - resources: The shared resources.
  public init(
    configMapName: String, namespace: String = "default", key: String = "config.yaml",
    renameByDefault: Bool = false, failRequestsGreaterThanOne: Bool = false,
    resources: [SharedResource]
  ) {
    self.configMapName = configMapName
    self.namespace = namespace
    self.key = key
    self.renameByDefault = renameByDefault
    self.failRequestsGreaterThanOne = failRequestsGreaterThanOne
    self.resources = resources
  }

  /// The number of schedulable units one physical device of `resource` becomes (1 when the
  /// resource is not shared).
  ///
  /// - Parameter resource: A device resource such as `nvidia.com/gpu`.
  /// - Returns: Units per device.
  public func replicas(of resource: ResourceName) -> Int {
    resources.first { $0.name == resource }?.replicas ?? 1
  }
}

extension TimeSlicingConfig {
  /// Reads every device-plugin configuration in a ConfigMap's `data` (internal). Keys whose
  /// value is not a device-plugin configuration (no `sharing` section) are skipped.
  static func decode(configMap object: ManifestField) throws(ManifestError) -> [TimeSlicingConfig] {
    let metadata = try ObjectMetadata(object)
    guard let data = try object.optional("data") else { return [] }
    var configs: [TimeSlicingConfig] = []
    for (key, field) in try data.entries() {
      let text = try field.string()
      guard text.contains("sharing") && text.contains("timeSlicing") else { continue }
      let documents: [ManifestDocument]
      do throws(ManifestError) {
        var parser = YAMLParser(bytes: Array(text.utf8))
        documents = try parser.parseDocuments()
      } catch {
        throw shifted(error, by: field)
      }
      guard let root = documents.first?.root else { continue }
      do throws(ManifestError) {
        let config = ManifestField(root, path: field.path)
        if let version = try config.optional("version")?.string(), version != "v1" {
          throw try config.required("version").error(
            "unsupported device plugin config version \"\(version)\"; expected v1")
        }
        guard let slicing = try config.optional("sharing")?.optional("timeSlicing") else {
          continue
        }
        let renameByDefault = try slicing.optional("renameByDefault")?.bool() ?? false
        let failAboveOne = try slicing.optional("failRequestsGreaterThanOne")?.bool() ?? false
        let resources = try slicing.required("resources").map {
          item throws(ManifestError) -> SharedResource in
          let name = ResourceName(try item.required("name").string())
          let replicas = Int(try item.required("replicas").int(in: 1...Int64(Int32.max)))
          var advertised = name
          if let rename = try item.optional("rename")?.string() {
            advertised = ResourceName(rename)
          } else if renameByDefault {
            advertised = ResourceName(name.rawValue + ".shared")
          }
          return SharedResource(name: name, replicas: replicas, advertisedName: advertised)
        }
        configs.append(
          TimeSlicingConfig(
            configMapName: metadata.name, namespace: metadata.namespace, key: key,
            renameByDefault: renameByDefault, failRequestsGreaterThanOne: failAboveOne,
            resources: resources))
      } catch {
        throw shifted(error, by: field)
      }
    }
    return configs
  }

  /// Moves an error inside an embedded YAML block to the line numbers of the outer file.
  private static func shifted(_ error: ManifestError, by field: ManifestField) -> ManifestError {
    var moved = error
    moved.document = nil
    var offset = field.node.line - 1
    if case .scalar(_, let style) = field.node.value, style == .literal || style == .folded {
      offset = field.node.line  // the block's content starts on the line after `|`
    }
    moved.line = error.line.map { $0 + offset }
    moved.column = nil
    if !error.path.hasPrefix(field.path) {
      moved.path = error.path.isEmpty ? field.path : "\(field.path): \(error.path)"
    }
    return moved
  }
}
