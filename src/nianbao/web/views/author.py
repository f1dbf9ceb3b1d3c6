"""(area: author) — to be filled."""
urlpatterns: list = []
