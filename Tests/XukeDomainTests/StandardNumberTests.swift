import Testing
import XukeDomain

@Suite struct StandardNumberTests {
    @Test func standardNumbersAsPublished() {
        for good in ["GB 4706.1-2005", "GB/T 1234.2-2018", "GB/Z 12-2019", "QB/T 1333-2018", "T/CAS 115-2005", "Q/ABC 0001S-2020", "GB 5749-85",
                     "GB4806.7-2023", "HG/T 2006-2006", "GB 4806.7—2023", "gb/t 10004－2008", "GB 14930.1A-2022"] {
            #expect(StandardNumber.normalized(good) != nil, "\(good)")
        }
        #expect(StandardNumber.normalized("GB 4806.7—2023") == "GB 4806.7-2023")
        for bad in ["GB 4806", "GB 4806-1887", "4806-2023", "G 1-2020", "GB/X 1-2020", "Q/ 1-2020", "Q/ABCDEFGHIJKLM 1-2020", "GB 48..06-2023",
                    "GB .1-2020", "GB 1.A-2020", "企标 1-2020", "GB 1-20201", "", "-2020"] {
            #expect(StandardNumber.normalized(bad) == nil, "\(bad)")
        }
    }
}
