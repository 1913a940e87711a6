/// Objects the C library refers to by a small integer id instead of a pointer (watches, calls),
/// each tagged with the client and the session generation it belongs to. Ids start at 1: 0
/// means "none" to the library's callers.
struct IDTable<Value> {
    private struct Entry {
        let value: Value
        let client: UInt64
        let generation: UInt64
    }

    private var nextID: UInt = 1
    private var entries: [UInt: Entry] = [:]

    /// Adds `value`; returns its id.
    mutating func insert(_ value: Value, client: UInt64, generation: UInt64) -> UInt {
        let id = nextID
        nextID = nextID == .max ? 1 : nextID + 1
        entries[id] = Entry(value: value, client: client, generation: generation)
        return id
    }

    /// Takes the entry `id` out, if it is there.
    mutating func remove(_ id: UInt) -> Value? {
        entries.removeValue(forKey: id)?.value
    }

    /// How many entries `client` has.
    func count(client: UInt64) -> Int {
        entries.values.reduce(0) { $0 + ($1.client == client ? 1 : 0) }
    }

    /// Takes out every entry of `client` (of one session `generation`, or all when nil).
    mutating func removeAll(client: UInt64, generation: UInt64?) -> [Value] {
        let ids = entries.filter { _, entry in
            entry.client == client && (generation == nil || entry.generation == generation)
        }.map(\.key)
        return ids.compactMap { entries.removeValue(forKey: $0)?.value }
    }
}
