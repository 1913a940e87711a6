/// Checks of configuration values for the syntax they land in: balancer configuration files
/// (nginx, haproxy, dnsmasq), HTTP headers (a `Location` the tcp balancer writes) and the lines
/// of Reactor's own files. What passes here can be written in any of them unchanged.
public enum ValueSyntax {
    /// Whether `text` holds a control character: CR and LF (which would end a header or a
    /// configuration line early), NUL, tab and the rest of C0, or DEL.
    public static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Adds an error for every value of `document` holding a control character: no section
    /// of any configuration may carry one.
    static func rejectControlCharacters(in document: ConfigDocument, into errors: inout ConfigErrors) {
        for (section, values) in document.sections {
            for (key, value) in values where hasControlCharacter(value) {
                errors.add(
                    "must not hold control characters (CR, LF, tab …): it would break the file or header it lands in",
                    section: section, key: key)
            }
        }
    }

    /// Characters an endpoint URL's path may hold: it is written quoted into nginx's `location`
    /// and compared by haproxy, so nothing that quotes, escapes, starts a variable, a comment, a
    /// directive end or a format expression.
    static let pathCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/!*+,=:@")

    /// What is wrong with `path` (the part of an endpoint URL after its authority), or `nil`.
    public static func pathProblem(_ path: String) -> String? {
        guard let bad = path.first(where: { !pathCharacters.contains($0) }) else { return nil }
        return "the path must hold only letters, digits and -._~/!*+,=:@, not '\(printable(bad))'"
    }

    /// What is wrong with `redirect` as a `Location` header and a quoted configuration string,
    /// or `nil`: control characters, spaces, quotes, backslashes and `$` are refused.
    public static func redirectProblem(_ redirect: String) -> String? {
        if hasControlCharacter(redirect) { return "must not hold control characters (CR, LF …)" }
        if let bad = redirect.first(where: { !$0.isASCII || $0 == " " || "\"'\\$`<>{}".contains($0) }) {
            return "must not hold '\(printable(bad))': it would not survive the header or file it lands in"
        }
        return nil
    }

    private static func printable(_ character: Character) -> String {
        character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && $0.isASCII })
            ? String(character) : character.unicodeScalars.map { "\\u{\(String($0.value, radix: 16))}" }.joined()
    }
}
