import Testing
@testable import XukeStorage

@Suite struct MigrationTests {
    /// The checksums databases already carry in `schema_migrations`. A released migration must never change:
    /// a changed checksum makes every existing database refuse to open.
    static let released: [Int: String] = [
        1: "a55efc9c680d290c9e4f77f6482556e099f5a8b4a17085503aff6da04855765d",
        2: "036676820568313cd1e814e3973f5ad1486bf6fe301b167010e5238807389183",
        3: "42541313b499bf71980f7c654f7942c9a8f11a5a832899ad0b6af7e0f49257cd",
        4: "821feb0c328e69dee68340aed2c5cdf2ec3e7800874f9faeb04c495565b2a56d",
        5: "8a7ffced7b255cc6260e2bdac0bebbd0a3d03859ec19318a5ebe1743167f8813",
        6: "1538b630b5cbdc8e2e04e9019c78559115f7d1ba1c7ac22b04fb54de7751646d",
        7: "1d8fa81fd563bf9602ddbf38b66506bbf1e33668ce435c75facf15833bffba13",
        8: "ca3ca81f540b734bba604f3d3007956f54faccba414ae5cc928a8708432a4f20",
        9: "f035f3be563c1b46e17e1068327de829e8bdc94acb78af811ebce508cef12ab5",
        10: "2fc2f486bd3f95dc4c1337afeeb326cc28cfe6c525c9683f2c854d512b72278f",
        11: "a8391eca1f8ba832a3bdef59c80bd3401484146dcac5e9cdb372c5987ccd0829",
        12: "0628927aba6c97ad2ca91e3f214b003d7a8e19f3c976c8752969f121b5a0e771",
        13: "25f88994f83fabeba193362ebfb13619d00f5035f8f24d3397b86311ced7e421",
        14: "ab8121bbb4b76b685d59988da3b92544cf25c114017404268285295ebfc5d21e",
        15: "4ea73502ebc1a80771b579d3168f79a90074dcd039266d9a2e323010f37e4322",
        16: "2c471427e2db38c4c619e295b849090fa9057afb817cabaa181ec42e961e061a",
        17: "9f4869130788d8c949c5d30d943f03eb102d676175646d3375e1ec82446a946f",
        18: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ]

    @Test func releasedMigrationsAreUnchanged() {
        for m in Migrations.all where Self.released[m.version] != nil {
            #expect(Migrations.checksum(m) == Self.released[m.version], "migration \(m.version) \(m.name) was edited after release")
        }
        #expect(Migrations.all.count >= Self.released.count)
    }

    @Test func versionsRunOneByOne() {
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
        #expect(Set(Migrations.all.map(\.name)).count == Migrations.all.count)
    }
}
