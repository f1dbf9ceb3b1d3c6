"""One module per area, each with its own `urlpatterns`: auth, uploads, report, region, author, manage."""
