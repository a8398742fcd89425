from django.urls import path

from fairpassage.core import views

app_name = "core"

urlpatterns = [
    path("org/<slug:slug>/members/", views.members, name="members"),
    path("staff/tasks/", views.tasks, name="tasks"),
]
