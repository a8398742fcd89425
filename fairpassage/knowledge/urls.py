from django.urls import path

from fairpassage.knowledge import staff_views, views

app_name = "knowledge"

urlpatterns = [
    path("guide/", views.guide_index, name="index"),
    path("guide/checklist/", views.checklist, name="checklist"),
    path("guide/checklist/leaflet.pdf", views.checklist_leaflet, name="checklist_leaflet"),
    path("guide/manage/", staff_views.manage_index, name="manage"),
    path("guide/manage/new/", staff_views.article_edit, name="article_new"),
    path("guide/manage/<slug:slug>/", staff_views.article_manage, name="article_manage"),
    path("guide/manage/<slug:slug>/settings/", staff_views.article_edit, name="article_edit"),
    path("guide/manage/<slug:slug>/reviewed/", staff_views.mark_reviewed, name="mark_reviewed"),
    path(
        "guide/manage/<slug:slug>/<str:language>/draft/",
        staff_views.draft_edit,
        name="draft_edit",
    ),
    path(
        "guide/manage/versions/<int:pk>/<str:action>/",
        staff_views.version_action,
        name="version_action",
    ),
    path("guide/<slug:slug>/", views.article_detail, name="article"),
    path("guide/<slug:slug>/leaflet.pdf", views.article_leaflet, name="leaflet"),
]
