"""The Atom feed of status updates, in the language of its address (/vi/, /ja/, /en/)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fairpassage.tracker import selectors
from fairpassage.tracker.models import StatusUpdate


def _lang() -> str:
    return (get_language() or "vi")[:2]


class StatusUpdateFeed(Feed[StatusUpdate, None]):
    feed_type = Atom1Feed
    author_name = "Fair Passage"

    def title(self) -> str:
        return _("Fair Passage: progress on consultation recommendations")

    def subtitle(self) -> str:
        return _("Status updates posted by member organisations, newest first.")

    def link(self) -> str:
        return reverse("tracker:consultation_list")

    def feed_url(self) -> str:
        return reverse("tracker:feed")

    def items(self) -> list[StatusUpdate]:
        return list(selectors.updates_recent(limit=50))

    def item_title(self, item: StatusUpdate) -> str:
        rec = item.recommendation
        return _("Recommendation %(number)s (%(consultation)s): %(status)s") % {
            "number": rec.number,
            "consultation": selectors.localised(rec.consultation, "title", _lang())[0],
            "status": item.get_status_display(),
        }

    def item_description(self, item: StatusUpdate) -> str:
        parts = [
            f"<p>{escape(item.text)}</p>",
            "<p>"
            + escape(
                _("Reported by %(organisation)s on the situation as of %(date)s.")
                % {"organisation": item.organisation.name, "date": item.date.isoformat()}
            )
            + "</p>",
        ]
        if item.evidence:
            links = "".join(
                f'<li><a href="{escape(url)}">{escape(url)}</a></li>' for url in item.evidence
            )
            parts.append(f"<ul>{links}</ul>")
        return "".join(parts)

    def item_link(self, item: StatusUpdate) -> str:
        url = reverse("tracker:recommendation_detail", args=[item.recommendation_id])
        return f"{url}#update-{item.pk}"

    def item_guid(self, item: StatusUpdate) -> str:
        return f"tag:fairpassage,2026:tracker/status-update/{item.pk}"

    def item_guid_is_permalink(self, item: StatusUpdate) -> bool:
        return False

    def item_author_name(self, item: StatusUpdate) -> str:
        return item.organisation.name

    def item_pubdate(self, item: StatusUpdate) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: StatusUpdate) -> dt.datetime:
        return item.created_at


status_update_feed = StatusUpdateFeed()
