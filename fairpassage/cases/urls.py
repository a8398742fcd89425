from django.urls import path

from fairpassage.cases import agency_views, link_views, staff_views, transfer_views, views

app_name = "cases"

urlpatterns = [
    path("grievance/", views.grievance, name="grievance"),
    path("grievance/track/", views.track, name="track"),
    path("grievance/statistics/", views.public_statistics, name="statistics"),
    path("cases/", staff_views.queue, name="queue"),
    path("cases/<int:pk>/", staff_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/agency/", agency_views.case_agency, name="case_agency"),
    path("cases/<int:pk>/earnings-plan/", link_views.earnings_plan_link, name="earnings_plan_link"),
    path("cases/<int:pk>/package/", transfer_views.package_export, name="package_export"),
    path("cases/referrals/import/", transfer_views.package_import, name="package_import"),
    path("cases/<int:pk>/do/<slug:action>/", staff_views.case_action, name="case_action"),
    path("cases/attachments/<int:pk>/", staff_views.attachment_download, name="attachment"),
    path("cases/workers/", staff_views.workers, name="workers"),
    path("cases/workers/new/", staff_views.worker_create, name="worker_create"),
    path("cases/workers/<int:pk>/", staff_views.worker_detail, name="worker_detail"),
    path("cases/dashboards/", staff_views.dashboards, name="dashboards"),
    path("cases/org/<slug:slug>/dashboard/", staff_views.dashboard, name="dashboard"),
    path("cases/org/<slug:slug>/audit/", staff_views.audit_trail, name="audit"),
]
