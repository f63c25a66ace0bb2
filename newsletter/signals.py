"""Readers' cached pages that show research summaries (see
``healthlib.lib.pagecache``): the home page lists the latest ones and each
article lists those related to it. Whenever a *sent* edition, one of its
summaries or their related articles change, those pages are made stale.
Drafts are on no cached page, so changing them bumps nothing.
"""

from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from conditions.models import Condition
from conditions.publishing.invalidation import HOME, SITEMAP, article_tag
from healthlib.lib.pagecache import bump
from newsletter.models import Edition, ResearchSummary

Related = ResearchSummary.related_articles.through


def _article_tags(working_ids):
    slugs = Condition.objects.live().filter(source_id__in=set(working_ids))
    return {article_tag(slug) for slug in slugs.values_list("slug", flat=True)}


def edition_changed(edition):
    working_ids = Related.objects.filter(researchsummary__edition=edition).values_list(
        "condition_id", flat=True
    )
    bump(HOME, SITEMAP, *_article_tags(working_ids))


@receiver(post_save, sender=Edition, dispatch_uid="newsletter.edition_saved")
@receiver(pre_delete, sender=Edition, dispatch_uid="newsletter.edition_deleted")
def _edition_saved_or_deleted(sender, instance, **kwargs):
    if instance.is_sent:
        edition_changed(instance)


def _summary_in_sent_edition(summary):
    return Edition.objects.filter(pk=summary.edition_id, status=Edition.Status.SENT).exists()


@receiver(post_save, sender=ResearchSummary, dispatch_uid="newsletter.summary_saved")
@receiver(pre_delete, sender=ResearchSummary, dispatch_uid="newsletter.summary_deleted")
def _summary_saved_or_deleted(sender, instance, **kwargs):
    if _summary_in_sent_edition(instance):
        bump(HOME, *_article_tags(instance.related_articles.values_list("pk", flat=True)))


@receiver(m2m_changed, sender=Related, dispatch_uid="newsletter.summary_articles_changed")
def _summary_articles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # instance is a Condition; pk_set holds summaries
        summaries = ResearchSummary.objects.filter(pk__in=pk_set or ())
        if summaries.filter(edition__status=Edition.Status.SENT).exists():
            bump(*_article_tags([instance.pk]))
        return
    if not _summary_in_sent_edition(instance):
        return
    if action == "pre_clear":
        pk_set = set(instance.related_articles.values_list("pk", flat=True))
    bump(*_article_tags(pk_set or ()))
