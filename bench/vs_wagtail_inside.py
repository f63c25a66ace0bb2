"""The healthlib side of ``bench/vs_wagtail.py``: what it runs inside
healthlib, in a subprocess with the stack's settings (``--export-blocks``,
``--staff-session``, ``--profile``)."""

import io
import json
import pstats
import time
from pathlib import Path

SLUG = "myoclonus"


def mode_export_blocks(path):
    """The demo article as Wagtail StreamField blocks: (type, value) pairs."""
    import django

    django.setup()
    from conditions import selectors
    from conditions.models import Condition

    live = Condition.objects.live().get(slug=SLUG)
    page = selectors.article_page(live)
    blocks = [("paragraph", f"<p>{live.summary}</p>")] if live.summary else []
    for section in page.sections:
        # Headings may be lazy translations ("Treatment"): JSON needs text.
        blocks.append(("heading", str(section.display_heading)))
        html = section.body_html
        if section == page.treatment_section:
            for group in page.drug_groups:
                items = "".join(
                    f'<li><a href="{d.get_absolute_url()}">{d.name}</a></li>' for d in group.drugs
                )
                heading = f"<h3>{str(group.heading)}</h3>" if group.heading else ""
                html += f"{heading}<ul>{items}</ul>"
        blocks.append(("paragraph", html))
    if page.organizations_by_region:
        blocks.append(("heading", "Resources"))
        html = ""
        for region, organizations in page.organizations_by_region:
            items = "".join(f'<li><a href="{o.url}">{o.name}</a></li>' for o in organizations)
            html += f"<h3>{region} resources</h3><ul>{items}</ul>"
        blocks.append(("paragraph", html))
    if page.references:
        blocks.append(("heading", "References"))
        items = "".join(f"<li>{ref.ama()}</li>" for ref in page.references)
        blocks.append(("paragraph", f"<ol>{items}</ol>"))
    Path(path).write_text(json.dumps({"title": live.title, "blocks": blocks}))


def staff_session_key():
    """A logged-in staff user's session (made here, stored in the database
    the servers read): the requests that bypass the page cache."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True}
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def mode_staff_session():
    import django

    django.setup()
    from django.conf import settings

    print(f"{settings.SESSION_COOKIE_NAME}={staff_session_key()}")


def _queries(connection, client, url):
    """The response to ``url`` and the SQL it ran, counted at the cursor:
    the test client closes the connection (and its query log) after each
    request."""
    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        response = client.get(url)
    return response, queries


def mode_profile(path, requests):
    """Queries, CPU ms per request and a cProfile of healthlib's uncached
    article request, in-process (the whole Django stack, no network)."""
    import cProfile

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS.append("testserver")
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.cookies[settings.SESSION_COOKIE_NAME] = staff_session_key()
    url = f"/conditions/{SLUG}/"
    for _ in range(50):
        assert client.get(url).status_code == 200
    response, queries = _queries(connection, client, url)
    assert response.get("X-Page-Cache") is None, "the page cache answered"
    start = time.process_time()
    for _ in range(requests):
        client.get(url)
    ms = (time.process_time() - start) * 1000 / requests
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        client.get(url)
    profile.disable()
    # The other readers' pages, uncached, for comparison (rendered per request).
    from conditions.models import Condition

    live = Condition.objects.live().get(slug=SLUG)
    others = {"home": "/", "A–Z letter m": "/conditions/?letter=m"}
    drug = live.drug_groups.first().items.first().drug if live.drug_groups.exists() else None
    if drug:
        others["drug page"] = drug.get_absolute_url()
    tag = live.tags.first()
    if tag:
        others["topic page"] = f"/topics/{tag.slug}/"
    pages = {}
    for name, other in others.items():
        assert client.get(other).status_code == 200, other
        counted = _queries(connection, client, other)[1]
        start = time.process_time()
        for _ in range(requests // 3):
            client.get(other)
        pages[name] = ((time.process_time() - start) * 1000 / (requests // 3), len(counted))
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(18)
    stats.sort_stats("cumulative").print_stats(30)
    Path(path).write_text(out.getvalue())
    print(
        json.dumps(
            {
                "ms": ms,
                "queries": len(queries),
                "sql": [sql[:120] for sql in queries],
                "bytes": len(response.content),
                "pages": pages,
            }
        )
    )
