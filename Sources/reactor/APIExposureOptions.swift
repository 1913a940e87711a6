import ArgumentParser
import ReactorManager

/// `--expose-api` and its ports, for `reactor manager`, `reactor server` and `reactor up`: the
/// API on ports 80 and 443 through the host's nginx (``APIExposure``).
struct APIExposureOptions: ParsableArguments {
    @Flag(
        help:
            "Make the apihttp and apihttps endpoints when absent: the API on ports 80 and 443 through every manager host's nginx (docs/manager.md)."
    )
    var exposeAPI = false

    @Option(help: "With --expose-api: the port nginx serves the API on over HTTP (default 80).")
    var exposedHTTPPort: Int = 80

    @Option(help: "With --expose-api: the port nginx serves the API on over HTTPS (default 443).")
    var exposedHTTPSPort: Int = 443

    func validate() throws {
        for (flag, port) in [("--exposed-http-port", exposedHTTPPort), ("--exposed-https-port", exposedHTTPSPort)]
        where !(1...65535).contains(port) {
            throw ValidationError("\(flag) must be between 1 and 65535")
        }
        if exposeAPI && exposedHTTPPort == exposedHTTPSPort {
            throw ValidationError("--exposed-http-port and --exposed-https-port must differ")
        }
    }

    /// The exposure to the API node on `apiPort`, or nil without `--expose-api`.
    func exposure(apiPort: Int) -> APIExposure? {
        exposeAPI ? APIExposure(apiPort: apiPort, httpPort: exposedHTTPPort, httpsPort: exposedHTTPSPort) : nil
    }
}
