"""The interface's translation catalogs (healthlib.lib.catalogs): there,
complete, and compiled without GNU gettext."""

import gettext
import shutil

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from healthlib.lib import catalogs

pytestmark = pytest.mark.django_db


SPANISH_CATALOGS = [p for p in catalogs.po_files() if p.parent.parent.name == "es"]


def test_the_library_has_spanish_catalogs():
    apps = {p.parent.parent.parent.parent.name for p in SPANISH_CATALOGS}
    assert {"conditions", "healthlib"} <= apps


@pytest.mark.parametrize("po", SPANISH_CATALOGS, ids=lambda p: p.parent.parent.parent.parent.name)
def test_spanish_catalog_is_complete(po):
    with po.open("rb") as f:
        catalog = read_po(f)
    # Spanish plural forms: one for 1, another for 0, 2, 5… (Django's own
    # Spanish catalog has a third, for millions: "1000000 de artículos").
    plural = gettext.c2py(catalog.plural_expr)
    assert plural(1) == 0 and plural(0) == plural(2) == plural(5) == catalog.num_plurals - 1
    if po.is_relative_to(settings.BASE_DIR / "conditions") or po.is_relative_to(
        settings.BASE_DIR / "healthlib"
    ):
        assert catalog.plural_expr == "n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2"
    assert not catalog.fuzzy
    messages = [m for m in catalog if m.id]
    assert messages
    for message in messages:
        assert not message.fuzzy, message.id
        strings = message.string if message.pluralizable else (message.string,)
        assert all(s.strip() for s in strings), f"untranslated: {message.id!r}"
    # Placeholders ("%(name)s") the same in every translation.
    assert [(m.id, errors) for m, errors in catalog.check() if errors] == []


def test_compiling_needs_no_gettext(tmp_path):
    """The set-up compiles with Babel: the .mo it writes is read by gettext."""
    po = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    shutil.copy(next(p for p in SPANISH_CATALOGS if "healthlib" in p.parts), po)
    catalogs.compile_po(po)
    with po.with_suffix(".mo").open("rb") as mo:
        translation = gettext.GNUTranslations(mo)
    assert translation.gettext("Skip to content") == "Saltar al contenido"
    assert catalogs.is_stale(po) is False
