from django.urls import URLPattern

app_name = "tracker"

urlpatterns: list[URLPattern] = []
