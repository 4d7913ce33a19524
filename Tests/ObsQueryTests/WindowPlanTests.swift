@testable import ObsQuery
import ObsStorage
import Testing

@Suite("Window plans: which stored rows make up a window")
struct WindowPlanTests {
    func cells(_ start: Int64, _ end: Int64) -> [String] {
        WindowPlan(windows: [(start, end)]).windows[0].cells.map { "\($0.resolution)@\($0.start)" }
    }

    @Test("whole hours, then minutes, then 10 s buckets at the ragged edges")
    func decomposition() {
        // [00:59:10, 02:01:20): five 10 s buckets, 1 hour, one minute, two 10 s buckets.
        #expect(cells(3550, 7280) == ["10@3550", "10@3560", "10@3570", "10@3580", "10@3590", "3600@3600", "60@7200", "10@7260", "10@7270"])
        #expect(cells(3540, 3600) == ["60@3540"])
        #expect(cells(600, 900) == ["60@600", "60@660", "60@720", "60@780", "60@840"])
        #expect(cells(10, 40) == ["10@10", "10@20", "10@30"])
        #expect(cells(0, 86_400).count == 24)
        #expect(cells(100, 100).isEmpty)
    }

    @Test("the rows to read are runs of consecutive buckets per resolution")
    func ranges() {
        let plan = WindowPlan(windows: [(600, 900), (660, 960), (3540, 3560)])
        #expect(plan.ranges == [
            RollupRange(resolution: 10, from: 3540, through: 3550),
            RollupRange(resolution: 60, from: 600, through: 900),
        ])
    }
}
