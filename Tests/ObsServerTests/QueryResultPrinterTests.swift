import ObsCLI
import ObsCore
import ObsQuery
import Testing

@Suite("Printing query results")
struct QueryResultPrinterTests {
    func at(_ minutes: Int64) -> Timestamp {
        Timestamp(nanoseconds: (1_800_000_000 + minutes * 60) * 1_000_000_000)
    }

    @Test("an instant: one row per series, labels as columns")
    func instant() {
        let result = QueryResult(kind: .vector, series: [
            QuerySeries(labels: ["service": "cart"], points: [QueryPoint(time: at(0), value: 41.25)]),
            QuerySeries(labels: ["service": "checkout"], points: [QueryPoint(time: at(0), value: 0.00123)]),
        ])
        #expect(QueryResultPrinter.render(result, as: .table) == """
            service   value
            cart      41.25
            checkout  0.00123

            """)
    }

    @Test("a short range: series × time; a long one: a sparkline per series")
    func ranges() {
        let short = QueryResult(kind: .matrix, series: [
            QuerySeries(labels: ["service": "cart"], points: [QueryPoint(time: at(0), value: 1), QueryPoint(time: at(1), value: 2.5)]),
            QuerySeries(labels: ["service": "checkout"], points: [QueryPoint(time: at(1), value: 3)]),
        ])
        #expect(QueryResultPrinter.render(short, as: .table) == """
            service   08:00  08:01
            cart      1      2.5
            checkout  -      3

            """)
        let long = QueryResult(kind: .matrix, series: [
            QuerySeries(labels: ["service": "cart"], points: (0..<9).map { QueryPoint(time: at($0), value: Double($0)) }),
        ])
        #expect(QueryResultPrinter.render(long, as: .table) == """
            service  min  max  last  08:00 … 08:08
            cart     0    8    8     ▁▂▃▄▅▅▆▇█

            """)
    }
}
