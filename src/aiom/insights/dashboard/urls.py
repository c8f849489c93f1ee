"""The dashboard home and the board report; include at the root: path("", include(...))."""

from django.urls import path

from aiom.insights.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.home, name="home"),
    path("reports/board/", views.board_report, name="board_report"),
    path("reports/board.pdf", views.board_report_pdf, name="board_report_pdf"),
]
