from django.urls import path

from fairpassage.checks import batch_views, law_views, views

app_name = "checks"

urlpatterns = [
    path("fee-check/", views.fee_check, name="fee_check"),
    path("fee-check/letter.pdf", views.fee_check_letter, name="letter"),
    path("fee-check/save/", views.fee_check_save, name="save"),
    path("fee-checks/", views.saved_list, name="saved_list"),
    path("fee-checks/<int:pk>/", views.saved_detail, name="saved_detail"),
    path("fee-checks/batch/", batch_views.batch_new, name="batch_new"),
    path("fee-checks/batch/<int:pk>/", batch_views.batch_detail, name="batch_detail"),
    path("fee-checks/batch/<int:pk>/restart/", batch_views.batch_restart, name="batch_restart"),
    path(
        "fee-checks/batch/<int:pk>/<slug:table>.csv",
        batch_views.batch_download,
        name="batch_download",
    ),
    path("earnings/", views.earnings, name="earnings"),
    path("earnings/save/", views.earnings_save, name="earnings_save"),
    path("earnings-plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("pathways/", views.pathways, name="pathways"),
    path("law/", views.law_page, name="law"),
    path("law/status/", law_views.law_status_page, name="law_status"),
]
