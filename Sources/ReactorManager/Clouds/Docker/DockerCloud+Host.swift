import DockerEngine
import Foundation
import Logging
import ProcessSupport
import ReactorCore
import ReactorStore

/// What the manager of a docker host does on its own engine: carries out start requests,
/// watches its containers, removes what is marked or no record names.
extension DockerCloud {
    /// Once a pass: publishes this host's slots, then brings the engine in line with the
    /// records that name this host.
    public func housekeeping() async throws {
        let settings = self.settings
        let mine = try await store.allDockerInstances { logger.warning("skipping a docker instance record: \($0)") }
            .filter { $0.record.host == host }
        try await store.publishDockerHost(
            host,
            DockerHostRecord(
                slots: settings.slots, used: mine.reduce(0) { $0 + $1.record.slots }, addresses: settings.addresses,
                publishAddress: Self.publishAddress(settings), ports: settings.portsText))
        let containers: [ContainerSummary]
        do {
            containers = try await engine.listContainers(labels: managerLabels)
        } catch {
            // An engine that stopped answering: nothing is known of the containers, so none is
            // reported failed for it; the next pass looks again.
            logger.warning("docker housekeeping skipped: \(error)")
            return
        }
        var byInstance: [String: ContainerSummary] = [:]
        for container in containers {
            if let instance = container.labels[DockerLabels.instance] { byInstance[instance] = container }
        }
        for entry in mine {
            try await reconcile(
                entry.record, endpointID: entry.endpointID, id: entry.id, container: byInstance[entry.id])
        }
        let known = Set(mine.map(\.id))
        for container in containers where !known.contains(container.labels[DockerLabels.instance] ?? "") {
            logger.warning("removing container \(container.names.first ?? container.id): no record names it")
            do {
                try await engine.removeContainer(container.id)
            } catch DockerEngineError.notFound {
                continue
            } catch {
                logger.warning("cannot remove container \(container.id): \(error)")
            }
        }
    }

    /// One record of this host against what the engine has for it.
    func reconcile(_ record: DockerInstanceRecord, endpointID: String, id: String, container: ContainerSummary?)
        async throws
    {
        var record = record
        if record.deleting == true {
            try await removeContainer(of: record, id: id)
            try await store.forgetDockerInstance(endpointID: endpointID, id: id, record: record)
            return
        }
        if record.failure != nil { return }  // reported; its owner deletes it
        guard let container else {
            if record.container == nil {
                // A request of another owner, or a launch cut short before its container was made.
                try await carryOut(record, endpointID: endpointID, id: id)
            } else {
                record.failure = "its container \(record.container?.prefix(12) ?? "") is gone (removed outside Reactor)"
                try await store.saveDockerInstance(record, endpointID: endpointID, id: id)
            }
            return
        }
        if record.container != container.id {
            // Made by a launch that ended before it could say so (its manager was killed): adopted.
            logger.info("adopting container \(container.id.prefix(12)) of instance \(record.name)")
            record.container = container.id
            try await store.saveDockerInstance(record, endpointID: endpointID, id: id)
            if container.state == "created" {
                try await carryOut(record, endpointID: endpointID, id: id)
                return
            }
        }
        guard container.state == "running" else {
            record.failure = "its container \(container.status.lowercased())\(await lastOutput(container.id))"
            try await store.saveDockerInstance(record, endpointID: endpointID, id: id)
            return
        }
        if record.registered != true, await backendAnswers(container.id, record: record) {
            // Any image is a backend without its help: the host's manager registers the backend
            // once it accepts a connection. An instance that registers itself as well changes
            // nothing (confirming a confirmed address is idempotent).
            try await store.queueRegistration(ip: record.backend)
            record.registered = true
            try await store.saveDockerInstance(record, endpointID: endpointID, id: id)
        }
    }

