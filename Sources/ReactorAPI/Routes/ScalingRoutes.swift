import Hummingbird
import ReactorCore

/// `POST /scaling/evaluate`: a scaling decision computed without acting (docs/design.md#scaling), through
/// the same ``ReactorCore/ScalingDecision`` the managers use.
enum ScalingRoutes {
    static func register(_ routes: APIRoutes) {
        routes.admin.add(.post, "/scaling/evaluate") { request, _ in
            let evaluation: ScalingEvaluation
            do {
                evaluation = try ScalingEvaluation(json: try await RequestBodyReader.json(of: request))
            } catch let errors as FieldErrors {
                throw APIError.invalidFields(errors)
            }
            return JSONResponse.json(evaluation.answer)
        }
    }
}
