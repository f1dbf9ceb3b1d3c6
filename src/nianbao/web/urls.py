from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url="/static/web/favicon.svg", permanent=True)),
    path("", include("nianbao.web.views.auth")),
    path("", include("nianbao.web.views.uploads")),
    path("", include("nianbao.web.views.report")),
    path("", include("nianbao.web.views.review")),
    path("", include("nianbao.web.views.region")),
    path("", include("nianbao.web.views.author")),
    path("", include("nianbao.web.views.manage")),
]

handler400 = "nianbao.web.responses.bad_request"
handler403 = "nianbao.web.responses.forbidden"
handler404 = "nianbao.web.responses.not_found"
handler500 = "nianbao.web.responses.server_error"
