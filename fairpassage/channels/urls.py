from django.urls import path

from fairpassage.channels import views

app_name = "channels"

urlpatterns = [
    path("channels/failures/", views.failures, name="failures"),
]
