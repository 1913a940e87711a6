/// The `nginx.conf` of an ``NginxBalancer``: one upstream per service with live backends, one server block
/// per listen address and server name, one location per service path.
///
/// ```
/// http {
///     upstream reactor_0 { hash $remote_addr consistent; server 127.0.1.1:8000 weight=2; keepalive 16; }
///     server {
///         listen 127.0.0.1:8080;
///         location "/" { proxy_pass http://reactor_0; ... }        # http://127.0.0.1:8080/
///         location "/old" { return 302 "https://elsewhere/"; }     # no live backend, a redirect
///     }
/// }
/// ```
///
/// Rendering is pure, so the text can be tested without nginx; the same services render the same text.
struct NginxConfiguration: Sendable {
    /// The working directory: pid file, logs, temp paths.
    var directory: String
    /// The `user` line, when the master runs as root and workers should not run as `nobody`.
    var user: String?

    /// The log format the access log is written in, read back by ``NginxAccessLog``.
    static let logFormat =
        "$msec|$status|$bytes_sent|$request_length|$upstream_addr|$upstream_status|$upstream_response_time|$request_time"

    var accessLogPath: String { directory + "/access.log" }
    var errorLogPath: String { directory + "/error.log" }
    var pidPath: String { directory + "/nginx.pid" }

    func render(_ services: [BalancedService]) throws(NginxBalancerError) -> String {
        struct Block {
            var listen: NginxListenURL
            var settings: NginxSettings
            var locations: [String] = []
            var paths: Set<String> = []
        }
        var upstreams: [String] = []
        var blocks: [String: Block] = [:]
        var order: [String] = []
        for (index, service) in services.sorted(by: { $0.url < $1.url }).enumerated() {
            var url = try NginxListenURL(url: service.url)
            let settings = try NginxSettings(section: service.settings)
            // `ssl = true` (the original's key) serves TLS on an http:// URL's port too.
            url.secure = url.secure || settings.ssl == true
            if url.secure && (settings.sslCertificate == nil || settings.sslKey == nil) {
                let key = settings.sslCertificate == nil ? "ssl_certificate" : "ssl_key"
                throw .invalidSetting(key: key, value: "", expected: "a certificate file for \(service.url)")
            }
            let key = "\(url.listen) \(url.serverName ?? "_")"
            if blocks[key] == nil {
                blocks[key] = Block(listen: url, settings: settings)
                order.append(key)
            }
            guard var block = blocks[key] else { continue }
            if block.listen.secure != url.secure {
                throw .conflict("\(service.url) and another service use \(url.listen) with and without TLS")
            }
            guard block.paths.insert(url.path).inserted else {
                throw .conflict("two services serve \(service.url)")
            }
            let name = "reactor_\(index)"
            let weights = IntegerWeights.scale(service.backends.map(\.weight), maximum: 100)
            let live = zip(service.backends, weights).filter { $0.1 > 0 }
            var location = "        # \(service.url)\n        location \"\(url.path)\" {\n"
            if live.isEmpty {
                if let redirect = service.redirect ?? settings.redirect {
                    guard NginxSettings.isQuotable(redirect) else {
                        throw .invalidSetting(
                            key: "redirect", value: redirect, expected: "a URL without quotes, '$' or spaces")
                    }
                    location += "            return 302 \"\(redirect)\";\n"
                } else {
                    location += "            return 503;\n"
                }
            } else {
                var upstream = "    # \(service.url)\n    upstream \(name) {\n"
                let algorithm = settings.algorithm ?? service.algorithm
                if settings.stickySessions {
                    upstream +=
                        settings.stickyMethod == .hash
                        ? "        hash $remote_addr consistent;\n" : "        ip_hash;\n"
                } else if algorithm == .leastConnections {
                    upstream += "        least_conn;\n"
                }
                for (backend, weight) in live {
                    guard IPLiteral.isAddress(backend.ip), (1...65535).contains(backend.port) else {
                        throw .conflict("backend '\(backend.address)' of \(service.url) is not an ip:port")
                    }
                    let ip = backend.ip.contains(":") ? "[\(backend.ip)]" : backend.ip
                    upstream += "        server \(ip):\(backend.port) weight=\(weight);\n"
                }
                if settings.keepalive > 0 {
                    upstream += "        keepalive \(settings.keepalive);\n"
                }
                upstream += "    }\n"
                upstreams.append(upstream)
                let directives = [
                    "proxy_pass http://\(name);",
                    "proxy_http_version 1.1;",
                    "proxy_set_header Connection \"\";",
                    "proxy_set_header Host $http_host;",
                    "proxy_set_header X-Real-IP $remote_addr;",
                    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                    "proxy_set_header X-Forwarded-Proto $scheme;",
                    "proxy_connect_timeout \(SettingValues.milliseconds(settings.connectTimeout));",
                    "proxy_read_timeout \(SettingValues.milliseconds(settings.readTimeout));",
                    "proxy_next_upstream error timeout;",
                ]
                location += directives.map { "            \($0)\n" }.joined()
            }
            location += "        }\n"
            block.locations.append(location)
            blocks[key] = block
        }

        var text = """
            # Written by Reactor's nginx balancer; replaced on every change.
            \(user.map { "user \($0);\n" } ?? "")daemon off;
            master_process on;
            worker_processes auto;
            pid \(pidPath);
            lock_file \(directory)/nginx.lock;
            error_log \(errorLogPath) notice;

            events {
                worker_connections 4096;
            }

            http {
                log_format reactor '\(Self.logFormat)';
                access_log \(accessLogPath) reactor;
                client_body_temp_path \(directory)/temp/client_body;
                proxy_temp_path \(directory)/temp/proxy;
                fastcgi_temp_path \(directory)/temp/fastcgi;
                uwsgi_temp_path \(directory)/temp/uwsgi;
                scgi_temp_path \(directory)/temp/scgi;
                server_tokens off;
                client_max_body_size 0;


            """
        text += upstreams.joined(separator: "\n")
        for key in order {
            guard let block = blocks[key] else { continue }
            text += "\n    server {\n"
            let catchAll = block.listen.isCatchAll ? " default_server" : ""
            text += "        listen \(block.listen.listen)\(block.listen.secure ? " ssl" : "")\(catchAll);\n"
            text += "        server_name \(block.listen.isCatchAll ? "_" : block.listen.serverName ?? "\"\"");\n"
            if block.listen.secure, let certificate = block.settings.sslCertificate, let key = block.settings.sslKey {
                text += "        ssl_certificate \(certificate);\n        ssl_certificate_key \(key);\n"
                text += "        ssl_protocols TLSv1.2 TLSv1.3;\n"
                // Plain HTTP on the TLS port: nginx's 497, sent on to the same address over https.
                text += "        error_page 497 =301 https://$host:$server_port$request_uri;\n"
            }
            text += block.locations.joined()
            text += "    }\n"
        }
        text += "}\n"
        return text
    }
}
