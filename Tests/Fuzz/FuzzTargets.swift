// libFuzzer entry points for kamwatch's readers of untrusted text, built by `make fuzz`
// (mk/fuzz.mk) with `-sanitize=fuzzer,address`; not part of the SwiftPM package.
//
// One binary holds every target; `KAMWATCH_FUZZ_TARGET` picks one:
//   csv       bytes → a table file → tables and issues (the table is chosen by the first byte)
//   cells     number and date cells
//   expr      the expression parser and compiler
//   rule      rule files
//   config    the daemon's config file
//   sources   sources files (with the shipped presets of sources/ to extend)
//   mime      the mail header encoder (fields, encoded words, mailboxes)
//   outbox    the outbox file name builder
// Each target checks the properties its reader promises, and traps when one does not hold.

import Foundation
import KamwatchVocabulary

@testable import KamwatchDaemon
@testable import KamwatchData
@testable import KamwatchDigest
@testable import KamwatchRules

/// The target this process runs, read once from the environment.
nonisolated(unsafe) private var target: (Data) -> Void = { _ in }
/// Where the CSV target writes its input: a file per process, on a tmpfs when there is one.
nonisolated(unsafe) private var scratchDirectory = ""

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
) -> Int32 {
    let name = ProcessInfo.processInfo.environment["KAMWATCH_FUZZ_TARGET"] ?? ""
    let targets: [String: (Data) -> Void] = [
        "csv": fuzzCSV, "cells": fuzzCells, "expr": fuzzExpression, "rule": fuzzRuleFile,
        "config": fuzzConfig, "sources": fuzzSources, "mime": fuzzMIME, "outbox": fuzzOutboxName,
    ]
    guard let chosen = targets[name] else {
        let known = targets.keys.sorted().joined(separator: ", ")
        FileHandle.standardError.write(Data("KAMWATCH_FUZZ_TARGET must be one of: \(known)\n".utf8))
        exit(2)
    }
    target = chosen
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    scratchDirectory = "\(base)/kamwatch-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchDirectory) }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    target(data)
    return 0
}

/// Text that may be invalid UTF-8, decoded the lossy way the readers see it.
private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

private func fuzzCSV(_ data: Data) {
    guard let first = data.first else { return }
    let tables = TableName.allCases
    let table = tables[Int(first) % tables.count]
    // A gzip suffix for some inputs, so the inflating reader is fuzzed too.
    let suffix = first & 0x80 != 0 ? ".csv.gz" : ".csv"
    let path = "\(scratchDirectory)/\(table.rawValue)\(suffix)"
    guard FileManager.default.createFile(atPath: path, contents: data.dropFirst()) else { return }
    let read = TableReader.read(table, files: [path], in: nil)
    precondition(read.table == table)
    for column in read.columns { precondition(column.count == read.rowCount, "a column's length differs") }
    precondition(read.lines.count == read.rowCount)
    let report = read.files.first
    precondition(report.map { $0.goodRows == read.rowCount } ?? true, "good rows and rows read differ")
}

private func fuzzCells(_ data: Data) {
    guard data.count > 1 else { return }
    let decimalComma = data[data.startIndex] & 1 == 1
    let cell = Array(data.dropFirst())
    cell.withUnsafeBufferPointer { b in
        guard let p = b.baseAddress else { return }
        if case .success(let v) = CellParser.number(p, b.count, decimalComma: decimalComma) {
            precondition(!v.isNaN, "a number cell read as NaN")
        }
        if case .success(let ordinal) = CellParser.date(p, b.count) {
            // A date read is a real day: its text reads back as the same day.
            let day = Day(ordinal: ordinal)
            let again = Array(day.description.utf8)
            again.withUnsafeBufferPointer { a in
                guard case .success(let back) = CellParser.date(a.baseAddress!, a.count) else {
                    preconditionFailure("\(day) does not read back")
                }
                precondition(back == ordinal, "\(day) reads back as another day")
            }
        }
    }
}

private func fuzzExpression(_ data: Data) {
    guard let e = try? Parser.parse(text(data)) else { return }
    _ = try? Compiler().compile(e)
}

