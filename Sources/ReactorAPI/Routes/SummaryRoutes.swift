import Hummingbird
import ReactorCore
import ReactorStore

/// `GET /summary`: every endpoint's state, instance count, target, owner and conditions in one
/// answer (what `reactor endpoints` and the dashboard's list show), instead of four requests per
/// endpoint.
enum SummaryRoutes {
    static func register(_ routes: APIRoutes) {
        let services = routes.services
        routes.admin.add(.get, "/summary") { _, _ in
            let (endpoints, offers) = try await services.store.endpointSummaries()
            let managers = offers.names.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map {
                id, name -> JSONValue in
                ["id": .string(id), "name": .string(name)]
            }
            return JSONResponse.json(["endpoints": .array(endpoints.map(\.json)), "managers": .array(managers)])
        }
    }
}
