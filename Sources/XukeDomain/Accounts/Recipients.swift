/// Who among officers hears of an event (docs/DOMAIN.md §9): for a duty of an enterprise (an accident, a recall, a
/// reminder), the officers over its county — the county's own, its city's and its province's — and the national
/// ones; for a case, the officers of the authority handling it.
public enum Recipients {
    /// The jurisdictions whose officers are over a division, nearest first, each once (national officers, with no
    /// jurisdiction, are always over it too).
    public static func jurisdictionsOver(division: String) -> [String] {
        guard division.count == 6 else { return [division] }
        var out: [String] = []
        for code in [division, String(division.prefix(4)) + "00", String(division.prefix(2)) + "0000"] where !out.contains(code) {
            out.append(code)
        }
        return out
    }

    /// The jurisdiction of the officers who handle a case of `authority`: nil for the national authority.
    public static func caseOfficers(authority: String) -> String? {
        authority == Routing.national ? nil : authority
    }
}
