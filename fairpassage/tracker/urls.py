from django.urls import path

from fairpassage.tracker import feeds, views

app_name = "tracker"

urlpatterns = [
    path("tracker/", views.consultation_list, name="consultation_list"),
    path("tracker/consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("tracker/themes/", views.theme_list, name="theme_list"),
    path("tracker/themes/<slug:theme>/", views.theme_detail, name="theme_detail"),
    path("tracker/stakeholders/", views.stakeholder_list, name="stakeholder_list"),
    path(
        "tracker/stakeholders/<slug:stakeholder>/",
        views.stakeholder_detail,
        name="stakeholder_detail",
    ),
    path("tracker/progress/", views.progress, name="progress"),
    path(
        "tracker/recommendations/<int:pk>/",
        views.recommendation_detail,
        name="recommendation_detail",
    ),
    path("tracker/recommendations/<int:pk>/update/", views.update_create, name="update_create"),
    path("tracker/feed.atom", feeds.status_update_feed, name="feed"),
]
