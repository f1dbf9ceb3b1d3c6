"""(area: report) — to be filled."""
urlpatterns: list = []
