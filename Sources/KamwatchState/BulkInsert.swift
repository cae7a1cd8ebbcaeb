import GRDB
import GRDBSQLite

/// One prepared statement run for many rows, its values bound by position straight through
/// SQLite's C API (no argument arrays): for the millions of rows of a first day's history and
/// the tens of thousands of transitions of a first start.
struct BulkInsert {
    let statement: Statement

    init(_ statement: Statement) { self.statement = statement }

    /// Binds one row's values (`bind`) and runs the statement once.
    mutating func row(_ db: Database, _ bindValues: (inout BulkInsert) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        bindValues(&self)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }

    /// Binds UTF-8 `bytes` as text to parameter `index` (from 1); SQLite copies them.
    func bind(_ index: Int32, bytes: UnsafeBufferPointer<UInt8>) {
        let handle = statement.sqliteStatement
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            _ = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            return
        }
        _ = sqlite3_bind_text(
            handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count),
            sqliteTransient)
    }

    /// Binds `text` (NULL when `nil`) to parameter `index` (from 1); SQLite copies it.
    func bind(_ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        text.withUTF8 { bind(index, bytes: $0) }
    }

    /// Binds an integer (NULL when `nil`) to parameter `index`, as GRDB binds an `Int64`.
    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        sqlite3_bind_int64(statement.sqliteStatement, index, value)
    }

    /// Binds a double (NULL when `nil`) to parameter `index`, as GRDB binds a `Double` (SQLite
    /// itself stores a NaN as NULL).
    func bind(_ index: Int32, _ value: Double?) {
        guard let value else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        sqlite3_bind_double(statement.sqliteStatement, index, value)
    }

    /// Binds a flag as GRDB binds a `Bool`: the integer 1 or 0.
    func bind(_ index: Int32, _ flag: Bool) {
        sqlite3_bind_int64(statement.sqliteStatement, index, flag ? 1 : 0)
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
