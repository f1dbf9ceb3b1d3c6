from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "nianbao.web"
    label = "web"
    verbose_name = "年报审核"
    default_auto_field = "django.db.models.BigAutoField"
