import ArgumentParser

/// "Did you mean …?" for a mistyped command (`reactor endpoint` → `endpoints`), which
/// ArgumentParser reports only as an unexpected argument.
enum CommandSuggestion {
    /// The mistyped word and the command meant, when `arguments` (without the program name)
    /// name a command that does not exist but is close to one that does.
    static func hint(for arguments: [String], root: any ParsableCommand.Type) -> (word: String, command: String)? {
        var command = root
        var path: [String] = []
        for word in arguments {
            if word.hasPrefix("-") { return nil }  // options: ArgumentParser's own messages
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            if let next = subcommands.first(where: { names(of: $0).contains(word) }) {
                command = next
                path.append(next._commandName)
                continue
            }
            // A command with a default subcommand takes the word as that subcommand's argument,
            // so only a near miss of a subcommand name is taken for a typo there.
            let limit = command.configuration.defaultSubcommand == nil ? 3 : 2
            let scored = subcommands.flatMap { sub in names(of: sub).map { (sub._commandName, distance(word, $0)) } }
            guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= min(limit, max(1, word.count / 2)) else {
                return nil
            }
            return (word, (path + [best.0]).joined(separator: " "))
        }
        return nil
    }

    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
