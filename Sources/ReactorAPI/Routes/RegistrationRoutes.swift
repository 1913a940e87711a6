import Hummingbird
import ReactorCore
import ReactorStore

/// `/register` and `/unregister`: instances announcing (or withdrawing) their IP address.
///
/// Registering only queues the IP; a manager decides whether it belongs to any endpoint. So the
/// implicit form, with the caller's own address, needs no key (docs/design.md#access). Naming an IP
/// explicitly is an admin action. The implicit unregister of a confirmed IP needs the key of the
/// endpoint owning it, if there is one.
enum RegistrationRoutes {
    static func register(_ routes: APIRoutes) {
        let services = routes.services
        routes.admin.add(.post, "/register/:ip") { request, context in
            try await services.store.queueRegistration(ip: try PathParameters.backend("ip", in: context))
            return JSONResponse.empty()
        }
        routes.add(.post, "/register") { request, context in
            let caller = try await CallerAddress.resolve(request, context: context, services: services)
            guard services.registrations.allow(caller.description) else {
                throw APIError.tooManyRequests("too many registrations from \(caller); try again in a few seconds")
            }
            try await services.store.queueRegistration(ip: caller.description)
            return JSONResponse.empty()
        }
        routes.admin.add(.post, "/unregister/:ip") { request, context in
            try await services.store.queueUnregistration(ip: try PathParameters.backend("ip", in: context))
            return JSONResponse.empty()
        }
        routes.add(.post, "/unregister") { request, context in
            let caller = try await CallerAddress.resolve(request, context: context, services: services)
            do {
                let id = try await services.store.endpointID(forConfirmedIP: caller.description)
                let target = EndpointTarget(id: id, name: "the endpoint of \(caller)", caller: caller)
                try await services.access.requireEndpoint(request, target: target)
            } catch StoreError.noEndpointForIP {
                // Not confirmed for anything: queueing it is harmless.
            }
            try await services.store.queueUnregistration(ip: caller.description)
            return JSONResponse.empty()
        }
    }
}
