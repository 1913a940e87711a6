import Hummingbird
import ReactorCore

/// Reads endpoint and manager configuration bodies: JSON objects of sections or INI text.
enum ConfigurationBody {
    /// The validated endpoint configuration in its canonical stored form.
    static func endpoint(_ request: Request) async throws -> JSONValue {
        let document = try await document(request)
        do {
            return try EndpointConfig(document: document).jsonValue
        } catch {
            throw APIError.invalidConfiguration(error)
        }
    }

    /// The validated manager configuration in its canonical stored form.
    static func manager(_ request: Request) async throws -> JSONValue {
        let document = try await document(request)
        do {
            return try ManagerConfig(document: document).jsonValue
        } catch {
            throw APIError.invalidConfiguration(error)
        }
    }

    private static func document(_ request: Request) async throws -> ConfigDocument {
        let body = try await RequestBodyReader.bytes(of: request)
        do {
            return try ConfigDocument(body: body)
        } catch {
            switch error {
            case .unreadable(let message): throw APIError.badRequest(message)
            case .invalid(let errors): throw APIError.invalidConfiguration(errors)
            }
        }
    }
}
