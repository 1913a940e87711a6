import Hummingbird
import ReactorCore
import ReactorStore

/// `/managers/...`: manager configurations, running managers and their logs. All admin routes.
enum ManagerRoutes {
    static func register(_ routes: APIRoutes) {
        let services = routes.services
        let store = services.store
        routes.admin.add(.get, "/managers/configs") { request, _ in
            return JSONResponse.strings(try await store.managerConfigNames())
        }
        routes.admin.add(.get, "/managers/active") { request, _ in
            return JSONResponse.strings(try await store.activeManagers())
        }
        routes.admin.add(.get, "/managers/configs/:name") { request, context in
            let name = try PathParameters.name("name", kind: "manager name", in: context)
            return JSONResponse.json(try await store.managerConfiguration(name: name))
        }
        routes.admin.add(.post, "/managers/configs/:name") { request, context in
            let name = try PathParameters.name("name", kind: "manager name", in: context)
            try await store.setManagerConfiguration(try await ConfigurationBody.manager(request), name: name)
            return JSONResponse.empty()
        }
        routes.admin.add(.put, "/managers/configs/:name") { request, context in
            let name = try PathParameters.name("name", kind: "manager name", in: context)
            let configuration = try await ConfigurationBody.manager(request)
            guard try await store.createManagerConfiguration(configuration, name: name) else {
                throw APIError.conflict("manager '\(name)' already has a configuration")
            }
            return JSONResponse.empty()
        }
        routes.admin.add(.delete, "/managers/configs/:name") { request, context in
            let name = try PathParameters.name("name", kind: "manager name", in: context)
            try await store.deleteManagerConfiguration(name: name)
            return JSONResponse.empty()
        }
        routes.admin.add(.get, "/managers/active/:id") { request, context in
            let id = try PathParameters.name("id", kind: "manager id", in: context)
            return JSONResponse.json(try await store.activeManager(id: id))
        }
        routes.admin.add(.get, "/managers/log/:name") { request, context in
            let name = try PathParameters.name("name", kind: "manager name", in: context)
            let entries = try await store.managerLog(name: name, since: try PathParameters.since(request))
            return JSONResponse.json(.array(entries.map(\.jsonValue)))
        }
    }
}
