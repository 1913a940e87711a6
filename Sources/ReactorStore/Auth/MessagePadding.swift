/// The Merkle–Damgård padding and word helpers the SHA family shares.
enum MessagePadding {
    /// The message padded with `0x80`, zeros and its bit length (`lengthBytes` wide, big-endian),
    /// cut into blocks of `blockSize` bytes.
    static func blocks(_ message: [UInt8], blockSize: Int, lengthBytes: Int) -> [ArraySlice<UInt8>] {
        var padded = message
        padded.append(0x80)
        while padded.count % blockSize != blockSize - lengthBytes { padded.append(0) }
        let bitLength = UInt64(message.count) &* 8
        padded.append(contentsOf: [UInt8](repeating: 0, count: lengthBytes - 8))
        padded.append(contentsOf: bitLength.bigEndianBytes)
        return stride(from: 0, to: padded.count, by: blockSize).map { padded[$0..<$0 + blockSize] }
    }

    /// The big-endian 32-bit word at `offset` bytes into `block`.
    static func bigEndian32(_ block: ArraySlice<UInt8>, at offset: Int) -> UInt32 {
        let base = block.startIndex + offset
        return UInt32(block[base]) << 24 | UInt32(block[base + 1]) << 16 | UInt32(block[base + 2]) << 8
            | UInt32(block[base + 3])
    }
}

extension FixedWidthInteger where Self: UnsignedInteger {
    func rotatedLeft(_ count: Int) -> Self { (self << count) | (self >> (Self.bitWidth - count)) }
    func rotatedRight(_ count: Int) -> Self { (self >> count) | (self << (Self.bitWidth - count)) }

    /// The value's bytes, most significant first.
    var bigEndianBytes: [UInt8] {
        (0..<(Self.bitWidth / 8)).reversed().map { UInt8(truncatingIfNeeded: self >> ($0 * 8)) }
    }
}
