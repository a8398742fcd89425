"""Which pages a session may open before its second factor: the one list, everything else is
denied.

A session whose user has signed in with a password but not yet passed the second factor is
half open. The sign-in flow (sign-in, the second factor's set-up and check, sign-out) sees its
user; the public pages, which anyone may open without an account, treat it as an anonymous
visitor; every other page and operation sends it to the second factor. A page added later is
behind the second factor until it is added here by name.
"""

from __future__ import annotations

# The pages of the sign-in flow: they see the half-signed-in user.
SIGN_IN_FLOW: frozenset[str] = frozenset(
    {
        "web:login",
        "web:logout",
        "mfa:enrol",
        "mfa:verify",
        "admin:login",  # answers with the site's sign-in (core/admin_site.py)
    }
)

# Pages anyone may open without an account. A half-signed-in session opens them as an
# anonymous visitor, so nothing shown to staff on them leaks before the second factor.
PUBLIC_PAGES: frozenset[str] = frozenset(
    {
        "web:home",
        "set_language",
        "checks:fee_check",
        "checks:letter",
        "checks:earnings",
        "checks:pathways",
        "checks:law",
        "registry:search",
        "registry:agency",
        "registry:review",
        "registry:help",
        "cases:grievance",
        "cases:track",
        "cases:statistics",
        "surveys:questionnaire",
        "knowledge:index",
        "knowledge:checklist",
        "knowledge:checklist_leaflet",
        "knowledge:article",
        "knowledge:leaflet",
        "tracker:consultation_list",
        "tracker:consultation_detail",
        "tracker:theme_list",
        "tracker:theme_detail",
        "tracker:stakeholder_list",
        "tracker:stakeholder_detail",
        "tracker:progress",
        "tracker:recommendation_detail",
        "tracker:feed",
        "chat:check",
    }
)

# The chat providers' webhooks (channels/webhook_urls.py): no session, no CSRF token; each
# request is signed by the provider and checked by the view. They see an anonymous visitor.
WEBHOOKS: frozenset[str] = frozenset(
    {"channel_webhooks:line", "channel_webhooks:zalo", "channel_webhooks:messenger"}
)

# The REST API (namespace "api") authenticates each request with a bearer token
# (core/auth.py): a session never reaches it as a signed-in user. Its operations without
# ``auth`` are public; the others answer 401 without a token.
API_NAMESPACE = "api"
