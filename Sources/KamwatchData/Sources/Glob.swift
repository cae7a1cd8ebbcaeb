/// A file-name pattern: `*`, `?` and `[…]` (with `!` or `^` to negate, `a-z` ranges);
/// matched case-sensitively against the whole name.
public struct Glob: Sendable, Hashable {
    /// Why a pattern is not a glob.
    public struct Invalid: Error, Sendable {
        public var reason: String
        /// Scalar offset in the pattern.
        public var offset: Int
    }

    public let pattern: String
    private let scalars: [Unicode.Scalar]

    public init(_ pattern: String) throws(Invalid) {
        let scalars = Array(pattern.unicodeScalars)
        if scalars.isEmpty { throw Invalid(reason: "an empty file pattern", offset: 0) }
        var i = 0
        while i < scalars.count {
            switch scalars[i] {
            case "/":
                throw Invalid(reason: "a file pattern matches file names, not paths (no \"/\")", offset: i)
            case "[":
                guard Glob.classEnd(scalars, from: i) != nil else {
                    throw Invalid(reason: "unclosed \"[\" in the file pattern", offset: i)
                }
                i = Glob.classEnd(scalars, from: i)!
            default: break
            }
            i += 1
        }
        self.pattern = pattern
        self.scalars = scalars
    }

    /// Index of the `]` closing the class that opens at `start`.
    private static func classEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var j = start + 1
        if j < s.count && (s[j] == "!" || s[j] == "^") { j += 1 }
        if j < s.count && s[j] == "]" { j += 1 }
        while j < s.count {
            if s[j] == "]" { return j }
            j += 1
        }
        return nil
    }

    public func matches(_ name: String) -> Bool {
        let n = Array(name.unicodeScalars)
        // Iterative matching with one backtrack point for the last `*`.
        var p = 0
        var i = 0
        var star = -1
        var mark = 0
        while i < n.count {
            if p < scalars.count {
                switch scalars[p] {
                case "*":
                    star = p
                    mark = i
                    p += 1
                    continue
                case "?":
                    p += 1
                    i += 1
                    continue
                case "[":
                    let end = Glob.classEnd(scalars, from: p)!
                    if Glob.classHolds(Array(scalars[(p + 1)..<end]), n[i]) {
                        p = end + 1
                        i += 1
                        continue
                    }
                case let c where c == n[i]:
                    p += 1
                    i += 1
                    continue
                default: break
                }
            }
            guard star >= 0 else { return false }
            p = star + 1
            mark += 1
            i = mark
        }
        while p < scalars.count && scalars[p] == "*" { p += 1 }
        return p == scalars.count
    }

    private static func classHolds(_ body: [Unicode.Scalar], _ c: Unicode.Scalar) -> Bool {
        var body = body[...]
        var negated = false
        if let first = body.first, first == "!" || first == "^" {
            negated = true
            body = body.dropFirst()
        }
        var found = false
        var k = body.startIndex
        while k < body.endIndex {
            if k + 2 < body.endIndex, body[k + 1] == "-" {
                if body[k] <= c && c <= body[k + 2] { found = true }
                k += 3
            } else {
                if body[k] == c { found = true }
                k += 1
            }
        }
        return found != negated
    }
}
