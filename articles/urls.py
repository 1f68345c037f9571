from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.guide_index, name="index"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/checklist/", views.article_checklist, name="checklist"),
]
