"""RSS feed of sent editions (django.contrib.syndication), one per
language: /newsletter/feed/ lists the English editions, /es/newsletter/feed/
the Spanish ones."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsletter.emails import absolutize_html
from newsletter.models import Edition, Newsletter


class EditionFeed(Feed):
    description_template = None

    def get_object(self, request):
        newsletter = Newsletter.objects.current()
        if newsletter is None:
            raise Http404(_("There is no newsletter yet."))
        return newsletter

    def title(self, obj):
        return obj.name

    def link(self, obj):
        return settings.SITE_URL + reverse("newsletter:home")

    def feed_url(self, obj):
        return settings.SITE_URL + reverse("newsletter:feed")

    def description(self, obj):
        return _("Research summaries in plain language, from the healthlib newsletter.")

    def items(self, obj):
        return (
            Edition.objects.archive(get_language())
            .filter(newsletter=obj)
            .prefetch_related("summaries")[:20]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return absolutize_html(render_to_string("newsletter/feed_item.html", {"edition": item}))

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        if item.sent_at:
            return item.sent_at
        return timezone.make_aware(datetime.combine(item.issue_date, time()))
