extension ZooKeeperClient {
    /// A user and password for ZooKeeper's `digest` authentication scheme.
    ///
    /// A client with credentials authenticates every session it opens with them, and every node it
    /// creates gets an ACL granting all permissions to that identity alone; other clients
    /// (anonymous, or with other credentials) get `noAuth`. A wrong password does not fail the
    /// session: it is another identity, which the nodes' ACLs do not name.
    public struct DigestCredentials: Sendable, Hashable, CustomStringConvertible {
        /// The user name (no `:`).
        public var user: String
        /// The password.
        public var password: String

        /// - Parameters:
        ///   - user: the user name; must not contain `:`.
        ///   - password: the password.
        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        /// Reads `USER:PASSWORD` (the password may contain `:`); `nil` when either part is empty.
        public init?(_ text: String) {
            guard let colon = text.firstIndex(of: ":") else { return nil }
            let user = String(text[..<colon])
            let password = String(text[text.index(after: colon)...])
            guard !user.isEmpty, !password.isEmpty else { return nil }
            self.init(user: user, password: password)
        }

        /// What is sent to the server: `USER:PASSWORD`.
        var certificate: String { "\(user):\(password)" }

        /// The user only: the password never reaches a log.
        public var description: String { "\(user):…" }
    }
}
