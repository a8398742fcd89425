"""Webhook addresses, outside the language prefix: what each provider is given."""

from django.urls import path

from fairpassage.channels import views

app_name = "channel_webhooks"

urlpatterns = [
    path("channels/line/<int:account_id>/", views.line, name="line"),
    path("channels/zalo/<int:account_id>/", views.zalo, name="zalo"),
    path("channels/messenger/<int:account_id>/", views.messenger, name="messenger"),
]
