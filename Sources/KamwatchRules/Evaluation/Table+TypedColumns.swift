import KamwatchData
import KamwatchVocabulary

/// A table column as its typed array (all-absent when the column has another kind, or when
/// the table lacks it: a column of the user's own that the data was not read with).
func numbers(_ t: Table, _ col: Int) -> [Double] {
    if col < t.columns.count, case .number(let a) = t.columns[col] { return a }
    return Array(repeating: .nan, count: t.rowCount)
}

func dates(_ t: Table, _ col: Int) -> [Int32] {
    if col < t.columns.count, case .date(let a) = t.columns[col] { return a }
    return Array(repeating: absentDay, count: t.rowCount)
}

func texts(_ t: Table, _ col: Int) -> TextColumn {
    if col < t.columns.count, case .text(let a) = t.columns[col] { return a }
    return TextColumn(bytes: [], ends: Array(repeating: 0, count: t.rowCount))
}
