"""The sign-off loop as a state machine (Hypothesis): whatever the order of
edits, invitations, decisions, withdrawals, expiries and publications,

* a decision is recorded only on the latest revision, once per link and
  revision, and only through an open, unexpired link;
* publishing succeeds exactly when every open invitation's latest decision
  on the current text is an approval;
* readers see exactly the approvals of the text that went live.
"""

import datetime
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from conditions import selectors, services
from conditions.models import Condition, Signoff
from conditions.services import signoffs
from tests import factories
from tests.conditions.signoff_steps import edit

APPROVED, CHANGES = Signoff.Decision.APPROVED, Signoff.Decision.CHANGES_REQUESTED
_names = itertools.count()


@pytest.mark.django_db
def test_the_sign_off_loop(reviewer):
    class SignoffLoop(RuleBasedStateMachine):
        @initialize()
        def article(self):
            self.article = factories.article(
                f"Loop {next(_names)}", publish=False, **factories.SMALL
            )
            edit(self.article, "First.")
            services.submit_for_review(condition=self.article)
            self.refresh()
            self.text = 0  # which text the working copy has
            self.invitations = []  # [(invitation, model state)]
            self.live_names = set()

        def refresh(self):
            self.article = Condition.objects.get(pk=self.article.pk)

        @rule()
        def change_the_text(self):
            self.text += 1
            edit(self.article, f"Change {self.text}.")

        @rule()
        def save_the_same_text(self):
            # A step that changes no text (a status change) makes a revision too.
            services.record_revision(condition=self.article, comment="Same text")
            self.refresh()

        @rule()
        def submit(self):
            self.refresh()
            a = self.article
            waiting = a.status == Condition.Status.DRAFT or a.has_unpublished_changes
            if waiting and a.status != Condition.Status.IN_REVIEW:
                services.submit_for_review(condition=a)
                self.refresh()

        @precondition(lambda self: len(self.invitations) < 3)
        @rule()
        def invite(self):
            self.refresh()
            if self.article.status != Condition.Status.IN_REVIEW:
                with pytest.raises(services.WorkflowError):
                    self._invite()
                return
            invitation = self._invite()
            self.invitations.append(
                (invitation, {"open": True, "expired": False, "decided": {}, "revisions": set()})
            )

        def _invite(self):
            invitation, _, _ = signoffs.invite_specialist(
                condition=self.article,
                user=reviewer,
                name=f"Dr {next(_names)}",
                credentials="MD",
                email=f"s{next(_names)}@example.org",
            )
            return invitation

        @precondition(lambda self: self.invitations)
        @rule(data=st.data(), approve=st.booleans(), stale=st.booleans())
        def decide(self, data, approve, stale):
            self.refresh()
            invitation, model = data.draw(st.sampled_from(self.invitations))
            latest = self.article.latest_revision_id
            older = self.article.revisions.exclude(pk=latest).values_list("pk", flat=True).first()
            read = older if stale and older else latest
            decision = APPROVED if approve else CHANGES
            call = lambda: signoffs.record_decision(  # noqa: E731
                invitation=invitation, revision=read, decision=decision, comment="Because."
            )
            if not model["open"] or model["expired"]:
                with pytest.raises(signoffs.LinkRefused):
                    call()
            elif read != latest:
                with pytest.raises(services.StaleRevision):
                    call()
            elif latest in model["revisions"]:
                with pytest.raises(signoffs.AlreadyDecided):
                    call()
            else:
                signoff = call()
                assert signoff.revision_id == latest
                model["revisions"].add(latest)
                model["decided"][self.text] = decision

        @precondition(lambda self: self.invitations)
        @rule(data=st.data())
        def withdraw(self, data):
            invitation, model = data.draw(st.sampled_from(self.invitations))
            if model["open"]:
                signoffs.withdraw_invitation(invitation=invitation, user=reviewer)
                model["open"] = False
            else:
                with pytest.raises(services.WorkflowError):
                    signoffs.withdraw_invitation(invitation=invitation, user=reviewer)

        @precondition(lambda self: self.invitations)
        @rule(data=st.data())
        def expire(self, data):
            invitation, model = data.draw(st.sampled_from(self.invitations))
            invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
            invitation.save(update_fields=["expires_at"])
            model["expired"] = True

        @rule()
        def publish(self):
            self.refresh()
            open_ = [(i, m) for i, m in self.invitations if m["open"]]
            ok = all(m["decided"].get(self.text) == APPROVED for _, m in open_)
            if not ok:
                with pytest.raises(services.GateClosed):
                    services.publish(condition=self.article, user=reviewer)
                return
            services.publish(condition=self.article, user=reviewer)
            self.refresh()
            self.live_names = {i.name for i, _ in open_}
            for _, m in open_:
                m["open"] = False  # completed

        @invariant()
        def readers_see_the_approvals_of_the_live_text(self):
            live = Condition.objects.live().filter(source=self.article).first()
            shown = {s.name for s in selectors.article_page(live).signoffs} if live else set()
            assert shown == (self.live_names if live else set())

    SignoffLoop.TestCase.settings = settings(
        max_examples=10,
        stateful_step_count=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    SignoffLoop.TestCase().runTest()
