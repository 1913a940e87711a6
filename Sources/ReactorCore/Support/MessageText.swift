/// Error messages that quote what they were given stay readable however large that was.
public enum MessageText {
    /// The longest message (or key) an answer carries whole, in characters.
    public static let limit = 600

    /// `text` when it is at most ``limit`` characters; else its start and end around a note of how
    /// much was cut (the end usually says what was expected).
    public static func cut(_ text: String) -> String {
        guard text.count > limit else { return text }
        let kept = limit / 2 - 40
        return "\(text.prefix(kept)) … [\(text.count - 2 * kept) characters cut] … \(text.suffix(kept))"
    }
}
