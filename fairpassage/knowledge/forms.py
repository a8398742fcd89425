"""Staff forms of the guide: they only validate; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fairpassage.knowledge.models import Stage


class ArticleForm(forms.Form):
    slug = forms.SlugField(label=_("Short name (in the address)"), max_length=80)
    stage = forms.ChoiceField(label=_("Step of the migration cycle"), choices=Stage.choices)
    order = forms.IntegerField(label=_("Position within the step"), min_value=0, initial=100)
    law_parameters = forms.CharField(
        label=_("Law parameters it rests on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One parameter id per line, as on the rules page."),
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One source per line: title | https://address"),
    )

    def clean_law_parameters(self) -> list[str]:
        text: str = self.cleaned_data["law_parameters"]
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_sources(self) -> list[dict[str, str]]:
        text: str = self.cleaned_data["sources"]
        out = []
        for line in text.splitlines():
            if not line.strip():
                continue
            title, _sep, url = line.rpartition("|")
            url = url.strip()
            if not url.startswith(("https://", "http://")):
                raise forms.ValidationError(_("Each source needs an http(s) address."))
            out.append({"title": title.strip() or url, "url": url})
        return out

    @staticmethod
    def initial_for(article: Any) -> dict[str, Any]:
        return {
            "slug": article.slug,
            "stage": article.stage,
            "order": article.order,
            "law_parameters": "\n".join(article.law_parameters),
            "sources": "\n".join(f"{s['title']} | {s['url']}" for s in article.sources),
        }


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=600, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Paragraphs separated by a blank line; “## ” for a heading, “- ” for a list, "
            "**bold**, [link text](https://address)."
        ),
    )
