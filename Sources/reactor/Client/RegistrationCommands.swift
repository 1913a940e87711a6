import ArgumentParser
import ReactorCore

/// `reactor register`: what an instance runs once it is ready to take work.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register this machine's IP (POST /v1.1/register) or, as admin, a given IP (--ip).",
        discussion: "A manager confirms the IP for the endpoint whose cloud runs the instance that has it.")
    @OptionGroup var options: ClientOptions
    @Option(help: "Register this IP instead of the caller's (needs the admin key).") var ip: String?

    func run() async throws {
        try await options.run { api, out in
            try await api.send("POST", ip.map { APIClient.path("register", $0) } ?? APIClient.path("register"))
            out.done("registered \(ip ?? "this machine's IP")")
        }
    }
}

/// `reactor unregister`: what an instance runs before it goes away.
struct UnregisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unregister",
        abstract: "Unregister this machine's IP (POST /v1.1/unregister) or, as admin, a given IP (--ip).")
    @OptionGroup var options: ClientOptions
    @Option(help: "Unregister this IP instead of the caller's (needs the admin key).") var ip: String?

    func run() async throws {
        try await options.run { api, out in
            try await api.send("POST", ip.map { APIClient.path("unregister", $0) } ?? APIClient.path("unregister"))
            out.done("unregistered \(ip ?? "this machine's IP")")
        }
    }
}
