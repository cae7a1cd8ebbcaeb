/// Joins `parts` pairwise, left to right, into a balanced tree: a long argument list or `in`
/// list nests log2(n) closures deep, not n, so calling the result never overflows the stack.
/// `join` must be associative; `parts` must not be empty.
func balanced<F>(_ parts: [F], _ join: (F, F) -> F) -> F {
    var level = parts
    while level.count > 1 {
        var next: [F] = []
        next.reserveCapacity(level.count / 2 + 1)
        var k = 0
        while k + 1 < level.count {
            next.append(join(level[k], level[k + 1]))
            k += 2
        }
        if k < level.count { next.append(level[k]) }
        level = next
    }
    return level[0]
}
