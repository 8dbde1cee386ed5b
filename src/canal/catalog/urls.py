from django.urls import path

from canal.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.products, name="products"),
    path("support/", views.support, name="support"),
    path("<slug:code>/", views.product, name="product"),
    path("<slug:code>/configure/", views.configure, name="configure"),
]