    /// Makes and starts the container of a record of this host. A container of that name made
    /// earlier is taken over, never made twice. What the engine refuses (a missing image, a
    /// network that does not exist) becomes the record's failure, which the owner reports and
    /// acts on (replacing it after a launch backoff); only ZooKeeper errors are thrown.
    func carryOut(_ record: DockerInstanceRecord, endpointID: String, id: String) async throws {
        var record = record
        do {
            let docker = try Self.endpointSettings(record.settings)
            let engine = self.engine
            try await ensureImage(docker, engine: engine)
            let spec = try await containerSpec(docker, record: record, endpointID: endpointID, id: id)
            let containerID: String
            do {
                containerID = try await engine.createContainer(name: Self.containerName(id), spec)
            } catch DockerEngineError.conflict {
                containerID = try await engine.inspectContainer(Self.containerName(id)).id
            }
            if record.container != containerID {
                record.container = containerID
                try await store.saveDockerInstance(record, endpointID: endpointID, id: id)
            }
            try await engine.startContainer(containerID)
            logger.info("started container \(containerID.prefix(12)) for instance \(record.name) (\(record.backend))")
        } catch let error as DockerEngineError {
            try await fail(&record, endpointID: endpointID, id: id, because: "\(error)")
        } catch let error as CloudError {
            try await fail(&record, endpointID: endpointID, id: id, because: error.description)
        }
    }

    func fail(_ record: inout DockerInstanceRecord, endpointID: String, id: String, because reason: String) async throws
    {
        logger.warning("instance \(record.name) cannot start: \(reason)")
        record.failure = "its container cannot start: \(reason)"
        try await store.saveDockerInstance(record, endpointID: endpointID, id: id)
    }

    /// Makes sure the engine has the image, as `pull` says.
    func ensureImage(_ docker: DockerSettings, engine: DockerEngine) async throws {
        switch docker.pull {
        case .always:
            try await pull(docker.image, engine: engine)
        case .missing:
            if try await !engine.hasImage(docker.image) { try await pull(docker.image, engine: engine) }
        case .never:
            if try await !engine.hasImage(docker.image) {
                throw CloudError("the image \(docker.image) is not on the engine and pull = never")
            }
        }
    }

    func pull(_ image: String, engine: DockerEngine) async throws {
        do {
            try await engine.pullImage(image)
        } catch {
            throw CloudError("the image \(image) is not on the engine and cannot be pulled: \(error)")
        }
    }

    /// The container's configuration: the image's shell runs `command`; its environment is the
    /// endpoint's `environment` and the `REACTOR_*` variables, nothing of the manager's own.
    func containerSpec(_ docker: DockerSettings, record: DockerInstanceRecord, endpointID: String, id: String)
        async throws -> ContainerSpec
    {
        let url: String
        do {
            url = try await store.apiURL().flatMap { $0.isEmpty ? nil : $0 } ?? apiURL
        } catch {
            throw CloudError("cannot read the global API URL for REACTOR_API: \(error)")
        }
        var environment = docker.environment
        environment.merge([
            "REACTOR_API": url, "REACTOR_INSTANCE_IP": record.ip, "REACTOR_INSTANCE_ID": id,
            "REACTOR_PORT": record.port.map(String.init) ?? "", "REACTOR_ENDPOINT": record.endpoint ?? "",
        ]) { _, set in set }
        var spec = ContainerSpec(
            image: docker.image,
            entrypoint: docker.command == nil ? nil : ["/bin/sh", "-c"],
            command: docker.expandedCommand(instanceIP: record.ip, port: record.port).map { [$0] },
            user: docker.user, environment: environment.map { "\($0.key)=\($0.value)" }.sorted(),
            labels: managerLabels.merging([DockerLabels.endpoint: endpointID, DockerLabels.instance: id]) { $1 },
            hostname: docker.hostname,
            hostConfig: ContainerSpec.HostConfig(
                networkMode: docker.network.mode, memory: docker.memoryLimit, dns: docker.dns.isEmpty ? nil : docker.dns
            ))
        if Self.publishes(record) {
            guard let port = record.port else {
                throw CloudError(
                    "network = \(docker.network.mode) publishes [endpoint] port, and the endpoint has none")
            }
            spec.exposedPorts = ["\(port)/tcp"]
            spec.hostConfig.portBindings = [
                "\(port)/tcp": [.init(hostIP: record.ip, hostPort: String(record.hostPort ?? port))]
            ]
        }
        return spec
    }

    /// Stops (SIGTERM, 5 s) and removes an instance's container; one already gone is fine.
    func removeContainer(of record: DockerInstanceRecord, id: String) async throws {
        let container = record.container ?? Self.containerName(id)
        do {
            try await engine.stopContainer(container, grace: 5)
        } catch DockerEngineError.notFound {
            return
        } catch {
            // Removing kills it anyway.
            logger.warning("cannot stop container \(container.prefix(12)): \(error); removing it")
        }
        do {
            try await engine.removeContainer(container)
            logger.info("removed container \(container.prefix(12)) of instance \(record.name)")
        } catch DockerEngineError.notFound {
            return
        }
    }

