"""The dashboard home and the board report; include at the root: path("", include(...))."""

from django.urls import path

from aiom.insights.dashboard import views as views_dashboard

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views_dashboard.home, name="home"),
    path("reports/board/", views_dashboard.board_report, name="board_report"),
    path("reports/board.pdf", views_dashboard.board_report_pdf, name="board_report_pdf"),
]
