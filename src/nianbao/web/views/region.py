"""(area: region) — to be filled."""
urlpatterns: list = []
