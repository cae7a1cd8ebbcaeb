import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

/// Evidence numbers in the outbox and the journal read as `check --format json` prints them.
struct EvidenceNumberTests {
    @Test(
        arguments: [
            (12_461_974.620000001, "12461974.62"),
            (0.1 + 0.2, "0.3"),
            (5, "5"),
            (-1_250_000, "-1250000"),
            (0.33333333, "0.3333"),
            (Double.nan, "null"),
        ])
    func numbersAreRoundedToFourDecimals(value: Double, expected: String) {
        #expect(EvidenceValue.number(value).json == expected)
    }
}
