import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

@Suite struct StoreMiscTests {
    @Test func logsAreBoundedRingsReadOldestFirst() async throws {
        try await withStore(limits: .init(endpointLogEntries: 3, managerLogEntries: 2)) { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            for index in 1...5 {
                try await store.appendEndpointLog(
                    .init(timestamp: Double(index), message: "m\(index)"), id: id, name: "web")
            }
            #expect(try await store.endpointLog(id: id).map(\.message) == ["m3", "m4", "m5"])
            #expect(try await store.endpointLog(id: id, since: 4).map(\.message) == ["m5"])
            for index in 1...3 {
                try await store.appendManagerLog(
                    .init(timestamp: Double(index), severity: .warning, message: "w\(index)"), name: "m1")
            }
            #expect(try await store.managerLog(name: "m1").map(\.message) == ["w2", "w3"])
            #expect(try await store.managerLog(name: "other") == [])
        }
    }

    @Test func registrationQueuesAndConfirmedIPs() async throws {
        try await withStore { store in
            try await store.queueRegistration(ip: "10.0.0.1")
            try await store.queueRegistration(ip: "10.0.0.1")
            try await store.queueUnregistration(ip: "10.0.0.2")
            #expect(try await store.queuedRegistrations() == ["10.0.0.1"])
            #expect(try await store.queuedUnregistrations() == ["10.0.0.2"])
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            await expectStoreError(.noEndpointForIP("10.0.0.1")) {
                _ = try await store.endpointID(forConfirmedIP: "10.0.0.1")
            }
            try await store.confirmIP("10.0.0.1", id: id, name: "web")
            #expect(try await store.endpointID(forConfirmedIP: "10.0.0.1") == id)
            #expect(try await store.confirmedIPs(id: id) == ["10.0.0.1"])
        }
    }

    @Test func managerConfigurationsAndActiveManagers() async throws {
        try await withStore { store in
            #expect(try await store.setManagerConfiguration(["manager": ["keys": 8]], name: "m1"))
            #expect(try await store.setManagerConfiguration(["manager": ["keys": 9]], name: "m1") == false)
            #expect(try await store.createManagerConfiguration([:], name: "m1") == false)
            #expect(try await store.managerConfiguration(name: "m1") == ["manager": ["keys": 9]])
            #expect(try await store.managerConfigNames() == ["m1"])
            try await store.deleteManagerConfiguration(name: "m1")
            await expectStoreError(.managerConfigNotFound("m1")) {
                try await store.deleteManagerConfiguration(name: "m1")
            }
            await expectStoreError(.managerConfigNotFound("m1")) {
                _ = try await store.managerConfiguration(name: "m1")
            }
            try await store.client.create(
                ZNodeLayout.managerKey("u-1"), data: Array(#"{"name":"10.1.2.3","keys":[]}"#.utf8), mode: .ephemeral)
            #expect(try await store.activeManagers() == ["u-1"])
            #expect(try await store.activeManagerAddresses() == [IPAddress("10.1.2.3")!])
            await expectStoreError(.managerNotActive("u-2")) { _ = try await store.activeManager(id: "u-2") }
        }
    }

    @Test func globalSettingsAndInfo() async throws {
        try await withStore { store in
            #expect(try await store.apiURL() == nil)
            try await store.setAPIURL("http://example.com")
            #expect(try await store.apiURL() == "http://example.com")
            #expect(try await store.adminKeyHash() == nil)
            try await store.setAdminKey("bar")
            let stored = try await store.client.get(ZNodeLayout.auth).string
            #expect(!stored.contains("\"bar\""), "only the salted hash is stored")
            #expect(try await store.adminKeyHash()?.verifies("bar") == true)
            try await store.setAdminKey(nil)
            #expect(try await store.adminKeyHash() == nil)
            let a = try await store.createEndpoint(named: "a", configuration: [:])
            try await store.createEndpoint(named: "b", configuration: [:])
            try await store.setEndpointState(.stopped, id: a, name: "a")
            try await store.confirmIP("10.0.0.1", id: a, name: "a")
            try await store.client.create("\(ZNodeLayout.managerActive)/u-1", data: Array("4".utf8))
            let info = try await store.globalInfo()
            #expect(info == GlobalInfo(active: 4, instances: 1, managers: 0, endpoints: ["STOPPED": 1, "PAUSED": 1]))
        }
    }
}
