/// Backend weights as the positive integers nginx and haproxy accept.
enum IntegerWeights {
    /// Scales `weights` to integers from 1 to `maximum` keeping their ratios as closely as integers allow;
    /// a weight of 0 (or less) stays 0, meaning "no traffic".
    ///
    /// Weights that already are integers within range are kept as they are (1:3 stays 1:3); otherwise
    /// the largest becomes `maximum` and the others are rounded in proportion, at least 1.
    static func scale(_ weights: [Double], maximum: Int) -> [Int] {
        let positive = weights.filter { $0 > 0 && $0.isFinite }
        guard let largest = positive.max() else { return weights.map { _ in 0 } }
        if positive.allSatisfy({ $0 == $0.rounded() && $0 <= Double(maximum) }) {
            return weights.map { $0 > 0 && $0.isFinite ? Int($0) : 0 }
        }
        return weights.map { weight in
            guard weight > 0, weight.isFinite else { return 0 }
            return min(maximum, max(1, Int((weight / largest * Double(maximum)).rounded())))
        }
    }
}