private func fuzzRuleFile(_ data: Data) {
    switch RuleSet.compile(file: "fuzz.yaml", text: text(data)) {
    case .success(let rule): precondition(!rule.id.isEmpty, "a rule without an id")
    case .failure(let errors): precondition(!errors.errors.isEmpty, "a refusal without an error")
    }
}

private func fuzzConfig(_ data: Data) {
    _ = try? DaemonConfig.parse(text(data), file: "fuzz.yaml")
}

/// The shipped presets (`sources/` of the source tree, found from the working directory).
nonisolated(unsafe) private var presets = FileManager.default.currentDirectoryPath + "/sources"

private func fuzzSources(_ data: Data) {
    do {
        _ = try SourcesFile.parse(file: "fuzz-sources.yaml", text: text(data), presets: presets)
    } catch {
        precondition(!error.errors.isEmpty, "a refusal without an error")
    }
}

private func fuzzMIME(_ data: Data) {
    let s = text(data)
    let split = s.firstIndex(of: "\u{1}") ?? s.endIndex
    // Field names are kamwatch's own (RFC 5322 ftext); only the values come from data.
    let given = String(s[..<split])
    let isFieldName = !given.isEmpty && given.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != ":" }
    let name = isFieldName ? given : "Subject"
    let value = split == s.endIndex ? s : String(s[s.index(after: split)...])
    let to = HeaderEncoding.mailboxField("To", value)
    for field in [HeaderEncoding.field(name, value), to] {
        // One field: line breaks only as CRLF, each followed by a fold (a space or tab).
        let bytes = Array(field.utf8)
        for (i, b) in bytes.enumerated() where b == 0x0D || b == 0x0A {
            let folded =
                b == 0x0D && i + 2 < bytes.count && bytes[i + 1] == 0x0A
                && (bytes[i + 2] == 0x20 || bytes[i + 2] == 0x09)
            precondition(
                folded || (b == 0x0A && i > 0 && bytes[i - 1] == 0x0D), "a bare line break in \(field.debugDescription)"
            )
        }
    }
    // The address of a mailbox is never encoded: it stays readable in the To field.
    // (CR and LF replaced scalar by scalar: a search by characters misses "\n\u{301}")
    let unbroken = String(String.UnicodeScalarView(value.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : $0 }))
    let mailbox = unbroken.trimmingCharacters(in: .whitespaces)
    if mailbox.hasSuffix(">"), let open = mailbox.lastIndex(of: "<") {
        let address = mailbox[mailbox.index(after: open)..<mailbox.index(before: mailbox.endIndex)]
        if !address.isEmpty, !address.contains("<"),
            address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        {
            let unfolded = to.replacingOccurrences(of: "\r\n", with: "")
            // `Name <address>`, or the bare address when there is no name.
            precondition(unfolded.contains(address), "the address <\(address)> is lost in \(to.debugDescription)")
        }
    }
    for word in HeaderEncoding.encodedWords(value, firstLineUsed: Int(data.first ?? 0) % 80) {
        precondition(word.unicodeScalars.allSatisfy(\.isASCII), "a non-ASCII encoded word")
    }
}

private func fuzzOutboxName(_ data: Data) {
    let s = text(data)
    let split = s.firstIndex(of: "\u{0}") ?? s.endIndex
    let rule = String(s[..<split])
    let account = split == s.endIndex ? "" : String(s[s.index(after: split)...])
    let seq = Int64(data.count * 7919)
    let name = OutboxFileName.name(
        seq: seq, time: Date(timeIntervalSince1970: 1_790_000_000), rule: rule, accountID: account)
    // Confined to the outbox: one name, not hidden (temporary files start with a dot).
    precondition(!name.contains("/") && !name.contains("\0") && !name.hasPrefix("."), "unsafe name \(name)")
    precondition(name.utf8.count <= 255, "a name longer than a file name may be: \(name)")
    precondition(OutboxFileName.seq(of: name) == seq, "\(name) does not give its seq back")
}
