"""manage.py send_edition: progress, a clear failure, a non-zero exit when
messages fail; on the queue, it enqueues and waits."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_command_prints_progress_and_fails_clearly(capsys, make_edition, make_subscribers):
    edition = make_edition()
    make_subscribers(5)
    call_command("send_edition", edition.slug, "--batch-size", "2", "--here")
    out = capsys.readouterr().out
    assert "2/5 messages: 2 sent, 0 failed" in out
    assert "5/5 messages" in out and "Done: 5 sent." in out
    call_command("send_edition", edition.slug, "--here")
    assert "Nobody to send to" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No edition with the slug “nope”"):
        call_command("send_edition", "nope")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("send_edition", edition.slug, "--batch-size", "0", "--here")


def test_command_exits_non_zero_when_messages_fail(counting, make_edition, make_subscribers):
    edition = make_edition()
    subscribers = make_subscribers(3)
    counting.refuse = {subscribers[0].email}
    with pytest.raises(CommandError, match="1 of 3 messages failed"):
        call_command("send_edition", edition.slug, "--here")


@pytest.mark.django_db(transaction=True)
def test_command_enqueues_and_waits_with_a_progress_bar(make_edition, make_subscribers):
    edition = make_edition()
    make_subscribers(3)
    out = io.StringIO()
    call_command("send_edition", edition.slug, "--wait", stdout=out)
    text = out.getvalue()
    assert "in the background" in text
    assert "[##############################] 100%  3 sent, 0 failed, 0 remaining" in text
    assert "Done: 3 sent." in text
