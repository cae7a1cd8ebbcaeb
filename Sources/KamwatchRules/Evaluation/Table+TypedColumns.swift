import KamwatchData
import KamwatchVocabulary

/// A table column as its typed array (all-absent when the column has another kind).
func numbers(_ t: Table, _ col: Int) -> [Double] {
    if case .number(let a) = t.columns[col] { return a }
    return Array(repeating: .nan, count: t.rowCount)
}

func dates(_ t: Table, _ col: Int) -> [Int32] {
    if case .date(let a) = t.columns[col] { return a }
    return Array(repeating: absentDay, count: t.rowCount)
}

func texts(_ t: Table, _ col: Int) -> TextColumn {
    if case .text(let a) = t.columns[col] { return a }
    return TextColumn(bytes: [], ends: Array(repeating: 0, count: t.rowCount))
}
