import DockerEngine
import Foundation
import Logging
import ProcessSupport
import ReactorCore
import ReactorManager
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// One host's side of the docker cloud, in this process against a real ZooKeeper and engine:
/// a start request carried out once whatever happened before, and what a container is given.
@Suite("Docker cloud on one host", .serialized)
struct DockerHostTests {
    static func cloud(_ client: ZooKeeperClient, _ daemon: DockerDaemon) -> DockerCloud {
        DockerCloud(
            client: client, host: "host-1", apiURL: "http://127.0.0.1:9", logger: Logger(label: "test.docker"),
            liveHosts: { ["host-1"] },
            hostSection: { ["socket": daemon.socket, "slots": "50", "addresses": "127.0.8.0/24"] })
    }

    static let endpoint = CloudEndpoint(
        id: "5c1f3d1e-0000-4000-8000-00000000e001", name: "web",
        settings: [
            "image": DockerDaemon.image, "network": "host", "environment": "GREETING=hello",
            "command": "exec httpd -f -p ${REACTOR_INSTANCE_IP}:${REACTOR_PORT} -h /www",
        ], port: 8080)

    @Test func aLaunchCutShortIsAdoptedNotRepeated() async throws {
        let daemon = try await DockerDaemon.start("host")
        let namespace = try await SharedZooKeeper.instance.namespace("docker-host")
        let client = try await ZooKeeperClient.connect(.init(connectString: namespace))
        do {
            try await ReactorStore(client: client).prepareLayout()
            try await adoption(client, daemon)
            try await environment(client, daemon)
            try await publishedPort(client, daemon)
        } catch {
            await client.close()
            await daemon.stop()
            throw error
        }
        await client.close()
        await daemon.stop()
    }

