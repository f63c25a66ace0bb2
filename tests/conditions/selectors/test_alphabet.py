"""The A to Z (conditions.selectors.alphabet): its letters and their order
in each language."""

import pytest

from conditions import selectors

pytestmark = pytest.mark.django_db


def test_letters_and_order_per_language():
    assert selectors.letters("es")[13:16] == ["n", "ñ", "o"]
    assert "ñ" not in selectors.letters("en")
    assert selectors.letter_of("Ñame", "es") == "ñ"
    assert selectors.letter_of("Ñame", "en") == "n"
    assert selectors.letter_of("Ácido úrico", "es") == "a"
    assert selectors.letter_of("Éczema", "en") == "e"
    assert selectors.letter_of("5-HTP", "es") == "0-9"
    words = ["oreja", "ñandú", "Nube", "nariz"]
    assert sorted(words, key=selectors.strxfrm_key) == [
        "nariz",
        "Nube",
        "ñandú",
        "oreja",
    ]
