from django.urls import path

from fairpassage.surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/new/", views.survey_new, name="new"),
    path("surveys/questionnaire.xlsx", views.questionnaire, name="questionnaire"),
    path("surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("surveys/<int:pk>/mapping/", views.mapping_new, name="mapping"),
    path("surveys/<int:pk>/results.<str:kind>", views.result_download, name="download"),
    path("surveys/imports/<int:pk>/", views.import_detail, name="import"),
    path("surveys/imports/<int:pk>/restart/", views.import_restart, name="import_restart"),
]
