from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "partnerlens.insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from partnerlens.enquiries.signals import response_submitted
        from partnerlens.insights.receivers import count_submitted_response

        response_submitted.connect(
            count_submitted_response, dispatch_uid="insights.count_submitted_response"
        )
