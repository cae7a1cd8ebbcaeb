import Foundation
import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchDaemon

@Suite("Metrics text")
struct MetricsTextTests {
    @Test("every family has HELP and TYPE; rules without alerts show zeros; label values are escaped")
    func rendered() {
        var s = MetricsSnapshot()
        s.openAlerts = ["discount-creep": [.critical: 2], "say \"hi\"": [:], "q\"\u{301}\n\u{301}": [:]]
        s.transitions = ["firing": 5, "resolved": 1]
        var f = TableFacts()
        f.goodRows = 10
        f.badRows = 1
        f.newestFile = "orders.csv"
        f.newestModified = Date(timeIntervalSince1970: 1000)
        s.tables = [.orders: f]
        s.evaluationSeconds = 0.25
        s.lastEvaluation = Date(timeIntervalSince1970: 4600)
        s.now = Date(timeIntervalSince1970: 4600)
        let text = MetricsText.render(s)
        #expect(text.contains("kamwatch_open_alerts{rule=\"discount-creep\",severity=\"critical\"} 2\n"))
        #expect(text.contains("kamwatch_open_alerts{rule=\"discount-creep\",severity=\"warning\"} 0\n"))
        #expect(text.contains("kamwatch_open_alerts{rule=\"say \\\"hi\\\"\",severity=\"warning\"} 0\n"))
        // A quote or line break followed by a combining mark is escaped too.
        #expect(text.contains("kamwatch_open_alerts{rule=\"q\\\"\u{301}\\n\u{301}\",severity=\"warning\"} 0\n"))
        #expect(text.contains("kamwatch_transitions_total{state=\"firing\"} 5\n"))
        #expect(text.contains("kamwatch_table_rows{table=\"orders\"} 10\n"))
        #expect(text.contains("kamwatch_table_bad_rows{table=\"orders\"} 1\n"))
        #expect(text.contains("kamwatch_table_newest_file_age_seconds{table=\"orders\"} 3600\n"))
        #expect(text.contains("kamwatch_evaluation_duration_seconds 0.25\n"))
        #expect(text.contains("kamwatch_last_evaluation_timestamp_seconds 4600\n"))
        let families = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.count
        #expect(families == text.split(separator: "\n").filter { $0.hasPrefix("# HELP ") }.count)
        #expect(families == 8)
    }
}
