"""(area: manage) — to be filled."""
urlpatterns: list = []
