"""References (conditions.importer.citations): e-locators and dates that
name only a month. (References read from whole articles, are in
test_importer_unseen.py and test_importer_spanish.py.)"""


def test_e_locators_and_month_only_dates():
    from conditions.importer.citations import parse as parse_citation

    bmj = parse_citation("Smith A, Jones B. A trial of rest. BMJ. 2014 Feb 7;348:g474.")
    assert (bmj["journal"], bmj["year"], bmj["volume"], bmj["pages"]) == (
        "BMJ",
        2014,
        "348",
        "g474",
    )
    monthly = parse_citation("Gout and hyperuricemia. American Family Physician. February 2014.")
    assert (monthly["year"], monthly["month"], monthly["volume"]) == (2014, "February", "")
