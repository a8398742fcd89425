from django.urls import path

from fairpassage.mfa import views

app_name = "mfa"

urlpatterns = [
    path("account/second-factor/", views.enrol, name="enrol"),
    path("account/second-factor/verify/", views.verify, name="verify"),
]
