"""Sentences glued together by the scraping, split again
(conditions.importer.sentences)."""

import pytest


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("It may play a role.A person may", ["It may play a role.", "A person may"]),
        ("Seen by a doctor.MRI may help.", ["Seen by a doctor.", "MRI may help."]),
        ("Use it, e.g.Aspirin or not.", ["Use it, e.g.Aspirin or not."]),
        ("Made in the U.S.A. Today it is sold.", ["Made in the U.S.A. Today it is sold."]),
        ("Written by J.K. Rowling here.", ["Written by J.K. Rowling here."]),
        ("Take vitamin.B12 daily.", ["Take vitamin.B12 daily."]),
        ("See www.Example.org for more.", ["See www.Example.org for more."]),
        ("This can be done with:Pictures may", ["This can be done with:", "Pictures may"]),
    ],
)
def test_glued_sentence_rule_and_its_exceptions(text, parts):
    from conditions.importer.parser import unglue

    assert unglue(text) == parts


def test_a_known_drug_name_with_a_full_stop_is_not_split():
    from conditions.importer.parser import unglue

    assert unglue("Take Co.Q10 daily.") == ["Take Co.Q10 daily."]
    assert unglue("Ask about Sino.Vac now.", frozenset({"sino.vac"})) == ["Ask about Sino.Vac now."]
