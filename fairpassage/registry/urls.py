from django.urls import path

from fairpassage.registry import views

app_name = "registry"

urlpatterns = [
    path("agencies/", views.search, name="search"),
    path("agencies/import/", views.import_list, name="import"),
    path("agencies/reports/moderate/", views.moderate, name="moderate"),
    path("agencies/reports/<int:pk>/reply/", views.reply, name="reply"),
    path("agencies/<slug:slug>/", views.agency, name="agency"),
    path("agencies/<slug:slug>/report/", views.review, name="review"),
    path("help/", views.help_directory, name="help"),
]