    /// Stops and removes every container of this host's manager (by its labels, whether a record
    /// names it or not), all at once (each SIGTERM, then killed after 5 s), then forgets the
    /// records naming this host and its host record. For a manager whose installation ends with
    /// it (``CloudDriver/endHostInstances()``); with an engine that does not answer, nothing is
    /// removed (logged).
    public func endHostInstances() async -> Int {
        let engine = self.engine
        let containers: [ContainerSummary]
        do {
            containers = try await engine.listContainers(labels: managerLabels)
        } catch {
            logger.warning("cannot list this host's containers to remove them: \(error)")
            return 0
        }
        let logger = self.logger
        let removed = await withTaskGroup(of: Bool.self) { group in
            for container in containers {
                group.addTask { await Self.stopAndRemove(container.id, engine: engine, logger: logger) }
            }
            var count = 0
            for await done in group where done { count += 1 }
            return count
        }
        do {
            for entry in try await store.allDockerInstances() where entry.record.host == host {
                try await store.forgetDockerInstance(endpointID: entry.endpointID, id: entry.id, record: entry.record)
            }
            try await store.withdrawDockerHost(host)
        } catch {
            logger.warning("cannot forget this host's docker records: \(error)")
        }
        return removed
    }

    /// Stops (SIGTERM, 5 s) and removes a container; false when it could not be removed.
    static func stopAndRemove(_ container: String, engine: DockerEngine, logger: Logger) async -> Bool {
        do {
            try await engine.stopContainer(container, grace: 5)
        } catch {
            // Removing kills it anyway.
            logger.debug("cannot stop container \(container.prefix(12)): \(error); removing it")
        }
        do {
            try await engine.removeContainer(container)
            logger.info("removed container \(container.prefix(12))")
            return true
        } catch DockerEngineError.notFound {
            return true
        } catch {
            logger.warning("cannot remove container \(container.prefix(12)): \(error)")
            return false
        }
    }

    /// `; last output: …` from a container's log, or nothing when there is none.
    func lastOutput(_ container: String) async -> String {
        do {
            let lines = try await engine.containerLogs(container, lines: 3).split(separator: "\n")
                .map { String($0.prefix(200)) }.filter { !$0.isEmpty }
            return lines.isEmpty ? "" : "; last output: \(lines.joined(separator: " | "))"
        } catch {
            return "; its output cannot be read: \(error)"
        }
    }

    /// Whether the engine publishes the endpoint's port (any network but the host's).
    static func publishes(_ record: DockerInstanceRecord) -> Bool {
        let network = record.settings["network"]?.trimmingCharacters(in: .whitespaces) ?? ""
        return network != "host"
    }

    /// Whether the instance's backend accepts a TCP connection: on the host's network at the
    /// leased address and `[endpoint] port` (where the container binds, the backend itself);
    /// with a published port, see ``applicationAnswers(_:record:)``. Without `[endpoint] port`
    /// nothing is probed: such an instance registers itself.
    func backendAnswers(_ container: String, record: DockerInstanceRecord) async -> Bool {
        guard Self.publishes(record) else { return await Self.answers(record.ip, port: record.port) }
        return await applicationAnswers(container, record: record)
    }

    /// Whether the application of a container with a published port answers: at its own address
    /// on its network and the endpoint's port, since the engine's proxy accepts connections on
    /// the published port whether or not anything listens behind it.
    func applicationAnswers(_ container: String, record: DockerInstanceRecord) async -> Bool {
        guard let port = record.port else { return false }
        do {
            let details = try await engine.inspectContainer(container)
            for address in details.networkAddresses.values.sorted() where await Self.answers(address, port: port) {
                return true
            }
            return false
        } catch {
            // Asked again at the next pass.
            logger.debug("cannot inspect container \(container.prefix(12)): \(error)")
            return false
        }
    }

    /// Whether something accepts a TCP connection at `ip:port` within half a second.
    static func answers(_ ip: String, port: Int?) async -> Bool {
        guard let port else { return false }
        return await Task.detached { TCPProbe.connects(ip: ip, port: port, timeoutMilliseconds: 500) }.value
    }
}
