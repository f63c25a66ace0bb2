"""The interface's translations: each app's ``locale/<lang>/LC_MESSAGES/*.po``
(committed) compiled to the ``.mo`` files gettext reads (not committed).

Compiled with Babel, so a machine without GNU gettext can set up the
project (`make run`, `make test`); `manage.py makemessages`, which does
need gettext, is only for whoever changes the interface's words.
"""

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings


def po_files():
    """Every catalog of the project's apps and of ``LOCALE_PATHS``."""
    roots = [Path(app.path) / "locale" for app in apps.get_app_configs()]
    roots += [Path(p) for p in settings.LOCALE_PATHS]
    base = Path(settings.BASE_DIR).resolve()
    # The virtualenv may live inside the project (make's .venv).
    installed = Path(sys.prefix).resolve()
    found = set()
    for root in roots:
        # Only the project's own apps: Django's and the libraries' ship compiled.
        path = root.resolve()
        if path.is_relative_to(base) and not path.is_relative_to(installed) and root.is_dir():
            found.update(root.glob("*/LC_MESSAGES/*.po"))
    return sorted(found)


def is_stale(po):
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_po(po):
    """Write ``po``'s ``.mo`` beside it; fuzzy entries are left out, as msgfmt does."""
    with po.open("rb") as f:
        catalog = read_po(f, locale=po.parent.parent.name, abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    po.with_suffix(".mo").write_bytes(buffer.getvalue())


def compile_all(*, force=False):
    """Compile every catalog whose ``.mo`` is missing or older; returns them."""
    done = []
    for po in po_files():
        if force or is_stale(po):
            compile_po(po)
            done.append(po)
    return done