    func adoption(_ client: ZooKeeperClient, _ daemon: DockerDaemon) async throws {
        let cloud = Self.cloud(client, daemon)
        // The host publishes its slots: then there is somewhere to place.
        try await cloud.housekeeping()
        let launch = try await cloud.prepare(for: Self.endpoint)
        _ = try await client.multi(launch.operations)
        let id = launch.instance.id
        // The owner was killed right after the engine made the container, before it recorded it:
        // the container exists (made here by hand, as the cloud names and labels it), the record
        // does not know it.
        let labels = [
            "reactor.endpoint": Self.endpoint.id, "reactor.instance": id, "reactor.manager": "host-1",
            "reactor.installation": String(
                HashRing.position(of: client.configuration.connectString), radix: 16),
        ]
        let made = try await daemon.engine.createContainer(
            name: "reactor-\(id)",
            ContainerSpec(
                image: DockerDaemon.image, entrypoint: ["/bin/sh", "-c"], command: ["exec sleep 60"], labels: labels,
                hostConfig: .init(networkMode: "none")))
        try await cloud.housekeeping()
        try await cloud.housekeeping()
        let record = try #require(
            try await ReactorStore(client: client).dockerInstance(endpointID: Self.endpoint.id, id: id))
        #expect(record.container == made, "the record adopts the container that was made")
        let containers = try await daemon.reactorContainers().filter { $0.labels["reactor.instance"] == id }
        #expect(containers.map(\.id) == [made], "one container for the record, never two")
        #expect(containers.first?.state == "running", "and it was started")
        // Starting the request again (a second owner) makes nothing new either.
        try await cloud.start(launch, endpoint: Self.endpoint)
        #expect(try await daemon.reactorContainers().filter { $0.labels["reactor.instance"] == id }.count == 1)
        try await cloud.delete(id, of: Self.endpoint)
        #expect(try await daemon.reactorContainers().isEmpty, "delete removes the container")
        #expect(try await ReactorStore(client: client).dockerInstance(endpointID: Self.endpoint.id, id: id) == nil)
    }

    func environment(_ client: ZooKeeperClient, _ daemon: DockerDaemon) async throws {
        let cloud = Self.cloud(client, daemon)
        let launch = try await cloud.prepare(for: Self.endpoint)
        _ = try await client.multi(launch.operations)
        try await cloud.start(launch, endpoint: Self.endpoint)
        let record = try #require(
            try await ReactorStore(client: client).dockerInstance(endpointID: Self.endpoint.id, id: launch.instance.id))
        let container = try await daemon.engine.inspectContainer(try #require(record.container))
        let ip = try #require(launch.instance.ips.first)
        #expect(ip.hasPrefix("127.0.8."), "the address comes from the host's pool: \(ip)")
        // The endpoint's variables and Reactor's, nothing of the manager's own environment.
        #expect(
            Set(container.environment) == [
                "GREETING=hello", "REACTOR_API=http://127.0.0.1:9", "REACTOR_INSTANCE_IP=\(ip)",
                "REACTOR_INSTANCE_ID=\(launch.instance.id)", "REACTOR_PORT=8080", "REACTOR_ENDPOINT=web",
            ], "\(container.environment)")
        #expect(container.labels["reactor.endpoint"] == Self.endpoint.id)
        try await eventually("the container serves on its own address", timeout: .seconds(10)) {
            TCPProbe.connects(ip: ip, port: 8080, timeoutMilliseconds: 300)
        }
        try await cloud.delete(launch.instance.id, of: Self.endpoint)
        #expect(try await daemon.reactorContainers().isEmpty)
    }

    /// On a network of its own (made here on a 10.x subnet), the engine publishes the endpoint's
    /// port on a host port of each container's own, at the host's publish address: two containers
    /// share the address, each backend is `address:port`, and the host's manager registers each
    /// once its port answers (a container cannot register from it).
    func publishedPort(_ client: ZooKeeperClient, _ daemon: DockerDaemon) async throws {
        let network = "rt-\(UUID().uuidString.prefix(6).lowercased())"
        try daemon.makeNetwork(network)
        var endpoint = Self.endpoint
        endpoint.settings["network"] = network
        endpoint.settings["command"] = "exec httpd -f -p ${REACTOR_PORT} -h /www"
        let cloud = DockerCloud(
            client: client, host: "host-1", apiURL: "http://127.0.0.1:9", logger: Logger(label: "test.docker"),
            liveHosts: { ["host-1"] },
            hostSection: {
                [
                    "socket": daemon.socket, "slots": "50", "addresses": "127.0.8.0/24",
                    "publish_address": "127.0.8.250", "ports": "24100-24199",
                ]
            })
        try await cloud.housekeeping()  // publishes the address and ports
        var launches: [PreparedLaunch] = []
        for _ in 0..<2 {
            let launch = try await cloud.prepare(for: endpoint)
            _ = try await client.multi(launch.operations)
            try await cloud.start(launch, endpoint: endpoint)
            launches.append(launch)
        }
        let backends = launches.compactMap { $0.instance.ips.first }.compactMap(BackendAddress.init)
        try #require(backends.count == 2, "each launch names its backend: \(launches.map(\.instance.ips))")
        #expect(backends.allSatisfy { $0.ip.description == "127.0.8.250" }, "both on the publish address")
        let ports = backends.compactMap(\.port)
        #expect(Set(ports).count == 2 && ports.allSatisfy { (24100...24199).contains($0) }, "own ports: \(ports)")
        let store = ReactorStore(client: client)
        for backend in backends {
            #expect(try await store.dockerLease(ofIP: backend.description) != nil, "\(backend) is leased")
        }
        let names = Set(backends.map(\.description))
        try await eventually("the manager registers both published backends", timeout: .seconds(15)) {
            try await cloud.housekeeping()
            return try await names.isSubset(of: Set(store.queuedRegistrations()))
        }
        for backend in backends {
            #expect(
                TCPProbe.connects(ip: "127.0.8.250", port: backend.port ?? 0, timeoutMilliseconds: 500),
                "served at \(backend)")
        }
        let listed = try await cloud.instances(of: endpoint)
        #expect(Set(listed.flatMap(\.ips)) == names, "the cloud lists the backends as the instances' addresses")
        for launch in launches {
            let record = try #require(try await store.dockerInstance(endpointID: endpoint.id, id: launch.instance.id))
            #expect(record.registered == true && record.failure == nil)
            try await cloud.delete(launch.instance.id, of: endpoint)
        }
        #expect(try await daemon.reactorContainers().isEmpty)
        for backend in backends {
            #expect(try await store.dockerLease(ofIP: backend.description) == nil, "the lease of \(backend) is gone")
        }
    }
}
