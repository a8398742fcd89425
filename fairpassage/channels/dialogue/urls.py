from django.urls import path

from fairpassage.channels.dialogue import views

app_name = "chat"

urlpatterns = [
    path("chat/check/<str:token>/", views.fee_check, name="check"),
]
